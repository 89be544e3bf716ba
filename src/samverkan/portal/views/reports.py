"""Ticket statistics and the billable time that the invoice run will bill."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.params import year_or
from samverkan.core.permissions import capability_required
from samverkan.portal import selectors
from samverkan.portal.models import Channel, TicketType
from samverkan.portal.policies import VIEW_TICKET_STATISTICS, VIEW_TIME_REPORT


@capability_required(VIEW_TICKET_STATISTICS)
def statistics(request):
    year = year_or(request.GET.get("ar"), timezone.localdate().year)
    user = request.user
    by_channel = selectors.ticket_counts(user, year=year, by="channel")
    channel_labels = dict(Channel.choices)
    it_channels = {row["key"]: row["n"] for row in selectors.ticket_counts(user, year=year, by="channel", team="it")}
    context = {
        "title": _("Ärendestatistik %(year)s") % {"year": year},
        "year": year,
        "years": range(year - 3, year + 2),
        "by_channel": [(channel_labels.get(r["key"], r["key"]), r["n"]) for r in by_channel],
        "by_type": selectors.ticket_counts(user, year=year, by="type"),
        "by_team": selectors.ticket_counts(user, year=year, by="team"),
        "by_member": selectors.ticket_counts(user, year=year, by="member"),
        "by_month": selectors.ticket_counts(user, year=year, by="month"),
        "response": selectors.sla_attainment(user, year=year, kind="response"),
        "resolution": selectors.sla_attainment(user, year=year, kind="resolution"),
        "nki": selectors.nki_per_team(user, year=year),
        "it_table": {
            "total": sum(it_channels.values()),
            "phone": it_channels.get(Channel.PHONE, 0),
            "portal": it_channels.get(Channel.PORTAL, 0),
            "visit": it_channels.get(Channel.VISIT, 0),
            "email": it_channels.get(Channel.EMAIL, 0),
        },
        "type_labels": dict(TicketType.choices),
    }
    return render(request, "portal/statistics.html", context)


@capability_required(VIEW_TIME_REPORT)
def time_report(request):
    """Billable time per member/department in a period — what the invoice run will bill."""
    try:
        start = date.fromisoformat(request.GET.get("fran", ""))
        end = date.fromisoformat(request.GET.get("till", ""))
    except ValueError:
        today = timezone.localdate()
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    rows = selectors.billable_time(request.user.federation, start, end) if request.user.federation else []
    return render(
        request,
        "portal/time_report.html",
        {
            "title": _("Debiterbar tid"),
            "rows": rows,
            "start": start,
            "end": end,
            "total": sum(r.minutes for r in rows),
        },
    )
