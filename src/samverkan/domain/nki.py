"""NKI (nöjd-kund-index): customer satisfaction per team and period from 1–10 answers.

Lystkom reports NKI "max 10,0" (seed 002: kundtjänst 7,5, IT 6,6 for 2023), so the index
here is on the answers' own 1–10 scale:

    respondent score = mean of that respondent's answers (1–10)
    NKI              = mean of the respondent scores, rounded half up to one decimal

Every respondent weighs the same however many questions they answered. The SCB-style
0–100 index is offered as well: ``(NKI_exact − 1) / 9 × 100`` (1 → 0, 10 → 100), one
decimal. Groups with fewer than ``min_responses`` respondents get no index, so a single
answer cannot be traced back to a person.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MIN_SCORE = 1
MAX_SCORE = 10
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class SurveyResponse:
    team: str
    period: Hashable  # e.g. 2023, "2023-T3" or a date; whatever the caller groups by
    answers: Sequence[int]

    def __post_init__(self) -> None:
        if not self.answers:
            raise ValueError("a survey response needs at least one answer")
        for answer in self.answers:
            if isinstance(answer, bool) or not isinstance(answer, int):
                raise TypeError(f"answers must be integers, got {answer!r}")
            if not MIN_SCORE <= answer <= MAX_SCORE:
                raise ValueError(f"answers must be {MIN_SCORE}–{MAX_SCORE}, got {answer}")

    @property
    def score(self) -> Decimal:
        return Decimal(sum(self.answers)) / Decimal(len(self.answers))


@dataclass(frozen=True)
class NkiResult:
    respondents: int
    exact: Decimal | None  # unrounded mean, None below the anonymity threshold

    @property
    def nki(self) -> Decimal | None:
        """The reported figure on the 1–10 scale, e.g. Decimal("7.5")."""
        return None if self.exact is None else self.exact.quantize(ONE_DECIMAL, ROUND_HALF_UP)

    @property
    def index_100(self) -> Decimal | None:
        if self.exact is None:
            return None
        scaled = (self.exact - MIN_SCORE) / (MAX_SCORE - MIN_SCORE) * 100
        return scaled.quantize(ONE_DECIMAL, ROUND_HALF_UP)


def nki(responses: Iterable[SurveyResponse], *, min_responses: int = 1) -> NkiResult:
    if min_responses < 1:
        raise ValueError("min_responses must be at least 1")
    scores = [response.score for response in responses]
    if len(scores) < min_responses:
        return NkiResult(respondents=len(scores), exact=None)
    return NkiResult(respondents=len(scores), exact=sum(scores, Decimal(0)) / len(scores))
