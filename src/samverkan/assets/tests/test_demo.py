import io

from samverkan.assets import demo
from samverkan.assets.models import Asset
from samverkan.members import demo as members_demo


def test_demo_phones_returned_in_2023(db):
    members_demo.build(io.StringIO())
    demo.build(io.StringIO())
    phones = Asset.objects.filter(asset_type="phone")
    assert phones.filter(status="disposed", disposed_on__year=2023).count() == 140
    assert phones.filter(status="returned").count() == 33
    assert set(Asset.objects.values_list("depreciation_years", flat=True)) <= {3, 4, 5, 6}
