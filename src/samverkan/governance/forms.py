"""Forms of governance's bodies and case register pages (other subjects: forms_<subject>.py).
Related fields choose among the user's rows (`scoped_fields`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.fields import UploadField
from samverkan.core.models import User
from samverkan.core.scoping import ScopedForm
from samverkan.governance.models import Body, Case, CaseDocument, DocumentKind, Seat
from samverkan.governance.selectors.bodies import seat_users_for
from samverkan.governance.selectors.cases import MAX_QUERY_LENGTH, link_choices, officers_for
from samverkan.governance.services.cases import MAX_DOCUMENT_BYTES
from samverkan.members.selectors import members_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "kind", "paragraph_prefix"]


class SeatForm(ScopedForm, forms.ModelForm):
    scoped_fields = {"user": seat_users_for, "appointed_by": members_for}

    class Meta:
        model = Seat
        fields = ["person_name", "party", "kind", "office", "appointed_by", "user", "start", "end"]
        widgets = {"start": DATE, "end": DATE}
        labels = {"user": _("Inloggning (ser då organet)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class SeatEndForm(forms.Form):
    end = forms.DateField(label=_("Sista dag i uppdraget"), widget=DATE)


class CaseForm(ScopedForm, forms.ModelForm):
    """A new case; `number` only for registering a historic case under its existing number."""

    scoped_fields = {"officer": officers_for}

    number = forms.CharField(
        label=_("Befintligt diarienummer"),
        max_length=40,
        required=False,
        help_text=_("Lämna tomt för nästa nummer. Fyll i bara när ett äldre ärende registreras i efterhand."),
    )

    class Meta:
        model = Case
        fields = ["title", "opened", "officer", "secret_title"]
        widgets = {"opened": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].label_from_instance = _person
        if self.instance.pk:
            del self.fields["number"]


def _person(user: User) -> str:
    return user.get_full_name() or user.username


class CaseCloseForm(forms.Form):
    closed = forms.DateField(label=_("Avslutat"), widget=DATE)


class DocumentForm(forms.ModelForm):
    file = UploadField(label=_("Fil"), required=False, max_bytes=MAX_DOCUMENT_BYTES)

    class Meta:
        model = CaseDocument
        fields = ["kind", "date", "title", "counterparty", "secrecy"]
        widgets = {"date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = DocumentKind.INCOMING
        if self.instance.pk:
            del self.fields["file"]


class LinkForm(forms.Form):
    """Pick what the case concerns: one select, grouped by kind, of the user's own rows."""

    target = forms.ChoiceField(label=_("Kopplas till"))
    note = forms.CharField(label=_("Anteckning"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "---------"), *link_choices(user)]


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Sök i diariet"), max_length=MAX_QUERY_LENGTH, required=False)


class CaseSettingsForm(forms.Form):
    case_number_pattern = forms.CharField(
        label=_("Mönster för diarienummer"),
        max_length=40,
        help_text=_("Till exempel {year}-{n:02} (2013-16) eller KS {year}/{n} (KS 2019/492)."),
    )
