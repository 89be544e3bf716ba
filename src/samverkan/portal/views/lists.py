"""The ticket lists: my tickets, the organisation's tickets, the desk's queue and their CSV export.

Thin: parse, read through the selectors, render.
"""

from __future__ import annotations

import csv
import html
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from samverkan.core import listing
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


def _local(moment, zone) -> str:
    """Same text as the template filter ``date:"Y-m-d H:i"`` (local time), without the filter's cost.

    ``zone`` is the current time zone, looked up once per page: timezone.localtime() looks it
    up and checks the value on each of a page's 100 dates, three times the cost of converting."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def _list_rows(page_rows: list[tuple]) -> list[dict]:
    """Everything a list row shows, as plain strings (escaped when _rows_html formats them).

    A page is 50 rows × 11 cells; resolving attributes, choice labels, localized numbers
    and dates in the template costs more than the query, so it is done once here. Ids are
    plain digits (not localized "1 000"), as links and form values need.
    """
    statuses = {value: str(label) for value, label in Status.choices}
    badges, now = _badges(), timezone.now()
    zone = timezone.get_current_timezone()
    tickets, closed_days, targets, pauses = selectors.list_page(page_rows)
    context = SlaContext(closed=closed_days, settings=targets)
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
                "created": _local(ticket.created_at, zone),
                "due": _local(sla.due_at, zone) or "–",
                "sla_css": sla_css,
                "sla_label": sla_label,
            }
        )
    return rows


# One table row as the template would render it (every value escaped). 50 rows × 11 cells
# through the template engine cost more than the rest of the page's rendering together.
ROW = (
    '<tr>{select}<td><a href="{prefix}{id}/">{reference}</a></td>'
    '<td><a href="{prefix}{id}/">{title}</a></td><td>{status}</td>'
    '<td class="num">{priority}</td><td>{team}</td><td>{organisation}</td>{assignee}'
    '<td>{created}</td><td>{due}</td><td><span class="badge {sla_css}">{sla_label}</span></td></tr>\n'
)
SELECT = '<td><input type="checkbox" name="ticket" value="{id}" id="sel-{id}" aria-label="{label} {reference}"></td>'


def _rows_html(rows: list[dict], *, desk: bool, detail_prefix: str) -> str:
    """The table body's rows, with a selection box and the assignee for the desk.

    Escaped with the standard library's html.escape, which is what django.utils.html.escape
    does underneath, without its lazy-string wrapper and SafeString per cell (600 a page)."""
    label = html.escape(_("Välj"))
    out = []
    for row in rows:
        cells = {key: html.escape(value) for key, value in row.items()}
        assignee = cells.pop("assignee")
        out.append(
            ROW.format(
                select=SELECT.format(label=label, **cells) if desk else "",
                prefix=detail_prefix,
                assignee=f"<td>{assignee}</td>" if desk else "",
                **cells,
            )
        )
    return mark_safe("".join(out))  # built from escaped values only


def _filter_html(form, teams: list) -> str:
    """The filter form's controls (names, ids, labels, chosen values, aria-invalid on errors).

    Rendering ~40 widgets and options through Django's widget templates, or a template loop,
    costs a list page about as much as its ticket query; written out here like the rows,
    every value escaped. The spacing between controls is that of the template loop it replaced.
    """
    out = []
    for field in form:
        widget = field.field.widget
        name, label, ident = (html.escape(str(text)) for text in (field.html_name, field.label, field.id_for_label))
        invalid = ' aria-invalid="true"' if field.errors else ""
        value = field.value()
        if getattr(widget, "input_type", None) == "checkbox":
            checked = " checked" if value else ""
            control = (
                f'<span><input type="checkbox" name="{name}" id="{ident}"{checked}{invalid}> '
                f'<label for="{ident}">{label}</label></span>\n    '
            )
        elif hasattr(field.field, "choices"):
            if hasattr(field.field, "queryset"):  # the team choice: teams already fetched for the page
                choices = [("", field.field.empty_label or "")] + [(team.pk, team.name) for team in teams]
            else:
                choices = field.field.choices
            chosen = "" if value is None else str(value)
            options = "".join(
                f'<option value="{html.escape(str(v))}"{" selected" if str(v) == chosen else ""}>'
                f"{html.escape(str(text))}</option>"
                for v, text in choices
            )
            control = f'<label for="{ident}">{label}</label> <select name="{name}" id="{ident}"{invalid}>'
            control += f"{options}</select>\n    "
        else:
            kind = html.escape(getattr(widget, "input_type", "text"))
            shown = f' value="{html.escape(str(value))}"' if value else ""
            control = f'<label for="{ident}">{label}</label> '
            control += f'<input type="{kind}" name="{name}" id="{ident}"{shown}{invalid}>'
        out.append(f"\n    {control}\n  ")
    return mark_safe("".join(out))  # built from escaped values only


@capability_required(VIEW_TICKETS)
def home(request):
    return redirect("portal:desk" if has_capability(request.user, WORK_DESK) else "portal:my-tickets")


def _ticket_sorting(request, *, fixed: bool) -> listing.Sorting:
    """Columns the queue may be ordered by: each an indexed column or a small set after the
    filters (id, priority, created, resolution due), so a sort never costs a table scan."""
    return listing.Sorting(
        request,
        [
            listing.SortColumn("arende", _("Ärende"), ("id",)),
            listing.SortColumn("prio", _("Prio"), ("priority",)),
            listing.SortColumn("skapad", _("Skapad"), ("created_at",)),
            listing.SortColumn("losning", _("Löst senast"), ("resolution_due_at",)),
        ],
        default="-skapad",
        tiebreak="id",
        fixed=fixed,
    )


def _ticket_list(request, *, mine: bool, title: str, template: str):
    filter_form = forms.FilterForm(request.GET or None, user=request.user)
    filters = filter_form.filters()
    tickets = selectors.ticket_list_rows(request.user, filters=filters, mine=mine)
    # A requester's own tickets are merged from two index-ordered streams (newest first only).
    streams = isinstance(tickets, selectors.RequesterTickets)
    if request.GET.get("format") == "antal":
        # Asked for by the page once it is shown (htmx): counting a federation's tickets would
        # otherwise hold up every queue view. The page has already said what was wrong in the query.
        every = selectors.ticket_list(request.user, filters=filters, mine=mine)
        if not streams:
            every = listing.period_from(request, warn=False).filter_moments(every, "created_at")
        return render(request, "portal/_ticket_count.html", {"count": every.count()})
    sorting = _ticket_sorting(request, fixed=streams)
    dates = listing.period_from(request)
    if not streams:
        tickets = dates.filter_moments(tickets, "created_at").order_by(*sorting.order_by())
    if listing.wants_xlsx(request):
        every = selectors.ticket_list(request.user, filters=filters, mine=mine)
        if not streams:
            every = dates.filter_moments(every, "created_at")
        return _ticket_xlsx(request, every.order_by(*sorting.order_by()))
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
            "filter_html": _filter_html(filter_form, teams),
            "mine": mine,
            "desk": desk_user,
            "query": query,
            "sorting": sorting,
            "dates": None if streams else dates,
            "xlsx_query": listing.xlsx_query(request),
            "count_query": listing.xlsx_query(request, "antal"),
            # shown on the folded filter form (phones): how many filters narrow the list now
            "active_filters": sum(1 for k, v in request.GET.items() if v and k not in ("sida", "ordning", "format")),
            "saved_views": selectors.saved_views_for(request.user) if desk_user else (),
            "statuses": Status.choices,
            "teams": teams,
        },
    )


def _ticket_xlsx(request, tickets):
    """The list's tickets (public fields, like the CSV) with real dates and numbers."""
    columns = [
        listing.XlsxColumn(_("Ärende"), "number", 10),
        listing.XlsxColumn(_("Rubrik"), width=40),
        listing.XlsxColumn(_("Status"), width=14),
        listing.XlsxColumn(_("Prioritet"), "number", 9),
        listing.XlsxColumn(_("Kanal"), width=12),
        listing.XlsxColumn(_("Typ"), width=12),
        listing.XlsxColumn(_("Team"), width=16),
        listing.XlsxColumn(_("Medlem"), width=22),
        listing.XlsxColumn(_("Förvaltning"), width=22),
        listing.XlsxColumn(_("Skapad"), "datetime", 17),
        listing.XlsxColumn(_("Löst senast"), "datetime", 17),
        listing.XlsxColumn(_("Löst"), "datetime", 17),
    ]
    return listing.xlsx_export(
        request,
        tickets,
        title=_("Ärenden"),
        filename="arenden.xlsx",
        columns=columns,
        rows=lambda found: ((*_export_cells(t), t.created_at, t.resolution_due_at, t.resolved_at) for t in found),
    )


def _export_cells(t) -> tuple:
    """The cells a ticket's export row starts with, in the XLSX and the CSV export alike."""
    return (
        t.pk,
        t.title,
        t.get_status_display(),
        t.priority,
        t.get_channel_display(),
        t.get_type_display(),
        t.team.name,
        t.member.name,
        t.department.name if t.department else "",
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
                *_export_cells(t),
                timezone.localtime(t.created_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(t.resolved_at).strftime("%Y-%m-%d %H:%M") if t.resolved_at else "",
            ]
        )
    return response
