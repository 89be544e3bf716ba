from django.utils import translation

from samverkan.assets.models import Asset
from samverkan.portal.models import ImpactChoices, PriorityChoices, UrgencyChoices


def test_priority_impact_urgency_and_years_follow_the_language():
    assert str(dict(PriorityChoices)[1]) == "1 – Kritisk"
    with translation.override("en"):
        assert str(dict(PriorityChoices)[1]) == "1 – Critical"
        assert str(dict(ImpactChoices)[3]) == "3 – Low (one person)"
        assert str(dict(UrgencyChoices)[2]) == "2 – Medium (a workaround exists)"
        assert str(dict(Asset._meta.get_field("depreciation_years").choices)[5]) == "5 years"
    assert str(dict(Asset._meta.get_field("depreciation_years").choices)[5]) == "5 år"
