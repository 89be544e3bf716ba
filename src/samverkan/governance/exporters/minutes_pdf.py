"""The minutes (protokoll) as an A4 PDF in the layout of seed 001 (LYST, October 2013).

Page header "n(N)" on every page; the first page holds place and time, those present (members
and serving substitutes deciding, substitutes, others present with the paragraphs they were
present at, "51-52"), the adjusters, the signature block (Sekreterare with the paragraphs,
Ordförande, Justerare, each on a line) and the ANSLAG/BEVIS box; then each paragraph on a page
of its own with its label in the left margin ("Lyst 51"), "Dnr", title, text, decision and the
"sänds till" list. Drawn by WeasyPrint from governance/minutes_pdf.html.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from samverkan.governance.models import AdjusterRole, AttendanceKind, Minutes
from samverkan.governance.selectors import minutes as selectors


def minutes_context(minutes: Minutes) -> dict:
    meeting = minutes.meeting
    attendance = selectors.minutes_attendance(minutes)
    paragraphs = selectors.minutes_paragraphs(minutes)
    adjusters = selectors.minutes_adjusters(minutes)
    numbers = [p.number for p in paragraphs]

    def of(*kinds):
        return [a for a in attendance if a.kind in kinds]

    return {
        "minutes": minutes,
        "meeting": meeting,
        "body": meeting.body,
        "deciding": of(AttendanceKind.MEMBER, AttendanceKind.SERVING_SUBSTITUTE),
        "substitutes": of(AttendanceKind.SUBSTITUTE),
        "others": of(AttendanceKind.OTHER),
        "adjusters": [a for a in adjusters if a.role == AdjusterRole.ADJUSTER],
        "chair": next((a for a in adjusters if a.role == AdjusterRole.CHAIR), None),
        "paragraph_span": selectors.paragraph_range(numbers),
        "paragraphs": [
            {"p": p, "label": selectors.paragraph_label(p), "dispatch": p.dispatch_to.splitlines()} for p in paragraphs
        ],
        "posting": getattr(minutes, "posting", None),
    }


def adjuster_name(adjuster) -> str:
    user = adjuster.user
    return user.get_full_name() or user.get_username()


def minutes_pdf(minutes: Minutes) -> bytes:
    from weasyprint import HTML  # heavy; loaded only when a PDF is asked for

    context = minutes_context(minutes)
    context["adjuster_names"] = [adjuster_name(a) for a in context["adjusters"]]
    html = render_to_string("governance/minutes_pdf.html", context)
    return bytes(HTML(string=html).write_pdf())
