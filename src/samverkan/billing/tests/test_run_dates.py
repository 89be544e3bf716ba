"""A run bills a period only when it is due, and invoice dates follow the invoice numbers.

* In arrears a period is billed once it has ended; in advance at most
  ``BillingProfile.advance_days`` before it starts; no invoice date lies further ahead than
  that. The service refuses, so page, API and CLI give the same Swedish message and write nothing.
* A number is never given a date earlier than the previous number of its series
  (``NumberSeries.last_date``), for runs and credit notes alike.

Periods are taken relative to today, so the tests hold whenever they run.
"""

from __future__ import annotations

import importlib
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from samverkan.billing import selectors, services
from samverkan.billing.models import Invoice, InvoiceRun, NumberSeries, RunStatus
from samverkan.catalogue import services as catalogue_services
from samverkan.catalogue.testing import make_catalogue
from samverkan.core.actors import system_actor
from samverkan.domain.periods import Period, PeriodKind

pytestmark = pytest.mark.django_db
D = Decimal


def _today() -> date:
    return timezone.localdate()


def _quarter(day: date) -> Period:
    return Period(day.year, PeriodKind.QUARTER, (day.month - 1) // 3 + 1)


def _refusal(world, **options) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        services.invoice_run_create(acting_user=system_actor(), federation=world.federation, **options)
    return caught.value


def _nothing_written():
    assert not InvoiceRun.objects.exists() and not Invoice.objects.exists() and not NumberSeries.objects.exists()


def _cli(*args) -> str:
    buffer = io.StringIO()
    call_command("billing", *args, "--federation", "testforbund", stdout=buffer, stderr=io.StringIO())
    return buffer.getvalue()


def _unended_periods() -> list[str]:
    today = _today()
    return [
        str(_quarter(today)),
        str(Period(today.year, PeriodKind.MONTH, today.month)),
        str(Period(today.year, PeriodKind.TERTIAL, (today.month - 1) // 4 + 1)),
        str(today.year),
        str(_quarter(today).next()),
        "2099-Q1",
        "2099",
        "9999-12",
    ]


@pytest.mark.parametrize("period", _unended_periods())
def test_in_arrears_a_period_that_has_not_ended_is_refused_everywhere_alike(world, period):
    make_catalogue(world.federation)
    error = _refusal(world, period=period, timing="arrears")
    [message] = error.message_dict["period"]
    assert "har inte slutat" in message and period in message
    page = world.client("economist").post(
        reverse("billing:run-list"), {"period": period, "timing": "arrears", "prorata_rule": "days"}
    )
    assert page.status_code == 200 and message in page.content.decode()
    api = world.api("economist").post(reverse("billing-api:run-list"), {"period": period}, format="json")
    assert api.status_code == 400 and api.json() == {"period": [message]}
    with pytest.raises(CommandError) as cli:
        _cli("run", "--period", period, "--approve")
    assert str(cli.value) == message
    _nothing_written()


@pytest.mark.parametrize(
    "options",
    [
        {"period": "0001-01", "timing": "advance"},
        {"period": "0001-Q1", "timing": "arrears"},
        {"period": "1899", "timing": "arrears"},
        {"period": "2025-Q1", "issue_date": date(1, 1, 1)},
        {"period": "2025-Q1", "issue_date": date(9999, 12, 31)},
    ],
)
def test_periods_and_dates_out_of_range_are_refused_not_a_crash(world, options):
    error = _refusal(world, **options)
    [message] = error.message_dict["issue_date" if "issue_date" in options else "period"]
    assert "före år 1900" in message or "fram i tiden" in message
    body = {k: str(v) for k, v in options.items()}
    api = world.api("economist").post(reverse("billing-api:run-list"), body, format="json")
    assert api.status_code == 400
    _nothing_written()


def test_in_arrears_the_last_ended_period_is_billed(world):
    previous = _quarter(_today()).previous()
    run = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period=str(previous))
    assert run.issue_date == previous.end + timedelta(days=1) and run.timing == "arrears"


def test_in_advance_the_federation_setting_says_how_far_ahead(world):
    profile = selectors.profile_for(world.federation)
    current, upcoming = _quarter(_today()), _quarter(_today()).next()
    profile.advance_days = 0
    profile.save()
    services.invoice_run_create(
        acting_user=system_actor(), federation=world.federation, period=str(current), timing="advance"
    )
    for period in (str(upcoming), "2099-Q1", "9999"):
        [message] = _refusal(world, period=period, timing="advance").message_dict["period"]
        assert "I förskott" in message and "högst 0 dagar" in message
        with pytest.raises(CommandError, match="I förskott"):
            _cli("run", "--period", period, "--timing", "advance", "--approve")
    profile.advance_days = 92  # a quarter always starts within 92 days
    profile.save()
    run = services.invoice_run_create(
        acting_user=system_actor(), federation=world.federation, period=str(upcoming), timing="advance"
    )
    assert run.issue_date == upcoming.start
    [message] = _refusal(world, period="2099-Q1", timing="advance").message_dict["period"]
    assert "högst 92 dagar" in message
    assert not InvoiceRun.objects.filter(period__startswith="2099").exists()


def test_the_federation_setting_chooses_the_timing_of_new_runs(world):
    profile = selectors.profile_for(world.federation)
    assert (profile.timing, profile.advance_days) == ("arrears", 31)  # the defaults
    profile.timing = "advance"
    profile.save()
    run = services.invoice_run_create(
        acting_user=system_actor(), federation=world.federation, period=str(_quarter(_today()))
    )
    assert run.timing == "advance"
    page = world.client("economist").get(reverse("billing:run-list")).content.decode()
    assert 'value="advance" selected' in page.replace('selected=""', "selected")


def test_the_settings_api_reads_and_changes_the_timing(world):
    url = reverse("billing-api:profile")
    api = world.api("economist")
    assert api.get(url).json()["timing"] == "arrears"
    changed = api.patch(url, {"timing": "advance", "advance_days": 45}, format="json")
    assert changed.status_code == 200 and changed.json()["advance_days"] == 45
    assert selectors.profile_for(world.federation).timing == "advance"
    for bad in ({"timing": "sometimes"}, {"advance_days": 367}, {"advance_days": -1}, {"advance_days": "1e999"}):
        assert api.patch(url, bad, format="json").status_code == 400
    assert selectors.profile_for(world.federation).advance_days == 45
    for refused in ("agent", "board", "member_contact", "orderer"):
        assert world.api(refused).get(url).status_code == 403
        assert world.api(refused).patch(url, {"advance_days": 1}, format="json").status_code == 403
    assert world.api("outsider").patch(url, {"advance_days": 1}, format="json").status_code == 200
    assert selectors.profile_for(world.federation).advance_days == 45  # the outsider changed its own


def test_an_invoice_date_far_ahead_is_refused(world):
    previous = str(_quarter(_today()).previous())
    too_far = _today() + timedelta(days=32)
    [message] = _refusal(world, period=previous, issue_date=too_far).message_dict["issue_date"]
    assert "mer än 31 dagar fram i tiden" in message
    page = world.client("economist").post(
        reverse("billing:run-list"),
        {"period": previous, "timing": "arrears", "prorata_rule": "days", "issue_date": too_far.isoformat()},
    )
    assert page.status_code == 200 and message in page.content.decode()
    api = world.api("economist").post(
        reverse("billing-api:run-list"), {"period": previous, "issue_date": too_far.isoformat()}, format="json"
    )
    assert api.status_code == 400 and api.json() == {"issue_date": [message]}
    _nothing_written()
    services.invoice_run_create(
        acting_user=system_actor(), federation=world.federation, period=previous, issue_date=too_far - timedelta(1)
    )


@pytest.fixture
def cat(world):
    return make_catalogue(world.federation)


def _deliver(world, item, day):
    order = catalogue_services.order_create(
        acting_user=system_actor(), item=item, department=world.department, quantity=D(1)
    )
    catalogue_services.order_deliver(acting_user=system_actor(), order=order, delivered_on=day)


def test_a_later_number_never_gets_an_earlier_invoice_date(world, cat):
    _deliver(world, cat.siths, date(2025, 2, 1))
    q1 = services.invoice_run_create(acting_user=system_actor(), federation=world.federation, period="2025-Q1")
    q1 = services.invoice_run_approve(acting_user=system_actor(), run=q1)  # dated 2025-04-01, not yet issued
    _deliver(world, cat.siths, date(2025, 5, 1))
    q2 = services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q2", approve=True
    )
    assert q2.invoices.get().number == "F2025-00001" and q2.issue_date == date(2025, 7, 1)
    with pytest.raises(ValidationError) as caught:
        services.invoice_run_issue(acting_user=system_actor(), run=q1)
    [message] = caught.value.message_dict["issue_date"]
    assert "2025-04-01" in message and "F2025-00001" in message and "2025-07-01" in message
    api = world.api("economist").post(reverse("billing-api:run-issue", args=[q1.pk]))
    assert api.status_code == 400 and api.json() == {"issue_date": [message]}
    page = world.client("economist").post(
        reverse("billing:run-action", args=[q1.pk, "utfarda"]), {"bekraftat": "on"}, follow=True
    )
    assert message in page.content.decode()
    q1.refresh_from_db()
    assert q1.status == RunStatus.APPROVED and not q1.invoices.filter(number__isnull=False).exists()
    _deliver(world, cat.course, date(2025, 3, 10))
    runs = InvoiceRun.objects.count()
    with pytest.raises(CommandError) as cli:  # run + approve + issue in one go: refused, nothing left behind
        _cli("run", "--period", "2025-03", "--approve")
    assert "F2025-00001" in str(cli.value) and InvoiceRun.objects.count() == runs
    assert NumberSeries.objects.get(series="F", year=2025).last == 1  # nothing used up
    # The remedy the message names: the same date (or later) is fine.
    services.invoice_run_discard(acting_user=system_actor(), run=q1)
    again = services.invoice_run_execute(
        acting_user=system_actor(),
        federation=world.federation,
        period="2025-Q1",
        approve=True,
        issue_date=date(2025, 7, 1),
    )
    assert again.invoices.get().number == "F2025-00002"
    numbered = Invoice.objects.filter(series="F").order_by("number").values_list("issue_date", flat=True)
    assert list(numbered) == sorted(numbered)


def test_credit_note_dates_follow_their_numbers_too(world, cat):
    _deliver(world, cat.siths, date(2025, 2, 1))
    _deliver(world, cat.course, date(2025, 2, 2))
    invoice = services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q1", approve=True
    ).invoices.get()
    siths, course = invoice.lines.get(item=cat.siths), invoice.lines.get(item=cat.course)

    def credit(line, day):
        return services.credit_note_create(
            acting_user=system_actor(), invoice=invoice, quantities={line.pk: D(1)}, reason="x", issue_date=day
        )

    assert credit(siths, date(2025, 8, 1)).number == "K2025-00001"
    with pytest.raises(ValidationError, match="K2025-00001"):
        credit(course, date(2025, 7, 31))
    assert credit(course, date(2025, 8, 1)).number == "K2025-00002"


def test_the_migration_fills_the_date_of_each_series_last_number(world, cat):
    _deliver(world, cat.siths, date(2025, 2, 1))
    services.invoice_run_execute(
        acting_user=system_actor(), federation=world.federation, period="2025-Q1", approve=True
    )
    NumberSeries.objects.update(last_date=None)
    migration = importlib.import_module("samverkan.billing.migrations.0003_run_timing_and_delete_guards")
    migration.fill_last_dates(apps, None)
    assert NumberSeries.objects.get(series="F", year=2025).last_date == date(2025, 4, 1)
