from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.catalogue.models import (
    ITEM_EDITABLE_FIELDS,
    PRICE_VERSION_FIELDS,
    SUBSCRIPTION_FIELDS,
    CatalogueItem,
    PriceVersion,
    Subscription,
    VatCodeChoice,
)
from samverkan.catalogue.selectors import categories_for, items_for
from samverkan.core.scoping import ScopedForm
from samverkan.members.selectors import departments_for, members_for, services_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LinesField(forms.CharField):
    """A list of short texts edited as one line each (the item's order-form headings)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        return [line.strip() for line in super().to_python(value).splitlines() if line.strip()]


class ItemForm(ScopedForm, forms.ModelForm):
    scoped_fields = {"category": categories_for, "service": services_for, "allowed_members": members_for}

    unit_price = forms.DecimalField(
        label=_("Pris (exkl. moms)"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    valid_from = forms.DateField(label=_("Priset gäller från"), widget=DATE, required=False)
    vat_code = forms.ChoiceField(label=_("Momskod"), choices=VatCodeChoice.choices, initial="25")
    order_fields = LinesField(
        label=_("Beställningsfält"), required=False, help_text=_("En rubrik per rad, t.ex. Användare.")
    )

    class Meta:
        model = CatalogueItem
        fields = ITEM_EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("unit_price", "valid_from", "vat_code"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if not self.instance.pk and data.get("unit_price") is not None and not data.get("valid_from"):
            self.add_error("valid_from", _("Ange från vilket datum priset gäller."))
        return data


class PriceVersionForm(forms.ModelForm):
    class Meta:
        model = PriceVersion
        fields = PRICE_VERSION_FIELDS
        widgets = {"valid_from": DATE, "valid_to": DATE}


class SubscriptionForm(ScopedForm, forms.ModelForm):
    scoped_fields = {"item": items_for, "department": departments_for}

    class Meta:
        model = Subscription
        fields = SUBSCRIPTION_FIELDS
        widgets = {"start": DATE, "end": DATE}
        labels = {"department": _("Förvaltning")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = self.fields["item"].queryset.filter(
            price_unit__in=["month", "quarter", "user_year"]
        )
        self.fields["invoice_reference"].required = False


class EndForm(forms.Form):
    end = forms.DateField(label=_("Sista dag"), widget=DATE)
