"""Importing the ledger: a SIE 4 file from the finance system replaces one year of the
federation's books as a whole.

All-or-nothing: the file is parsed and checked before anything is written, and the year is then
replaced in one transaction (a bad line, a wrong company or a failed write leaves the earlier
import exactly as it was). The `FiscalYear` row is kept and updated, so ids that reports,
settlements and links hold stay valid; its balances, vouchers and transactions are deleted and
written anew. Accounts, dimensions and objects are upserted, never deleted: other years and the
account mapping refer to them.

Speed: a year can hold a million voucher lines. Rows go to the database as tuples through
`finance.sql` (PostgreSQL COPY, executemany elsewhere), streamed from the parsed file; no model
instance per line is ever built.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import require
from samverkan.domain.money import format_sek
from samverkan.domain.sie import SieFile, format_objects, parse_sie
from samverkan.finance import sql
from samverkan.finance.models import (
    Account,
    Balance,
    BalanceKind,
    Dimension,
    DimensionObject,
    FiscalYear,
    Transaction,
    Voucher,
)
from samverkan.finance.policies import IMPORT_LEDGER
from samverkan.finance.selectors import ledger as ledger_selectors
from samverkan.finance.selectors.mapping import finance_settings
from samverkan.finance.services.budgets import budget_from_sie
from samverkan.members.models import Federation

log = logging.getLogger(__name__)
# What a page or the API accepts: a SIE 4E file of a million voucher lines is some 60 MB.
# The command line reads files of any size.
MAX_SIE_BYTES = 200 * 1024 * 1024
BALANCE_KINDS = frozenset(BalanceKind.values)
# Column widths a file's values must fit (longer text is cut; longer codes are refused).
_max = {
    "series": Voucher._meta.get_field("series").max_length,
    "number": Voucher._meta.get_field("number").max_length,
    "text": Voucher._meta.get_field("text").max_length,
    "activity": Transaction._meta.get_field("activity").max_length,
    "object_list": Transaction._meta.get_field("object_list").max_length,
}

BALANCE_COLUMNS = (
    "fiscal_year_id",
    "kind",
    "year_offset",
    "period",
    "account",
    "activity",
    "object_list",
    "amount",
    "quantity",
)
VOUCHER_COLUMNS = ("fiscal_year_id", "series", "number", "date", "text", "registered", "line")
TRANSACTION_COLUMNS = (
    "fiscal_year_id",
    "voucher_id",
    "kind",
    "account",
    "activity",
    "project",
    "object_list",
    "period",
    "date",
    "amount",
    "quantity",
    "text",
    "line",
)


@dataclass(frozen=True)
class LedgerImport:
    """What an import did: the year written, whether an earlier import of it was replaced, a
    summary in Swedish (page, CLI) and the changes as data (API, audit)."""

    fiscal_year: FiscalYear
    replaced: bool
    summary: tuple[str, ...]
    changes: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        fy = self.fiscal_year
        return {
            "fiscal_year": {
                "id": fy.pk,
                "year": fy.year,
                "start": fy.start.isoformat(),
                "end": fy.end.isoformat(),
                "company_name": fy.company_name,
                "sie_type": fy.sie_type,
                "has_vouchers": fy.has_vouchers,
                "source_name": fy.source_name,
                "source_sha256": fy.source_sha256,
            },
            "replaced": self.replaced,
            "summary": list(self.summary),
            "changes": self.changes,
        }


def normalise_orgnr(value: str) -> str:
    """Digits only; a 12-digit number with the century prefix "16" of legal persons loses it."""
    digits = re.sub(r"\D", "", value or "")
    return digits[2:] if len(digits) == 12 and digits.startswith("16") else digits


def import_sie(
    *, acting_user, federation, data: bytes, source_name: str, encoding: str | None = None, progress=None
) -> LedgerImport:
    """Import one SIE 4 file as the federation's ledger for the file's current year (`#RAR 0`).

    ``progress(done, total, message)`` (core.jobs) hears of the three phases: read, check, write."""
    require(acting_user, IMPORT_LEDGER, federation=federation)
    if federation is None:
        raise ValidationError(_("Välj vilket förbunds huvudbok filen gäller."))
    progress = progress or (lambda done, total, message="": None)
    laps = _Laps()
    progress(0, 3, _("Läser filen"))
    sie = parse_sie(data, encoding=encoding)  # SieError ("rad N: #LABEL: reason") propagates
    laps.lap("parse")
    progress(1, 3, _("Kontrollerar raderna"))
    start, end = _check_file(sie, federation)
    used_accounts = _check_rows(sie, start, end)
    settings = finance_settings(federation)
    laps.lap("check")
    progress(2, 3, _("Sparar verifikationer och saldon"))
    result = _write(
        laps=laps,
        acting_user=acting_user,
        federation=federation,
        sie=sie,
        start=start,
        end=end,
        used_accounts=used_accounts,
        dims=(settings.activity_dimension, settings.project_dimension),
        source_name=source_name,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    laps.lap("commit")
    progress(3, 3, "")
    log.info("ledger import %s %s: %s", federation.slug, result.fiscal_year.year, laps)
    return result


class _Laps:
    """Seconds per phase, logged (and read by benchmarks/finance_import.py)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.last
        self.last = now

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.seconds.items())


# ---- checks before anything is written ------------------------------------------------------


def _check_file(sie: SieFile, federation) -> tuple[date, date]:
    wanted, found = normalise_orgnr(federation.orgnr), normalise_orgnr(sie.orgnr or "")
    if not found:
        raise ValidationError(
            _("Filen saknar organisationsnummer (#ORGNR); den kan inte knytas till %(name)s.")
            % {"name": federation.name}
        )
    if found != wanted:
        raise ValidationError(
            _("Filen gäller organisationsnummer %(found)s men %(name)s har %(wanted)s.")
            % {"found": sie.orgnr, "name": federation.name, "wanted": federation.orgnr}
        )
    if not sie.fiscal_years:
        raise ValidationError(_("Filen innehåller inget räkenskapsår (#RAR)."))
    if 0 not in sie.fiscal_years:
        raise ValidationError(_("Filen saknar innevarande räkenskapsår (#RAR 0)."))
    start, end = sie.fiscal_years[0]
    has_balances = any(b.year_offset == 0 for b in sie.balances)
    if not (sie.vouchers or has_balances or sie.budgets):
        raise ValidationError(
            _("Filen innehåller varken saldon, budget eller verifikationer för räkenskapsåret %(year)s.")
            % {"year": start.year}
        )
    return start, end


def _line_error(line: int, label: str, reason: str) -> ValidationError:
    return ValidationError(_("rad %(line)s: %(label)s: %(reason)s") % {"line": line, "label": label, "reason": reason})


def _check_rows(sie: SieFile, start: date, end: date) -> set[str]:
    """Refuse what the columns cannot hold or the year cannot contain, with the line; return
    every account the file books on (declared by #KONTO or not)."""
    used: set[str] = set()
    account_max = Account._meta.get_field("number").max_length or 20
    for balance in sie.balances:
        used.add(balance.account)
    for balance in sie.budgets:
        used.add(balance.account)
    for voucher in sie.vouchers:
        if not start <= voucher.date <= end:
            raise _line_error(
                voucher.line,
                "#VER",
                _("datumet %(date)s ligger utanför räkenskapsåret %(start)s–%(end)s")
                % {"date": voucher.date.isoformat(), "start": start.isoformat(), "end": end.isoformat()},
            )
        if len(voucher.series or "") > _max["series"] or len(voucher.number or "") > _max["number"]:
            raise _line_error(voucher.line, "#VER", _("serie eller nummer är för långt"))
        for trans in voucher.transactions:
            used.add(trans.account)
            if trans.date is not None and not start <= trans.date <= end:
                raise _line_error(
                    trans.line,
                    "#TRANS",
                    _("datumet %(date)s ligger utanför räkenskapsåret %(start)s–%(end)s")
                    % {"date": trans.date.isoformat(), "start": start.isoformat(), "end": end.isoformat()},
                )
    too_long = sorted(a for a in used if len(a) > account_max)
    if too_long:
        raise ValidationError(_("Kontonumret %(account)s är för långt.") % {"account": too_long[0]})
    for sie_account in sie.accounts.values():
        if len(sie_account.number) > account_max:
            raise ValidationError(_("Kontonumret %(account)s är för långt.") % {"account": sie_account.number})
    return used


# ---- the write ------------------------------------------------------------------------------


class _Objects:
    """Activity, project and the object list of a #TRANS/#PSALDO object tuple, computed once per
    distinct tuple (a million lines share a few hundred)."""

    def __init__(self, activity_dimension: int, project_dimension: int) -> None:
        self.activity_dimension, self.project_dimension = activity_dimension, project_dimension
        self.cache: dict[tuple, tuple[str, str, str]] = {}
        self.used: set[tuple[int, str]] = set()

    def get(self, objects: tuple, line: int, label: str) -> tuple[str, str, str]:
        found = self.cache.get(objects)
        if found is None:
            activity = project = ""
            for dimension, code in objects:
                self.used.add((dimension, code))
                if len(code) > _max["activity"]:
                    raise _line_error(line, label, _("objektkoden %(code)s är för lång") % {"code": code})
                if dimension == self.activity_dimension:
                    activity = code
                elif dimension == self.project_dimension:
                    project = code
            text = format_objects(objects) if objects else ""
            if len(text) > _max["object_list"]:
                raise _line_error(line, label, _("objektlistan är för lång"))
            found = self.cache[objects] = (activity, project, text)
        return found


@transaction.atomic
def _write(*, laps, acting_user, federation, sie, start, end, used_accounts, dims, source_name, sha256) -> LedgerImport:
    year = start.year
    # One import per federation at a time: the year row may not exist yet to lock, and the chart
    # of accounts is shared by the federation's years.
    Federation.objects.select_for_update().filter(pk=federation.pk).first()
    existing = FiscalYear.objects.select_for_update().filter(federation=federation, year=year).first()
    before = _state(existing) if existing else None
    before_fy = {**snapshot(existing), "imported_at": existing.imported_at.isoformat()} if existing else None
    laps.lap("before")

    chart = _upsert_accounts(federation, sie, used_accounts)
    objects = _Objects(*dims)
    balance_rows = list(_balance_rows(sie, objects))  # a few thousand at most
    fy = existing or FiscalYear(federation=federation, year=year)
    fy.start, fy.end = start, end
    fy.company_name = (sie.company_name or "")[:200]
    fy.orgnr = (sie.orgnr or "")[:20]
    fy.program = (sie.program or "")[:200]
    fy.sie_type = str(sie.sie_type or "")[:4]
    fy.has_vouchers = bool(sie.vouchers)
    fy.source_name = source_name[:255]
    fy.source_sha256 = sha256
    fy.imported_by = acting_user
    fy.save()
    if existing:
        sql.delete_year_rows(fy.pk)
    laps.lap("delete")

    sql.insert_rows(Balance._meta.db_table, BALANCE_COLUMNS, ((fy.pk, *row) for row in balance_rows))
    if sql.has_copy():
        sql.copy_lines(Voucher._meta.db_table, VOUCHER_COLUMNS, _voucher_lines(sie, fy.pk))
    else:
        sql.insert_rows(Voucher._meta.db_table, VOUCHER_COLUMNS, _voucher_rows(sie, fy.pk))
    voucher_ids = sql.voucher_ids_by_line(fy.pk) if sie.vouchers else {}
    laps.lap("vouchers")
    if sql.has_copy():
        lines = _transaction_lines(sie, fy.pk, voucher_ids, objects)
        sql.copy_lines(Transaction._meta.db_table, TRANSACTION_COLUMNS, lines)
    else:
        rows = _transaction_rows(sie, fy.pk, voucher_ids, objects)
        sql.insert_rows(Transaction._meta.db_table, TRANSACTION_COLUMNS, rows)
    del voucher_ids
    laps.lap("transactions")
    sql.analyze(Transaction, Voucher, Balance)
    laps.lap("analyze")
    _upsert_dimensions(federation, sie, objects.used)
    budget = _budgets(acting_user, federation, sie, year, objects, source_name)
    after = _state(fy)
    laps.lap("after")
    changes = _changes(before, after, chart, budget, existing, before_fy, fy)
    result = LedgerImport(fiscal_year=fy, replaced=existing is not None, summary=_summary(changes), changes=changes)
    audit_record(
        actor=acting_user,
        action="import",
        instance=fy,
        before=before_fy,
        after={**snapshot(fy), "changes": changes},
        federation=federation,
    )
    return result


def _balance_rows(sie: SieFile, objects: _Objects):
    for b in sie.balances:
        if b.kind not in BALANCE_KINDS:
            continue
        activity, _project, text = objects.get(tuple(b.objects), b.line, f"#{b.kind}")
        yield (b.kind, b.year_offset, b.period, b.account, activity, text, b.amount_ore, b.quantity)


def _voucher_rows(sie: SieFile, fy_id: int):
    limit = _max["text"]
    for v in sie.vouchers:
        yield (fy_id, v.series or "", v.number or "", v.date, (v.text or "")[:limit], v.registered, v.line)


def _transaction_rows(sie: SieFile, fy_id: int, voucher_ids: dict[int, int], objects: _Objects):
    """One tuple per #TRANS/#RTRANS/#BTRANS, streamed (bounded memory), denormalised."""
    limit = _max["text"]
    periods: dict[date, int] = {}
    get_objects = objects.get
    for v in sie.vouchers:
        voucher_id = voucher_ids[v.line]
        for t in v.transactions:
            day = t.date or v.date
            period = periods.get(day)
            if period is None:
                period = periods[day] = day.year * 100 + day.month
            activity, project, text = get_objects(t.objects, t.line, "#TRANS")
            yield (
                fy_id,
                voucher_id,
                t.kind or "",
                t.account,
                activity,
                project,
                text,
                period,
                day,
                t.amount_ore,
                t.quantity,
                (t.text or "")[:limit],
                t.line,
            )


def _voucher_lines(sie: SieFile, fy_id: int):
    """The vouchers as COPY text lines (PostgreSQL)."""
    limit, esc, null = _max["text"], sql.copy_text, sql.NULL
    for v in sie.vouchers:
        registered = v.registered.isoformat() if v.registered else null
        text = esc(v.text[:limit]) if v.text else ""
        yield f"{fy_id}\t{esc(v.series)}\t{esc(v.number)}\t{v.date.isoformat()}\t{text}\t{registered}\t{v.line}\n"


def _transaction_lines(sie: SieFile, fy_id: int, voucher_ids: dict[int, int], objects: _Objects):
    """The same rows as `_transaction_rows` as COPY text lines (PostgreSQL): what repeats — the
    voucher's columns, a date with its period, an account, an object list with its activity and
    project — is formatted once, so a line costs one f-string."""
    limit, esc, null = _max["text"], sql.copy_text, sql.NULL
    days: dict[date, str] = {}
    accounts: dict[str, str] = {}
    object_columns: dict[tuple, str] = {}
    for v in sie.vouchers:
        head = f"{fy_id}\t{voucher_ids[v.line]}\t"
        for t in v.transactions:
            day = t.date or v.date
            when = days.get(day)
            if when is None:
                when = days[day] = f"{day.year * 100 + day.month}\t{day.isoformat()}"
            account = accounts.get(t.account)
            if account is None:
                account = accounts[t.account] = esc(t.account)
            columns = object_columns.get(t.objects)
            if columns is None:
                values = objects.get(t.objects, t.line, "#TRANS")
                columns = object_columns[t.objects] = "\t".join(esc(value) for value in values)
            quantity = null if t.quantity is None else str(t.quantity)
            text = esc(t.text[:limit]) if t.text else ""
            yield f"{head}{t.kind}\t{account}\t{columns}\t{when}\t{t.amount_ore}\t{quantity}\t{text}\t{t.line}\n"


def _upsert_accounts(federation, sie: SieFile, used: set[str]) -> dict[str, list]:
    """New accounts are created, changed names/types/SRU codes updated, none deleted; returns
    the accounts created and renamed."""
    current = {a.number: a for a in Account.objects.filter(federation=federation)}
    created, renamed, changed = [], [], []
    for number, sie_account in sie.accounts.items():
        name = (sie_account.name or "")[:200]
        kind = (sie_account.type or "")[:1]
        sru = (sie_account.sru or "")[:10]
        account = current.get(number)
        if account is None:
            current[number] = Account(federation=federation, number=number, name=name, account_type=kind, sru=sru)
            created.append(current[number])
            continue
        if name and name != account.name:
            if account.name:
                renamed.append({"number": number, "old": account.name, "new": name})
            account.name = name
            changed.append(account)
        if (kind and kind != account.account_type) or (sru and sru != account.sru):
            account.account_type = kind or account.account_type
            account.sru = sru or account.sru
            if account not in changed:
                changed.append(account)
    for number in sorted(used - set(current)):
        current[number] = Account(federation=federation, number=number)
        created.append(current[number])
    Account.objects.bulk_create(created, batch_size=1000)
    Account.objects.bulk_update(changed, ["name", "account_type", "sru"], batch_size=1000)
    return {"created": sorted(a.number for a in created), "renamed": renamed}


def _upsert_dimensions(federation, sie: SieFile, used_objects: set[tuple[int, str]]) -> None:
    """#DIM/#UNDERDIM and #OBJEKT upserted; dimensions and objects used but not declared are
    created without a name."""
    declared = sie.dimensions
    if declared:
        Dimension.objects.bulk_create(
            [
                Dimension(federation=federation, number=n, name=(d.name or "")[:200], parent=d.parent)
                for n, d in sorted(declared.items())
            ],
            update_conflicts=True,
            unique_fields=["federation", "number"],
            update_fields=["name", "parent"],
        )
    undeclared_dims = ({d for d, _code in sie.objects} | {d for d, _code in used_objects}) - set(declared)
    if undeclared_dims:
        Dimension.objects.bulk_create(
            [Dimension(federation=federation, number=n) for n in sorted(undeclared_dims)], ignore_conflicts=True
        )
    if sie.objects:
        DimensionObject.objects.bulk_create(
            [
                DimensionObject(federation=federation, dimension=d, code=code, name=(name or "")[:200])
                for (d, code), name in sorted(sie.objects.items())
            ],
            update_conflicts=True,
            unique_fields=["federation", "dimension", "code"],
            update_fields=["name"],
            batch_size=1000,
        )
    undeclared = sorted(used_objects - set(sie.objects))
    if undeclared:
        DimensionObject.objects.bulk_create(
            [DimensionObject(federation=federation, dimension=d, code=code) for d, code in undeclared],
            ignore_conflicts=True,
            batch_size=1000,
        )


def _budgets(acting_user, federation, sie: SieFile, year: int, objects: _Objects, source_name: str) -> dict | None:
    """#PBUDGET of the current year becomes the budget version «Budget enligt SIE-fil» (written by
    the budgets service, inside this transaction)."""
    lines = [b for b in sie.budgets if b.year_offset == 0]
    if not lines:
        return None
    rows = []
    for b in lines:
        activity, _project, _text = objects.get(tuple(b.objects), b.line, "#PBUDGET")
        if not b.period or not 1 <= b.period % 100 <= 12:
            raise _line_error(b.line, "#PBUDGET", _("perioden %(period)s är ingen månad") % {"period": b.period})
        rows.append((b.account, activity, b.period, b.amount_ore))
    budget = budget_from_sie(
        acting_user=acting_user, federation=federation, year=year, lines=rows, source_name=source_name
    )
    return {"name": budget.name, "lines": len(rows)}


# ---- what changed ---------------------------------------------------------------------------


def _state(fy: FiscalYear) -> dict[str, Any]:
    totals = ledger_selectors.account_totals(fy)
    counts = ledger_selectors.year_counts(fy)
    return {
        "accounts": {n for n, t in totals.items() if t.opening or t.movement or t.closing},
        "classes": ledger_selectors.class_totals(totals),
        "result": ledger_selectors.result_of(totals),
        "vouchers": counts.vouchers,
        "transactions": counts.transactions,
        "balances": counts.balances,
    }


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _changes(before, after, chart, budget, existing, before_fy, fy) -> dict[str, Any]:
    old = before or {}
    return {
        "year": fy.year,
        "replaced": (
            {
                "source_name": before_fy["source_name"],
                "source_sha256": before_fy["source_sha256"],
                "imported_at": before_fy["imported_at"],
            }
            if existing
            else None
        ),
        "accounts": {
            "created": chart["created"],
            "renamed": chart["renamed"],
            "added": sorted(after["accounts"] - old.get("accounts", set())) if existing else [],
            "removed": sorted(old.get("accounts", set()) - after["accounts"]) if existing else [],
        },
        "vouchers": {"before": old.get("vouchers"), "after": after["vouchers"]},
        "transactions": {"before": old.get("transactions"), "after": after["transactions"]},
        "balances": {"before": old.get("balances"), "after": after["balances"]},
        "classes": [
            {
                "class": c,
                "before": _money(old["classes"][c]) if existing else None,
                "after": _money(after["classes"][c]),
            }
            for c in after["classes"]
        ],
        "result": {"before": _money(old.get("result")), "after": _money(after["result"])},
        "budget": budget,
    }


def _kr(text: str | None) -> str:
    return format_sek(Decimal(text), 2) if text is not None else "–"


def _summary(changes: dict[str, Any]) -> tuple[str, ...]:
    year, replaced = changes["year"], changes["replaced"]
    out = []
    counts = {k: changes[k]["after"] for k in ("vouchers", "transactions", "balances")}
    if replaced:
        out.append(
            _(
                "Räkenskapsåret %(year)s ersattes: den tidigare importen (%(file)s) med %(v)s verifikationer, "
                "%(t)s transaktioner och %(b)s saldon togs bort och ersattes av den nya filens."
            )
            % {
                "year": year,
                "file": replaced["source_name"],
                "v": changes["vouchers"]["before"],
                "t": changes["transactions"]["before"],
                "b": changes["balances"]["before"],
            }
        )
    else:
        out.append(_("Räkenskapsåret %(year)s importerades för första gången.") % {"year": year})
    out.append(
        _("Nu: %(v)s verifikationer, %(t)s transaktioner och %(b)s saldon.")
        % {"v": counts["vouchers"], "t": counts["transactions"], "b": counts["balances"]}
    )
    accounts = changes["accounts"]
    if accounts["created"]:
        out.append(_("Nya konton i kontoplanen: %(list)s.") % {"list": _listing(accounts["created"])})
    if accounts["renamed"]:
        out.append(
            _("Konton med nytt namn: %(list)s.")
            % {"list": "; ".join(f"{r['number']} ”{r['old']}” → ”{r['new']}”" for r in accounts["renamed"][:20])}
        )
    if accounts["added"]:
        out.append(_("Konton med belopp som saknades förut: %(list)s.") % {"list": _listing(accounts["added"])})
    if accounts["removed"]:
        out.append(_("Konton som hade belopp förut men inte nu: %(list)s.") % {"list": _listing(accounts["removed"])})
    for row in changes["classes"]:
        if replaced and row["before"] != row["after"]:
            out.append(
                _("Kontoklass %(c)s: %(before)s → %(after)s.")
                % {"c": row["class"], "before": _kr(row["before"]), "after": _kr(row["after"])}
            )
    result = changes["result"]
    if replaced:
        out.append(
            _("Årets resultat: %(before)s → %(after)s.")
            % {"before": _kr(result["before"]), "after": _kr(result["after"])}
        )
    else:
        out.append(_("Årets resultat: %(after)s.") % {"after": _kr(result["after"])})
    if changes["budget"]:
        out.append(
            _("Budgeten ”%(name)s” fick %(n)s rader från filen.")
            % {"name": changes["budget"]["name"], "n": changes["budget"]["lines"]}
        )
    return tuple(out)


def _listing(numbers: list[str], limit: int = 30) -> str:
    shown = ", ".join(numbers[:limit])
    return (
        shown
        if len(numbers) <= limit
        else _("%(shown)s och %(more)s till") % {"shown": shown, "more": len(numbers) - limit}
    )
