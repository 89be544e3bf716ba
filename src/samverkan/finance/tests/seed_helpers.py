"""Shared by the seed tests: build a demo federation's finance data and compare printed figures."""

from __future__ import annotations

from decimal import Decimal

from samverkan.core.models import User
from samverkan.core.roles import Role
from samverkan.domain.report_table import ReportTable, Unit, printed


def economist(federation, username: str) -> User:
    return User.objects.create_user(
        username=username, password="x", federation=federation, roles=[Role.ECONOMIST], first_name="E", last_name="K"
    )


class Figures:
    """Collects every printed figure that differs from the seed, so one run reports them all."""

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.checked = 0
        self.wrong: list[str] = []

    def check(self, label: str, amount: Decimal | None, expected: str | int | None) -> None:
        self.checked += 1
        got = None if amount is None else printed(amount, self.unit)
        want = None if expected is None else Decimal(str(expected))
        if got != want:
            self.wrong.append(f"{label}: seed {want}, report {got} (from {amount} kr)")

    def row(self, table: ReportTable, key: str) -> tuple[Decimal | None, ...]:
        rows = {r.key: r for r in table.rows}
        if key not in rows:
            self.wrong.append(f"{table.title}: no row {key!r} (rows: {', '.join(rows)})")
            return (None,) * len(table.columns)
        return rows[key].values

    def done(self) -> None:
        assert self.checked, "nothing was checked"
        assert not self.wrong, f"{len(self.wrong)} of {self.checked} figures differ:\n" + "\n".join(self.wrong)
