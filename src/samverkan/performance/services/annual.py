"""Writes of the annual report: create a year's report with the default sections in seed 002's
order, edit a section's text, adopt and publish. Figures in the text are fields ({result} …)
checked when saved, so a misspelt field is refused before it reaches a reader."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core.audit import audit_record
from samverkan.core.permissions import require, require_same_federation
from samverkan.core.services import model_create, model_update
from samverkan.domain import narrative
from samverkan.performance.models import AnnualReport, NarrativeSection
from samverkan.performance.policies import EDIT_ANNUAL_REPORT
from samverkan.performance.selectors.annual import FIELD_NAMES

# The narrative sections of seed 002's management report, in its order. The generated parts
# (organisation, goal fulfilment, staff tables, statements) follow the section named in
# selectors.annual.BLOCKS_AFTER.
DEFAULT_SECTIONS = (
    ("introduction", gettext_lazy("Inledning")),
    ("year_in_brief", gettext_lazy("Översikt över verksamhetens utveckling och utmaningar för kommande år")),
    ("important_conditions", gettext_lazy("Viktiga förhållanden för resultat och ekonomisk ställning")),
    ("events", gettext_lazy("Händelser av väsentlig betydelse")),
    ("governance", gettext_lazy("Styrning och uppföljning av kommunalförbundets verksamhet")),
    ("staff", gettext_lazy("Väsentliga personalförhållanden")),
    ("expected", gettext_lazy("Förväntad utveckling")),
    ("financial_analysis", gettext_lazy("Finansiell översikt och analys")),
    ("principles", gettext_lazy("Redovisningsprinciper")),
    ("activities", gettext_lazy("Verksamhetsberättelse")),
)


def _check_year(year) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise ValidationError(_("Ange år med fyra siffror, t.ex. 2023.")) from None
    if not 1900 <= value <= 2200:
        raise ValidationError(_("Ange år med fyra siffror, t.ex. 2023."))
    return value


def check_text(text: str) -> None:
    """Refuse a text naming a field the report does not compute (ValidationError naming it)."""
    try:
        narrative.check(text, dict.fromkeys(FIELD_NAMES))
    except narrative.UnknownFieldError as error:
        known = ", ".join("{" + name + "}" for name in FIELD_NAMES)
        raise ValidationError(
            _("Okänt fält i texten: %(fields)s. Tillgängliga fält: %(known)s.")
            % {"fields": ", ".join("{" + name + "}" for name in error.names), "known": known}
        ) from error


@transaction.atomic
def report_create(*, acting_user, federation, year) -> AnnualReport:
    """The year's report with empty default sections (idempotent refusal: one report a year)."""
    require(acting_user, EDIT_ANNUAL_REPORT, federation=federation)
    require_same_federation(acting_user, federation=federation)
    year = _check_year(year)
    if AnnualReport.objects.filter(federation=federation, year=year).exists():
        raise ValidationError(_("Det finns redan en årsredovisning för %(year)s.") % {"year": year})
    report = model_create(model=AnnualReport, acting_user=acting_user, federation=federation, year=year)
    for position, (key, title) in enumerate(DEFAULT_SECTIONS, start=1):
        NarrativeSection.objects.create(report=report, key=key, title=str(title), text="", position=position)
    return report


@transaction.atomic
def section_update(*, acting_user, section: NarrativeSection, title: str | None = None, text: str) -> NarrativeSection:
    report = section.report
    require(acting_user, EDIT_ANNUAL_REPORT, federation=report.federation)
    require_same_federation(acting_user, federation=report.federation)
    if report.adopted_on is not None:
        raise ValidationError(_("Årsredovisningen är fastställd och kan inte längre ändras."))
    check_text(text)
    data: dict[str, object] = {"text": text}
    if title is not None:
        if not title.strip():
            raise ValidationError(_("Ange en rubrik."))
        data["title"] = title.strip()
    section, _changed = model_update(instance=section, acting_user=acting_user, data=data)
    return section


@transaction.atomic
def adopt(*, acting_user, report: AnnualReport, adopted_on: date) -> AnnualReport:
    """Record the board's adoption; the texts are frozen from then on."""
    require(acting_user, EDIT_ANNUAL_REPORT, federation=report.federation)
    require_same_federation(acting_user, federation=report.federation)
    if not isinstance(adopted_on, date):
        raise ValidationError(_("Ange datum för fastställelsen."))
    if adopted_on.year <= report.year:
        raise ValidationError(_("Årsredovisningen fastställs efter räkenskapsårets slut."))
    report, _changed = model_update(instance=report, acting_user=acting_user, data={"adopted_on": adopted_on})
    return report


@transaction.atomic
def publish(*, acting_user, report: AnnualReport, published: bool = True) -> AnnualReport:
    """Show (or hide) the report to member contacts; only an adopted report is published."""
    require(acting_user, EDIT_ANNUAL_REPORT, federation=report.federation)
    require_same_federation(acting_user, federation=report.federation)
    if published and report.adopted_on is None:
        raise ValidationError(_("Årsredovisningen måste fastställas innan den publiceras."))
    before = {"published": report.published}
    if report.published != published:
        report.published = published
        report.save(update_fields=["published"])
        audit_record(actor=acting_user, action="update", instance=report, before=before, after={"published": published})
    return report
