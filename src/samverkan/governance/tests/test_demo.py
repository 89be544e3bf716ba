"""The governance demo runs after the other modules' demos and can run again."""

from io import StringIO

import pytest

from samverkan.governance import demo
from samverkan.governance.models import Body, Meeting, NoticePosting, Paragraph, Seat
from samverkan.members import demo as members_demo


@pytest.mark.django_db
def test_build_twice():
    members_demo.build(StringIO())
    out = StringIO()
    demo.build(out)
    assert "LYST" in out.getvalue()
    counts = (Body.objects.count(), Seat.objects.count(), Meeting.objects.count(), Paragraph.objects.count())
    assert counts[0] == 3  # LYST 2013, Lystkom's direktion, GSN
    again = StringIO()
    demo.build(again)
    assert "redan byggt" in again.getvalue()
    assert (Body.objects.count(), Seat.objects.count(), Meeting.objects.count(), Paragraph.objects.count()) == counts
    assert NoticePosting.objects.count() == 1


@pytest.mark.django_db
def test_direktion_seats_per_member_and_board_user():
    members_demo.build(StringIO())
    demo.build(StringIO())
    direktion = Body.objects.get(federation__slug="lystkom", name=demo.DIREKTION)
    members = {s.appointed_by.name for s in direktion.seats.filter(kind="member")}
    substitutes = {s.appointed_by.name for s in direktion.seats.filter(kind="substitute")}
    assert members == substitutes and len(members) == 5
    chair = direktion.seats.get(office="chair")
    assert chair.user.username == "ledamot"
    dorotea = direktion.seats.get(appointed_by__name="Dorotea kommun", kind="member")
    assert dorotea.start.year == 2025  # joins 1 January 2025


@pytest.mark.django_db
def test_without_federations_builds_nothing():
    out = StringIO()
    demo.build(out)
    assert Body.objects.count() == 0


@pytest.mark.django_db
def test_demo_pages_render():
    """The seeds as a user sees them: the adjusted minutes, the 2014 plan, the public notice
    board's history, GSN's agenda and agreement."""
    from django.test import Client
    from django.urls import reverse

    from samverkan.core.models import User
    from samverkan.governance.models import Agreement, Minutes

    members_demo.build(StringIO())
    demo.build(StringIO())
    secretary = Client()
    secretary.force_login(User.objects.get(username="sekreterare"))
    record = Minutes.objects.get(meeting__body__name="Samverkansnämnden LYST")
    page = secretary.get(reverse("governance:minutes_detail", kwargs={"pk": record.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lyst 58" in text and "2013-16" in text and "Lilly Bäcklund" in text
    body = record.meeting.body
    plan = secretary.get(reverse("governance:meeting_plan", kwargs={"body": body.pk, "year": 2014}))
    assert plan.status_code == 200 and "Verksamhetsberättelse 2013" in plan.content.decode()
    board = Client().get(reverse("governance:notice_board", kwargs={"slug": "lystkom"}))  # the public, no login
    assert board.status_code == 200
    assert not board.context["board"].current
    [notice] = board.context["board"].history
    assert (notice.body, notice.paragraphs) == ("Samverkansnämnden LYST", "Lyst 50–58")
    assert notice.posted_on.year == 2013 and "Samverkansnämnden LYST" in board.content.decode()
    gsn = Client()
    gsn.force_login(User.objects.get(username="sekreterare.gsn"))
    meeting = Body.objects.get(federation__slug="gsn").meetings.get()
    agenda = gsn.get(reverse("governance:meeting_detail", kwargs={"pk": meeting.pk}))
    assert agenda.status_code == 200 and "Val av justerande" in agenda.content.decode()
    agreement = Agreement.objects.get(federation__slug="gsn")
    detail = gsn.get(reverse("governance:agreement_detail", kwargs={"pk": agreement.pk}))
    assert detail.status_code == 200 and "GSN 2020/30" in detail.content.decode()
