from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from samverkan.core import audit_display, jobs, listing, selectors
from samverkan.core.forms import LoginForm
from samverkan.core.permissions import capability_required
from samverkan.core.policies import FOLLOW_JOBS, VIEW_AUDIT_LOG


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


AUDIT_PAGE_SIZE = 50


@capability_required(VIEW_AUDIT_LOG)
def audit_log(request):
    """The audit trail as sentences, filtered by date range, user, object type and action."""
    period = listing.period_from(request)
    since, until = period.start, period.end
    scoped = selectors.audit_events(user=request.user)
    events = selectors.audit_events(
        user=request.user,
        object_type=request.GET.get("typ", ""),
        actor=request.GET.get("anvandare", ""),
        action=request.GET.get("handelse", ""),
        since=since,
        until=until,
    )
    sorting = listing.Sorting(
        request,
        [
            listing.SortColumn("tid", _("Tid"), ("at",)),
            listing.SortColumn("anvandare", _("Användare"), ("actor_repr", "at")),
            listing.SortColumn("handelse", _("Händelse"), ("action", "object_type", "at")),
        ],
        "-tid",
    )
    events = events.order_by(*sorting.order_by())
    if listing.wants_xlsx(request):
        return _audit_xlsx(request, events)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("sida"))
    types = audit_display.type_choices(scoped.order_by().values_list("object_type", flat=True).distinct())
    actors = sorted(set(scoped.order_by().values_list("actor_repr", flat=True).distinct()) - {""})
    return render(
        request,
        "core/audit_log.html",
        {
            "page": page,
            "entries": audit_display.describe_events(page.object_list),
            "title": _("Granskningslogg"),
            "types": types,
            "actors": actors,
            "actions": audit_display.action_choices(scoped.order_by().values_list("action", flat=True).distinct()),
            "since": since,
            "until": until,
            "xlsx_query": listing.xlsx_query(request),
            "sorting": sorting,
        },
    )


def _audit_xlsx(request, events) -> HttpResponse:
    """The filtered rows with real dates (Excel sorts and filters them), the same sentences as the page."""
    columns = [
        listing.XlsxColumn(_("Tid"), "datetime", 17),
        listing.XlsxColumn(_("Användare"), width=18),
        listing.XlsxColumn(_("Händelse"), width=18),
        listing.XlsxColumn(_("Objekttyp"), width=18),
        listing.XlsxColumn(_("Objekt"), width=30),
        listing.XlsxColumn(_("Ändringar"), width=60),
    ]
    return listing.xlsx_export(
        request,
        events,
        title=str(_("Granskningslogg")),
        filename="granskningslogg.xlsx",
        columns=columns,
        rows=lambda found: (
            (entry.moment, entry.actor, entry.action, entry.object_type, entry.object, "; ".join(entry.changes))
            for entry in audit_display.describe_events(found)
        ),
    )


@capability_required(FOLLOW_JOBS)
def job_detail(request, pk: int):
    """A background job's progress page; htmx polls it for the state alone and stops (HTTP 286)
    once the job has finished."""
    job = get_object_or_404(selectors.jobs_for(request.user), pk=pk)
    job = jobs.give_up(job) if jobs.is_stale(job) else jobs.current(job)
    if request.htmx:  # the page that polls: no link to itself when the job is done
        here = request.htmx.current_url_abs_path or request.path
        response = render(request, "core/_job_state.html", {"job": job, "here": here})
        if job.finished:
            response.status_code = 286
        return response
    return render(request, "core/job.html", {"job": job, "title": job.label})
