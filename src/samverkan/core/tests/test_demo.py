"""`samverkan demo` on the test database: the federations of the seed documents and one login per role.

The command runs every module's demo builder; the assertions here are about members and core only.
"""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from samverkan.core.models import User
from samverkan.members.demo import DEMO_PASSWORD
from samverkan.members.models import Federation, FigureKind, Member
from samverkan.members.selectors import figures_on, members_on, members_with_service

EXPECTED_USERS = {
    "admin": ("lystkom", "admin"),
    "handlaggare": ("lystkom", "agent"),
    "ekonom": ("lystkom", "economist"),
    "kontakt.lycksele": ("lystkom", "member_contact"),
    "bestallare.lycksele": ("lystkom", "orderer"),
    "ledamot": ("lystkom", "board"),
    "admin.gsn": ("gsn", "admin"),
    "ekonom.gsn": ("gsn", "economist"),
}


@pytest.mark.slow
def test_demo_builds_the_seed_federations_and_users(transactional_db):
    Federation.objects.create(
        slug="gammalt", name="Gammal data", organisation_form="avtalssamverkan", orgnr="212000-2486"
    )
    out = StringIO()
    call_command("demo", stdout=out)
    assert "Demodatabasen är klar" in out.getvalue()
    assert not Federation.objects.filter(slug="gammalt").exists()  # rebuilt from scratch

    assert set(Federation.objects.values_list("slug", flat=True)) >= {"lystkom", "gsn", "e-dala"}
    lystkom = Federation.objects.get(slug="lystkom")
    codes = set(lystkom.members.values_list("kommunkod", flat=True))
    assert codes == {"2481", "2421", "2462", "2463", "2425"}
    dorotea = lystkom.members.get(kommunkod="2425")
    assert dorotea.periods.get().start == date(2025, 1, 1)
    assert dorotea not in members_on(lystkom, date(2024, 12, 31)) and dorotea in members_on(lystkom, date(2025, 1, 1))
    it = lystkom.services.get(code="it-drift")
    assert {m.kommunkod for m in members_with_service(it, date(2025, 6, 1))} == {"2481", "2421", "2463"}
    assert lystkom.members.get(kommunkod="2463").handovers.get(service=it).extent == "partial"
    vilhelmina = lystkom.members.get(kommunkod="2462")
    assert list(vilhelmina.handovers.values_list("service__code", flat=True)) == ["kundtjanst"]
    for member in lystkom.members.all():
        assert set(member.departments.values_list("code", flat=True)) >= {"KS", "SOC", "BUF", "SBF"}
    assert len(figures_on(lystkom.members.all(), FigureKind.POPULATION, date(2024, 11, 1))) == 5

    gsn = Federation.objects.get(slug="gsn")
    assert set(gsn.members.values_list("kommunkod", flat=True)) == {"2085", "2061"}
    # Ludvika is in two cooperations.
    assert set(Member.objects.filter(kommunkod="2085").values_list("federation__slug", flat=True)) >= {"gsn", "e-dala"}
    edala_codes = set(Federation.objects.get(slug="e-dala").members.values_list("kommunkod", flat=True))
    assert len(edala_codes) == 13 and not edala_codes & {"2080", "2081"}  # all of Dalarna but Falun and Borlänge

    for username, (slug, role) in EXPECTED_USERS.items():
        user = User.objects.get(username=username)
        assert (user.federation.slug, user.roles) == (slug, {role}), username
        assert user.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="kontakt.lycksele").member.kommunkod == "2481"
    orderer = User.objects.get(username="bestallare.lycksele")
    assert (orderer.department.code, orderer.department.member.kommunkod) == ("SOC", "2481")
    assert User.objects.get(username="plattform").is_superuser

    # The demo logins work through the real login page.
    client = Client()
    response = client.post("/konto/logga-in/", {"username": "ekonom", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "Dorotea kommun" in client.get("/medlemmar/").content.decode()
