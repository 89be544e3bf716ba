"""Ticket statistics and the billable time that the invoice run will bill."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import charts
from samverkan.core.params import year_or
from samverkan.core.permissions import capability_required
from samverkan.portal import selectors
from samverkan.portal.models import Channel, TicketType
from samverkan.portal.policies import VIEW_TICKET_STATISTICS, VIEW_TIME_REPORT

# The service desk's attainment goal drawn in the SLA chart (no stored goal for attainment yet:
# the performance module's indicator targets sit above portal in the layers)
ATTAINMENT_GOAL = Decimal("0.90")


def _monthly_charts(user, year: int) -> dict:
    """Volume per month by channel (stacked) and SLA attainment per month against the goal, each
    with the rows of its table (months named as everywhere: jan, feb, …)."""
    months = [charts.month_label(m) for m in range(1, 13)]
    by_channel = selectors.ticket_counts_by_month(user, year=year)
    channels = [(value, str(label)) for value, label in Channel.choices]
    volume_rows = [
        (months[m - 1], [by_channel[m].get(value, 0) for value, _label in channels], sum(by_channel[m].values()))
        for m in range(1, 13)
    ]
    volume = charts.bar_chart(
        months,
        [charts.Series(label, [by_channel[m].get(value, 0) for m in range(1, 13)]) for value, label in channels],
        title=_("Ärenden per månad och kanal %(year)s") % {"year": year},
        desc=_("Staplade staplar: antal nya ärenden per månad uppdelat på kanal; siffrorna finns i tabellen."),
        stacked=True,
    )
    response = selectors.sla_attainment_by_month(user, year=year, kind="response")
    resolution = selectors.sla_attainment_by_month(user, year=year, kind="resolution")
    sla_rows = [(months[m - 1], response[m], resolution[m]) for m in range(1, 13)]
    sla = charts.bar_chart(
        months,
        [
            charts.Series(_("Svarstid"), [response[m].ratio for m in range(1, 13)]),
            charts.Series(_("Lösningstid"), [resolution[m].ratio for m in range(1, 13)]),
        ],
        title=_("SLA-uppfyllnad per månad %(year)s") % {"year": year},
        desc=_(
            "Stapeldiagram: andel ärenden per månad vars svars- och lösningstid höll målet, med "
            "uppfyllnadsmålet som streckad linje; siffrorna finns i tabellen."
        ),
        fmt=charts.percent_1,
        tick_fmt=charts.percent,
        goal=ATTAINMENT_GOAL,
        goal_label=_("Mål"),
        top=1.0,
    )
    return {
        "volume_chart": volume,
        "volume_rows": volume_rows,
        "channel_names": [label for _value, label in channels],
        "sla_chart": sla,
        "sla_rows": sla_rows,
        "attainment_goal": ATTAINMENT_GOAL,
    }


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
        **_monthly_charts(user, year),
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
