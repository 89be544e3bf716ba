"""Standard texts (canned replies) with placeholders such as ``{namn}`` and ``{arende}``.

Only the listed placeholders exist, and they are replaced textually — never through
``str.format`` — so a text cannot reach attributes of the objects behind them.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
PLACEHOLDERS = {
    "namn": "the requester's name",
    "arende": "the ticket reference, e.g. #123",
    "rubrik": "the ticket title",
    "handlaggare": "the agent's name",
    "team": "the team's name",
    "medlem": "the member municipality",
}


def check_template(body: str) -> None:
    unknown = sorted({name for name in PLACEHOLDER_RE.findall(body) if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Okända platshållare: %(names)s. Tillåtna: %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join("{" + p + "}" for p in PLACEHOLDERS)}
        )


def render_standard_text(body: str, *, ticket, agent) -> str:
    values = {
        "namn": ticket.requester_name or _("beställare"),
        "arende": ticket.reference,
        "rubrik": ticket.title,
        "handlaggare": (agent.get_full_name() or agent.username) if agent else "",
        "team": ticket.team.name,
        "medlem": ticket.member.name,
    }
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), body)
