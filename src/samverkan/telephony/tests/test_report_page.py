"""The telephony report: each queue by its own rule (the overview's figure), charts per month with
their tables under a disclosure, transfers to the members' own units and three years."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from samverkan.telephony import selectors
from samverkan.telephony.models import Queue

from .conftest import do_import

# Lycksele's switchboard answers t1 and t2 and transfers both to the member's unit queue
# (same call id): the unit answers t1, t2 times out; t3 goes to the unit without the switchboard.
TRANSFERS = """\
1688371200|t1|vaxel-lyc|NONE|ENTERQUEUE||070|1
1688371205|t1|vaxel-lyc|SIP/1|CONNECT|5|x|1
1688371265|t1|vaxel-lyc|SIP/1|BLINDTRANSFER|enheter|ctx|5|60|1
1688371265|t1|enheter-lyc|NONE|ENTERQUEUE||070|1
1688371275|t1|enheter-lyc|SIP/900|CONNECT|10|x|1
1688371375|t1|enheter-lyc|SIP/900|COMPLETECALLER|10|100|1
1688374800|t2|vaxel-lyc|NONE|ENTERQUEUE||071|1
1688374810|t2|vaxel-lyc|SIP/1|CONNECT|10|x|1
1688374870|t2|vaxel-lyc|SIP/1|ATTENDEDTRANSFER|BRIDGE|y|10|60|1
1688374870|t2|enheter-lyc|NONE|ENTERQUEUE||071|1
1688374930|t2|enheter-lyc|NONE|EXITWITHTIMEOUT|1|1|60
1688378400|t3|enheter-lyc|NONE|ENTERQUEUE||072|1
1688378405|t3|enheter-lyc|SIP/900|CONNECT|5|x|1
1688378500|t3|enheter-lyc|SIP/900|COMPLETEAGENT|5|95|1
"""
# Roles allowed and refused: test_views.test_page_roles.
# IT support, judged by another rule (answered within 60 s of all offered): 1 of 2 → 50 %
IT_2023 = """\
1688198400|i1|it|SIP/7|CONNECT|20|x|1
1688198500|i1|it|SIP/7|COMPLETEAGENT|20|100|1
1688202000|i2|it|NONE|ABANDON|1|1|90
"""


@pytest.fixture
def mixed(calls):
    world = calls
    Queue.objects.create(
        federation=world.federation, name="enheter-lyc", member=world.member, within_seconds=60, convention="offered"
    )
    Queue.objects.create(
        federation=world.federation,
        name="it",
        label="IT-support",
        within_seconds=60,
        goal=Decimal("0.8"),
        convention="offered",
    )
    do_import(world, TRANSFERS, "transfers.log")
    do_import(world, IT_2023, "it.log")
    return world


def _text(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())  # keeps the figures' no-break spaces


def test_transfer_answer_rate_from_the_log(mixed):
    rows, total = selectors.transfers_answered(mixed.users["admin"], year=2023)
    assert [(r.label, r.transferred, r.answered) for r in rows] == [(mixed.member.name, 2, 1)]
    assert rows[0].answer_rate == Decimal("0.5000") and total.transferred == 2
    assert selectors.transfers_answered(mixed.users["admin"], year=2022) == ([], None)
    page = _text(mixed.client("economist").get(reverse("telephony:report"), {"year": 2023}))
    assert "Överkopplade samtal till medlemmarnas egna enheter" in page
    assert re.search(
        rf"{re.escape(mixed.member.name)}</th><td class=\"num\">2</td><td class=\"num\">1</td>"
        r"<td class=\"num\">50,0\u00a0%</td>",
        page,
    )


def test_transfer_legs_are_read_once_per_set_of_archives(mixed, monkeypatch):
    from samverkan.telephony import callstore

    reads = []
    real = callstore.transferred_legs
    monkeypatch.setattr(callstore, "transferred_legs", lambda *a: reads.append(1) or real(*a))
    selectors._transferred_legs.cache_clear()
    admin = mixed.users["admin"]
    first = selectors.transfers_answered(admin, year=2023)
    assert selectors.transfers_answered(admin, year=2023) == first and len(reads) == 1
    # another import adds an archive: the set differs, so the legs are read again and count the new call
    do_import(mixed, TRANSFERS.replace("|t1|", "|t9|").replace("1688371", "1688471"), "more.log")
    rows, _total = selectors.transfers_answered(admin, year=2023)
    assert len(reads) == 2 and (rows[0].transferred, rows[0].answered) == (3, 2)


def test_default_report_judges_each_queue_by_its_own_rule_like_the_overview(mixed):
    admin = mixed.users["admin"]
    report = selectors.service_level_report(admin, per="month", year=2023)
    overview = selectors.service_level_report(admin, per="service", year=2023)
    assert report.convention is None and report.total.convention is None
    assert report.total.service_level == overview.total.service_level
    # each queue's own terms: switchboards answered within 30 s / answered, IT and units within 60 s / offered
    terms = [(4, 5), (1, 2), (2, 3)]  # vaxel (a1 b1 t1 t2 within, a2 not), it, enheter (t1 t3 of t1 t2 t3)
    expected = Decimal(sum(n for n, _ in terms)) / Decimal(sum(d for _, d in terms))
    assert report.total.service_level == expected.quantize(Decimal("0.0001"))
    page = _text(mixed.client("admin").get(reverse("telephony:report"), {"year": 2023}))
    overview_page = _text(mixed.client("admin").get(reverse("telephony:overview"), {"year": 2023}))
    figure = f"{report.total.service_level * 100:.1f}".replace(".", ",") + "\u00a0%"
    assert figure in page and figure in overview_page
    assert "Regel per kö" in page and "Varje kös egen regel" in page
    assert "Besvarade inom T / besvarade" in page and "Besvarade inom T / alla inkomna" in page


def test_report_charts_months_with_tables_under_a_disclosure(mixed):
    page = _text(mixed.client("board").get(reverse("telephony:report"), {"year": 2023}))
    assert page.count('role="img"') >= 1 and "aria-labelledby=" in page
    assert "Servicenivå mot målet per månad" in page
    assert re.search(r"<details class=\"table\"><summary>Visa tabell", page)
    assert ">jul<" in page and "2023-07" not in page  # months by name, one way
    # no table wider than 8 columns: the rest sits under "Fler mått"
    for head in re.findall(r"<thead><tr>(.*?)</tr></thead>", page):
        assert head.count("<th") <= 8
    assert "Fler mått" in page


def test_three_year_comparison(mixed):
    rows = selectors.three_years(mixed.users["admin"], year=2023, queue=Queue.objects.get(name="vaxel-lyc"))
    assert [y for y, _ in rows] == [2021, 2022, 2023]
    assert rows[0][1] is None
    assert (rows[1][1].stats.offered, rows[1][1].stats.answered) == (2, 2)
    assert (rows[2][1].stats.offered, rows[2][1].stats.answered) == (5, 4)
    queue = Queue.objects.get(name="vaxel-lyc")
    page = _text(mixed.client("admin").get(reverse("telephony:report"), {"year": 2023, "queue": queue.pk}))
    assert "Tre år" in page
    assert re.search(
        r"Inkomna samtal</th><td class=\"num\">–</td><td class=\"num\">2</td><td class=\"num\">5</td>", page
    )
