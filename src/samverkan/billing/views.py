"""Billing pages: runs (preview → approve → issue), invoices, credit notes, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.billing import selectors, services, usecases
from samverkan.billing.exporters import adapters
from samverkan.billing.forms import (
    CreditForm,
    FrequencyRuleForm,
    ManualLineForm,
    MemberSettingForm,
    ProfileForm,
    RunForm,
)
from samverkan.billing.models import DocumentKind, RunStatus
from samverkan.billing.policies import (
    APPROVE_RUN,
    CREATE_RUN,
    CREDIT_INVOICE,
    EXPORT_LEDGER,
    ISSUE_INVOICE,
    MANAGE_MANUAL_LINES,
    MANAGE_SETTINGS,
    VIEW_INVOICES,
    VIEW_RUNS,
)
from samverkan.core import jobs, listing
from samverkan.core.forms import add_error_messages, add_service_errors
from samverkan.core.permissions import capability_required, has_capability
from samverkan.members.selectors import member_from_query, members_for


@capability_required(VIEW_RUNS)
def run_list(request):
    federation = request.user.federation
    initial = {"timing": selectors.profile_for(federation).timing} if federation else {}
    form = RunForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:  # the dates are checked at once; the run itself is made in the background
            job = usecases.start_run_create(
                acting_user=request.user,
                federation=request.user.federation,
                origin_url=request.get_full_path(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(jobs.page_url(job))
    page = Paginator(selectors.runs_for(request.user), 25).get_page(request.GET.get("sida"))
    return render(
        request,
        "billing/run_list.html",
        {"form": form, "page": page, "runs": page.object_list, "title": _("Fakturering")},
    )


@capability_required(VIEW_RUNS)
def run_detail(request, pk):
    run = selectors.run_get(request.user, pk)
    invoices = run.invoices.select_related("member").order_by("number", "member__name", "invoice_reference")
    return render(
        request,
        "billing/run_detail.html",
        {
            "run": run,
            "title": run.display_name,
            "comparison": selectors.run_comparison(run),
            "invoices": invoices,
            "reconciliation": usecases.run_reconciliation(run) if run.status == RunStatus.ISSUED else None,
            "warnings": [w for w in run.note.splitlines() if w],
            "line_count": run.lines.count(),
            "frequencies": selectors.run_frequencies(run),
            "jobs": usecases.run_jobs(user=request.user, run=run) if run.status != RunStatus.ISSUED else [],
            "verdicts": usecases.run_verdicts(run) if run.status != RunStatus.ISSUED else None,
            "outcome": selectors.run_outcome(run) if run.status != RunStatus.ISSUED else None,
        },
    )


@require_POST
@capability_required(VIEW_RUNS)
def run_action(request, pk, action):
    """Approve, issue, check or discard: each service requires its own capability (403 without it).
    Issuing and checking run in the background; the run's page shows their progress and outcome."""
    run = selectors.run_get(request.user, pk)
    if action in ("godkann", "utfarda"):  # both need the box ticked that names what will happen
        if not has_capability(request.user, APPROVE_RUN if action == "godkann" else ISSUE_INVOICE, obj=run):
            raise PermissionDenied
        if not request.POST.get("bekraftat"):
            messages.error(request, _("Bekräfta först genom att kryssa i rutan."))
            return redirect("billing:run-detail", pk=pk)
    if action in ("utfarda", "kontrollera"):
        if not has_capability(request.user, ISSUE_INVOICE if action == "utfarda" else CREATE_RUN, obj=run):
            raise PermissionDenied
        if action == "utfarda":
            try:  # four eyes: said at once here; the service checks it again when the job runs
                services.require_second_person(
                    profile=selectors.profile_for(run.federation), run=run, issuer=request.user
                )
            except ValidationError as exc:
                add_error_messages(request, exc)
                return redirect("billing:run-detail", pk=pk)
        start = usecases.start_run_issue if action == "utfarda" else usecases.start_run_validation
        start(acting_user=request.user, run=run)
        return redirect("billing:run-detail", pk=pk)
    steps = {
        "godkann": (services.invoice_run_approve, _("Körningen är godkänd.")),
        "ta-bort": (services.invoice_run_discard, _("Förhandsgranskningen är borttagen.")),
    }
    if action not in steps:
        raise Http404
    call, done = steps[action]
    try:
        call(acting_user=request.user, run=run)
    except ValidationError as exc:
        add_error_messages(request, exc)
        return redirect("billing:run-detail", pk=pk)
    messages.success(request, done)
    return redirect("billing:run-list") if action == "ta-bort" else redirect("billing:run-detail", pk=pk)


@capability_required(EXPORT_LEDGER)
def run_sie(request, pk):
    run = selectors.run_get(request.user, pk)
    if run.status != RunStatus.ISSUED:
        raise Http404
    return adapters.run_sie_download(run).response()


@capability_required(EXPORT_LEDGER)
def run_xlsx(request, pk):
    run = selectors.run_get(request.user, pk)
    return adapters.run_xlsx_download(run).response()


def _invoice_sorting(request) -> listing.Sorting:
    return listing.Sorting(
        request,
        [
            listing.SortColumn("nummer", _("Nummer"), ("number",)),
            listing.SortColumn("medlem", _("Medlem"), ("member__name",)),
            listing.SortColumn("datum", _("Fakturadatum"), ("issue_date", "number")),
            listing.SortColumn("netto", _("Netto"), ("net",)),
            listing.SortColumn("moms", _("Moms"), ("vat",)),
            listing.SortColumn("belopp", _("Att betala"), ("total",)),
        ],
        default="-datum",
    )


def _invoice_xlsx(request, invoices, title: str, credit_notes: bool):
    columns = [
        listing.XlsxColumn(_("Nummer"), width=12),
        listing.XlsxColumn(_("Medlem"), width=24),
        listing.XlsxColumn(_("Fakturareferens"), width=20),
        listing.XlsxColumn(_("Fakturadatum"), "date", 12),
        listing.XlsxColumn(_("Förfallodatum"), "date", 12),
        listing.XlsxColumn(_("Netto"), "money"),
        listing.XlsxColumn(_("Moms"), "money"),
        listing.XlsxColumn(_("Att kreditera") if credit_notes else _("Att betala"), "money"),
    ]
    return listing.xlsx_export(
        request,
        invoices,
        title=title,
        filename="kreditfakturor.xlsx" if credit_notes else "fakturor.xlsx",
        columns=columns,
        rows=lambda found: (
            (
                i.number or _("utkast"),
                i.member.name,
                i.invoice_reference,
                i.issue_date,
                i.due_date,
                i.net,
                i.vat,
                i.total,
            )
            for i in found
        ),
    )


@capability_required(VIEW_INVOICES)
def invoice_list(request, credit_notes=False):
    """Invoices (or credit notes) filtered by member, period and dates, sortable, with count and
    sums of the whole selection, and the same selection as XLSX."""
    kind = DocumentKind.CREDIT_NOTE if credit_notes else DocumentKind.INVOICE
    invoices = selectors.invoices_for(request.user).filter(kind=kind)
    member = member_from_query(request.user, request.GET.get("medlem"))  # 404 for a member not the user's
    if member is not None:
        invoices = invoices.filter(member=member)
    if request.GET.get("period"):
        from samverkan.domain.periods import parse_period

        try:
            period = parse_period(request.GET["period"])
            invoices = invoices.filter(period_start__gte=period.start, period_end__lte=period.end)
        except ValueError:
            messages.error(request, _("Okänd period."))
    dates = listing.period_from(request)
    invoices = dates.filter(invoices, "issue_date")
    sorting = _invoice_sorting(request)
    invoices = invoices.order_by(*sorting.order_by())
    title = _("Kreditfakturor") if credit_notes else _("Fakturor")
    if listing.wants_xlsx(request):
        return _invoice_xlsx(request, invoices, title, credit_notes)
    totals = invoices.aggregate(count=Count("pk"), net=Sum("net"), vat=Sum("vat"), total=Sum("total"))
    paginator = Paginator(invoices, 50)
    paginator.count = totals["count"]  # known already: no second COUNT(*)
    page = paginator.get_page(request.GET.get("sida"))
    return render(
        request,
        "billing/invoice_list.html",
        {
            "page": page,
            "invoices": page.object_list,
            "credit_notes": credit_notes,
            "member": member,
            "members": members_for(request.user).order_by("name"),
            "dates": dates,
            "sorting": sorting,
            "totals": totals,
            "xlsx_query": listing.xlsx_query(request),
            "title": title,
        },
    )


@capability_required(VIEW_INVOICES)
def invoice_detail(request, pk):
    invoice = selectors.invoice_get(request.user, pk)
    lines = selectors.invoice_lines(invoice)
    can_credit = (
        invoice.issued and not invoice.is_credit_note and has_capability(request.user, CREDIT_INVOICE, obj=invoice)
    )
    form = CreditForm(request.POST or None, lines=lines) if can_credit else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            note = services.credit_note_create(
                acting_user=request.user,
                invoice=invoice,
                quantities=form.quantities(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kreditfaktura %(number)s är utfärdad.") % {"number": note.number})
            return redirect("billing:invoice-detail", pk=note.pk)
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": lines,
            "form": form,
            "buyer_reference": adapters.buyer_reference(invoice),
            "credit_notes": invoice.credit_notes.all(),
            "title": (_("Kreditfaktura") if invoice.is_credit_note else _("Faktura"))
            + f" {invoice.number or _('(utkast)')}",
        },
    )


@capability_required(VIEW_INVOICES)
def invoice_pdf(request, pk):
    invoice = selectors.invoice_get(request.user, pk)
    return adapters.invoice_pdf_download(invoice).response()


@capability_required(VIEW_INVOICES)
def invoice_peppol(request, pk):
    invoice = selectors.invoice_get(request.user, pk)
    if not invoice.issued:
        raise Http404
    return adapters.invoice_peppol_download(invoice).response()


@capability_required(MANAGE_SETTINGS)
def settings_page(request):
    """Ledger accounts and series for the federation; per member: one invoice per reference or not."""
    federation = request.user.federation
    profile = selectors.profile_for(federation)
    form = ProfileForm(request.POST or None, instance=profile, prefix="profil")
    if request.method == "POST" and "profil-payment_days" in request.POST and form.is_valid():
        try:
            services.billing_profile_update(acting_user=request.user, federation=federation, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Inställningarna har sparats."))
            return redirect("billing:settings")
    members = []
    for member in federation.members.order_by("name"):
        setting = getattr(member, "billing_setting", None)
        members.append(
            (
                member,
                MemberSettingForm(
                    prefix=f"m{member.pk}",
                    initial={
                        "per_reference": setting.per_reference if setting else False,
                        "buyer_reference": setting.buyer_reference if setting else "",
                    },
                ),
            )
        )
    return render(
        request, "billing/settings.html", {"form": form, "members": members, "title": _("Faktureringsinställningar")}
    )


@require_POST
@capability_required(MANAGE_SETTINGS)
def member_setting(request, member_pk):
    from samverkan.members.selectors import member_get

    member = member_get(request.user, member_pk)
    form = MemberSettingForm(request.POST, prefix=f"m{member.pk}")
    if form.is_valid():
        services.member_billing_setting_update(acting_user=request.user, member=member, **form.cleaned_data)
        messages.success(request, _("Inställningen för %(member)s har sparats.") % {"member": member})
    else:
        messages.error(request, _("Kontrollera uppgifterna."))
    return redirect("billing:settings")


@capability_required(MANAGE_SETTINGS)
def frequency_page(request):
    """How often each service or activity is invoiced; the rest follow the default in the settings."""
    federation = request.user.federation
    form = FrequencyRuleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.frequency_rule_set(acting_user=request.user, federation=federation, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Faktureringsfrekvensen har sparats."))
            return redirect("billing:frequencies")
    profile = selectors.profile_for(federation) if federation else None
    return render(
        request,
        "billing/frequencies.html",
        {
            "form": form,
            "rules": selectors.frequency_rules_for(request.user),
            "profile": profile,
            "title": _("Faktureringsfrekvens"),
        },
    )


@require_POST
@capability_required(MANAGE_SETTINGS)
def frequency_delete(request, pk):
    rule = get_object_or_404(selectors.frequency_rules_for(request.user), pk=pk)
    services.frequency_rule_delete(acting_user=request.user, rule=rule)
    messages.success(request, _("Regeln är borttagen; förvalet gäller."))
    return redirect("billing:frequencies")


@capability_required(VIEW_RUNS)
def manual_line_list(request):
    lines = selectors.manual_lines_for(request.user)
    status = request.GET.get("status")
    if status:
        lines = lines.filter(status=status)
    page = Paginator(lines, 50).get_page(request.GET.get("sida"))
    return render(
        request,
        "billing/manual_lines.html",
        {"page": page, "lines": page.object_list, "title": _("Manuella fakturarader")},
    )


@capability_required(MANAGE_MANUAL_LINES)
def manual_line_create(request):
    form = ManualLineForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.manual_line_create(
                acting_user=request.user, federation=request.user.federation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Raden är inlagd och väntar på attest av någon annan."))
            return redirect("billing:manual-lines")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Ny manuell fakturarad"),
            "intro": _(
                "Raden faktureras av nästa körning för dess period, när en annan ekonom eller administratör "
                "har attesterat den."
            ),
            "cancel_url": reverse("billing:manual-lines"),
        },
    )


@require_POST
@capability_required(VIEW_RUNS)
def manual_line_action(request, pk, action):
    """Approve or withdraw: each service requires its own capability (403 without it)."""
    line = selectors.manual_line_get(request.user, pk)
    steps = {
        "attestera": (services.manual_line_approve, _("Raden är attesterad.")),
        "aterkalla": (services.manual_line_withdraw, _("Raden är återkallad.")),
    }
    if action not in steps:
        raise Http404
    call, done = steps[action]
    try:
        call(acting_user=request.user, line=line)
    except ValidationError as exc:
        add_error_messages(request, exc)
    else:
        messages.success(request, done)
    return redirect("billing:manual-lines")
