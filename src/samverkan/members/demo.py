"""Demo federations from the seed documents.

Lystkom (seed 000): Lycksele and Storuman have handed over everything; Åsele customer
service, mobile telephony and service ID cards, and IT gradually from 2025; Vilhelmina only
customer service; Dorotea joins 1 January 2025 for telephony. GSN (seeds 003, 004): Ludvika
and Smedjebacken's joint IT committee, hosted by Ludvika. E-dala: Dalarna's regional
e-service cooperation, so that Ludvika belongs to two cooperations.

Populations and user counts are DEMO DATA of the right order of magnitude, not SCB figures,
and organisation numbers are generated (valid check digit), not the real ones.
"""

from __future__ import annotations

from datetime import date

from stdnum import luhn

from samverkan.core.actors import system_actor
from samverkan.core.models import User
from samverkan.core.roles import Role
from samverkan.members import services
from samverkan.members.models import Federation, FigureKind, OrganisationForm

DEMO_PASSWORD = "Samverkan-demo-2025"


def demo_orgnr(prefix6: str, kommunkod: str) -> str:
    body = prefix6 + kommunkod[1:]
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


LYSTKOM_SERVICES = [
    ("kundtjanst", "Kundtjänst och växeltelefoni"),
    ("mobiltelefoni", "Mobiltelefoni"),
    ("e-tjanstekort", "E-tjänstekort (SITHS)"),
    ("it-drift", "IT-drift och IT-organisation"),
]
ALL = ["kundtjanst", "mobiltelefoni", "e-tjanstekort", "it-drift"]
START = date(2019, 1, 1)

# name, kommunkod, joined, handovers (code, start, extent, note), population 1 Nov 2023 / 2024 (demo)
LYSTKOM_MEMBERS = [
    ("Lycksele", "2481", START, [(c, START, "full", "") for c in ALL], 12015, 11980),
    ("Storuman", "2421", START, [(c, START, "full", "") for c in ALL], 5820, 5790),
    ("Vilhelmina", "2462", START, [("kundtjanst", START, "full", "")], 6590, 6550),
    (
        "Åsele",
        "2463",
        START,
        [
            ("kundtjanst", START, "full", ""),
            ("mobiltelefoni", START, "full", ""),
            ("e-tjanstekort", START, "full", ""),
            ("it-drift", date(2025, 1, 1), "partial", "Överlämnas successivt under 2025"),
        ],
        2780,
        2760,
    ),
    ("Dorotea", "2425", date(2025, 1, 1), [("kundtjanst", date(2025, 1, 1), "full", "Telefonisamarbetet")], 2510, 2490),
]
DEPARTMENTS = [
    ("Kommunstyrelseförvaltningen", "KS"),
    ("Socialförvaltningen", "SOC"),
    ("Barn- och utbildningsförvaltningen", "BUF"),
    ("Samhällsbyggnadsförvaltningen", "SBF"),
]
# E-dala: all Dalarna municipalities except Borlänge and Falun (seed 004), with demo
# populations (1 Nov 2022) for its 50 % equal + 50 % population key.
DALARNA = [
    ("Vansbro", "2021", 6700),
    ("Malung-Sälen", "2023", 10050),
    ("Gagnef", "2026", 10250),
    ("Leksand", "2029", 15900),
    ("Rättvik", "2031", 10850),
    ("Orsa", "2034", 6900),
    ("Älvdalen", "2039", 7050),
    ("Smedjebacken", "2061", 10700),
    ("Mora", "2062", 20300),
    ("Säter", "2082", 11100),
    ("Hedemora", "2083", 15250),
    ("Avesta", "2084", 23100),
    ("Ludvika", "2085", 25900),
]


def _member(federation, name, kommunkod, joined, city=""):
    return services.member_create(
        acting_user=system_actor(),
        federation=federation,
        joined=joined,
        name=f"{name} kommun",
        kommunkod=kommunkod,
        orgnr=demo_orgnr("212000", kommunkod),
        street="Kommunhuset",
        postal_code="",
        city=city or name,
        invoice_email=f"fakturor@{name.lower().replace('å', 'a').replace('ä', 'a').replace('ö', 'o')}.se",
    )


def _user(username, federation, role, first, last, **extra):
    user = User.objects.create_user(
        username=username,
        password=DEMO_PASSWORD,
        first_name=first,
        last_name=last,
        email=f"{username}@demo.samverkan.se",
        federation=federation,
        roles=[role],
        **extra,
    )
    return user


def build_lystkom() -> Federation:
    lystkom = services.federation_create(
        acting_user=system_actor(),
        slug="lystkom",
        name="Kommunalförbundet Lystkom",
        organisation_form=OrganisationForm.FEDERATION,
        orgnr=demo_orgnr("222000", "2481"),
        vat_number="SE" + demo_orgnr("222000", "2481").replace("-", "") + "01",
        street="Storgatan 16",
        postal_code="921 81",
        city="Lycksele",
        email="info@lystkom.se",
        bankgiro="5050-1055",
        host_municipality="Lycksele",
    )
    svc = {
        code: services.service_create(acting_user=system_actor(), federation=lystkom, code=code, name=name)
        for code, name in LYSTKOM_SERVICES
    }
    for name, code, joined, handovers, pop23, pop24 in LYSTKOM_MEMBERS:
        member = _member(lystkom, name, code, joined)
        for service_code, start, extent, note in handovers:
            services.handover_create(
                acting_user=system_actor(),
                member=member,
                service=svc[service_code],
                start=start,
                extent=extent,
                note=note,
            )
        for dept_name, dept_code in DEPARTMENTS:
            services.department_create(
                acting_user=system_actor(),
                member=member,
                name=dept_name,
                code=dept_code,
                invoice_reference=f"{code}-{dept_code}",
            )
        services.contact_create(
            acting_user=system_actor(),
            member=member,
            name=f"Ekonomichef {name}",
            title="Ekonomichef",
            email=f"ekonomi.{code}@demo.samverkan.se",
            is_invoice_contact=True,
        )
        services.figures_store(
            acting_user=system_actor(),
            rows=[
                services.FigureRow(member, FigureKind.POPULATION, date(2023, 11, 1), pop23, "demo (ungefärlig)"),
                services.FigureRow(member, FigureKind.POPULATION, date(2024, 11, 1), pop24, "demo (ungefärlig)"),
            ],
        )
    return lystkom


def build_gsn() -> Federation:
    gsn = services.federation_create(
        acting_user=system_actor(),
        slug="gsn",
        name="Gemensamma servicenämnden (GSN)",
        organisation_form=OrganisationForm.JOINT_COMMITTEE,
        orgnr=demo_orgnr("212000", "2085"),
        street="Stationsgatan 18",
        postal_code="771 81",
        city="Ludvika",
        host_municipality="Ludvika",
        bankgiro="5050-2085",
    )
    it = services.service_create(acting_user=system_actor(), federation=gsn, code="it", name="IT-drift och IT-stöd")
    for name, code, users in (("Ludvika", "2085", 3150), ("Smedjebacken", "2061", 1180)):
        member = _member(gsn, name, code, date(2020, 1, 1))
        services.handover_create(acting_user=system_actor(), member=member, service=it, start=date(2020, 1, 1))
        for dept_name, dept_code in DEPARTMENTS:
            services.department_create(
                acting_user=system_actor(),
                member=member,
                name=dept_name,
                code=dept_code,
                invoice_reference=f"GSN-{code}-{dept_code}",
            )
        services.figures_store(
            acting_user=system_actor(),
            rows=[
                services.FigureRow(member, FigureKind.USERS, date(2024, 1, 1), users, "demo (preliminärt)"),
                services.FigureRow(member, FigureKind.USERS, date(2024, 12, 31), users + 40, "demo (slutligt, mars)"),
            ],
        )
    return gsn


def build_edala() -> Federation:
    edala = services.federation_create(
        acting_user=system_actor(),
        slug="e-dala",
        name="E-dala (regional e-samverkan i Dalarna)",
        organisation_form=OrganisationForm.AGREEMENT,
        orgnr=demo_orgnr("212000", "2080"),
        city="Mora",
    )
    etj = services.service_create(
        acting_user=system_actor(), federation=edala, code="e-tjanster", name="Gemensam e-tjänsteplattform"
    )
    for name, code, population in DALARNA:
        member = _member(edala, name, code, date(2018, 1, 1))
        services.handover_create(acting_user=system_actor(), member=member, service=etj, start=date(2018, 1, 1))
        services.figures_store(
            acting_user=system_actor(),
            rows=[
                services.FigureRow(member, FigureKind.POPULATION, date(2022, 11, 1), population, "demo (ungefärlig)"),
            ],
        )
    return edala


def build(stdout) -> None:
    lystkom = build_lystkom()
    gsn = build_gsn()
    build_edala()
    lycksele = lystkom.members.get(kommunkod="2481")
    social = lycksele.departments.get(code="SOC")
    User.objects.create_superuser(
        username="plattform",
        password=DEMO_PASSWORD,
        email="plattform@demo.samverkan.se",
        first_name="Plattforms",
        last_name="administratör",
    )
    _user("admin", lystkom, Role.ADMIN, "Elisabeth", "Eriksson")
    _user("handlaggare", lystkom, Role.AGENT, "Marie", "Ahlqvist")
    _user("ekonom", lystkom, Role.ECONOMIST, "Karin", "Lind")
    _user("kontakt.lycksele", lystkom, Role.MEMBER_CONTACT, "Per", "Holm", member=lycksele)
    _user("bestallare.lycksele", lystkom, Role.ORDERER, "Anna", "Berg", department=social)
    _user("ledamot", lystkom, Role.BOARD, "Leif", "Pettersson")
    _user("admin.gsn", gsn, Role.ADMIN, "Anna", "Källsved")
    _user("ekonom.gsn", gsn, Role.ECONOMIST, "Ulrika", "Lindquist")
    stdout.write("medlemmar: Lystkom (5), GSN (2), E-dala (13)")
