"""Writes of staff statistics and the yearly customer survey: a year's payroll import replaces
the previous one as a whole; survey results are set one by one or imported from CSV. Each
service checks the capability, runs in one transaction and is audited."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_record
from samverkan.core.permissions import require
from samverkan.domain.errors import DomainError
from samverkan.domain.numbers import NumberError, parse_decimal
from samverkan.domain.textfiles import TextFileError, decode, head, read_csv, sniff_delimiter
from samverkan.performance.importers.staff import read_staff_file
from samverkan.performance.models import Employment, StaffImport, SurveyArea, SurveyResult
from samverkan.performance.policies import EDIT_GOALS, IMPORT_STAFF
from samverkan.performance.selectors.survey import NMI_AREA

SURVEY_QUESTIONS = ("", "bemötande", "återkoppling", "kompetens")  # "" = NKI
MAX_SURVEY_BYTES = 1024 * 1024
MAX_SURVEY_ROWS = 2_000
FIRST_YEAR, LAST_YEAR = 2000, 2100
COLUMN_NAMES = {"area": "område", "year": "år", "question": "fråga", "value": "värde"}


def federation_salt(federation) -> bytes:
    """The per-federation salt of the anonymous keys, derived from the server's secret key (so
    nothing secret is stored in the database, and a database dump does not reveal it)."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"performance.staff.{federation.pk}".encode(), hashlib.sha256
    ).digest()


def _check_year(year: int) -> None:
    if not (FIRST_YEAR <= int(year) <= LAST_YEAR):
        raise ValidationError({"year": _("Ange ett år mellan 2000 och 2100.")})


def staff_import(*, acting_user, federation, year: int, data: bytes, source_name: str) -> StaffImport:
    """Import a year's employments; replaces the year's earlier import whole, or changes nothing."""
    require(acting_user, IMPORT_STAFF, federation=federation)
    _check_year(year)
    rows = read_staff_file(data, year=year, salt=federation_salt(federation))
    with transaction.atomic():
        old = StaffImport.objects.select_for_update().filter(federation=federation, year=year).first()
        before = {"employments": old.employments.count(), "source_name": old.source_name} if old else None
        if old is not None:
            old.delete()
        staff = StaffImport.objects.create(
            federation=federation, year=year, source_name=source_name[:255], imported_by=acting_user
        )
        Employment.objects.bulk_create(
            Employment(
                staff_import=staff,
                person_key=r.person,
                form=r.form,
                sex=r.sex,
                age_group=r.age_group,
                fte=r.fte,
                worked_hours=r.worked_hours,
                sick_hours=r.sick_hours,
                long_sick_hours=r.long_sick_hours,
            )
            for r in rows
        )
        audit_record(
            actor=acting_user,
            action="performance.staff_import",
            instance=staff,
            before=before,
            after={"year": year, "employments": len(rows), "source_name": staff.source_name},
        )
    return staff


def survey_result_set(
    *,
    acting_user,
    federation,
    area: str,
    year: int,
    value: Decimal,
    question: str = "",
    respondents: int | None = None,
) -> SurveyResult:
    """Set one figure of the yearly customer survey (question "" is the area's NKI), or an NMI
    figure under the area ``NMI_AREA``."""
    require(acting_user, EDIT_GOALS, federation=federation)
    with transaction.atomic():
        result = _set(acting_user, federation, area, year, question, value, respondents)
    return result


def _set(acting_user, federation, area: str, year: int, question: str, value: Decimal, respondents):
    _check_year(year)
    name = " ".join(str(area).split())
    if not name or len(name) > 200:
        raise ValidationError({"area": _("Ange området (högst 200 tecken).")})
    question = " ".join(str(question).split())
    question = question if name == NMI_AREA else question.lower()
    if len(question) > 200:
        raise ValidationError({"question": _("Frågan är för lång (högst 200 tecken).")})
    limit = Decimal(100) if name == NMI_AREA else Decimal(10)
    if not (Decimal(0) <= value <= limit):
        raise ValidationError({"value": _("Värdet ska vara mellan 0 och %(max)s.") % {"max": limit}})
    survey_area, _created = SurveyArea.objects.get_or_create(federation=federation, name=name)
    existing = SurveyResult.objects.filter(area=survey_area, year=year, question=question).first()
    before = {"value": str(existing.value), "respondents": existing.respondents} if existing else None
    result, _created = SurveyResult.objects.update_or_create(
        area=survey_area,
        year=year,
        question=question,
        defaults={"value": value, "respondents": respondents},
    )
    audit_record(
        actor=acting_user,
        action="performance.survey_result_set",
        instance=result,
        federation=federation,
        before=before,
        after={"value": str(value), "respondents": respondents},
    )
    return result


def survey_import(*, acting_user, federation, data: bytes) -> int:
    """Import survey figures from CSV (columns område, år, fråga, värde, svarande; fråga blank
    = NKI); all or nothing, problems as ``rad N: fält: orsak``. Returns the number of rows."""
    require(acting_user, EDIT_GOALS, federation=federation)
    if len(data) > MAX_SURVEY_BYTES:
        raise ValidationError(_("Filen är för stor (högst 1 MB)."))
    try:
        text = decode(data)
        first = head(text, 1)
        records = list(read_csv(text, sniff_delimiter(first[0] if first else ""), max_rows=MAX_SURVEY_ROWS))
    except TextFileError as exc:
        raise DomainError(str(exc)) from None
    records = [(line, cells) for line, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise DomainError("rad 1: filen är tom")
    header = [c.strip().lower() for c in records[0][1]]
    for column in ("område", "år", "värde"):
        if column not in header:
            raise DomainError(f"rad {records[0][0]}: kolumnen {column!r} saknas")
    parsed = []
    for line, cells in records[1:]:
        row = dict(zip(header, (c.strip() for c in cells), strict=False))
        year_text = row.get("år", "")
        if not (year_text.isdigit() and len(year_text) == 4):
            raise DomainError(f"rad {line}: år: ange året med fyra siffror")
        try:
            value = parse_decimal(row.get("värde", ""), max_digits=6, max_decimals=2, minimum=0)
        except NumberError as exc:
            raise DomainError(f"rad {line}: värde: {exc}") from None
        count = row.get("svarande", "")
        if count and not (count.isdigit() and len(count) <= 7):
            raise DomainError(f"rad {line}: svarande: ange ett heltal")
        respondents = int(count) if count else None
        parsed.append((line, row.get("område", ""), int(year_text), row.get("fråga", ""), value, respondents))
    with transaction.atomic():
        for line, area, year, question, value, respondents in parsed:
            try:
                _set(acting_user, federation, area, year, question, value, respondents)
            except ValidationError as exc:
                field, messages = next(iter(exc.message_dict.items()))
                raise DomainError(f"rad {line}: {COLUMN_NAMES.get(field, field)}: {' '.join(messages)}") from None
    return len(parsed)
