from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.allocation import services
from samverkan.allocation.models import KeyKind, PoolKind, ProRata, RunKind, RunStatus
from samverkan.allocation.usecases import run_comparison
from samverkan.core.actors import system_actor
from samverkan.core.models import AuditEvent
from samverkan.members.models import FigureKind, HandOver, MemberFigure
from samverkan.testing import make_member

YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def _population_key(world, name="Invånare 2023", on=date(2023, 11, 1)):
    return services.key_create(
        acting_user=world.users["economist"],
        federation=world.federation,
        name=name,
        kind=KeyKind.POPULATION,
        reference_date=on,
    )


def _pool(world, key, total=Decimal(17800), **extra):
    fields = {
        "name": "Pool",
        "kind": PoolKind.SERVICE,
        "period_start": YEAR[0],
        "period_end": YEAR[1],
        "total": total,
        "key": key,
        **extra,
    }
    return services.pool_create(acting_user=world.users["economist"], federation=world.federation, **fields)


def _amounts(run):
    return {line.member.name: line.amount for line in run.lines.select_related("member")}


def test_run_by_population_stores_inputs_results_and_audit(world):
    key = _population_key(world)
    pool = _pool(world, key, services=[world.service])
    run = services.run_create(acting_user=world.users["economist"], pool=pool, label="2025")
    assert _amounts(run) == {"Lycksele kommun": Decimal(12000), "Storuman kommun": Decimal(5800)}
    assert run.status == RunStatus.DRAFT
    assert run.inputs["key"] == {"id": key.pk, "name": key.name, "kind": "population", "reference_date": "2023-11-01"}
    assert [p["basis"] for p in run.inputs["participants"]] == [{"population": 12000}, {"population": 5800}]
    assert AuditEvent.objects.filter(object_type="allocation.AllocationRun", action="create").exists()


def test_stored_run_does_not_change_when_figures_change(world):
    pool = _pool(world, _population_key(world), total=Decimal(1000))
    run = services.run_create(acting_user=system_actor(), pool=pool, label="före")
    before = _amounts(run)
    MemberFigure.objects.filter(member=world.member).update(value=1)
    assert _amounts(run) == before
    assert _amounts(services.run_create(acting_user=system_actor(), pool=pool, label="efter")) != before


def test_approved_run_is_immutable(world):
    pool = _pool(world, _population_key(world))
    run = services.run_create(acting_user=world.users["economist"], pool=pool, label="2025")
    services.run_approve(acting_user=world.users["economist"], run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED and run.approved_at is not None
    with pytest.raises(ValidationError, match="godkänd"):
        services.run_approve(acting_user=world.users["economist"], run=run)
    with pytest.raises(ValidationError, match="godkänd"):
        services.run_delete(acting_user=world.users["economist"], run=run)
    draft = services.run_create(acting_user=system_actor(), pool=pool, label="utkast")
    services.run_delete(acting_user=world.users["economist"], run=draft)
    assert not pool.runs.filter(pk=draft.pk).exists()


def test_participants_restricted_to_members_with_the_service(world):
    gone = make_member(world.federation, "Vilhelmina kommun", "2462", "212000-2460")
    MemberFigure.objects.create(member=gone, kind=FigureKind.POPULATION, reference_date=date(2023, 11, 1), value=6500)
    pool = _pool(world, _population_key(world), services=[world.service])
    assert "Vilhelmina kommun" not in _amounts(services.run_create(acting_user=system_actor(), pool=pool, label="x"))
    everyone = _pool(world, _population_key(world, "alla"), name="Alla", total=Decimal(24300))
    assert (
        _amounts(services.run_create(acting_user=system_actor(), pool=everyone, label="y"))["Vilhelmina kommun"] == 6500
    )


def test_missing_figure_is_a_clear_error(world):
    pool = _pool(world, _population_key(world, "tidig", date(2020, 1, 1)))
    with pytest.raises(ValidationError, match="saknar värde för Lycksele kommun, Storuman kommun på eller före 2020"):
        services.run_create(acting_user=system_actor(), pool=pool, label="x")


def test_decided_amounts_must_match_pool_total(world):
    key = services.key_create(
        acting_user=system_actor(), federation=world.federation, name="Tabell", kind=KeyKind.DECIDED
    )
    services.key_values_set(
        acting_user=system_actor(), key=key, values={world.member: Decimal(100), world.other_member: Decimal(50)}
    )
    with pytest.raises(ValidationError) as error:
        services.run_create(acting_user=system_actor(), pool=_pool(world, key, total=Decimal(151)), label="x")
    assert "summerar till 150,00\u00a0kr, inte till 151,00\u00a0kr" in error.value.messages[0]
    run = services.run_create(
        acting_user=system_actor(), pool=_pool(world, key, name="OK", total=Decimal(150)), label="ok"
    )
    assert _amounts(run) == {"Lycksele kommun": Decimal(100), "Storuman kommun": Decimal(50)}


def test_key_values_validation(world):
    key = services.key_create(
        acting_user=system_actor(), federation=world.federation, name="Tabell", kind=KeyKind.DECIDED
    )
    with pytest.raises(ValidationError, match="negativt"):
        services.key_values_set(acting_user=system_actor(), key=key, values={world.member: Decimal(-1)})
    with pytest.raises(ValidationError, match="två decimaler"):
        services.key_values_set(acting_user=system_actor(), key=key, values={world.member: Decimal("1.001")})
    with pytest.raises(ValidationError, match="annat förbund"):
        services.key_values_set(acting_user=system_actor(), key=key, values={world.foreign_member: Decimal(1)})
    with pytest.raises(ValidationError, match="egna värden"):
        services.key_values_set(
            acting_user=system_actor(), key=_population_key(world), values={world.member: Decimal(1)}
        )
    with pytest.raises(ValidationError, match="referensdatum"):
        services.key_create(acting_user=system_actor(), federation=world.federation, name="u", kind=KeyKind.USERS)


def test_mix_key_and_cycles(world):
    equal = services.key_create(
        acting_user=system_actor(), federation=world.federation, name="Lika", kind=KeyKind.EQUAL
    )
    mix = services.key_create(acting_user=system_actor(), federation=world.federation, name="Mix", kind=KeyKind.MIX)
    services.key_component_add(acting_user=system_actor(), mix=mix, component=equal, weight=Decimal(50))
    services.key_component_add(
        acting_user=system_actor(), mix=mix, component=_population_key(world), weight=Decimal(50)
    )
    run = services.run_create(acting_user=system_actor(), pool=_pool(world, mix, total=Decimal(178000)), label="mix")
    # 50 % × 1/2 + 50 % × 12000/17800 → 44 500 + 60 000 = 104 500; 44 500 + 29 000 = 73 500
    assert _amounts(run) == {"Lycksele kommun": Decimal(104500), "Storuman kommun": Decimal(73500)}
    outer = services.key_create(acting_user=system_actor(), federation=world.federation, name="Yttre", kind=KeyKind.MIX)
    services.key_component_add(acting_user=system_actor(), mix=outer, component=mix, weight=Decimal(1))
    with pytest.raises(ValidationError, match="sig själv"):
        services.key_component_add(acting_user=system_actor(), mix=mix, component=outer, weight=Decimal(1))
    with pytest.raises(ValidationError, match="bara läggas till en viktad mix"):
        services.key_component_add(acting_user=system_actor(), mix=equal, component=mix, weight=Decimal(1))


def test_part_year_member_pays_pro_rata_by_months(world):
    joiner = make_member(world.federation, "Dorotea kommun", "2425", "212000-2437", joined=date(2025, 7, 1))
    HandOver.objects.create(member=joiner, service=world.service, start=date(2025, 7, 1))
    MemberFigure.objects.create(member=joiner, kind=FigureKind.POPULATION, reference_date=date(2023, 11, 1), value=2200)
    pool = _pool(
        world, _population_key(world), total=Decimal(2000000), services=[world.service], prorata=ProRata.MONTHS
    )
    run = services.run_create(acting_user=system_actor(), pool=pool, label="del av år")
    amounts = _amounts(run)
    # Full-year share 2 000 000 × 2200/20000 = 220 000; July–December = 6/12 → 110 000.
    assert amounts["Dorotea kommun"] == Decimal(110000)
    assert sum(amounts.values()) == Decimal(2000000)
    # The other 110 000 is absorbed 12000:5800.
    assert amounts["Lycksele kommun"] == Decimal(1200000) + Decimal(74157)
    assert run.lines.get(member=joiner).fraction == Decimal("0.5")


def test_true_up_between_preliminary_and_final_key(world):
    users = {}
    for member, (prel, final) in ((world.member, (300, 320)), (world.other_member, (100, 100))):
        MemberFigure.objects.create(member=member, kind=FigureKind.USERS, reference_date=date(2025, 1, 1), value=prel)
        MemberFigure.objects.create(
            member=member, kind=FigureKind.USERS, reference_date=date(2025, 12, 31), value=final
        )
    for name, on in (("prel", date(2025, 1, 1)), ("slut", date(2025, 12, 31))):
        users[name] = services.key_create(
            acting_user=system_actor(), federation=world.federation, name=name, kind=KeyKind.USERS, reference_date=on
        )
    pool = _pool(world, users["prel"], total=Decimal(840000))
    first = services.run_create(acting_user=system_actor(), pool=pool, label="prel", kind=RunKind.PRELIMINARY)
    second = services.run_create(
        acting_user=system_actor(), pool=pool, label="slut", kind=RunKind.FINAL, key=users["slut"]
    )
    comparison = run_comparison(first, second)
    assert [(r.member, r.first, r.second, r.difference) for r in comparison.rows] == [
        ("Lycksele kommun", Decimal(630000), Decimal(640000), Decimal(10000)),
        ("Storuman kommun", Decimal(210000), Decimal(200000), Decimal(-10000)),
    ]
    assert comparison.difference_total == 0


def test_pool_refuses_keys_and_services_of_another_federation(world):
    foreign_key = services.key_create(
        acting_user=system_actor(), federation=world.other_federation, name="F", kind="equal"
    )
    with pytest.raises(ValidationError, match="annat förbund"):
        _pool(world, foreign_key)


def test_stored_runs_reproduce_from_their_inputs_alone(world):
    from samverkan.allocation.models import AllocationLine
    from samverkan.allocation.selectors import run_reproduces

    joiner = make_member(world.federation, "Dorotea kommun", "2425", "212000-2437", joined=date(2025, 3, 15))
    HandOver.objects.create(member=joiner, service=world.service, start=date(2025, 3, 15))
    MemberFigure.objects.create(member=joiner, kind=FigureKind.POPULATION, reference_date=date(2023, 11, 1), value=2200)
    pool = _pool(
        world,
        _population_key(world),
        total=Decimal("99999.99"),
        services=[world.service],
        prorata=ProRata.DAYS,
        unit="ore",
    )
    run = services.run_create(acting_user=system_actor(), pool=pool, label="dagar")
    assert run_reproduces(run)
    MemberFigure.objects.update(value=1)  # later changes to figures do not matter
    assert run_reproduces(run)
    AllocationLine.objects.filter(run=run, member=joiner).update(amount=Decimal("1.00"))  # tampering shows
    assert not run_reproduces(run)


def test_total_must_fit_the_rounding_unit(world):
    key = _population_key(world)
    with pytest.raises(ValidationError, match="har ören"):
        _pool(world, key, total=Decimal("100.50"))
    pool = _pool(world, key, total=Decimal("100.50"), unit="ore")
    assert sum(_amounts(services.run_create(acting_user=system_actor(), pool=pool, label="öre")).values()) == Decimal(
        "100.50"
    )
    with pytest.raises(ValidationError, match="har ören"):
        services.pool_update(acting_user=system_actor(), pool=pool, data={"unit": "krona"})


def test_services_refuse_without_the_capability_or_in_another_federation(world):
    pool = _pool(world, _population_key(world))
    run = services.run_create(acting_user=world.users["economist"], pool=pool, label="2025")
    board, outsider = world.users["board"], world.outsider
    refused = [
        lambda: services.key_create(acting_user=board, federation=world.federation, name="x", kind=KeyKind.EQUAL),
        lambda: services.pool_update(acting_user=board, pool=pool, data={"name": "y"}),
        lambda: services.run_create(acting_user=board, pool=pool, label="x"),
        lambda: services.run_approve(acting_user=board, run=run),
        lambda: services.run_delete(acting_user=board, run=run),
        lambda: services.pool_update(acting_user=outsider, pool=pool, data={"name": "y"}),
        lambda: services.run_approve(acting_user=outsider, run=run),
        lambda: services.key_create(
            acting_user=world.users["economist"], federation=world.other_federation, name="x", kind=KeyKind.EQUAL
        ),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and pool.runs.count() == 1
