"""Writes about members: validation, one transaction each, and an audit row for every change."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent
from samverkan.members import services
from samverkan.members.models import FigureKind, HandOver, Member, MemberFigure, MembershipPeriod


def audits(obj, action=None):
    events = AuditEvent.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk))
    return events.filter(action=action) if action else events


def test_member_create_normalises_orgnr_and_audits_member_and_period(world):
    admin = world.users["admin"]
    member = services.member_create(
        acting_user=admin,
        federation=world.federation,
        joined=date(2025, 1, 1),
        name="Dorotea kommun",
        kommunkod="2425",
        orgnr="2120002429",
    )
    assert member.orgnr == "212000-2429"
    assert member.peppol_participant == "0007:2120002429"
    period = member.periods.get()
    assert (period.start, period.end) == (date(2025, 1, 1), None)
    created = audits(member, "create").get()
    assert created.actor == admin and created.before is None and created.after["kommunkod"] == "2425"
    assert created.federation == world.federation
    assert audits(period, "create").get().after["start"] == "2025-01-01"


def test_member_create_refuses_bad_codes_and_writes_nothing(world):
    before = (Member.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as info:
        services.member_create(
            acting_user=world.users["admin"],
            federation=world.federation,
            joined=date(2025, 1, 1),
            name="X",
            kommunkod="9999",
            orgnr="2120002429",
        )
    assert "kommunkod" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.member_create(
            acting_user=world.users["admin"],
            federation=world.federation,
            joined=date(2025, 1, 1),
            name="X",
            kommunkod="2425",
            orgnr="2120002420",
        )
    with pytest.raises(ValidationError):  # the same municipality twice in one federation
        services.member_create(
            acting_user=world.users["admin"],
            federation=world.federation,
            joined=date(2025, 1, 1),
            name="Lycksele igen",
            kommunkod="2481",
            orgnr="2120002486",
        )
    assert (Member.objects.count(), AuditEvent.objects.count()) == before


def test_same_municipality_may_be_in_two_federations(world):
    member = services.member_create(
        acting_user=system_actor(),
        federation=world.other_federation,
        joined=date(2020, 1, 1),
        name="Lycksele kommun",
        kommunkod="2481",
        orgnr="212000-2486",
    )
    assert Member.objects.filter(kommunkod="2481").count() == 2
    assert audits(member).get().actor_repr == "samverkan-system"


def test_member_update_audits_before_and_after_and_skips_no_op(world):
    admin = world.users["admin"]
    services.member_update(member=world.member, acting_user=admin, data={"city": "Lycksele", "orgnr": "2120002486"})
    event = audits(world.member, "update").get()
    assert event.before["city"] == "" and event.after["city"] == "Lycksele"
    services.member_update(member=world.member, acting_user=admin, data={"city": "Lycksele"})
    assert audits(world.member, "update").count() == 1


def test_member_leave_then_rejoin_mid_year(world):
    admin = world.users["admin"]
    services.member_leave(acting_user=admin, member=world.other_member, end=date(2023, 6, 30))
    assert world.other_member.periods.get().end == date(2023, 6, 30)
    rejoined = services.member_join(acting_user=admin, member=world.other_member, start=date(2024, 7, 1))
    assert [(p.start, p.end) for p in world.other_member.periods.all()] == [
        (date(2020, 1, 1), date(2023, 6, 30)),
        (date(2024, 7, 1), None),
    ]
    assert audits(rejoined, "create").get().after["start"] == "2024-07-01"
    period = world.other_member.periods.first()
    event = audits(period, "update").get()
    assert event.before["end"] is None and event.after["end"] == "2023-06-30"


@pytest.mark.parametrize("start", [date(2019, 1, 1), date(2023, 1, 1), date(2023, 6, 30)])
def test_overlapping_membership_is_refused(world, start):
    services.member_leave(acting_user=system_actor(), member=world.other_member, end=date(2023, 6, 30))
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="överlappar"):
        services.member_join(acting_user=system_actor(), member=world.other_member, start=start)
    assert world.other_member.periods.count() == 1 and AuditEvent.objects.count() == count


def test_join_while_open_is_refused(world):
    with pytest.raises(ValidationError, match="överlappar"):
        services.member_join(acting_user=system_actor(), member=world.member, start=date(2030, 1, 1))


def test_leave_errors(world):
    with pytest.raises(ValidationError, match="före inträdet"):
        services.member_leave(acting_user=system_actor(), member=world.member, end=date(2019, 12, 31))
    services.member_leave(acting_user=system_actor(), member=world.member, end=date(2024, 12, 31))
    with pytest.raises(ValidationError, match="ingen pågående"):
        services.member_leave(acting_user=system_actor(), member=world.member, end=date(2025, 12, 31))


def test_leave_ends_open_handovers_and_drops_future_ones(world):
    it = services.service_create(
        acting_user=system_actor(), federation=world.federation, code="it-drift", name="IT-drift"
    )
    future = services.handover_create(
        acting_user=system_actor(), member=world.member, service=it, start=date(2026, 1, 1)
    )
    services.member_leave(acting_user=world.users["admin"], member=world.member, end=date(2025, 6, 30))
    assert world.member.handovers.get(service=world.service).end == date(2025, 6, 30)
    assert not HandOver.objects.filter(pk=future.pk).exists()
    assert AuditEvent.objects.filter(object_type="members.HandOver", object_id=str(future.pk), action="delete").exists()


def test_handover_periods_may_follow_each_other_but_not_overlap(world):
    it = services.service_create(
        acting_user=system_actor(), federation=world.federation, code="it-drift", name="IT-drift"
    )
    later = services.handover_create(
        acting_user=system_actor(),
        member=world.member,
        service=it,
        start=date(2025, 1, 1),
        extent="partial",
        note="Successivt",
    )
    # An earlier, closed period before an open later one is no overlap.
    services.handover_create(
        acting_user=system_actor(), member=world.member, service=it, start=date(2020, 1, 1), end=date(2024, 12, 31)
    )
    assert audits(later, "create").get().after["extent"] == "partial"
    for start, end in [
        (date(2024, 12, 31), None),
        (date(2019, 1, 1), date(2020, 1, 1)),
        (date(2026, 1, 1), date(2026, 2, 1)),
    ]:
        with pytest.raises(ValidationError, match="redan överlämnat"):
            services.handover_create(acting_user=system_actor(), member=world.member, service=it, start=start, end=end)
    with pytest.raises(ValidationError, match="före startdatum"):
        services.handover_create(
            acting_user=system_actor(),
            member=world.other_member,
            service=it,
            start=date(2025, 1, 1),
            end=date(2024, 1, 1),
        )


def test_handover_of_other_federations_service_is_refused(world):
    foreign = services.service_create(
        acting_user=system_actor(), federation=world.other_federation, code="it", name="IT"
    )
    with pytest.raises(ValidationError, match="annat förbund"):
        services.handover_create(
            acting_user=system_actor(), member=world.member, service=foreign, start=date(2025, 1, 1)
        )


def test_department_and_contact_writes_are_audited(world):
    admin = world.users["admin"]
    dept = services.department_create(
        acting_user=admin, member=world.member, name="Barn- och utbildning", code="BUF", invoice_reference="2481-BUF"
    )
    services.department_update(department=dept, acting_user=admin, data={"invoice_reference": "2481-BUF-1"})
    event = audits(dept, "update").get()
    assert (event.before["invoice_reference"], event.after["invoice_reference"]) == ("2481-BUF", "2481-BUF-1")
    contact = services.contact_create(acting_user=admin, member=world.member, name="Eva", email="eva@x.se")
    assert audits(contact, "create").get().federation == world.federation
    with pytest.raises(ValidationError):  # same name twice for one member
        services.department_create(
            acting_user=admin, member=world.member, name="Barn- och utbildning", invoice_reference="x"
        )


def test_figures_store_is_idempotent_and_audits_changes(world):
    admin = world.users["economist"]
    row = services.FigureRow(world.member, FigureKind.USERS, date(2024, 1, 1), 900, "enkät")
    first = services.figures_store(acting_user=admin, rows=[row])
    again = services.figures_store(acting_user=admin, rows=[row])
    assert (first.created, first.changed, again.changed, again.unchanged) == (1, 1, 0, 1)
    changed = services.figures_store(
        acting_user=admin, rows=[services.FigureRow(world.member, FigureKind.USERS, date(2024, 1, 1), 950, "")]
    )
    assert changed.updated == 1
    figure = MemberFigure.objects.get(member=world.member, kind=FigureKind.USERS)
    assert (figure.value, figure.source) == (950, "enkät")
    event = audits(figure, "update").get()
    assert (event.before["value"], event.after["value"], event.actor) == (900, 950, admin)


def test_membership_period_constraint_holds_in_the_database(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipPeriod.objects.create(member=world.member, start=date(2025, 1, 1), end=date(2024, 1, 1))
