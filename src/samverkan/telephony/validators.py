"""The limits of every field of a call record: one rule per field, used by both readers of a
queue_log (the reference reader and DuckDB's scan), the CSV reader, the models and the forms.

What a reader refuses here is refused by `telephony import`, `telephony service-level`, the import
page and the API alike; the model repeats the queue name's rule (and the database checks its
length) so that nothing the readers let through can be cut or fail later.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samverkan.domain.numbers import NumberError, parse_int

QUEUE_NAME_MAX = 100  # Queue.name
CALLID_MAX = 64
AGENT_MAX = 100  # AgentInterval.agent
MAX_SECONDS = 7 * 86_400  # a wait, hold or talk time: a week is already a stuck channel
MIN_EPOCH, MAX_EPOCH = 0, 7_258_118_400  # 1970-01-01 .. 2200-01-01 00:00 UTC
MIN_YEAR, MAX_YEAR = 1970, 2199
NUMBER_DIGITS = 15  # at most this many characters in a queue_log number (fits BIGINT, DuckDB agrees)
MAX_LINE_CHARS = 4096  # a line of a call-record file
MAX_FILE_BYTES = 2 * 1024**3  # one file: ~30 million queue_log lines

# Control characters (tab, newline and NUL included) are refused in the text a call keeps
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def text_problem(value: str, *, limit: int) -> str | None:
    """Why ``value`` cannot be a queue name, call id or agent of at most ``limit`` characters (None: it can)."""
    if not value:
        return _("saknas")
    if len(value) > limit:
        return _("högst %(limit)s tecken (här %(length)s)") % {"limit": limit, "length": len(value)}
    bad = CONTROL.search(value)
    if bad:
        return _("styrtecken är inte tillåtna (U+%(code)04X)") % {"code": ord(bad.group())}
    return None


def queue_name_problem(value: str) -> str | None:
    return text_problem(value, limit=QUEUE_NAME_MAX)


def validate_queue_name(value: str) -> None:
    """The model's validator: the rule the readers apply to a queue name."""
    problem = queue_name_problem(value)
    if problem:
        raise ValidationError(_("Könamnet: %(problem)s.") % {"problem": problem})


def whole_number(text: str, *, maximum: int) -> int:
    """A queue_log figure: digits only (at most NUMBER_DIGITS), from 0 to ``maximum``; NumberError otherwise."""
    if not (text.isascii() and text.isdigit()):
        raise NumberError(_("är inte ett heltal: «%(value)s»") % {"value": _shown(text)})
    if len(text) > NUMBER_DIGITS:
        raise NumberError(
            _("högst %(digits)s siffror (här %(length)s)") % {"digits": NUMBER_DIGITS, "length": len(text)}
        )
    return parse_int(text, minimum=0, maximum=maximum, max_digits=NUMBER_DIGITS)


def seconds(text: str) -> int:
    """A wait, hold or talk time in whole seconds, in a queue_log or a CSV ("12", "1 200", "12,0")."""
    return parse_int(text, minimum=0, maximum=MAX_SECONDS)


def epoch_problem(epoch: int) -> str | None:
    if not MIN_EPOCH <= epoch <= MAX_EPOCH:
        return _("tiden måste ligga mellan år %(first)s och %(last)s") % {"first": MIN_YEAR, "last": MAX_YEAR}
    return None


def _shown(text: str) -> str:
    return text if len(text) <= 20 else text[:20] + "…"
