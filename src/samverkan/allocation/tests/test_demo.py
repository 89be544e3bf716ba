from decimal import Decimal

from samverkan.allocation.models import AllocationRun, RunStatus
from samverkan.allocation.usecases import run_comparison


def _amounts(run):
    return {line.member.name: line.amount for line in run.lines.select_related("member").order_by("position")}


def test_lystkom_fee_run_reproduces_seed_000(demo):
    run = AllocationRun.objects.get(label="Medlemsavgift 2025")
    assert run.status == RunStatus.APPROVED
    assert _amounts(run) == {
        "Dorotea kommun": Decimal(95122),
        "Lycksele kommun": Decimal(482634),
        "Storuman kommun": Decimal(226554),
        "Vilhelmina kommun": Decimal(252020),
        "Åsele kommun": Decimal(109670),
    }
    assert sum(_amounts(run).values()) == Decimal(1166000)
    assert run.inputs["key"]["kind"] == "decided"


def test_telephony_run_gives_dorotea_470_000(demo):
    run = AllocationRun.objects.get(label="Växeltelefoni 2025")
    assert _amounts(run)["Dorotea kommun"] == Decimal(470000)
    assert sum(_amounts(run).values()) == run.total


def test_gsn_true_up_sums_to_zero(demo):
    preliminary = AllocationRun.objects.get(label__endswith="preliminärt")
    final = AllocationRun.objects.get(label__endswith="slutjustering mars")
    comparison = run_comparison(preliminary, final)
    assert comparison.first_total == comparison.second_total == Decimal(1360000)
    assert sum(row.difference for row in comparison.rows) == 0
    assert any(row.difference != 0 for row in comparison.rows)


def test_edala_mix_and_surplus(demo):
    edala = AllocationRun.objects.get(label="E-dala 2023")
    assert sum(_amounts(edala).values()) == Decimal(2400000)
    assert edala.inputs["key"]["kind"] == "mix"
    surplus = AllocationRun.objects.get(label__startswith="Återföring")
    assert all(amount < 0 for amount in _amounts(surplus).values())
    assert sum(_amounts(surplus).values()) == Decimal(-150000)


def test_seed_003_business_case_is_saved_with_both_options(demo):
    from samverkan.allocation.models import BusinessCaseStudy
    from samverkan.allocation.usecases import saved_business_case

    saved = saved_business_case(BusinessCaseStudy.objects.get(name="Gemensam identitetsplattform"))
    assert [o.option.name for o in saved.options] == ["Förslag 1", "Förslag 2"]
    assert saved.options[0].result.years[0].cost.fixed_total == Decimal(1360000)  # seed 003: 1 360 tkr
    assert saved.options[0].result.years[-1].cost.fixed_total == Decimal(900000)  # from year 6: 900 tkr
