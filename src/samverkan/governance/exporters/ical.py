"""A body's meeting plan as an iCalendar file (RFC 5545), one VEVENT per meeting.

Written by hand (no dependency): CRLF line ends, content lines folded at 75 octets without
splitting a UTF-8 character, TEXT values escaped. Times are local Swedish time with
TZID=Europe/Stockholm and the VTIMEZONE the RFC requires for it; a meeting without a time
is an all-day event (DATE values).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _

from samverkan.governance.models import Meeting, MeetingStatus

CRLF = "\r\n"
TZID = "Europe/Stockholm"
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (continuations start with a space,
    which counts towards their 75), never inside a multi-octet character."""
    pieces: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _local(day, moment) -> str:
    return datetime.combine(day, moment).strftime("%Y%m%dT%H%M%S")


def _event(meeting: Meeting, *, host: str, stamp: str) -> list[str]:
    if meeting.status == MeetingStatus.CANCELLED:
        summary = _("%(body)s: sammanträde (inställt)") % {"body": meeting.body.name}
    else:
        summary = _("%(body)s: sammanträde") % {"body": meeting.body.name}
    lines = ["BEGIN:VEVENT", f"UID:governance-meeting-{meeting.pk}@{host}", f"DTSTAMP:{stamp}"]
    if meeting.start_time:
        lines.append(f"DTSTART;TZID={TZID}:{_local(meeting.date, meeting.start_time)}")
        if meeting.end_time:
            lines.append(f"DTEND;TZID={TZID}:{_local(meeting.date, meeting.end_time)}")
    else:
        lines.append(f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}")
        lines.append(f"DTEND;VALUE=DATE:{meeting.date + timedelta(days=1):%Y%m%d}")
    lines.append(f"SUMMARY:{escape_text(summary)}")
    if meeting.place:
        lines.append(f"LOCATION:{escape_text(meeting.place)}")
    if meeting.topics:
        lines.append(f"DESCRIPTION:{escape_text(meeting.topics)}")
    lines.append("STATUS:CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def meeting_plan_ics(meetings: Iterable[Meeting], *, name: str, host: str = "samverkan", now=None) -> bytes:
    """The calendar (UTF-8 bytes) of the given meetings; `name` is the calendar's display name."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Samverkan//Styrning//SV",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for meeting in meetings:
        lines += _event(meeting, host=host, stamp=stamp)
    lines.append("END:VCALENDAR")
    return (CRLF.join(fold(line) for line in lines) + CRLF).encode("utf-8")
