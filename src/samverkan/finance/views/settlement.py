"""Pages of finance: settlement of an activity's result by key, and what a municipality pays."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.allocation.models import AllocationKey, KeyKind
from samverkan.allocation.selectors import keys_for
from samverkan.billing.policies import VIEW_INVOICES
from samverkan.core.forms import add_error_messages
from samverkan.core.params import year_or
from samverkan.core.permissions import capability_required
from samverkan.core.scoping import ScopedForm
from samverkan.finance.policies import EDIT_BUDGET, VIEW_REPORTS
from samverkan.finance.selectors import ledger as ledger_selectors
from samverkan.finance.services.settlement import SettlementExists, settlement_create
from samverkan.finance.usecases import settlement as usecases
from samverkan.members.selectors import federation_for, federations_for


class SettlementForm(ScopedForm, forms.Form):
    """One activity's settlement: the year and activity come from the list, the key is chosen."""

    scoped_fields = {"key": keys_for}

    year = forms.IntegerField(label=gettext_lazy("År"), min_value=1900, max_value=2200, widget=forms.HiddenInput)
    activity = forms.CharField(label=gettext_lazy("Verksamhet"), max_length=40, widget=forms.HiddenInput)
    key = forms.ModelChoiceField(label=gettext_lazy("Fördelningsnyckel"), queryset=AllocationKey.objects.none())
    billed_on = forms.DateField(
        label=gettext_lazy("Faktureras i perioden som innehåller"),
        required=False,
        help_text=gettext_lazy("Tomt: i dag. Nästa fakturakörning vars period innehåller dagen tar med regleringen."),
    )


def _federation(request):
    return federation_for(request.user, request.GET.get("forbund"), guess=True)


@capability_required(VIEW_REPORTS)
def settlement(request):
    federation = _federation(request)
    years = [fy.year for fy in ledger_selectors.fiscal_years(request.user).filter(federation=federation)]
    year = year_or(request.GET.get("ar"), years[0] if years else timezone.localdate().year - 1)
    overview = usecases.settlement_overview(user=request.user, federation=federation, year=year)
    # a decided-amounts table sums to its own total, never to a ledger result: not offered
    keys = keys_for(request.user).filter(federation=federation).exclude(kind=KeyKind.DECIDED)
    # a superuser belongs to no federation and chooses one
    federations = federations_for(request.user) if request.user.federation_id is None else None
    return render(
        request,
        "finance/settlement.html",
        {
            "title": _("Reglering av över- och underskott"),
            "overview": overview,
            "years": years,
            "keys": keys,
            "federations": federations,
        },
    )


def _settlement_url(year) -> str:
    return f"{reverse('finance:settlement')}?{urlencode({'ar': year})}"


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@capability_required(EDIT_BUDGET)
def settlement_preview(request):
    """The activity's result, the key and each member's share, before anything is stored."""
    form = SettlementForm(request.GET, user=request.user)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_settlement_url(request.GET.get("year", "")))
    data = form.cleaned_data
    try:
        preview = usecases.settlement_preview(
            user=request.user,
            federation=data["key"].federation,  # the key names it (a superuser has none of their own)
            year=data["year"],
            activity=data["activity"],
            key=data["key"],
        )
    except SettlementExists as exc:
        messages.info(request, exc.messages[0])
        return redirect(exc.pool.get_absolute_url())
    except ValidationError as exc:
        add_error_messages(request, exc)
        return redirect(_settlement_url(data["year"]))
    billed_on = data["billed_on"] or timezone.localdate()
    confirm = SettlementForm(initial={**data, "key": data["key"].pk, "billed_on": billed_on}, user=request.user)
    return render(
        request,
        "finance/settlement_preview.html",
        {
            "title": _("Reglering %(year)s: verksamhet %(code)s") % {"year": preview.year, "code": preview.activity},
            "preview": preview,
            "form": confirm,
            "billed_on": billed_on,
            "cancel_url": _settlement_url(data["year"]),
        },
    )


@capability_required(EDIT_BUDGET)
def settlement_confirm(request):
    if request.method != "POST":
        return redirect("finance:settlement")
    form = SettlementForm(request.POST, user=request.user)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("finance:settlement")
    data = form.cleaned_data
    try:
        pool = settlement_create(
            acting_user=request.user,
            federation=data["key"].federation,
            year=data["year"],
            activity=data["activity"],
            key=data["key"],
            billed_on=data["billed_on"],
        )
    except SettlementExists as exc:
        messages.info(request, exc.messages[0])
        return redirect(exc.pool.get_absolute_url())
    except ValidationError as exc:
        add_error_messages(request, exc)
        return redirect(_settlement_url(data["year"]))
    messages.success(request, _("Regleringen är gjord och godkänd: %(pool)s.") % {"pool": pool.name})
    return redirect(pool.get_absolute_url())


@capability_required(VIEW_INVOICES)
def member_costs(request):
    choices = usecases.municipalities_for(request.user)
    own = request.user.member.kommunkod if request.user.member_id else None
    kommunkod = request.GET.get("kommun") or own or (choices[0][0] if choices else "")
    year = year_or(request.GET.get("ar"), timezone.localdate().year)
    costs = usecases.member_costs(user=request.user, kommunkod=kommunkod, year=year) if kommunkod else None
    return render(
        request,
        "finance/member_costs.html",
        {
            "title": _("Vad kommunen betalar"),
            "costs": costs,
            "choices": choices,
            "kommunkod": kommunkod,
            "year": year,
        },
    )


urlpatterns = [
    path("reglering/", settlement, name="settlement"),
    path("reglering/forhandsgranska/", settlement_preview, name="settlement_preview"),
    path("reglering/bekrafta/", settlement_confirm, name="settlement_create"),
    path("kommunens-kostnader/", member_costs, name="member_costs"),
]
