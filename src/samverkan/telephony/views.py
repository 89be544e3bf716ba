"""Telephony pages: service level overview and report, imports, queues, staffing."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.core import charts, job_uploads
from samverkan.core.forms import add_service_errors
from samverkan.core.permissions import capability_required, has_capability
from samverkan.domain.errors import DomainError
from samverkan.domain.service_level import Convention
from samverkan.telephony import selectors, services, staffing, tasks, usecases
from samverkan.telephony.forms import ErlangForm, ImportForm, QueueForm, ReportForm, StaffingForm
from samverkan.telephony.models import ConventionChoice
from samverkan.telephony.policies import EDIT_QUEUE, IMPORT_CALLS, PLAN_STAFFING, VIEW_SERVICE_LEVEL


def _page(request, template: str, context: dict):
    """Render a telephony page; its sub-menu (telephony/_nav.html) links what the user may do."""
    user = request.user
    menu = {"can_import": has_capability(user, IMPORT_CALLS), "can_plan": has_capability(user, PLAN_STAFFING)}
    return render(request, template, {**menu, **context})


def _report_form(request):
    years = selectors.years_with_calls(request.user)
    form = ReportForm(request.GET or None, user=request.user, years=years)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = data.get("year") or (years[0] if years and not form.is_bound else None)
    return form, data, year, years


def _selection(user, queue, service):
    """(queue, queues, subject): a chosen queue wins over a chosen service; neither = all queues."""
    if queue is not None:
        return queue, None, str(queue)
    if service is not None:
        return None, list(selectors.queues_for(user).filter(service=service)), service.name
    return None, None, _("alla köer")


@capability_required(VIEW_SERVICE_LEVEL)
def overview(request):
    form, data, year, _years = _report_form(request)
    del form.fields["per"]  # the overview has fixed groupings; the report page chooses
    conv = Convention(data["convention"]) if data.get("convention") else None
    by_queue = selectors.service_level_report(request.user, per="queue", year=year, convention=conv)
    by_service = selectors.service_level_report(request.user, per="service", year=year, convention=conv)
    # charts: the chosen queue or service; by default the busiest service, which has one goal
    service = data.get("service")
    if not data.get("queue") and service is None and by_service.rows:
        busiest = max(by_service.rows, key=lambda r: r.stats.offered)
        service = form.fields["service"].queryset.filter(pk=busiest.key).first()
    queue, queues, subject = _selection(request.user, data.get("queue"), service)
    monthly = selectors.service_level_report(
        request.user, per="month", year=year, queue=queue, queues=queues, convention=conv
    )
    hourly = selectors.service_level_report(
        request.user, per="hour", year=year, queue=queue, queues=queues, convention=conv, compare_previous_year=False
    )
    sl_chart = _month_chart(monthly, subject)
    for row in monthly.rows:
        row.label = charts.month_label(int(row.key[5:7]))
    hour_chart = charts.bar_chart(
        [r.key for r in hourly.rows],
        [charts.Series(_("Inkomna samtal"), [r.stats.offered for r in hourly.rows])],
        title=_("Samtal per timme på dygnet, %(subject)s") % {"subject": subject},
        desc=_("Stapeldiagram över antal inkomna samtal per timme; samma siffror finns i tabellen under diagrammet."),
    )
    return _page(
        request,
        "telephony/overview.html",
        {
            "title": _("Telefoni och servicenivå"),
            "form": form,
            "year": year,
            "by_queue": by_queue,
            "by_service": by_service,
            "monthly": monthly,
            "hourly": hourly,
            "sl_chart": sl_chart,
            "hour_chart": hour_chart,
            "subject": subject,
        },
    )


def _month_chart(monthly: selectors.Report, subject: str):
    """Service level per month against the goal (a dashed line when the queues share one goal)."""
    goal = monthly.total.goal if monthly.total else None
    return charts.bar_chart(
        [charts.month_label(int(r.key[5:7])) for r in monthly.rows],
        [charts.Series(_("Servicenivå"), [r.service_level for r in monthly.rows])],
        title=_("Servicenivå per månad, %(subject)s") % {"subject": subject},
        desc=_(
            "Stapeldiagram över servicenivån per månad med målet som streckad linje; samma siffror finns i "
            "tabellen under diagrammet."
        ),
        fmt=charts.percent_1,
        tick_fmt=charts.percent,
        goal=goal,
        goal_label=_("Mål"),
        top=1.0,
    )


def _month_charts(user, year, queue, queues, subject, conv) -> list[dict]:
    """One chart per service (each has one goal) — or the chosen queue or service's — by month."""
    if queue is not None or queues is not None:
        subjects = [(subject, queue, queues)]
    else:
        by_service = selectors.service_level_report(user, per="service", year=year, compare_previous_year=False)
        visible = selectors.queues_for(user)
        subjects = [
            (row.label, None, list(visible.filter(service_id=int(row.key)))) for row in by_service.rows if row.key
        ]
    out = []
    for name, one, several in subjects:
        monthly = selectors.service_level_report(
            user, per="month", year=year, queue=one, queues=several, convention=conv
        )
        if monthly.rows:
            for row in monthly.rows:
                row.label = charts.month_label(int(row.key[5:7]))
            out.append({"subject": name, "chart": _month_chart(monthly, name), "report": monthly})
    return out


@capability_required(VIEW_SERVICE_LEVEL)
def report(request):
    """Service level per grouping; by default each queue is judged by its own rule, which the page
    lists per queue, so its figures are the overview's for the same year. Charts per month against
    the goal, transfers to the members' own units and three years side by side."""
    form, data, year, _years = _report_form(request)
    per = data.get("per") or "month"
    form.fields["per"].initial = per  # the select shows the grouping the page shows
    if form.is_bound:
        form.data = form.data.copy()
        form.data["per"] = per
    conv = Convention(data["convention"]) if data.get("convention") else None
    queue, queues, subject = _selection(request.user, data.get("queue"), data.get("service"))
    result = selectors.service_level_report(
        request.user, per=per, year=year, queue=queue, queues=queues, convention=conv
    )
    if per == "month":
        for row in result.rows:
            row.label = charts.month_label(int(row.key[5:7]))
    transfers, transfer_total = selectors.transfers_answered(request.user, year=year) if year else ([], None)
    return _page(
        request,
        "telephony/report.html",
        {
            "title": _("Servicenivå per %(per)s") % {"per": dict(form.fields["per"].choices)[per].lower()},
            "form": form,
            "report": result,
            "year": year,
            "subject": subject,
            "convention_label": ConventionChoice(result.convention.value).label if result.convention else None,
            "month_charts": _month_charts(request.user, year, queue, queues, subject, conv) if year else [],
            "transfers": transfers,
            "transfer_total": transfer_total,
            "history": selectors.three_years(request.user, year=year, queue=queue, queues=queues, convention=conv)
            if year
            else [],
        },
    )


@capability_required(IMPORT_CALLS)
def import_calls(request):
    """Upload a file: it is kept and imported by a background job whose progress (then result or
    error) this page shows (``?jobb=<id>``)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = tasks.start(
            acting_user=request.user,
            upload=data["file"],
            origin_url=reverse("telephony:import"),
            file_format=data["file_format"],
            skip_bad_lines=data["skip_bad_lines"],
            csv_columns=data["csv_columns"],
            csv_delimiter=data["csv_delimiter"],
        )
        return redirect(f"{reverse('telephony:import')}?{job_uploads.QUERY}={job.pk}")
    return _page(
        request,
        "telephony/import.html",
        {
            "title": _("Importera samtal"),
            "form": form,
            "job": job_uploads.shown(request, tasks.KIND),
            "batches": selectors.batches_for(request.user)[:50],
        },
    )


@capability_required(IMPORT_CALLS)
def import_calls_csv(request, pk: int):
    """Every call one import added, as CSV (the archive, readable in Excel)."""
    file, name = selectors.calls_csv(request.user, selectors.batch_get(request.user, pk))
    return FileResponse(file, as_attachment=True, filename=name, content_type="text/csv; charset=utf-8")


@capability_required(VIEW_SERVICE_LEVEL)
def queue_list(request):
    return _page(
        request,
        "telephony/queue_list.html",
        {
            "title": _("Köer"),
            "queues": selectors.queues_for(request.user),
            "can_edit": has_capability(request.user, EDIT_QUEUE),
        },
    )


@capability_required(EDIT_QUEUE)
def queue_edit(request, pk):
    queue = selectors.queue_get(request.user, pk)
    form = QueueForm(request.POST or None, instance=queue, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.queue_update(acting_user=request.user, queue=selectors.queue_get(request.user, pk), data=changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kön sparades."))
            return redirect("telephony:queue-list")
    return render(
        request,
        "core/form.html",
        {
            "title": _("Ändra kö %(name)s") % {"name": queue},
            "form": form,
            "cancel_url": reverse("telephony:queue-list"),
        },
    )


@capability_required(PLAN_STAFFING)
def staffing_page(request):
    erlang_form = ErlangForm(request.GET if "calls" in request.GET else None)
    erlang = None
    if erlang_form.is_bound and erlang_form.is_valid():
        d = erlang_form.cleaned_data
        try:
            erlang = usecases.staffing_for_interval(
                calls=d["calls"],
                interval_seconds=d["interval"],
                aht_seconds=d["aht"],
                target=d["target"],
                within_seconds=d["within"],
                shrinkage=d["shrinkage"],
                max_occupancy=d["max_occupancy"],
                patience_seconds=d.get("patience"),
            )
        except DomainError as exc:
            erlang_form.add_error(None, _("Kan inte beräknas: %(reason)s") % {"reason": exc})
    queues = selectors.queues_for(request.user)
    plan_form = StaffingForm(request.GET if "plan-queue" in request.GET else None, user=request.user, prefix="plan")
    day_plan = None
    if plan_form.is_bound and plan_form.is_valid():
        d = plan_form.cleaned_data
        try:
            day_plan = staffing.day_plan(
                request.user, d["queue"], d["day"], target=d["target"], shrinkage=d["shrinkage"]
            )
        except DomainError as exc:
            plan_form.add_error(None, _("Kan inte planeras: %(reason)s") % {"reason": exc})
    elif not plan_form.is_bound:
        first = queues.annotate(n=Sum("archives__calls")).order_by("-n").first()  # the busiest queue
        day = selectors.busiest_recent_day(request.user, first) if first else None
        if first and day:
            plan_form = StaffingForm(
                user=request.user,
                initial={"queue": first, "day": day, "target": Decimal("0.9"), "shrinkage": Decimal("0.3")},
                prefix="plan",
            )
            day_plan = staffing.day_plan(request.user, first, day, target=Decimal("0.9"), shrinkage=Decimal("0.3"))
    context = {
        "title": _("Bemanning"),
        "erlang_form": erlang_form,
        "erlang": erlang,
        "plan_form": plan_form,
        "day_plan": day_plan,
    }
    if day_plan:
        coverage = day_plan.plan.coverage if day_plan.plan else [0] * len(day_plan.hours)
        context["day_rows"] = list(
            zip(
                day_plan.hours,
                day_plan.forecast,
                day_plan.actual,
                day_plan.agents,
                day_plan.scheduled,
                coverage,
                strict=True,
            )
        )
        first_hour = staffing.OPEN_HOUR
        context["shifts"] = [
            {
                "name": s.name,
                "start": f"{first_hour + s.start:02d}:00",
                "end": f"{first_hour + s.start + s.length:02d}:00",
                "lunch": f"{first_hour + s.break_start:02d}:00" if s.break_start is not None else "",
                "count": s.count,
            }
            for s in (day_plan.plan.shifts if day_plan.plan else [])
        ]
        context["forecast_chart"] = charts.bar_chart(
            day_plan.hours,
            [charts.Series(_("Prognos"), day_plan.forecast), charts.Series(_("Utfall"), day_plan.actual)],
            title=_("Prognos och utfall per timme %(day)s") % {"day": day_plan.day},
            desc=_(
                "Stapeldiagram som jämför prognostiserade och faktiska samtal per timme; siffrorna finns i tabellen."
            ),
        )
        if day_plan.plan:
            context["coverage_chart"] = charts.bar_chart(
                day_plan.hours,
                [
                    charts.Series(_("Behov (med frånvaro)"), day_plan.scheduled),
                    charts.Series(_("Bemannat enligt schema"), day_plan.plan.coverage, kind="line"),
                ],
                title=_("Schemats täckning per timme"),
                desc=_(
                    "Staplar visar hur många agenter som behövs per timme, linjen hur många schemat ger; "
                    "siffrorna finns i tabellen."
                ),
            )
    return _page(request, "telephony/staffing.html", context)
