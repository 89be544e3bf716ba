import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.portal.models import Comment, SavedView, Status, Ticket
from samverkan.portal.services.attachments import attachment_add
from samverkan.portal.services.comments import comment_add
from samverkan.portal.services.standard_texts import standard_text_save
from samverkan.testing import assert_roles

DESK = {"admin", "agent"}
READERS = {"admin", "agent", "member_contact", "orderer"}


@pytest.fixture
def ticket(world, make_ticket):
    ticket = make_ticket()
    comment_add(acting_user=world.users["agent"], ticket=ticket, body="INTERN-HEMLIS", internal=True)
    comment_add(acting_user=world.users["agent"], ticket=ticket, body="Publikt svar")
    attachment_add(
        acting_user=world.users["agent"],
        ticket=ticket,
        internal=True,
        upload=SimpleUploadedFile("intern.txt", b"hemlig bilaga"),
    )
    attachment_add(
        acting_user=world.users["orderer"], ticket=ticket, upload=SimpleUploadedFile("bild.png", b"\x89PNG1234")
    )
    return ticket


def test_page_roles(world, ticket):
    for name in ("portal:my-tickets", "portal:ticket-list", "portal:ticket-create", "portal:ticket-export"):
        assert_roles(world, "get", reverse(name), allowed=READERS)
    for name in (
        "portal:desk",
        "portal:standard-texts",
        "portal:statistics",
        "portal:time-report",
        "portal:standard-text-create",
    ):
        assert_roles(world, "get", reverse(name), allowed=DESK)
    assert_roles(world, "get", reverse("portal:ticket-detail", args=[ticket.pk]), allowed=READERS)


def test_other_department_and_federation_get_404(world, make_ticket):
    other = make_ticket(acting_user=world.users["agent"], department=world.other_department)
    assert world.client("orderer").get(reverse("portal:ticket-detail", args=[other.pk])).status_code == 404
    assert world.client("member_contact").get(reverse("portal:ticket-detail", args=[other.pk])).status_code == 200
    assert world.client("outsider").get(reverse("portal:ticket-detail", args=[other.pk])).status_code == 404
    assert world.api("orderer").get(f"/api/v1/portal/tickets/{other.pk}/").status_code == 404


def test_internal_data_never_reaches_requesters(world, ticket):
    internal_file = ticket.attachments.get(internal=True)
    for role in ("orderer", "member_contact"):
        client = world.client(role)
        page = client.get(reverse("portal:ticket-detail", args=[ticket.pk])).content.decode()
        assert "Publikt svar" in page and "INTERN-HEMLIS" not in page and "intern.txt" not in page
        export = client.get(reverse("portal:ticket-print", args=[ticket.pk])).content.decode()
        assert "Publikt svar" in export and "INTERN-HEMLIS" not in export
        assert client.get(reverse("portal:attachment-download", args=[internal_file.pk])).status_code == 404
        api = world.api(role)
        comments = api.get(f"/api/v1/portal/tickets/{ticket.pk}/comments/").json()
        assert [c["body"] for c in comments] == ["Publikt svar"]
        files = api.get(f"/api/v1/portal/tickets/{ticket.pk}/attachments/").json()
        assert [f["original_name"] for f in files] == ["bild.png"]
        assert api.get(f"/api/v1/portal/attachments/{internal_file.pk}/download/").status_code == 404
        assert not api.get("/api/v1/portal/tickets/", {"q": "INTERN-HEMLIS"}).json()["results"]
        assert not client.get(reverse("portal:ticket-list"), {"q": "INTERN-HEMLIS"}).context["rows"]
    agent_page = world.client("agent").get(reverse("portal:ticket-detail", args=[ticket.pk])).content.decode()
    assert "INTERN-HEMLIS" in agent_page
    response = world.client("agent").get(reverse("portal:attachment-download", args=[internal_file.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"hemlig bilaga"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_requester_reports_and_follows_ticket(world, team, django_capture_on_commit_callbacks):
    client = world.client("orderer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:ticket-create"),
            {
                "title": "Ny dator",
                "description": "Behöver en bärbar",
                "team": team.pk,
                "type": "order",
                "member": world.member.pk,
                "department": world.department.pk,
                "impact": 3,
                "urgency": 3,
                "attachment": SimpleUploadedFile("offert.pdf", b"%PDF-1.4 test"),
            },
        )
    ticket = Ticket.objects.get(title="Ny dator")
    assert response.status_code == 302 and ticket.priority == 5 and ticket.attachments.count() == 1
    assert ticket.requester == world.users["orderer"] and ticket.channel == "portal"
    assert len(mail.outbox) == 1
    # the orderer cannot report for another department
    response = client.post(
        reverse("portal:ticket-create"),
        {
            "title": "Fel",
            "team": team.pk,
            "type": "incident",
            "member": world.member.pk,
            "department": world.other_department.pk,
            "impact": 3,
            "urgency": 3,
        },
    )
    assert response.status_code == 200 and not Ticket.objects.filter(title="Fel").exists()


def test_agent_works_ticket_with_standard_text_time_and_status(world, ticket, team):
    agent = world.client("agent")
    text = standard_text_save(
        acting_user=world.users["agent"],
        federation=world.federation,
        title="Klart",
        body="Hej {namn}, ärende {arende} är löst.",
    )
    page = agent.get(reverse("portal:ticket-detail", args=[ticket.pk]), {"standardtext": text.pk})
    assert f"ärende {ticket.reference} är löst" in page.content.decode()
    agent.post(
        reverse("portal:ticket-assign", args=[ticket.pk]), {"assignee": world.users["agent"].pk, "team": team.pk}
    )
    agent.post(reverse("portal:ticket-time", args=[ticket.pk]), {"minutes": 30, "day": "2025-01-10", "billable": "on"})
    agent.post(reverse("portal:ticket-status", args=[ticket.pk]), {"status": Status.RESOLVED})
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.assignee == world.users["agent"]
    assert ticket.time_entries.get().minutes == 30
    # requester answers the survey, agents may not
    assert world.client("agent").post(reverse("portal:ticket-survey", args=[ticket.pk]), {"score": 9})
    world.client("orderer").post(reverse("portal:ticket-survey", args=[ticket.pk]), {"score": 8})
    assert ticket.survey.score == 8


def test_requester_cannot_use_desk_actions(world, ticket):
    client = world.client("orderer")
    for name, data in [
        ("portal:ticket-status", {"status": "resolved"}),
        ("portal:ticket-time", {"minutes": 5}),
        ("portal:ticket-assign", {}),
        ("portal:ticket-merge", {"other": ticket.pk}),
    ]:
        assert client.post(reverse(name, args=[ticket.pk]), data).status_code == 403
    client.post(reverse("portal:ticket-comment", args=[ticket.pk]), {"body": "Försöker internt", "internal": "on"})
    assert Comment.objects.get(body="Försöker internt").internal is False


def test_desk_bulk_and_saved_views(world, make_ticket):
    a, b = make_ticket(), make_ticket()
    client = world.client("agent")
    client.post(reverse("portal:bulk-action"), {"ticket": [a.pk, b.pk], "action": "assign_me"})
    assert set(Ticket.objects.values_list("assignee", flat=True)) == {world.users["agent"].pk}
    client.post(reverse("portal:saved-view-save"), {"name": "Mina öppna", "query": "status=open&assignee=me"})
    assert SavedView.objects.get(user=world.users["agent"]).query == "status=open&assignee=me"
    response = client.get(reverse("portal:desk"), {"status": "open", "assignee": "me"})
    assert len(response.context["rows"]) == 2 and "Mina öppna" in response.content.decode()
    assert (
        world.client("orderer")
        .post(reverse("portal:bulk-action"), {"ticket": [a.pk], "action": "unassign"})
        .status_code
        == 403
    )


def test_csv_export_is_scoped(world, make_ticket):
    own = make_ticket(title="Egen")
    make_ticket(acting_user=world.users["agent"], member=world.other_member, department=None, title="Annans")
    text = world.client("orderer").get(reverse("portal:ticket-export")).content.decode()
    assert "Egen" in text and "Annans" not in text
    assert str(own.pk) in text


def test_api_roles_and_create(world, team):
    assert_roles(world, "get", "/api/v1/portal/tickets/", allowed=READERS, api=True)
    assert_roles(world, "get", "/api/v1/portal/statistics/?year=2023", allowed=DESK, api=True)
    assert_roles(world, "get", "/api/v1/portal/standard-texts/", allowed=DESK, api=True)
    assert_roles(
        world,
        "get",
        "/api/v1/portal/billable-time/?start=2023-01-01&end=2023-12-31",
        allowed={"admin", "agent", "economist"},
        api=True,
    )
    response = world.api("orderer").post(
        "/api/v1/portal/tickets/",
        {
            "title": "Via API",
            "team": team.pk,
            "member": world.member.pk,
            "department": world.department.pk,
            "impact": 1,
            "urgency": 1,
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["priority"] == 1
    assert response.json()["sla"]["response"]["target_minutes"] == 30
    foreign = world.api("outsider").post(
        "/api/v1/portal/tickets/", {"title": "X", "team": team.pk, "member": world.member.pk}, format="json"
    )
    assert foreign.status_code in (400, 403)
    pk = response.json()["id"]
    assert (
        world.api("orderer")
        .post(f"/api/v1/portal/tickets/{pk}/status/", {"status": "resolved"}, format="json")
        .status_code
        == 403
    )
    internal = world.api("orderer").post(
        f"/api/v1/portal/tickets/{pk}/comments/", {"body": "x", "internal": True}, format="json"
    )
    assert internal.status_code == 403
    ok = world.api("agent").post(f"/api/v1/portal/tickets/{pk}/status/", {"status": "resolved"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "resolved"


def test_inbound_mail_endpoint_requires_key(world, make_ticket, monkeypatch):
    from samverkan.portal.notifications import subject_tag

    monkeypatch.setenv("SAMVERKAN_INBOUND_MAIL_KEY", "k" * 40)
    ticket = make_ticket()
    raw = (
        f"From: orderer@test.se\r\nSubject: Re: {subject_tag(ticket)}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nTack!\r\n"
    ).encode()
    api = world.api(None)
    url = "/api/v1/portal/inbound-mail/"
    assert api.post(url, raw, content_type="message/rfc822").status_code == 403
    response = api.post(url, raw, content_type="message/rfc822", HTTP_X_SAMVERKAN_INBOUND_KEY="k" * 40)
    assert response.status_code == 201 and ticket.comments.get().body == "Tack!"
    bad = api.post(
        url, raw.replace(b"orderer@", b"nobody@"), content_type="message/rfc822", HTTP_X_SAMVERKAN_INBOUND_KEY="k" * 40
    )
    assert bad.status_code == 400


def test_statistics_page_shows_channel_table(world, make_ticket, team):
    for channel in ["phone", "phone", "portal", "visit"]:
        make_ticket(acting_user=world.users["agent"], channel=channel)
    year = Ticket.objects.first().created_at.year
    response = world.client("agent").get(reverse("portal:statistics"), {"ar": year})
    assert response.context["it_table"] == {"total": 4, "phone": 2, "portal": 1, "visit": 1, "email": 0}


def test_list_pages_without_counting(world, make_ticket):
    for _ in range(51):
        make_ticket()
    client = world.client("orderer")
    first = client.get(reverse("portal:my-tickets"))
    assert len(first.context["rows"]) == 50 and first.context["page"].has_next()
    second = client.get(reverse("portal:my-tickets"), {"sida": 2})
    assert len(second.context["rows"]) == 1 and not second.context["page"].has_next()
    assert "sida=1" in second.content.decode()


def test_requester_adds_member_contact_as_follower(world, make_ticket):
    from samverkan.portal.models import Follower

    ticket = make_ticket()
    other_dept = make_ticket(acting_user=world.users["agent"], department=world.other_department)
    client = world.client("orderer")
    contact = world.users["member_contact"]
    client.post(reverse("portal:ticket-follow", args=[ticket.pk]), {"follow": "1", "user": contact.pk})
    assert Follower.objects.filter(ticket=ticket, user=contact).exists()
    # an orderer of the department cannot be added to another department's ticket
    response = world.client("member_contact").post(
        reverse("portal:ticket-follow", args=[other_dept.pk]), {"follow": "1", "user": world.users["orderer"].pk}
    )
    assert response.status_code == 302
    assert not Follower.objects.filter(ticket=other_dept, user=world.users["orderer"]).exists()


def test_status_form_offers_the_workflows_moves_only(world, make_ticket):
    ticket = make_ticket()
    agent = world.client("agent")
    detail = reverse("portal:ticket-detail", args=[ticket.pk])
    offered = [value for value, _label in agent.get(detail).context["reply_form"].fields["status"].choices]
    # the current status first; "assigned" only once someone is assigned
    assert offered == ["new", "in_progress", "waiting_requester", "waiting_third_party", "resolved", "closed"]
    agent.post(reverse("portal:ticket-status", args=[ticket.pk]), {"status": Status.RESOLVED})
    response = agent.post(reverse("portal:ticket-status", args=[ticket.pk]), {"status": Status.NEW}, follow=True)
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and list(response.context["messages"])
    assert [v for v, _label in response.context["reply_form"].fields["status"].choices] == ["resolved", "closed"]


def test_orderer_reporting_without_department_is_told_on_the_form(world, team):
    data = {"title": "Utan förvaltning", "team": team.pk, "type": "incident", "member": world.member.pk}
    response = world.client("orderer").post(reverse("portal:ticket-create"), {**data, "impact": 3, "urgency": 3})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Ticket.objects.filter(title="Utan förvaltning").exists()
