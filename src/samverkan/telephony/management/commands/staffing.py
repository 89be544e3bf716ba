"""`samverkan staffing erlang …` and `samverkan staffing plan FILE` (no database needed).

Every number goes through the one number parser with the bounds of the page and the API;
ratios (--target, --shrinkage, --max-occupancy) are shares (0.8) or percentages with % (80 %),
never a bare 80. The plan file is read by importers/plan.py (BOM, UTF-16, bounds, at most MAX_ROWS).
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samverkan.domain import erlang
from samverkan.domain.errors import DomainError
from samverkan.domain.numbers import NumberError, parse_decimal, parse_int, parse_ratio
from samverkan.telephony.importers.plan import read_plan
from samverkan.telephony.usecases import staffing_for_interval, staffing_plan


def _option(name: str, text: str, **limits) -> float:
    try:
        return float(parse_decimal(text, max_digits=15, **limits))
    except NumberError as exc:
        raise CommandError(f"--{name}: {exc}") from None


def _ratio(name: str, text: str, **limits) -> Decimal:
    try:
        return parse_ratio(text, **limits)
    except NumberError as exc:
        raise CommandError(f"--{name}: {exc}") from None


class Command(BaseCommand):
    help = "Erlang C (or A) staffing for one interval, Erlang C for a CSV of intervals."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("erlang", "plan"):
            p = sub.add_parser(name)
            if name == "erlang":
                p.add_argument("--calls", required=True, help="calls in the interval")
                p.add_argument("--aht", required=True, help="average handle time, seconds")
                p.add_argument(
                    "--patience",
                    default=None,
                    help="mean caller patience in seconds: Erlang A (with abandonment) instead of Erlang C",
                )
            else:
                p.add_argument("file", help="CSV with columns start, calls and optional aht")
                p.add_argument("--aht", default=None, help="handle time when the CSV has no aht column")
            p.add_argument("--interval", default="1800", help="interval length in seconds (default 1800)")
            p.add_argument("--target", default="0.8", help="target service level: 0.8 or 80 %%")
            p.add_argument("--within", default="20", help="threshold T in seconds")
            p.add_argument("--shrinkage", default="0", help="share of paid time not on the phone: 0.3 or 30 %%")
            p.add_argument("--max-occupancy", default="1", help="occupancy cap: 0.85 or 85 %%")
            p.add_argument("--format", choices=["table", "json", "csv"], default="table", dest="output")

    def handle(self, *args, **opts):
        try:
            opts["interval"] = parse_int(
                opts["interval"], minimum=erlang.MIN_INTERVAL_SECONDS, maximum=erlang.MAX_INTERVAL_SECONDS
            )
        except NumberError as exc:
            raise CommandError(f"--interval: {exc}") from None
        opts["within"] = _option("within", opts["within"], minimum=0, maximum=erlang.MAX_WITHIN_SECONDS)
        target = _ratio("target", opts["target"], minimum=Decimal("0.01"), maximum=Decimal("0.999"))
        shrinkage = _ratio("shrinkage", opts["shrinkage"], maximum=Decimal("0.95"))
        max_occ = _ratio("max-occupancy", opts["max_occupancy"], minimum=Decimal("0.1"))
        try:
            if opts["action"] == "erlang":
                self._erlang(opts, target, shrinkage, max_occ)
            else:
                self._plan(opts, target, shrinkage, max_occ)
        except DomainError as exc:
            raise CommandError(str(exc)) from None

    def _erlang(self, opts, target, shrinkage, max_occ) -> None:
        patience = opts["patience"]
        result = staffing_for_interval(
            calls=_option("calls", opts["calls"], minimum=0, maximum=erlang.MAX_CALLS),
            interval_seconds=opts["interval"],
            aht_seconds=_option("aht", opts["aht"], minimum=1, maximum=erlang.MAX_HANDLE_SECONDS),
            target=target,
            within_seconds=opts["within"],
            shrinkage=shrinkage,
            max_occupancy=max_occ,
            patience_seconds=None
            if patience is None
            else _option("patience", patience, minimum=1, maximum=erlang.MAX_PATIENCE_SECONDS),
        )
        data = result.as_dict()
        if opts["output"] == "json":
            self.stdout.write(json.dumps(data))
            return
        if opts["output"] == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(data.keys())
            writer.writerow(data.values())
            return
        self.stdout.write(f"{result.model_name}, trafik: {result.traffic_erlangs:.2f} Erlang")
        for key, value in data.items():
            self.stdout.write(f"{key}: {round(value, 6) if isinstance(value, float) else value}")

    def _plan(self, opts, target, shrinkage, max_occ) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"filen finns inte: {path}")
        default_aht = (
            None if opts["aht"] is None else _option("aht", opts["aht"], minimum=1, maximum=erlang.MAX_HANDLE_SECONDS)
        )
        starts, calls, ahts = _read_plan(path, default_aht)
        plan = staffing_plan(
            starts,
            calls,
            ahts,
            interval_seconds=opts["interval"],
            target=target,
            within_seconds=opts["within"],
            shrinkage=shrinkage,
            max_occupancy=max_occ,
        )
        rows = plan.rows()
        if opts["output"] == "json":
            self.stdout.write(json.dumps(rows))
            return
        # table and csv: one CSV row per interval, the same columns as the input plus the staffing
        writer = csv.DictWriter(self.stdout, fieldnames=list(rows[0]) if rows else ["start", "agents"])
        writer.writeheader()
        writer.writerows(rows)


def _read_plan(path: Path, default_aht: float | None) -> tuple[list[str], list[float], list[float]]:
    """The intervals of a plan file: :func:`samverkan.telephony.importers.plan.read_plan` (BOM, UTF-16, line
    ends, bounds; its InputError, a DomainError, names the line and column and handle() reports it)."""
    with path.open("rb") as handle:
        intervals = read_plan(handle, aht=default_aht)
    return intervals.starts, intervals.calls, intervals.ahts
