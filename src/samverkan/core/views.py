from io import BytesIO

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from samverkan.core import audit_display, jobs, selectors
from samverkan.core.forms import LoginForm
from samverkan.core.permissions import capability_required
from samverkan.core.policies import FOLLOW_JOBS, VIEW_AUDIT_LOG


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


AUDIT_PAGE_SIZE = 50
AUDIT_XLSX_LIMIT = 20_000  # a year of a federation's changes; narrow the filter for more
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(text: str):
    try:
        return parse_date(text.strip()) if text else None
    except ValueError:
        return None


@capability_required(VIEW_AUDIT_LOG)
def audit_log(request):
    """The audit trail as sentences, filtered by date range, user, object type and action."""
    since, until = _day(request.GET.get("fran", "")), _day(request.GET.get("till", ""))
    scoped = selectors.audit_events(user=request.user)
    events = selectors.audit_events(
        user=request.user,
        object_type=request.GET.get("typ", ""),
        actor=request.GET.get("anvandare", ""),
        action=request.GET.get("handelse", ""),
        since=since,
        until=until,
    )
    if request.GET.get("format") == "xlsx":
        return _audit_xlsx(events[:AUDIT_XLSX_LIMIT])
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("sida"))
    types = audit_display.type_choices(scoped.order_by().values_list("object_type", flat=True).distinct())
    actors = sorted(set(scoped.order_by().values_list("actor_repr", flat=True).distinct()) - {""})
    query = request.GET.copy()
    query.pop("sida", None)
    query["format"] = "xlsx"
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
            "xlsx_query": query.urlencode(),
        },
    )


def _audit_xlsx(events) -> HttpResponse:
    """The filtered rows with real dates (Excel sorts and filters them), the same sentences as the page."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Granskningslogg")))
    sheet.append(
        [str(head) for head in (_("Tid"), _("Användare"), _("Händelse"), _("Objekttyp"), _("Objekt"), _("Ändringar"))]
    )
    for entry in audit_display.describe_events(events):
        moment = WriteOnlyCell(sheet, value=timezone.localtime(entry.moment).replace(tzinfo=None))
        moment.number_format = "yyyy-mm-dd hh:mm"
        sheet.append([moment, entry.actor, entry.action, entry.object_type, entry.object, "; ".join(entry.changes)])
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="granskningslogg.xlsx"'
    return response


@capability_required(FOLLOW_JOBS)
def job_detail(request, pk: int):
    """A background job's progress page; htmx polls it for the state alone and stops (HTTP 286)
    once the job has finished."""
    job = get_object_or_404(selectors.jobs_for(request.user), pk=pk)
    job = jobs.give_up(job) if jobs.is_stale(job) else jobs.current(job)
    if request.htmx:
        response = render(request, "core/_job_state.html", {"job": job})
        if job.finished:
            response.status_code = 286
        return response
    return render(request, "core/job.html", {"job": job, "title": job.label})
