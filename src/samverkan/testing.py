"""Shared test helpers: a small federation with one user per role, and a permission matrix.

Use from any module's tests:

    def test_page_roles(world):
        assert_roles(world, "get", reverse("x:y"), allowed={"admin", "economist"})

`world` (a pytest fixture in src/samverkan/conftest.py) holds two federations so tests can
prove that staff of one never see the other's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.test import Client
from rest_framework.test import APIClient

from samverkan.core.models import User
from samverkan.core.roles import ALL_ROLES, Role
from samverkan.members.models import (
    Department,
    Federation,
    FigureKind,
    HandOver,
    Member,
    MemberFigure,
    MembershipPeriod,
    Service,
)

PASSWORD = "Test-losenord-2025!"


@dataclass
class World:
    federation: Federation
    member: Member
    other_member: Member
    department: Department
    other_department: Department  # same member, another department
    service: Service
    users: dict[str, User]
    outsider: User  # admin of another federation
    other_federation: Federation
    foreign_member: Member
    extra: dict = field(default_factory=dict)

    def client(self, role: str | None) -> Client:
        client = Client()
        if role == "outsider":
            client.force_login(self.outsider)
        elif role:
            client.force_login(self.users[role])
        return client

    def api(self, role: str | None) -> APIClient:
        client = APIClient()
        if role == "outsider":
            client.force_authenticate(self.outsider)
        elif role:
            client.force_authenticate(self.users[role])
        return client


def make_member(federation: Federation, name: str, kommunkod: str, orgnr: str, joined=date(2020, 1, 1)) -> Member:
    member = Member.objects.create(federation=federation, name=name, kommunkod=kommunkod, orgnr=orgnr)
    MembershipPeriod.objects.create(member=member, start=joined)
    return member


def make_world() -> World:
    fed = Federation.objects.create(
        slug="testforbund",
        name="Testförbundet",
        organisation_form="kommunalforbund",
        orgnr="222000-0018",
        bankgiro="5050-1055",
        vat_number="SE222000001801",
    )
    member = make_member(fed, "Lycksele kommun", "2481", "212000-2486")
    other = make_member(fed, "Storuman kommun", "2421", "212000-2429")
    service = Service.objects.create(federation=fed, code="kundtjanst", name="Kundtjänst")
    for m in (member, other):
        HandOver.objects.create(member=m, service=service, start=date(2020, 1, 1))
    MemberFigure.objects.create(
        member=member, kind=FigureKind.POPULATION, reference_date=date(2023, 11, 1), value=12000
    )
    MemberFigure.objects.create(member=other, kind=FigureKind.POPULATION, reference_date=date(2023, 11, 1), value=5800)
    dept = Department.objects.create(
        member=member, name="Socialförvaltningen", code="SOC", invoice_reference="2481-SOC"
    )
    dept2 = Department.objects.create(
        member=member, name="Kommunstyrelseförvaltningen", code="KS", invoice_reference="2481-KS"
    )
    Department.objects.create(member=other, name="Socialförvaltningen", code="SOC", invoice_reference="2421-SOC")
    users = {}
    for role in ALL_ROLES:
        extra = {}
        if role == Role.MEMBER_CONTACT:
            extra["member"] = member
        if role == Role.ORDERER:
            extra["department"] = dept
        users[role] = User.objects.create_user(
            username=f"t-{role}", password=PASSWORD, federation=fed, roles=[role], email=f"{role}@test.se", **extra
        )
    fed2 = Federation.objects.create(
        slug="annat", name="Annat förbund", organisation_form="gemensam_namnd", orgnr="212000-2080"
    )
    foreign = make_member(fed2, "Ludvika kommun", "2085", "212000-2163")
    Department.objects.create(member=foreign, name="Socialförvaltningen", code="SOC", invoice_reference="2085-SOC")
    outsider = User.objects.create_user(username="t-outsider", password=PASSWORD, federation=fed2, roles=[Role.ADMIN])
    return World(fed, member, other, dept, dept2, service, users, outsider, fed2, foreign)


def assert_roles(
    world: World,
    method: str,
    url: str,
    allowed: set[str],
    *,
    data=None,
    api: bool = False,
    ok_statuses=(200, 201, 204, 302),
) -> None:
    """Every role in `allowed` gets an OK status; every other role (and anonymous) is refused.

    Pages refuse with 403 (or redirect anonymous to login); the API with 401/403/404.
    Use for read-only requests or requests whose effect is repeatable.
    """
    for role in (*ALL_ROLES, None):
        client = world.api(role) if api else world.client(role)
        call = getattr(client, method.lower())
        response = call(url, data, format="json") if api and data is not None else call(url, data or {})
        if role in allowed:
            assert response.status_code in ok_statuses, f"{role} should reach {url}: {response.status_code}"
        elif role is None and not api:
            assert response.status_code in (302, 403), f"anonymous reached {url}: {response.status_code}"
            if response.status_code == 302:
                assert "/konto/logga-in/" in response["Location"], response["Location"]
        else:
            assert response.status_code in (401, 403, 404), f"{role} reached {url}: {response.status_code}"
