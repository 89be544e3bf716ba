"""Meeting pages: who reads which body's meetings, editing the agenda, the notice, PDF and iCal."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core import mail
from django.urls import reverse

from samverkan.governance.models import Meeting
from samverkan.governance.services import meetings as services
from samverkan.governance.tests.meetings_helpers import make_body, make_case
from samverkan.testing import assert_roles

pytestmark = pytest.mark.django_db
READERS = {"admin", "secretary", "economist", "board"}
EDITORS = {"admin", "secretary"}


@pytest.fixture
def meeting(world):
    body = make_body(world)
    return services.meeting_create(
        acting_user=world.users["admin"],
        body=body,
        date=date(2014, 2, 3),
        start_time=time(10),
        place="Lycksele rådrummet",
        topics="Verksamhetsberättelse 2013",
    )


def test_read_pages_by_role(world, meeting):
    for url in (
        reverse("governance:meetings"),
        reverse("governance:meeting_detail", kwargs={"pk": meeting.pk}),
        reverse("governance:meeting_plan", kwargs={"body": meeting.body_id, "year": 2014}),
        reverse("governance:meeting_plan_ics", kwargs={"body": meeting.body_id, "year": 2014}),
    ):
        assert_roles(world, "get", url, allowed=READERS)


def test_edit_pages_by_role(world, meeting):
    for url in (
        reverse("governance:meeting_create"),
        reverse("governance:meeting_edit", kwargs={"pk": meeting.pk}),
        reverse("governance:agenda_item_create", kwargs={"pk": meeting.pk}),
        reverse("governance:notice_send", kwargs={"pk": meeting.pk}),
    ):
        assert_roles(world, "get", url, allowed=EDITORS)


def test_board_member_sees_only_the_bodies_they_sit_in(world, meeting):
    other_body = make_body(world, federation=world.federation, name="Presidiet")
    hidden = services.meeting_create(acting_user=world.users["admin"], body=other_body, date=date(2014, 3, 1))
    client = world.client("board")
    assert client.get(reverse("governance:meeting_detail", kwargs={"pk": hidden.pk})).status_code == 404
    assert (
        client.get(reverse("governance:meeting_plan", kwargs={"body": other_body.pk, "year": 2014})).status_code == 404
    )
    page = client.get(reverse("governance:meetings")).content.decode()
    assert "Presidiet" not in page and "Samverkansnämnden LYST" in page
    assert (
        world.client("economist").get(reverse("governance:meeting_detail", kwargs={"pk": hidden.pk})).status_code == 200
    )


def test_other_federation_gets_404(world, meeting):
    client = world.client("outsider")
    assert client.get(reverse("governance:meeting_detail", kwargs={"pk": meeting.pk})).status_code == 404
    url = reverse("governance:meeting_plan", kwargs={"body": meeting.body_id, "year": 2014})
    assert client.get(url).status_code == 404


def test_plan_page_shows_topics(world, meeting):
    page = world.client("board").get(reverse("governance:meeting_plan", kwargs={"body": meeting.body_id, "year": 2014}))
    text = page.content.decode()
    assert "Måndag 3 februari" in text and "Verksamhetsberättelse 2013" in text


def test_create_meeting_and_add_case_item_through_the_pages(world, meeting):
    client = world.client("secretary")
    response = client.post(
        reverse("governance:meeting_create"),
        {"body": meeting.body_id, "date": "2014-03-24", "start_time": "10:00", "topics": "Investeringsbudget"},
    )
    assert response.status_code == 302
    created = Meeting.objects.get(date=date(2014, 3, 24))
    assert created.agenda_items.count() == 3
    case = make_case(world)
    doc = case.documents.get(sequence=1)
    response = client.post(
        reverse("governance:agenda_item_create", kwargs={"pk": created.pk}),
        {"kind": "case", "case": case.pk, "proposal": "Nämnden godkänner.", "documents": [doc.pk]},
    )
    assert response.status_code == 302, response.content.decode()
    item = created.agenda_items.get(position=4)
    assert item.title == case.title and list(item.documents.all()) == [doc]
    # move it up, then read the page as a board member: secret document flagged
    client.post(reverse("governance:agenda_item_move", kwargs={"pk": created.pk, "item": item.pk}), {"steg": "upp"})
    item.refresh_from_db()
    assert item.position == 3


def test_case_item_without_case_shows_the_error(world, meeting):
    response = world.client("admin").post(
        reverse("governance:agenda_item_create", kwargs={"pk": meeting.pk}), {"kind": "case", "title": "X"}
    )
    assert response.status_code == 200
    assert "Välj ärendet ur diariet." in response.content.decode()


def test_secret_document_listed_and_flagged_but_not_downloadable_for_board(world, meeting):
    case = make_case(world)
    secret = case.documents.get(sequence=2)
    services.agenda_item_add(acting_user=world.users["admin"], meeting=meeting, case=case, documents=[secret])
    page = world.client("board").get(reverse("governance:meeting_detail", kwargs={"pk": meeting.pk}))
    assert "Sekretess: OSL 31 kap. 16 §" in page.content.decode()
    url = reverse("governance:meeting_document", kwargs={"pk": meeting.pk, "doc": secret.pk})
    assert world.client("board").get(url).status_code == 403


def test_send_notice_from_the_page(world, meeting, django_capture_on_commit_callbacks):
    client = world.client("secretary")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("governance:notice_send", kwargs={"pk": meeting.pk}), {"note": ""}, follow=True)
    text = response.content.decode()
    assert "Kallelsen skickas till 2 mottagare." in text
    assert "Lilly Bäcklund" in text  # reported: no address
    assert len(mail.outbox) == 2
    response = client.post(reverse("governance:notice_send", kwargs={"pk": meeting.pk}), {"note": ""})
    assert response.status_code == 200 and "Skriv varför den skickas igen." in response.content.decode()


def test_pdfs_have_the_page_header(world, meeting):
    for name in ("meeting_agenda_pdf", "meeting_notice_pdf"):
        response = world.client("board").get(reverse(f"governance:{name}", kwargs={"pk": meeting.pk}))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    html_template = "governance/agenda_pdf.html"
    from django.template.loader import render_to_string

    html = render_to_string(html_template, {"meeting": meeting, "body": meeting.body, "items": []})
    assert 'counter(page) "(" counter(pages) ")"' in html
    response = world.client("board").get(
        reverse("governance:meeting_plan_pdf", kwargs={"body": meeting.body_id, "year": 2014})
    )
    assert response.content.startswith(b"%PDF")


def _margin_texts(page) -> dict[str, str]:
    """The text in each page-margin box of a laid-out WeasyPrint page."""
    found: dict[str, str] = {}

    def walk(box, into: list[str]) -> None:
        if hasattr(box, "text"):
            into.append(box.text)
        for child in getattr(box, "children", None) or []:
            walk(child, into)

    for child in page._page_box.children:
        if type(child).__name__ == "MarginBox":
            texts: list[str] = []
            walk(child, texts)
            found[child.at_keyword] = "".join(texts)
    return found


def test_notice_pdf_has_n_of_N_and_the_body_on_every_page(world, meeting):
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from samverkan.governance.exporters.agenda_pdf import agenda_context
    from samverkan.governance.models import Office, Seat
    from samverkan.governance.selectors.meetings import agenda_items

    Seat.objects.filter(person_name="Tomas Mörtsell").update(office=Office.CHAIR)
    case = make_case(world)
    for n in range(8):
        services.agenda_item_add(
            acting_user=world.users["admin"],
            meeting=meeting,
            case=case,
            title=f"Ärende {n}",
            proposal="Nämnden beslutar enligt förslaget.\n" * 12,
            documents=list(case.documents.all()),
        )
    context = agenda_context(meeting, agenda_items(meeting), secretary="Marie Ahlqvist")
    html = render_to_string("governance/notice_pdf.html", context)
    assert "Tomas Mörtsell" in html and "Marie Ahlqvist" in html and "Till ersättare för kännedom" in html
    assert "Anbud med affärshemligheter" not in html  # the PDF travels by mail: secret titles stay out
    pages = HTML(string=html).render().pages
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        margins = _margin_texts(page)
        assert margins["@top-right"] == f"{number}({len(pages)})"
        assert margins["@top-left"].startswith("Samverkansnämnden LYST")


def test_board_downloads_a_public_document_of_their_meeting(world, meeting, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    case = make_case(world)
    doc = case.documents.get(sequence=1)
    doc.file.save("tjansteskrivelse.txt", ContentFile(b"Tjansteskrivelse"))
    url = reverse("governance:meeting_document", kwargs={"pk": meeting.pk, "doc": doc.pk})
    assert world.client("board").get(url).status_code == 404  # not on the agenda yet
    services.agenda_item_add(acting_user=world.users["admin"], meeting=meeting, case=case, documents=[doc])
    response = world.client("board").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"Tjansteskrivelse"
    assert world.client("outsider").get(url).status_code == 404


def test_edit_item_page_offers_only_its_case_documents(world, meeting):
    case = make_case(world)
    other = make_case(world, number="2013-17", sequence=17)
    item = services.agenda_item_add(acting_user=world.users["admin"], meeting=meeting, case=case)
    url = reverse("governance:agenda_item_edit", kwargs={"pk": meeting.pk, "item": item.pk})
    page = world.client("secretary").get(url).content.decode()
    assert "2013-16:1" in page and "2013-17:1" not in page
    response = world.client("secretary").post(
        url,
        {
            "kind": "case",
            "case": case.pk,
            "title": "Scanning",
            "documents": [case.documents.get(sequence=1).pk],
            "dispatch_to": "Storumans kommun",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Scanning" and item.dispatch_to == "Storumans kommun"
    assert other.documents.count() == 2
