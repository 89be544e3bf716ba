"""Ticket priority from impact × urgency (the ITIL priority matrix).

Agents judge two things they can actually observe — how many are affected (impact) and
how soon it hurts (urgency) — and the priority, which drives the SLA targets, follows
from a published table instead of a gut feeling. The default is the common ITIL 3 × 3
matrix giving priorities 1–5 (priority = impact + urgency − 1):

    impact \\ urgency   1 hög   2 medel   3 låg
    1 hög (many/all)    1       2         3
    2 medel (a group)   2       3         4
    3 låg (one person)  3       4         5
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum


class Impact(IntEnum):
    HIGH = 1  # a whole service or many users (e.g. the switchboard is down)
    MEDIUM = 2  # a department or a group of users
    LOW = 3  # one person


class Urgency(IntEnum):
    HIGH = 1  # work stops now, no workaround
    MEDIUM = 2  # work is hampered, a workaround exists
    LOW = 3  # can wait / planned


class Priority(IntEnum):
    CRITICAL = 1
    HIGH = 2
    MEDIUM = 3
    LOW = 4
    PLANNING = 5


PriorityMatrix = Mapping[tuple[Impact, Urgency], Priority]

ITIL_MATRIX: PriorityMatrix = {
    (impact, urgency): Priority(impact + urgency - 1) for impact in Impact for urgency in Urgency
}


def validate_matrix(matrix: PriorityMatrix) -> None:
    """A custom matrix must cover every cell and never rank a worse case lower.

    Monotone means: raising impact or urgency (a smaller number) never gives a less
    urgent priority (a bigger number). Anything else makes the table contradict itself.
    """
    missing = [(i, u) for i in Impact for u in Urgency if (i, u) not in matrix]
    if missing:
        raise ValueError(f"priority matrix lacks cells {missing}")
    for impact in Impact:
        for urgency in Urgency:
            here = matrix[(impact, urgency)]
            if impact > Impact.HIGH and matrix[(Impact(impact - 1), urgency)] > here:
                raise ValueError(f"higher impact gives lower priority at {(impact, urgency)}")
            if urgency > Urgency.HIGH and matrix[(impact, Urgency(urgency - 1))] > here:
                raise ValueError(f"higher urgency gives lower priority at {(impact, urgency)}")


def priority_for(impact: int, urgency: int, matrix: PriorityMatrix = ITIL_MATRIX) -> Priority:
    """Look up the priority; plain ints (from a form or the API) are accepted and checked."""
    try:
        key = (Impact(impact), Urgency(urgency))
    except ValueError:
        raise ValueError(f"impact and urgency must be 1–3, got {impact} and {urgency}") from None
    return matrix[key]
