"""Bad query parameters and bodies are 400s naming the field, never 500s (found by schemathesis)."""

import pytest
from django.urls import reverse

from samverkan.portal.models import Status

HUGE = str(2**70)


@pytest.mark.parametrize("year", ["-76", HUGE, "abc", "99999"])
def test_statistics_rejects_impossible_year(world, team, year):
    response = world.api("agent").get("/api/v1/portal/statistics/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


def test_statistics_with_valid_year_and_team(world, make_ticket):
    make_ticket()
    response = world.api("agent").get("/api/v1/portal/statistics/", {"year": 2023, "team": "it"})
    assert response.status_code == 200 and response.json()["year"] == 2023


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2023-13-01", "end": "2023-12-31"}, "start"),
        ({"start": "2023-01-01"}, "end"),
        ({"start": "2023-12-31", "end": "2023-01-01"}, "end"),
    ],
)
def test_billable_time_rejects_bad_dates(world, params, field):
    response = world.api("economist").get("/api/v1/portal/billable-time/", params)
    assert response.status_code == 400 and field in response.json()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"team": "abc"}, "team"),
        ({"team": HUGE}, "team"),
        ({"assignee": "xyz"}, "assignee"),
        ({"assignee": HUGE}, "assignee"),
        ({"status": "bogus"}, "status"),
        ({"priority": "9"}, "priority"),
        ({"channel": "fax"}, "channel"),
        ({"mine": "kanske"}, "mine"),
    ],
)
def test_ticket_list_rejects_bad_filters(world, make_ticket, params, field):
    make_ticket()
    response = world.api("agent").get("/api/v1/portal/tickets/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_ticket_list_filters_still_filter(world, make_ticket, team):
    open_ticket = make_ticket(title="Öppen")
    api = world.api("agent")
    ids = lambda params: [t["id"] for t in api.get("/api/v1/portal/tickets/", params).json()["results"]]  # noqa: E731
    assert ids({"status": "open", "team": team.pk, "assignee": "none"}) == [open_ticket.pk]
    assert ids({"status": Status.CLOSED}) == []
    assert ids({"assignee": "me"}) == []
    assert ids({"mine": "1"}) == []
    orderer = world.api("orderer").get("/api/v1/portal/tickets/", {"mine": "true"}).json()["results"]
    assert [t["id"] for t in orderer] == [open_ticket.pk]


@pytest.mark.parametrize("impact", [99, 2**70, "hög"])
def test_ticket_create_rejects_impact_outside_scale(world, team, impact):
    response = world.api("orderer").post(
        "/api/v1/portal/tickets/",
        {"title": "Fel", "team": team.pk, "member": world.member.pk, "impact": impact},
        format="json",
    )
    assert response.status_code == 400 and "impact" in response.json()


def test_ticket_status_change_rejects_unknown_status(world, make_ticket):
    ticket = make_ticket()
    response = world.api("agent").post(f"/api/v1/portal/tickets/{ticket.pk}/status/", {"status": "bogus"})
    assert response.status_code == 400 and "status" in response.json()
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_pages_fall_back_on_bad_parameters(world, make_ticket):
    ticket = make_ticket()
    agent = world.client("agent")
    assert agent.get(reverse("portal:statistics"), {"ar": "99999999999"}).status_code == 200
    assert agent.get(reverse("portal:ticket-list"), {"sida": "1" + "0" * 30}).status_code == 200
    detail = reverse("portal:ticket-detail", args=[ticket.pk])
    assert agent.get(detail, {"standardtext": "abc"}).status_code == 200
    assert agent.get(detail, {"standardtext": HUGE}).status_code == 200


def _mail(ticket, *, sender="orderer@test.se", charset="utf-8", body="Tack!", encoding="8bit", filename=None):
    from samverkan.portal.notifications import subject_tag

    head = f"From: {sender}\r\nSubject: Re: {subject_tag(ticket)}\r\nMIME-Version: 1.0\r\n"
    text = f"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n{body}\r\n"
    if filename is None:
        return (head + text).encode()
    attachment = f'Content-Type: text/plain\r\nContent-Disposition: attachment; filename="{filename}"\r\n\r\nx\r\n'
    return (
        head + f'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n{text}--B\r\n{attachment}--B--\r\n'
    ).encode()


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"body": "hej=00du", "encoding": "quoted-printable"}, "NUL"),
        ({"sender": "=?utf-8?q?Anna=00?= <orderer@test.se>"}, "NUL"),
        ({"filename": "=?utf-8?q?a=00.txt?="}, "NUL"),
        ({"charset": "x-no-such-charset"}, "okänd teckenkodning"),
    ],
)
def test_inbound_mail_that_cannot_be_stored_is_400(world, make_ticket, monkeypatch, kwargs, reason):
    """On PostgreSQL these reached the database (DataError) or the decoder (LookupError): 500."""
    monkeypatch.setenv("SAMVERKAN_INBOUND_MAIL_KEY", "k" * 40)
    ticket = make_ticket()
    response = world.api(None).post(
        "/api/v1/portal/inbound-mail/",
        _mail(ticket, **kwargs),
        content_type="message/rfc822",
        HTTP_X_SAMVERKAN_INBOUND_KEY="k" * 40,
    )
    assert response.status_code == 400 and reason in response.json()[0]
    assert not ticket.comments.exists()


def test_inbound_mail_with_attachment_still_becomes_comment(world, make_ticket, monkeypatch):
    monkeypatch.setenv("SAMVERKAN_INBOUND_MAIL_KEY", "k" * 40)
    ticket = make_ticket()
    response = world.api(None).post(
        "/api/v1/portal/inbound-mail/",
        _mail(ticket, body="Tack=21", encoding="quoted-printable", filename="logg.txt"),
        content_type="message/rfc822",
        HTTP_X_SAMVERKAN_INBOUND_KEY="k" * 40,
    )
    assert response.status_code == 201, response.content
    assert response.json() == {"id": ticket.comments.get().pk, "ticket": ticket.pk}
    assert ticket.comments.get().body == "Tack!"


def test_bulk_action_ignores_bad_ids_and_refuses_unknown_status(world, make_ticket):
    ticket = make_ticket()
    agent = world.client("agent")
    url = reverse("portal:bulk-action")
    response = agent.post(url, {"ticket": [ticket.pk, HUGE, "abc"], "action": "status", "value": "bogus"}, follow=True)
    assert response.status_code == 200 and "Välj en giltig status." in response.content.decode()
    assert agent.post(url, {"ticket": [HUGE], "action": "team", "value": "abc"}).status_code == 404
    agent.post(url, {"ticket": [ticket.pk, HUGE], "action": "assign_me"})
    ticket.refresh_from_db()
    assert ticket.assignee == world.users["agent"]
