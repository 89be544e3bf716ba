"""`samverkan staffing erlang …` and `samverkan staffing plan FILE` (no database needed)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samverkan.domain.errors import DomainError
from samverkan.telephony.usecases import staffing_for_interval, staffing_plan


def _ratio(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CommandError(f"inte ett tal: {text!r}") from None
    return value / 100 if value > 1 else value


class Command(BaseCommand):
    help = "Erlang C (or A) staffing for one interval, Erlang C for a CSV of intervals."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("erlang", "plan"):
            p = sub.add_parser(name)
            if name == "erlang":
                p.add_argument("--calls", type=float, required=True, help="calls in the interval")
                p.add_argument("--aht", type=float, required=True, help="average handle time, seconds")
                p.add_argument(
                    "--patience",
                    type=float,
                    default=None,
                    help="mean caller patience in seconds: Erlang A (with abandonment) instead of Erlang C",
                )
            else:
                p.add_argument("file", help="CSV with columns start, calls and optional aht")
                p.add_argument("--aht", type=float, default=None, help="handle time when the CSV has no aht column")
            p.add_argument("--interval", type=int, default=1800, help="interval length in seconds (default 1800)")
            p.add_argument("--target", default="0.8", help="target service level, 0.8 or 80")
            p.add_argument("--within", type=float, default=20, help="threshold T in seconds")
            p.add_argument("--shrinkage", default="0", help="share of paid time not on the phone, 0.3 or 30")
            p.add_argument("--max-occupancy", default="1", help="occupancy cap, 0.85 or 85")
            p.add_argument("--format", choices=["table", "json", "csv"], default="table", dest="output")

    def handle(self, *args, **opts):
        target, shrinkage, max_occ = _ratio(opts["target"]), _ratio(opts["shrinkage"]), _ratio(opts["max_occupancy"])
        try:
            if opts["action"] == "erlang":
                self._erlang(opts, target, shrinkage, max_occ)
            else:
                self._plan(opts, target, shrinkage, max_occ)
        except DomainError as exc:
            raise CommandError(str(exc)) from None

    def _erlang(self, opts, target, shrinkage, max_occ) -> None:
        result = staffing_for_interval(
            calls=opts["calls"],
            interval_seconds=opts["interval"],
            aht_seconds=opts["aht"],
            target=target,
            within_seconds=opts["within"],
            shrinkage=shrinkage,
            max_occupancy=max_occ,
            patience_seconds=opts["patience"],
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
        starts, calls, ahts = [], [], []
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"start", "calls"} <= set(reader.fieldnames):
                raise CommandError("rad 1: kolumnerna start och calls krävs")
            has_aht = "aht" in reader.fieldnames
            if not has_aht and opts["aht"] is None:
                raise CommandError("ange --aht eller en kolumn aht")
            for row in reader:
                try:
                    starts.append(row["start"])
                    calls.append(float(row["calls"]))
                    ahts.append(float(row["aht"]) if has_aht and row["aht"] else float(opts["aht"]))
                except (TypeError, ValueError):
                    raise CommandError(f"rad {reader.line_num}: calls och aht måste vara tal") from None
                if calls[-1] < 0 or ahts[-1] <= 0:
                    raise CommandError(f"rad {reader.line_num}: negativa samtal eller hanteringstid")
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
