"""Forecasts, investment projects and appropriations: the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.core.models import AuditEvent
from samverkan.finance.models import Appropriation, DimensionObject, Forecast, InvestmentProject
from samverkan.finance.selectors.budgets import appropriations_for, forecasts_for
from samverkan.finance.services import budgets as services
from samverkan.finance.tests.test_budgets_import import workbook


def _set(world, role="economist", **kwargs):
    data = {
        "year": 2023,
        "as_of_month": 4,
        "activity": "81141",
        "line": "",
        "amount": Decimal("-800000"),
        "comment": "",
    }
    data.update(kwargs)
    return services.forecast_set(acting_user=world.users[role], federation=world.federation, **data)


def test_forecast_set_creates_updates_and_removes(world):
    first = _set(world, comment="Högre personalkostnader")
    again = _set(world, amount=Decimal("-750000.25"))
    assert first.pk == again.pk and again.amount == Decimal("-750000.25") and again.comment == ""
    _set(world, line="staff_costs", amount=Decimal("-1"))
    _set(world, as_of_month=8, amount=Decimal("1"))
    assert [(f.line, f.amount) for f in forecasts_for(world.federation, 2023, 4)] == [
        ("", Decimal("-750000.25")),
        ("staff_costs", Decimal("-1.00")),
    ]
    assert _set(world, amount=None) is None
    assert list(forecasts_for(world.federation, 2023, 4).values_list("line", flat=True)) == ["staff_costs"]
    assert AuditEvent.objects.filter(object_type="finance.Forecast").values_list("action", flat=True).count() == 5


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"as_of_month": 13}, "as_of_month"),
        ({"activity": ""}, "activity"),
        ({"activity": "x" * 41}, "activity"),
        ({"line": "income_total"}, "line"),
        ({"amount": Decimal("0.001")}, "amount"),
        ({"amount": Decimal(10) ** 14}, "amount"),
        ({"year": 1800}, "year"),
    ],
)
def test_forecast_set_refuses(world, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        _set(world, **kwargs)
    assert field in caught.value.message_dict
    assert not Forecast.objects.exists()


def test_forecast_roles(world):
    for role in ("board", "member_contact", "orderer", "agent"):
        with pytest.raises(PermissionDenied):
            _set(world, role=role)
    with pytest.raises(PermissionDenied):
        services.forecast_set(
            acting_user=world.outsider, federation=world.federation, year=2023, as_of_month=4, activity="1", amount=1
        )


def test_forecast_import_is_all_or_nothing(world):
    DimensionObject.objects.create(federation=world.federation, dimension=1, code="81141", name="IT")
    _set(world, activity="81141", line="income", amount=Decimal("5"))  # not in the file: kept
    good = workbook(
        [],
        extra_sheets=[("Prognos", [["Verksamhet", "Rad", "Prognos helår", "Kommentar"], ["81141", "", "-10", "T1"]])],
    )
    saved = services.forecast_import_xlsx(
        acting_user=world.users["admin"], federation=world.federation, year=2023, as_of_month=4, data=good
    )
    assert [(f.activity, f.line, f.amount, f.comment) for f in saved] == [("81141", "", Decimal("-10"), "T1")]
    assert Forecast.objects.count() == 2
    bad = workbook(
        [],
        extra_sheets=[("Prognos", [["Verksamhet", "Prognos helår"], ["81141", "1"], ["81141", "x"]])],
    )
    with pytest.raises(ValidationError) as caught:
        services.forecast_import_xlsx(
            acting_user=world.users["admin"], federation=world.federation, year=2023, as_of_month=4, data=bad
        )
    assert caught.value.messages == ["Rad 3, kolumn Prognos helår: «x» är inte ett tal."]
    assert Forecast.objects.get(line="").amount == Decimal("-10.00")


def test_projects_and_appropriations(world):
    economist = world.users["economist"]
    project = services.project_create(acting_user=economist, federation=world.federation, code="P12", name="Växel")
    with pytest.raises(ValidationError, match="finns redan"):
        services.project_create(acting_user=economist, federation=world.federation, code="P12", name="Igen")
    appropriation = services.appropriation_set(
        acting_user=economist,
        project=project,
        year=2023,
        budget=Decimal("6900000"),
        carried_over=Decimal("6100000"),
        forecast=Decimal("12500000"),
        comment="Växelbytet försenat",
    )
    again = services.appropriation_set(acting_user=economist, project=project, year=2023, budget=Decimal("7000000"))
    assert again.pk == appropriation.pk and again.carried_over == 0 and again.forecast is None
    assert list(appropriations_for(world.federation, 2023)) == [again]
    assert list(appropriations_for(world.other_federation, 2023)) == []
    with pytest.raises(ValidationError):
        services.appropriation_set(acting_user=economist, project=project, year=2023, budget=Decimal(10) ** 14)
    foreign = InvestmentProject.objects.create(federation=world.other_federation, code="P1", name="Deras")
    with pytest.raises(PermissionDenied):
        services.appropriation_set(acting_user=economist, project=foreign, year=2023)
    with pytest.raises(PermissionDenied):
        services.appropriation_set(acting_user=world.users["board"], project=project, year=2023)
    renamed = services.project_update(
        acting_user=economist, project=project, data={"name": "Ny växel", "federation": 9}
    )
    assert renamed.name == "Ny växel" and renamed.federation == world.federation
    services.project_delete(acting_user=economist, project=project)
    assert not Appropriation.objects.exists()
    assert AuditEvent.objects.filter(object_type="finance.Appropriation", action="delete").count() == 1
