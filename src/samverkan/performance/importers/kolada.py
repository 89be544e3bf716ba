"""A small client for Kolada's open API (RKA): public key figures per municipality and year.

`GET https://api.kolada.se/v2/data/kpi/{kpi}/municipality/{ids}/year/{year}` answers
`{"count": n, "values": [{"kpi", "municipality", "period", "values": [{"gender", "status",
"value", "count"}]}]}`; we keep the total (gender "T"). The key figure's name comes from the
metadata call `GET https://api.kolada.se/v2/kpi/{kpi}` (`{"count": 1, "values": [{"id", "title",
"description", …}]}`) and is stored with the figures, so the page names what it shows. Fetching
replaces the stored figures of that key figure and year only when both answers were read — a
timeout, an HTTP error or bad JSON raises `KoladaError` with a Swedish message and the old
figures stay.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record
from samverkan.core.permissions import require
from samverkan.domain.errors import DomainError
from samverkan.members.models import Member
from samverkan.performance.models import KoladaFigure
from samverkan.performance.policies import EDIT_GOALS

BASE_URL = "https://api.kolada.se/v2/data/kpi/{kpi}/municipality/{ids}/year/{year}"
KPI_URL = "https://api.kolada.se/v2/kpi/{kpi}"
TIMEOUT_SECONDS = 10
MAX_BYTES = 2_000_000
KPI_ID = re.compile(r"[A-Z][0-9]{5}")  # ASCII only: the id goes into the URL
MUNICIPALITY_ID = re.compile(r"[0-9]{4}")


class KoladaError(DomainError):
    """Kolada could not be read; the message says why, in Swedish."""


@dataclass(frozen=True)
class KoladaValue:
    kpi: str
    municipality_id: str
    year: int
    value: Decimal | None


def _get(url: str, timeout: float) -> bytes:
    """The HTTP call (tests replace this with a recorded response)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (fixed https URL)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.read(MAX_BYTES + 1)


def parse(body: bytes | str) -> list[KoladaValue]:
    """The totals of a v2 data answer; a missing value (Kolada's null) stays None."""
    try:
        data = json.loads(body)
        rows = data["values"]
        result = []
        for row in rows:
            totals = [v for v in row.get("values", []) if v.get("gender", "T") == "T"]
            raw = totals[0].get("value") if totals else None
            value = None if raw is None else Decimal(str(raw))
            result.append(KoladaValue(str(row["kpi"]), str(row["municipality"]), int(row["period"]), value))
        return result
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, InvalidOperation):
        raise KoladaError(
            _("Kolada svarade med data som inte kunde läsas. De tidigare hämtade värdena finns kvar.")
        ) from None


def parse_title(body: bytes | str, kpi: str) -> str:
    """The title of `kpi` in a v2 metadata answer."""
    try:
        data = json.loads(body)
        for row in data["values"]:
            if str(row["id"]) == kpi:
                return str(row["title"]).strip()[:300]
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    raise KoladaError(_("Kolada svarade med data som inte kunde läsas. De tidigare hämtade värdena finns kvar."))


def fetch_title(kpi: str, *, timeout: float = TIMEOUT_SECONDS) -> str:
    """The key figure's name from Kolada's metadata."""
    if not KPI_ID.fullmatch(kpi):
        raise KoladaError(_("Ogiltigt nyckeltal eller kommunkod."))
    return parse_title(_read(KPI_URL.format(kpi=kpi), timeout), kpi)


def fetch(kpi: str, municipality_ids: list[str], year: int, *, timeout: float = TIMEOUT_SECONDS) -> list[KoladaValue]:
    """Read one key figure for the municipalities and the year from Kolada."""
    if not KPI_ID.fullmatch(kpi) or not all(MUNICIPALITY_ID.fullmatch(m) for m in municipality_ids):
        raise KoladaError(_("Ogiltigt nyckeltal eller kommunkod."))
    return parse(_read(BASE_URL.format(kpi=kpi, ids=",".join(municipality_ids), year=year), timeout))


def _read(url: str, timeout: float) -> bytes:
    """One GET with every failure as a Swedish `KoladaError`."""
    try:
        body = _get(url, timeout)
    except TimeoutError:
        raise KoladaError(_("Kolada svarade inte i tid. De tidigare hämtade värdena finns kvar.")) from None
    except urllib.error.HTTPError as exc:
        raise KoladaError(
            _("Kolada svarade med ett fel (HTTP %(status)s). De tidigare hämtade värdena finns kvar.")
            % {"status": exc.code}
        ) from None
    except (urllib.error.URLError, OSError, ValueError):
        raise KoladaError(_("Kolada kunde inte nås. De tidigare hämtade värdena finns kvar.")) from None
    if len(body) > MAX_BYTES:
        raise KoladaError(_("Svaret från Kolada var för stort. De tidigare hämtade värdena finns kvar."))
    return body


def refresh(*, acting_user, federation, kpi: str, year: int) -> list[KoladaFigure]:
    """Fetch `kpi` for `year` for every member municipality of the federation and store it."""
    require(acting_user, EDIT_GOALS, federation=federation)
    ids = sorted(set(Member.objects.filter(federation=federation).values_list("kommunkod", flat=True)))
    if not ids:
        raise KoladaError(_("Förbundet har inga medlemskommuner att hämta nyckeltal för."))
    values = [v for v in fetch(kpi, ids, year) if v.municipality_id in ids and v.year == year]
    title = fetch_title(kpi)
    now = timezone.now()
    with transaction.atomic():
        KoladaFigure.objects.filter(federation=federation, kpi=kpi, year=year).delete()
        stored = KoladaFigure.objects.bulk_create(
            KoladaFigure(
                federation=federation,
                kpi=kpi,
                kpi_title=title,
                municipality_id=v.municipality_id,
                year=year,
                value=v.value,
                fetched_at=now,
            )
            for v in values
        )
        audit_record(
            actor=acting_user,
            action="performance.kolada_fetch",
            object_type="performance.KoladaFigure",
            object_id=f"{kpi}/{year}",
            object_repr=f"Kolada {kpi} {year}",
            after={"kpi": kpi, "title": title, "year": year, "municipalities": [v.municipality_id for v in values]},
            federation=federation,
        )
    return stored
