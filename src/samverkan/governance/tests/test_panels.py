"""Decisions and cases shown on the pages of what they concern (core.panels), both ways."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from samverkan.allocation.models import AllocationKey, CostPool, KeyKind, PoolKind
from samverkan.governance.services import cases as case_services
from samverkan.governance.services import minutes as services
from samverkan.governance.tests.test_minutes_services import make_minutes

pytestmark = pytest.mark.django_db


def _pool(world, name="Växeltelefoni 2014"):
    key = AllocationKey.objects.get_or_create(federation=world.federation, name="Lika delar", kind=KeyKind.EQUAL)[0]
    return CostPool.objects.create(
        federation=world.federation,
        name=name,
        kind=PoolKind.SERVICE,
        period_start=date(2014, 1, 1),
        period_end=date(2014, 12, 31),
        key=key,
        total=120000,
    )


def test_a_pool_page_names_the_paragraph_that_decided_it_and_its_case(world):
    sec = world.users["secretary"]
    pool, other = _pool(world), _pool(world, "Annan pool")
    minutes = make_minutes(world)
    paragraph = services.paragraph_add(acting_user=sec, minutes=minutes, title="Fördelning av växeltelefoni 2014")
    services.decision_link_add(acting_user=sec, paragraph=paragraph, target=pool)
    case = case_services.case_open(
        acting_user=sec, federation=world.federation, title="Växeltelefoni 2014", opened=date(2013, 10, 1)
    )
    case_services.link_add(acting_user=sec, case=case, target=pool)
    paragraph_url = reverse("governance:paragraph_detail", args=[paragraph.pk])

    page = world.client("economist").get(reverse("allocation:pool-detail", args=[pool.pk])).content.decode()
    assert "Beslutat i" in page and "Lyst 50" in page and paragraph_url in page
    assert "Ärenden i diariet" in page and case.number in page

    untouched = world.client("economist").get(reverse("allocation:pool-detail", args=[other.pk])).content.decode()
    assert "Beslutat i" not in untouched and "Ärenden i diariet" not in untouched


def test_who_may_not_read_minutes_or_cases_sees_the_paragraph_without_a_link_and_no_cases(world):
    sec = world.users["secretary"]
    minutes = make_minutes(world)
    paragraph = services.paragraph_add(acting_user=sec, minutes=minutes, title="Storuman antas som medlem")
    services.decision_link_add(acting_user=sec, paragraph=paragraph, target=world.member)
    page = world.client("member_contact").get(reverse("members:member-detail", args=[world.member.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lyst 50" in text
    assert reverse("governance:paragraph_detail", args=[paragraph.pk]) not in text
    assert "Ärenden i diariet" not in text
