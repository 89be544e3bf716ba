"""The agenda (föredragningslista), the notice (kallelse) and the meeting plan as A4 PDFs in
the layout of seed 001: page header "n(N)" on every page, the body's name, date and place.
Drawn by WeasyPrint from templates in governance/."""

from __future__ import annotations

from django.template.loader import render_to_string

from samverkan.governance.models import AgendaItem, Body, Meeting
from samverkan.governance.selectors.meetings import meeting_chair


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # heavy; loaded only when a PDF is asked for

    return bytes(HTML(string=render_to_string(template, context)).write_pdf())


def agenda_context(meeting: Meeting, items: list[AgendaItem], *, secretary: str = "") -> dict:
    """What the agenda templates read; signed by the chair and the secretary as in seed 003."""
    return {
        "meeting": meeting,
        "body": meeting.body,
        "items": items,
        "chair": meeting_chair(meeting),
        "secretary": secretary,
    }


def render_agenda(meeting: Meeting, items: list[AgendaItem], *, notice: bool = False, secretary: str = "") -> bytes:
    """The agenda; with `notice` the notice's addressee lines ("Till … ledamöter", "Till
    ersättare för kännedom") and the call to the meeting."""
    template = "governance/notice_pdf.html" if notice else "governance/agenda_pdf.html"
    return _pdf(template, agenda_context(meeting, items, secretary=secretary))


def render_plan(body: Body, year: int, meetings: list[Meeting]) -> bytes:
    return _pdf("governance/meeting_plan_pdf.html", {"body": body, "year": year, "meetings": meetings})
