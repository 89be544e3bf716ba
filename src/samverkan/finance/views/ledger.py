"""Pages of finance: the ledger — importing a SIE file, the imported years, their trial balance
and vouchers."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core import job_uploads
from samverkan.core.fields import UploadField
from samverkan.core.permissions import capability_required, has_capability
from samverkan.finance.policies import IMPORT_LEDGER, VIEW_LEDGER
from samverkan.finance.selectors import ledger as selectors
from samverkan.finance.services.ledger import MAX_SIE_BYTES
from samverkan.finance.tasks import SIE_KIND, start_sie

ENCODINGS = [
    ("", gettext_lazy("Känn av automatiskt")),
    ("cp437", gettext_lazy("PC8 (IBM 437), som standarden föreskriver")),
    ("latin-1", gettext_lazy("Latin-1 (ISO 8859-1)")),
]


class ImportForm(forms.Form):
    file = UploadField(
        label=gettext_lazy("SIE-fil (typ 1–4)"),
        help_text=gettext_lazy(
            "Exporten från ekonomisystemet. Räkenskapsåret i filen (#RAR 0) ersätter en tidigare import av samma år."
        ),
        max_bytes=MAX_SIE_BYTES,
    )
    encoding = forms.ChoiceField(label=gettext_lazy("Teckenkodning"), choices=ENCODINGS, required=False)


class VoucherFilterForm(forms.Form):
    konto = forms.CharField(label=gettext_lazy("Konto"), max_length=20, required=False)
    serie = forms.ChoiceField(label=gettext_lazy("Serie"), required=False)
    fran = forms.DateField(label=gettext_lazy("Från"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    till = forms.DateField(label=gettext_lazy("Till"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, series: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["serie"].choices = [("", _("Alla")), *((s, s or _("(utan serie)")) for s in series)]


@capability_required(VIEW_LEDGER)
def ledger(request):
    """The imported years of the user's federation."""
    years = selectors.fiscal_years(request.user).filter(federation=request.user.federation_id)
    return render(
        request,
        "finance/ledger_years.html",
        {
            "title": _("Huvudbok"),
            "fiscal_years": years,
            "can_import": has_capability(request.user, IMPORT_LEDGER),
        },
    )


@capability_required(IMPORT_LEDGER)
def import_file(request):
    """Upload a SIE file: a background job imports it; this page follows it (``?jobb=<id>``)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_sie(
            acting_user=request.user,
            upload=form.cleaned_data["file"],
            encoding=form.cleaned_data["encoding"],
            origin_url=reverse("finance:import"),
        )
        return redirect(f"{reverse('finance:import')}?{job_uploads.QUERY}={job.pk}")
    return render(
        request,
        "finance/import.html",
        {
            "title": _("Importera huvudbok (SIE)"),
            "form": form,
            "job": job_uploads.shown(request, SIE_KIND),
            "multipart": True,
        },
    )


@capability_required(VIEW_LEDGER)
def fiscal_year(request, year: int):
    fy = selectors.fiscal_year_get(request.user, request.user.federation_id, year)
    groups = selectors.trial_balance(fy)
    return render(
        request,
        "finance/ledger_year.html",
        {
            "title": _("Räkenskapsår %(year)s") % {"year": year},
            "fy": fy,
            "counts": selectors.year_counts(fy),
            "series": selectors.voucher_count_by_series(fy),
            "groups": groups,
            "result": -sum((g.closing for g in groups if g.number in selectors.RESULT_CLASSES), Decimal(0)),
        },
    )


@capability_required(VIEW_LEDGER)
def vouchers(request, year: int):
    fy = selectors.fiscal_year_get(request.user, request.user.federation_id, year)
    form = VoucherFilterForm(request.GET or None, series=selectors.voucher_series(fy))
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.vouchers(
        request.user,
        fy,
        account=(filters.get("konto") or "").strip(),
        series=filters.get("serie") or "",
        start=filters.get("fran"),
        end=filters.get("till"),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("sida"))
    rows = []
    for v in page.object_list:
        lines = list(v.transactions.all())
        debit = sum((t.amount for t in lines if t.amount > 0 and t.kind != "removed"), Decimal(0))
        rows.append((v, len(lines), debit))
    return render(
        request,
        "finance/ledger_vouchers.html",
        {
            "title": _("Verifikationer %(year)s") % {"year": year},
            "fy": fy,
            "filter_form": form,
            "page": page,
            "rows": rows,
            "account": (filters.get("konto") or "").strip(),
        },
    )


@capability_required(VIEW_LEDGER)
def voucher(request, pk: int):
    found = selectors.voucher_get(request.user, pk)
    rows = list(found.transactions.all())
    return render(
        request,
        "finance/ledger_voucher.html",
        {
            "title": _("Verifikation %(series)s %(number)s") % {"series": found.series, "number": found.number},
            "voucher": found,
            "fy": found.fiscal_year,
            "rows": rows,
            "total": sum((r.amount for r in rows if r.kind != "removed"), Decimal(0)),
        },
    )


urlpatterns = [
    path("huvudbok/", ledger, name="ledger"),
    path("huvudbok/importera/", import_file, name="import"),
    path("huvudbok/<int:year>/", fiscal_year, name="fiscal_year"),
    path("huvudbok/<int:year>/verifikationer/", vouchers, name="vouchers"),
    path("verifikationer/<int:pk>/", voucher, name="voucher"),
]
