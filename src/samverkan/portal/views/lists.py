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
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from samverkan.core.permissions import capability_required, has_capability
from samverkan.portal import forms, selectors
from samverkan.portal.models import Status
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


def _badges() -> dict[str, tuple[str, str]]:
    """(CSS class, label) of each SLA badge a row can show, translated once per page."""
    return {
        "paused": ("", _("Pausad")),
        "bad": ("bad", _("SLA överskriden")),
        "warn": ("warn", _("SLA varning")),
        "running": ("ok", _("Inom SLA")),
        "met": ("ok", _("SLA uppfylld")),
    }


def _badge_key(state) -> str:
    if state.paused:
        return "paused"
    if state.badge in ("bad", "warn"):
        return state.badge
    return "running" if state.running else "met"


def _local(moment) -> str:
    """Same text as the template filter ``date:"Y-m-d H:i"`` (local time), without the filter's cost."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _list_rows(tickets) -> list[dict]:
    """Everything a list row shows, as plain strings (escaped when _rows_html formats them).

    A page is 50 rows × 11 cells; resolving attributes, choice labels, localized numbers
    and dates in the template costs more than the query, so it is done once here. Ids are
    plain digits (not localized "1 000"), as links and form values need.
    """
    statuses = {value: str(label) for value, label in Status.choices}
    badges, context, now = _badges(), SlaContext(), timezone.now()
    pauses = selectors.ended_pauses([ticket.pk for ticket in tickets]) if tickets else {}
    rows = []
    for ticket in tickets:
        sla = context.list_state(ticket, now, pauses.get(ticket.pk, []))
        sla_css, sla_label = badges[_badge_key(sla)]
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
                "due": _local(sla.due_at) or "–",
                "sla_css": sla_css,
                "sla_label": sla_label,
            }
        )
    return rows


# One table row as the template would render it (every value escaped). 50 rows × 11 cells
# through the template engine cost more than the rest of the page's rendering together.
ROW = (
    '<tr>{select}<td><a href="{prefix}{id}/">{reference}</a></td><td>{title}</td><td>{status}</td>'
    '<td class="num">{priority}</td><td>{team}</td><td>{organisation}</td>{assignee}'
    '<td>{created}</td><td>{due}</td><td><span class="badge {sla_css}">{sla_label}</span></td></tr>\n'
)
SELECT = '<td><input type="checkbox" name="ticket" value="{id}" id="sel-{id}" aria-label="{label} {reference}"></td>'


def _rows_html(rows: list[dict], *, desk: bool, detail_prefix: str) -> str:
    """The table body's rows, with a selection box and the assignee for the desk."""
    label = escape(_("Välj"))
    html = []
    for row in rows:
        cells = {key: escape(value) for key, value in row.items()}
        html.append(
            ROW.format(
                select=SELECT.format(label=label, **cells) if desk else "",
                prefix=detail_prefix,
                assignee=f"<td>{cells['assignee']}</td>" if desk else "",
                **{key: value for key, value in cells.items() if key != "assignee"},
            )
        )
    return mark_safe("".join(html))  # built from escaped values only


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
    rows = _list_rows(page.object_list)
    # One reverse() instead of one per row: …/arenden/<pk>/.
    detail_prefix = reverse("portal:ticket-detail", args=[0])[:-2]
    return render(
        request,
        template,
        {
            "title": title,
            "page": page,
            "rows": rows,
            "rows_html": _rows_html(rows, desk=desk_user, detail_prefix=detail_prefix),
            "filter_controls": _filter_controls(filter_form, teams),
            "mine": mine,
            "desk": desk_user,
            "query": query,
            "saved_views": selectors.saved_views_for(request.user) if desk_user else (),
            "statuses": Status.choices,
            "teams": teams,
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
