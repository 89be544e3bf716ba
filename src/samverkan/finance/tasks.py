"""Finance imports as background jobs (core.jobs): the SIE ledger (page, API; the CLI runs the same
job in its own process with a progress bar) and the budget template's two sheets (pages; the
budget API stays synchronous: its answer is the imported budget, and the file is at most 5 MB).

The work is the service unchanged: one transaction, a bad line named with its number and
nothing written (the job's error).
"""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.core import job_uploads, jobs
from samverkan.finance.policies import EDIT_BUDGET, IMPORT_LEDGER
from samverkan.finance.services import budgets
from samverkan.finance.services.ledger import import_sie

SIE_KIND = "finance.import_sie"


@jobs.job_kind(SIE_KIND, capability=IMPORT_LEDGER)
def sie_import(
    *, acting_user, federation, progress, source_name: str, encoding: str = "", upload: str = "", path: str = ""
) -> jobs.JobResult:
    """``upload``: a token of :func:`core.job_uploads.keep` (page, API); ``path``: the CLI's file."""
    if upload:
        with job_uploads.taken(upload) as kept:
            result = _import(acting_user, federation, progress, kept.read_bytes(), source_name, encoding)
    else:
        result = _import(acting_user, federation, progress, Path(path).read_bytes(), source_name, encoding)
    year = result.fiscal_year.year
    message = " ".join((_("Räkenskapsår %(year)s är importerat.") % {"year": year}, *result.summary))
    # value: the whole change summary, line by line, for the CLI
    return jobs.JobResult(message=message, url=reverse("finance:fiscal_year", args=[year]), value=result.summary)


def _import(acting_user, federation, progress, data: bytes, source_name: str, encoding: str):
    return import_sie(
        acting_user=acting_user,
        federation=federation,
        data=data,
        source_name=source_name,
        encoding=encoding or None,
        progress=progress,
    )


def start_sie(*, acting_user, upload, encoding: str = "", origin_url: str = "") -> jobs.Job:
    """Keep the upload and queue the import (page and API)."""
    return job_uploads.start_import(
        SIE_KIND,
        acting_user=acting_user,
        upload=upload,
        label=_("Import av huvudbok: %(name)s") % {"name": upload.name},
        origin_url=origin_url,
        source_name=upload.name,
        encoding=encoding,
    )


BUDGET_KIND = "finance.import_budget"
FORECAST_KIND = "finance.import_forecast"


@jobs.job_kind(BUDGET_KIND, capability=EDIT_BUDGET)
def budget_import(
    *, acting_user, federation, progress, year: int, name: str, budget_kind: str, source_name: str, upload: str
) -> jobs.JobResult:
    """The budget template (XLSX) as version ``name`` of ``year`` (:func:`.services.budgets.budget_import_xlsx`)."""
    progress(0, 1, _("Läser %(name)s") % {"name": source_name})
    with job_uploads.taken(upload) as kept:
        budget = budgets.budget_import_xlsx(
            acting_user=acting_user,
            federation=federation,
            year=year,
            name=name,
            kind=budget_kind,
            data=kept.read_bytes(),
            source_name=source_name,
        )
    progress(1, 1, "")
    message = _("Budgeten är importerad: %(rows)d rader.") % {"rows": budget.rows_imported}
    if budget.rows_without_amount:
        shown = ", ".join(str(n) for n in budget.rows_without_amount[:20])
        message += " " + _("%(count)d rader utan belopp blev ingen budget (rad %(rows)s).") % {
            "count": len(budget.rows_without_amount),
            "rows": shown + ("…" if len(budget.rows_without_amount) > 20 else ""),
        }
    return jobs.JobResult(message=message, url=reverse("finance:budget-detail", args=[budget.pk]))


@jobs.job_kind(FORECAST_KIND, capability=EDIT_BUDGET)
def forecast_import(*, acting_user, federation, progress, year: int, as_of_month: int, upload: str) -> jobs.JobResult:
    """Sheet «Prognos» of the template (:func:`.services.budgets.forecast_import_xlsx`)."""
    with job_uploads.taken(upload) as kept:
        saved = budgets.forecast_import_xlsx(
            acting_user=acting_user, federation=federation, year=year, as_of_month=as_of_month, data=kept.read_bytes()
        )
    progress(1, 1, "")
    return jobs.JobResult(
        message=_("%(count)d prognoser är sparade.") % {"count": len(saved)},
        url=f"{reverse('finance:forecast-list')}?ar={year}&uppfoljning={as_of_month}",
    )


def start_budget(*, acting_user, upload, year: int, name: str, kind: str, origin_url: str = "") -> jobs.Job:
    return job_uploads.start_import(
        BUDGET_KIND,
        acting_user=acting_user,
        upload=upload,
        label=_("Import av budget %(year)s: %(name)s") % {"year": year, "name": upload.name},
        origin_url=origin_url,
        year=int(year),
        name=name,
        budget_kind=kind,  # not `kind`: jobs.start's own first argument
        source_name=upload.name,
    )


def start_forecast(*, acting_user, upload, year: int, as_of_month: int, origin_url: str = "") -> jobs.Job:
    return job_uploads.start_import(
        FORECAST_KIND,
        acting_user=acting_user,
        upload=upload,
        label=_("Import av prognoser %(year)s: %(name)s") % {"year": year, "name": upload.name},
        origin_url=origin_url,
        year=int(year),
        as_of_month=int(as_of_month),
    )
