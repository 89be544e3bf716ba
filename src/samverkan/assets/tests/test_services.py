from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.assets import selectors, services
from samverkan.assets.models import Asset, AssetEvent


def test_book_value_straight_line_and_disposal(world, make_asset):
    asset = make_asset(purchase_value=Decimal("12000.00"), depreciation_years=4, purchase_date=date(2023, 1, 15))
    assert selectors.book_value(asset, date(2023, 1, 14)) == Decimal("0.00")  # not yet bought
    assert selectors.book_value(asset, date(2023, 1, 30)) == Decimal("12000.00")
    assert selectors.book_value(asset, date(2023, 12, 31)) == Decimal("9000.00")  # 12 of 48 months
    assert selectors.book_value(asset, date(2027, 1, 1)) == Decimal("0.00")
    yearly = selectors.schedule(asset)
    assert [p.amount for p in yearly] == [Decimal("3000.00")] * 4
    services.asset_change_status(
        acting_user=world.users["agent"], asset=asset, status="disposed", reason="Trasig", on=date(2024, 6, 30)
    )
    asset.refresh_from_db()
    assert selectors.book_value(asset, date(2024, 6, 29)) > 0
    assert selectors.book_value(asset, date(2024, 6, 30)) == Decimal("0.00")


def test_depreciation_by_class(world, make_asset):
    make_asset(purchase_value=Decimal("3600.00"), depreciation_years=3, purchase_date=date(2023, 1, 1))
    make_asset(purchase_value=Decimal("6000.00"), depreciation_years=5, purchase_date=date(2023, 7, 1))
    rows = {r.years: r for r in selectors.depreciation_by_class(world.users["economist"], year=2023)}
    assert rows[3].depreciation == Decimal("1200.00") and rows[3].book_value_end == Decimal("2400.00")
    assert rows[5].depreciation == Decimal("600.00") and rows[5].assets == 1
    assert rows[4].assets == 0 and rows[6].depreciation == 0


def test_history_return_and_lifecycle(world, make_asset):
    agent = world.users["agent"]
    asset = make_asset()
    services.asset_update(acting_user=agent, asset=asset, data={"holder_name": "Bo Ek"}, reason="Ny användare")
    with pytest.raises(ValidationError):
        services.asset_change_status(acting_user=agent, asset=asset, status="returned")  # reason needed
    services.asset_change_status(acting_user=agent, asset=asset, status="returned", reason="Slutat")
    asset.refresh_from_db()
    assert asset.member is None and asset.holder_name == "" and asset.status == "returned"
    actions = list(AssetEvent.objects.filter(asset=asset).values_list("action", flat=True))
    assert actions == ["created", "updated", "status"]
    assert AssetEvent.objects.get(asset=asset, action="updated").changes == {"holder_name": ["Anna Berg", "Bo Ek"]}
    services.asset_change_status(acting_user=agent, asset=asset, status="in_use", reason="Återbruk")
    services.asset_change_status(acting_user=agent, asset=asset, status="disposed", reason="Uttjänt")
    with pytest.raises(ValidationError):
        services.asset_change_status(acting_user=agent, asset=asset, status="in_use", reason="x")


def test_validation_and_roles(world, make_asset):
    with pytest.raises(ValidationError):
        make_asset(depreciation_years=7)
    with pytest.raises(ValidationError):
        make_asset(member=world.other_member, department=world.department)
    with pytest.raises(PermissionDenied):
        make_asset(acting_user=world.users["economist"])
    a = make_asset()
    with pytest.raises(ValidationError):
        make_asset(inventory_number=a.inventory_number)


def test_every_write_needs_an_acting_user_of_the_assets_federation(world, make_asset):
    asset = make_asset()
    with pytest.raises(PermissionDenied):
        make_asset(acting_user=None)
    with pytest.raises(PermissionDenied):
        services.asset_update(acting_user=world.outsider, asset=asset, data={"holder_name": "X"})
    with pytest.raises(PermissionDenied):
        services.asset_change_status(acting_user=world.users["member_contact"], asset=asset, status="in_repair")


def test_only_the_editable_fields_are_accepted(world, make_asset):
    asset = make_asset()
    with pytest.raises(ValidationError, match="status_reason"):
        services.asset_update(acting_user=world.users["agent"], asset=asset, data={"status_reason": "x"})
    with pytest.raises(ValidationError, match="disposed_on"):
        make_asset(disposed_on=date(2024, 1, 1))


def test_scoping(world, make_asset):
    own = make_asset()
    other_dept = make_asset(department=world.other_department)
    other_member = make_asset(member=world.other_member, department=None)
    assert set(selectors.assets_for(world.users["orderer"])) == {own}
    assert set(selectors.assets_for(world.users["member_contact"])) == {own, other_dept}
    assert set(selectors.assets_for(world.users["economist"])) == {own, other_dept, other_member}
    assert not selectors.assets_for(world.users["board"]).exists()
    assert not selectors.assets_for(world.outsider).exists()


def test_register_per_member(world, make_asset):
    make_asset(purchase_value=Decimal("12000.00"))
    make_asset(purchase_value=Decimal("4800.00"), depreciation_years=4, purchase_date=date(2024, 1, 1))
    make_asset(member=world.other_member, department=None)
    rows, totals = selectors.register(world.users["member_contact"], member_id=world.member.pk, on=date(2023, 12, 31))
    assert len(rows) == 1 and totals["book_value"] == Decimal("9000.00") and totals["accumulated"] == Decimal("3000.00")


CSV = (
    "inventarienummer;typ;beskrivning;serienummer;anskaffningsdatum;anskaffningsvärde;avskrivningstid;kommunkod;"
    "förvaltning;innehavare;status\n"
    "PC-1;Dator;Lenovo T14;SN1;2023-02-01;12 000,00;4;2481;SOC;Anna;I användning\n"
    "MOB-1;phone;iPhone;SN2;2023-03-01;8000;3;2481;;;in_stock\n"
)


def test_import_all_or_nothing_and_idempotent(world):
    agent = world.users["agent"]
    result = services.assets_import(acting_user=agent, federation=world.federation, data=CSV.encode())
    assert result == {"created": 2, "updated": 0, "unchanged": 0}
    pc = Asset.objects.get(inventory_number="PC-1")
    assert pc.department == world.department and pc.purchase_value == Decimal("12000.00")
    again = services.assets_import(acting_user=agent, federation=world.federation, data=CSV.encode())
    assert again == {"created": 0, "updated": 0, "unchanged": 2}
    bad = CSV + "X-1;Kaffebryggare;;;2023-13-01;abc;7;9999;;;\nX-2;pc;;;2023-01-01;100;3;9999;;;\n"
    with pytest.raises(ValidationError) as info:
        services.assets_import(acting_user=agent, federation=world.federation, data=bad.encode())
    messages = info.value.messages
    assert messages[0].startswith("Rad 4:") and "okänd typ" in messages[0] and "avskrivningstid" in messages[0]
    bad_member = CSV.replace("PC-1;Dator;Lenovo T14", "PC-1;Dator;Ändrad") + "X-2;pc;;;2023-01-01;100;3;9999;;;\n"
    with pytest.raises(ValidationError) as info:
        services.assets_import(acting_user=agent, federation=world.federation, data=bad_member.encode())
    assert info.value.messages == ["Rad 4: okänd kommunkod 9999"]
    assert Asset.objects.get(inventory_number="PC-1").description == "Lenovo T14"  # nothing written
    assert Asset.objects.count() == 2


def test_import_xlsx(world):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Inventarienummer", "Typ", "Anskaffningsdatum", "Anskaffningsvärde", "Avskrivningstid"])
    sheet.append(["SW-1", "network", date(2022, 5, 1), 45000, 6])
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.assets_import(
        acting_user=world.users["admin"], federation=world.federation, data=buffer.getvalue()
    )
    assert result["created"] == 1
    assert Asset.objects.get(inventory_number="SW-1").member is None


def test_depreciation_by_class_stops_at_disposal(world, make_asset):
    asset = make_asset(purchase_value=Decimal("3600.00"), depreciation_years=3, purchase_date=date(2023, 1, 1))
    services.asset_change_status(
        acting_user=world.users["agent"], asset=asset, status="disposed", reason="Stöld", on=date(2023, 6, 30)
    )
    later = make_asset(purchase_value=Decimal("3600.00"), depreciation_years=3, purchase_date=date(2023, 1, 1))
    services.asset_change_status(
        acting_user=world.users["agent"], asset=later, status="disposed", reason="Trasig", on=date(2024, 3, 31)
    )
    row = next(r for r in selectors.depreciation_by_class(world.users["admin"], year=2023) if r.years == 3)
    assert row.depreciation == Decimal("600.00") + Decimal("1200.00")
    assert row.book_value_end == Decimal("2400.00")  # only the one disposed in 2024 is still held at year end
