"""The ticket lists: my tickets, the organisation's tickets, the desk's queue and their CSV export.

Thin: parse, read through the selectors, render.
"""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.permissions import capability_required, has_capability
from samverkan.portal import forms, selectors
from samverkan.portal.models import Status, Ticket
from samverkan.portal.policies import VIEW_TICKETS, WORK_DESK
from samverkan.portal.sla import SlaContext

PAGE_SIZE = 50
MAX_PAGE = 100_000


class SlicePage:
    """A page without COUNT(*): fetch one row more than shown to know if there is a next page.

    Counting a department's or the federation's tickets costs a scan of all of them, which on
    a million tickets dominates the page; queues are read from the top anyway.
    """

    def __init__(self, queryset, number: str | None, size: int = PAGE_SIZE):
        try:
            # Bounded: a huge page number would overflow the database's OFFSET.
            self.number = min(max(1, int(number or 1)), MAX_PAGE)
        except ValueError:
            self.number = 1
        start = (self.number - 1) * size
        rows = list(queryset[start : start + size + 1])
        self.object_list = rows[:size]
        self._has_next = len(rows) > size

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _badge(state) -> dict:
    """Label and CSS class of a list row's SLA badge, computed here so the row template stays cheap."""
    if state.paused:
        return {"css": "", "label": _("Pausad"), "due_at": state.due_at}
    if state.badge in ("bad", "warn"):
        label = _("SLA överskriden") if state.badge == "bad" else _("SLA varning")
        return {"css": state.badge, "label": label, "due_at": state.due_at}
    return {"css": "ok", "label": _("Inom SLA") if state.running else _("SLA uppfylld"), "due_at": state.due_at}


def _with_sla(tickets) -> list[tuple[Ticket, dict]]:
    context, now = SlaContext(), timezone.now()
    return [(ticket, _badge(context.list_state(ticket, now))) for ticket in tickets]


def _local(moment) -> str:
    """Same text as the template filter ``date:"Y-m-d H:i"`` (local time), without the filter's cost."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _list_rows(tickets) -> list[dict]:
    """Everything a list row shows, as plain strings (escaped by the template as usual).

    A page is 50 rows × 11 cells; resolving attributes, choice labels, localized numbers
    and dates in the template costs more than the query, so it is done once here. Ids are
    plain digits (not localized "1 000"), as links and form values need.
    """
    statuses = {value: str(label) for value, label in Status.choices}
    rows = []
    for ticket, sla in _with_sla(tickets):
        organisation = ticket.member_name
        if ticket.department_name:
            organisation = f"{organisation} / {ticket.department_name}"
        rows.append(
            {
                "id": str(ticket.pk),
                "reference": ticket.reference,
                "title": ticket.title,
                "status": statuses.get(ticket.status, ticket.status),
                "priority": str(ticket.priority),
                "team": ticket.team.name,
                "organisation": organisation,
                "assignee": ticket.assignee_username or "–",
                "created": _local(ticket.created_at),
                "due": _local(sla["due_at"]) or "–",
                "sla_css": sla["css"],
                "sla_label": sla["label"],
            }
        )
    return rows


def _filter_controls(form, teams: list) -> list[dict]:
    """The filter form as plain data for a hand-written template loop.

    Rendering ~35 widgets and options through Django's per-widget templates costs more than
    the whole ticket query; this gives the same controls (names, ids, labels, chosen values,
    aria-invalid on errors) at a fraction of the cost.
    """
    controls = []
    for field in form:
        widget = field.field.widget
        control = {
            "name": field.html_name,
            "id": field.id_for_label,
            "label": field.label,
            "invalid": bool(field.errors),
        }
        value = field.value()
        if getattr(widget, "input_type", None) == "checkbox":
            control.update(kind="checkbox", checked=bool(value))
        elif hasattr(field.field, "choices"):
            if hasattr(field.field, "queryset"):  # the team choice: teams already fetched for the page
                choices = [("", field.field.empty_label or "")] + [(team.pk, str(team)) for team in teams]
            else:
                choices = field.field.choices
            chosen = "" if value is None else str(value)
            control.update(
                kind="select",
                options=[{"value": str(v), "label": label, "selected": str(v) == chosen} for v, label in choices],
            )
        else:
            control.update(kind="text", type=getattr(widget, "input_type", "text"), value=value or "")
        controls.append(control)
    return controls


@capability_required(VIEW_TICKETS)
def home(request):
    return redirect("portal:desk" if has_capability(request.user, WORK_DESK) else "portal:my-tickets")


def _ticket_list(request, *, mine: bool, title: str, template: str):
    filter_form = forms.FilterForm(request.GET or None, user=request.user)
    tickets = selectors.ticket_list_rows(request.user, filters=filter_form.filters(), mine=mine)
    page = SlicePage(tickets, request.GET.get("sida"))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "sida"])
    desk_user = has_capability(request.user, WORK_DESK)
    teams = list(selectors.teams_for(request.user)) if desk_user else []
    return render(
        request,
        template,
        {
            "title": title,
            "page": page,
            "rows": _list_rows(page.object_list),
            "filter_controls": _filter_controls(filter_form, teams),
            "mine": mine,
            "desk": desk_user,
            "query": query,
            "saved_views": selectors.saved_views_for(request.user) if desk_user else (),
            "statuses": Status.choices,
            "teams": teams,
            "select_label": _("Välj"),
            # One reverse() instead of one per row: …/arenden/<pk>/.
            "detail_prefix": reverse("portal:ticket-detail", args=[0])[:-2],
        },
    )


@capability_required(VIEW_TICKETS)
def my_tickets(request):
    return _ticket_list(request, mine=True, title=_("Mina ärenden"), template="portal/ticket_list.html")


@capability_required(VIEW_TICKETS)
def ticket_list(request):
    title = _("Ärendekö") if has_capability(request.user, WORK_DESK) else _("Ärenden för min organisation")
    return _ticket_list(request, mine=False, title=title, template="portal/ticket_list.html")


@capability_required(WORK_DESK)
def desk(request):
    if not request.GET:
        return redirect(f"{request.path}?status=open")
    return _ticket_list(request, mine=False, title=_("Ärendekö"), template="portal/ticket_list.html")


@capability_required(VIEW_TICKETS)
def ticket_export(request):
    """CSV of the list the user sees: public fields only, whatever the role."""
    filter_form = forms.FilterForm(request.GET or None, user=request.user)
    tickets = selectors.ticket_list(request.user, filters=filter_form.filters())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="arenden.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Ärende"),
            _("Rubrik"),
            _("Status"),
            _("Prioritet"),
            _("Kanal"),
            _("Typ"),
            _("Team"),
            _("Medlem"),
            _("Förvaltning"),
            _("Skapad"),
            _("Löst"),
        ]
    )
    for t in tickets.iterator(chunk_size=2000):
        writer.writerow(
            [
                t.pk,
                t.title,
                t.get_status_display(),
                t.priority,
                t.get_channel_display(),
                t.get_type_display(),
                t.team.name,
                t.member.name,
                t.department.name if t.department else "",
                timezone.localtime(t.created_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(t.resolved_at).strftime("%Y-%m-%d %H:%M") if t.resolved_at else "",
            ]
        )
    return response
