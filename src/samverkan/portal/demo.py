"""Demo: Lystkom's service desk in 2023, shaped to reproduce seed 002's figures.

* IT support (Lycksele and Storuman, the members that handed over IT): 8 600 tickets, of
  which 4 800 by phone, 530 via the portal, 200 visits; the remaining 3 070 came by e-mail
  (the annual report does not break them down).
* Lystkom kundtjänst: 2 706 tickets/orders for all four 2023 members, 2 306 on the
  customer-service team and 400 on the telephony team.
* Customer-satisfaction answers giving NKI 7,5 for kundtjänst and 6,6 for IT.

Everything else (times, priorities, categories, response/resolution times, time reported)
is random DEMO data from a fixed seed, so each build is identical. Bulk inserts keep the
build to a few seconds.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from samverkan.core.models import User
from samverkan.core.roles import ADMIN
from samverkan.core.selectors import users_with_role
from samverkan.domain.business_hours import STOCKHOLM, BusinessCalendar
from samverkan.domain.priority import priority_for
from samverkan.domain.sla import DEFAULT_POLICY
from samverkan.members.models import Federation
from samverkan.portal.models import (
    Category,
    Channel,
    ClosedDay,
    Comment,
    Follower,
    StandardText,
    Status,
    SurveyResponse,
    Team,
    Ticket,
    TicketType,
    TimeEntry,
)

YEAR = 2023
IT_CHANNELS = {Channel.PHONE: 4800, Channel.PORTAL: 530, Channel.VISIT: 200, Channel.EMAIL: 3070}
CUSTOMER_SERVICE = {"kundtjanst": 2306, "telefoni": 400}
NKI_TARGETS = {"kundtjanst": (7.5, 260), "it": (6.6, 410)}

TEAMS = [
    (
        "kundtjanst",
        "Kundtjänst",
        ["E-tjänstekort (SITHS)", "Reception och besök", "Post och nycklar", "Lokalbokning", "Mobiltelefon"],
    ),
    (
        "it",
        "IT-support",
        [
            "Dator och klient",
            "Skrivare",
            "Konto och behörighet",
            "Nätverk och wifi",
            "Verksamhetssystem",
            "Beställning av utrustning",
        ],
    ),
    ("telefoni", "Telefoni", ["Växel och hänvisning", "Abonnemang", "Fast telefoni"]),
]
TITLES = {
    "Dator och klient": ["Datorn startar inte", "Bärbar dator är långsam", "Dockningsstation fungerar inte"],
    "Skrivare": ["Skrivaren skriver inte ut", "Ny skrivare på avdelningen", "Papperstrassel i skrivare"],
    "Konto och behörighet": ["Lösenordet har gått ut", "Behörighet till mapp", "Nytt konto för nyanställd"],
    "Nätverk och wifi": ["Wifi når inte konferensrummet", "Nätverksuttag fungerar inte"],
    "Verksamhetssystem": ["Fel i journalsystemet", "Kan inte logga in i ekonomisystemet"],
    "Beställning av utrustning": ["Beställning av bärbar dator", "Beställning av skärm", "Headset"],
    "E-tjänstekort (SITHS)": ["Nytt SITHS-kort", "Spärra e-tjänstekort", "PIN-kod låst"],
    "Reception och besök": ["Besöksregistrering", "Bokning av besökare"],
    "Post och nycklar": ["Utlämning av nycklar", "Paket att hämta"],
    "Lokalbokning": ["Boka sammanträdesrum", "Ändra lokalbokning"],
    "Mobiltelefon": ["Ny mobiltelefon", "Trasig skärm på mobil", "Lämna in mobil för återbruk"],
    "Växel och hänvisning": ["Ändra hänvisning", "Nytt nummer i växeln"],
    "Abonnemang": ["Avsluta abonnemang", "Nytt mobilabonnemang"],
    "Fast telefoni": ["Analog linje ska avslutas", "Telefon på reception tyst"],
}
STANDARD_TEXTS = [
    (
        "Tack för ditt ärende",
        None,
        "Hej {namn}!\n\nTack för ditt ärende {arende}. Vi återkommer så snart vi kan.\n\n"
        "Vänliga hälsningar\n{handlaggare}, {team}",
    ),
    (
        "Behöver mer information",
        None,
        "Hej {namn}!\n\nFör att kunna hjälpa dig med {arende} behöver vi veta mer. "
        "Svara på detta meddelande med en beskrivning och gärna en skärmbild.\n\n{handlaggare}",
    ),
    (
        "Löst – starta om",
        "it",
        "Hej {namn}!\n\nVi har åtgärdat felet i {arende}. Starta om datorn "
        "så att ändringen slår igenom.\n\n{handlaggare}, {team}",
    ),
    (
        "SITHS-kort klart",
        "kundtjanst",
        "Hej {namn}!\n\nDitt e-tjänstekort är klart att hämtas i receptionen. Ta med giltig legitimation.\n\n{team}",
    ),
    (
        "Lämna in mobil",
        "kundtjanst",
        "Hej {namn}!\n\nLämna in den gamla mobilen till kundtjänst för säker "
        "radering och återbruk. Ärende: {arende}.\n\n{team}",
    ),
]


def _working_minutes(rng: random.Random, calendar: BusinessCalendar, day: date) -> datetime:
    interval = calendar.working_interval(day)
    assert interval is not None
    span = int((interval[1] - interval[0]).total_seconds() // 60)
    return (interval[0] + timedelta(minutes=rng.randrange(span))).astimezone(UTC)


def _scores(rng: random.Random, mean: float, n: int) -> list[int]:
    """n answers 1–10 whose mean rounds to ``mean``: sampled around it, then nudged to the exact sum."""
    target = round(mean * n)
    scores = [min(10, max(1, round(rng.gauss(mean, 1.6)))) for _ in range(n)]
    while sum(scores) != target:
        i = rng.randrange(n)
        if sum(scores) < target and scores[i] < 10:
            scores[i] += 1
        elif sum(scores) > target and scores[i] > 1:
            scores[i] -= 1
    return scores


def build(stdout) -> None:
    lystkom = Federation.objects.get(slug="lystkom")
    rng = random.Random(YEAR)
    agent = User.objects.filter(username="handlaggare").first()
    orderer = User.objects.filter(username="bestallare.lycksele").first()

    teams: dict[str, Team] = {}
    categories: dict[str, list[Category]] = {}
    for code, name, cats in TEAMS:
        teams[code] = Team.objects.create(federation=lystkom, code=code, name=name, email=f"{code}@lystkom.se")
        categories[code] = [Category.objects.create(team=teams[code], name=c) for c in cats]
    ClosedDay.objects.create(federation=lystkom, day=date(2023, 10, 12), reason="Lystkoms höstkonferens")
    for title, team_code, body in STANDARD_TEXTS:
        StandardText.objects.create(
            federation=lystkom, title=title, body=body, team=teams[team_code] if team_code else None
        )

    calendar = BusinessCalendar(closed_days=frozenset({date(2023, 10, 12)}))
    working_days = [d for d in (date(YEAR, 1, 1) + timedelta(days=i) for i in range(365)) if calendar.is_working_day(d)]
    # Fewer tickets in July (holidays): weight working days by month.
    weights = [0.45 if d.month == 7 else 0.8 if d.month in (6, 8, 12) else 1.0 for d in working_days]
    members = {m.kommunkod: m for m in lystkom.members.prefetch_related("departments")}
    it_members = [members["2481"], members["2421"]]
    cs_members = [members[k] for k in ("2481", "2421", "2462", "2463")]

    plan: list[tuple[str, str, object]] = []
    for channel, count in IT_CHANNELS.items():
        plan += [("it", channel, None)] * count
    for code, count in CUSTOMER_SERVICE.items():
        cs_channels = [Channel.PHONE] * 55 + [Channel.PORTAL] * 20 + [Channel.EMAIL] * 15 + [Channel.VISIT] * 10
        plan += [(code, rng.choice(cs_channels), None) for _ in range(count)]

    tickets: list[Ticket] = []
    for team_code, channel, _unused in plan:
        team = teams[team_code]
        member = rng.choice(it_members if team_code == "it" else cs_members)
        department = rng.choice(list(member.departments.all()))
        category = rng.choice(categories[team_code])
        impact, urgency = rng.choices([3, 2, 1], [70, 25, 5])[0], rng.choices([3, 2, 1], [30, 55, 15])[0]
        priority = priority_for(impact, urgency)
        target = DEFAULT_POLICY.target(priority)
        created = _working_minutes(rng, calendar, rng.choices(working_days, weights)[0])
        # Most tickets meet their targets; about one in eight does not (IT's 2023 was strained).
        response_minutes = int(target.response_minutes * rng.uniform(0.05, 1.0 if rng.random() < 0.9 else 1.8))
        resolution_minutes = int(target.resolution_minutes * rng.uniform(0.02, 1.0 if rng.random() < 0.87 else 2.0))
        response_minutes = max(1, min(response_minutes, resolution_minutes))
        first_response = calendar.add_business_minutes(created, response_minutes)
        resolved = calendar.add_business_minutes(created, max(resolution_minutes, response_minutes))
        response_due = calendar.add_business_minutes(created, target.response_minutes)
        resolution_due = calendar.add_business_minutes(created, target.resolution_minutes)
        ticket_type = (
            TicketType.ORDER
            if "Beställning" in category.name or category.name.startswith("Ny")
            else rng.choices([TicketType.INCIDENT, TicketType.REQUEST, TicketType.QUESTION], [55, 30, 15])[0]
        )
        own = orderer is not None and department.pk == orderer.department_id and channel == Channel.PORTAL
        tickets.append(
            Ticket(
                federation=lystkom,
                member=member,
                department=department,
                team=team,
                category=category,
                title=rng.choice(TITLES[category.name]),
                description="(demoärende)",
                channel=channel,
                type=ticket_type,
                impact=impact,
                urgency=urgency,
                priority=priority,
                status=Status.CLOSED,
                assignee=agent,
                requester=orderer if own else None,
                requester_name=(orderer.get_full_name() if own else f"Medarbetare {department.code} {member.name}"),
                requester_email=(orderer.email if own else ""),
                created_at=created,
                updated_at=resolved,
                first_response_at=first_response,
                resolved_at=resolved,
                closed_at=resolved + timedelta(days=5),
                response_due_at=response_due,
                resolution_due_at=resolution_due,
                response_breached=first_response > response_due,
                resolution_breached=resolved > resolution_due,
            )
        )
    tickets.sort(key=lambda t: t.created_at)
    Ticket.objects.bulk_create(tickets, batch_size=2000)
    tickets = list(Ticket.objects.filter(federation=lystkom).order_by("pk"))

    comments, time_entries, followers = [], [], []
    for ticket in tickets:
        comments.append(
            Comment(
                ticket=ticket,
                author=agent,
                author_name="Marie Ahlqvist",
                created_at=ticket.first_response_at,
                body="Hej! Vi har tagit emot ärendet och tittar på det.",
            )
        )
        if rng.random() < 0.3:
            comments.append(
                Comment(
                    ticket=ticket,
                    author=agent,
                    author_name="Marie Ahlqvist",
                    internal=True,
                    created_at=ticket.first_response_at + timedelta(minutes=5),
                    body="Intern anteckning: kontrollerat i loggarna, inget avvikande.",
                )
            )
        comments.append(
            Comment(
                ticket=ticket,
                author=agent,
                author_name="Marie Ahlqvist",
                created_at=ticket.resolved_at,
                body="Ärendet är löst. Hör av dig om något inte fungerar.",
            )
        )
        if ticket.requester_id:
            followers.append(Follower(ticket=ticket, user_id=ticket.requester_id))
        if agent and ticket.type in (TicketType.ORDER, TicketType.REQUEST):
            time_entries.append(
                TimeEntry(
                    ticket=ticket,
                    user=agent,
                    day=ticket.resolved_at.astimezone(STOCKHOLM).date(),
                    minutes=rng.choice([15, 30, 30, 45, 60, 90]),
                    billable=True,
                )
            )
    Comment.objects.bulk_create(comments, batch_size=5000)
    Follower.objects.bulk_create(followers, batch_size=2000)
    TimeEntry.objects.bulk_create(time_entries, batch_size=5000)

    surveys = []
    for code, (mean, n) in NKI_TARGETS.items():
        team_codes = {code}
        pool = [t for t in tickets if t.team.code in team_codes]
        for ticket, score in zip(rng.sample(pool, n), _scores(rng, mean, n), strict=True):
            answered = ticket.resolved_at + timedelta(days=1)
            if answered.year != YEAR:
                answered = datetime(YEAR, 12, 31, 12, tzinfo=UTC)
            surveys.append(SurveyResponse(ticket=ticket, team=ticket.team, score=score, answered_at=answered))
    SurveyResponse.objects.bulk_create(surveys)

    from unittest import mock

    from samverkan.portal import notifications

    # Demo data mails nobody: the demo command runs in one transaction, so notification
    # callbacks would otherwise all print to the console when it commits.
    with mock.patch.object(notifications, "mail_on_commit", lambda *args, **kwargs: None):
        _open_queue(lystkom, teams, categories, members, agent, orderer, rng)
        order_tickets = _order_tickets(lystkom, orderer)
    stdout.write(f"portal: {order_tickets} beställningar som ärenden\n")
    stdout.write(f"portal: {len(tickets)} ärenden 2023, {len(comments)} kommentarer, {len(surveys)} enkätsvar\n")


def _order_tickets(lystkom, orderer) -> int:
    """The catalogue's demo orders (built before the desk's teams existed) become tickets
    through the same use case as new orders, and the orderer places one more that waits for
    the member contact's approval, so the contact's start page has one to approve."""
    from decimal import Decimal

    from samverkan.catalogue.models import CatalogueItem
    from samverkan.core.actors import system_actor
    from samverkan.portal import usecases

    count = usecases.open_order_tickets(acting_user=system_actor(), federation=lystkom)
    phone = CatalogueItem.objects.filter(federation=lystkom, code="mobil").first()
    if orderer is not None and orderer.department_id and phone is not None:
        usecases.place_order(
            acting_user=orderer,
            item=phone,
            department=orderer.department,
            quantity=Decimal(2),
            form_data=dict.fromkeys(phone.order_fields, "Anna Berg"),
            delivery_address="Kommunhuset",
            note="Två telefoner till nya medarbetare i hemtjänsten.",
        )
        count += 1
    return count


def _open_queue(lystkom, teams, categories, members, agent, orderer, rng) -> None:
    """A handful of open tickets 'now' so the desk and the portal have something to work on."""
    from django.utils import timezone

    from samverkan.portal.services import comments, tickets, workflow

    now = timezone.now()
    creator = agent or users_with_role(lystkom, ADMIN).first()
    if creator is None:
        return
    lycksele = members["2481"]
    social = orderer.department if orderer else lycksele.departments.first()
    for i in range(24):
        team_code = ["it", "kundtjanst", "telefoni"][i % 3]
        category = rng.choice(categories[team_code])
        created = now - timedelta(hours=rng.randint(1, 120))
        ticket = tickets.ticket_create(
            acting_user=creator,
            member=lycksele if i % 2 else members["2421"],
            department=social if i % 4 == 1 else None,
            team=teams[team_code],
            category=category,
            title=rng.choice(TITLES[category.name]),
            description="(demoärende i kön)",
            channel=rng.choice(list(Channel)),
            impact=rng.choice([1, 2, 3]),
            urgency=rng.choice([1, 2, 3]),
            requester=orderer if i % 4 == 1 else None,
            created_at=created,
        )
        if i % 3 == 0:
            tickets.ticket_assign(acting_user=creator, ticket=ticket, assignee=agent)
        if i % 6 == 0:
            comments.comment_add(
                acting_user=creator,
                ticket=ticket,
                body="Vi behöver veta vilken dator det gäller.",
                now=created + timedelta(minutes=20),
            )
            workflow.ticket_change_status(
                acting_user=creator, ticket=ticket, status=Status.WAITING_REQUESTER, now=created + timedelta(minutes=21)
            )
