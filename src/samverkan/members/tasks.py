"""The SCB population import as a background job (core.jobs): the page keeps the upload and starts
the job; `samverkan import population` runs the same job in its own process with a progress bar.
The work is :func:`.services.population_import` unchanged (all or nothing; a bad row's line
number is the job's error)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.core import job_uploads, jobs
from samverkan.members import services
from samverkan.members.policies import MANAGE_FIGURES

KIND = "members.import_population"


@jobs.job_kind(KIND, capability=MANAGE_FIGURES)
def import_population(
    *, acting_user, federation, progress, reference_date: str = "", upload: str = "", path: str = ""
) -> jobs.JobResult:
    """``upload``: a token of :func:`core.job_uploads.keep` (page); ``path``: the CLI's file.
    ``federation`` None (the CLI without --federation): every federation's members."""
    rows = [0]

    def stored(count: int) -> None:  # figures_store counts rows; the job shows how many so far
        rows[0] += count
        progress(rows[0], 0, "")

    if upload:
        with job_uploads.taken(upload) as kept:
            content = kept.read_bytes()
    else:
        content = Path(path).read_bytes()
    result = services.population_import(
        acting_user=acting_user,
        content=content,
        reference_date=date.fromisoformat(reference_date) if reference_date else None,
        federation=federation,
        progress=stored,
    )
    return jobs.JobResult(
        message=_(
            "Importen klar: %(c)d nya, %(u)d ändrade, %(n)d oförändrade; %(s)d kommuner utan medlemskap hoppades över."
        )
        % {"c": result.created, "u": result.updated, "n": result.unchanged, "s": result.skipped},
        url=reverse("members:member-list"),
    )


def start(*, acting_user, upload, reference_date: date | None, origin_url: str = "") -> jobs.Job:
    """Keep the upload and queue the import (page)."""
    return job_uploads.start_import(
        KIND,
        acting_user=acting_user,
        upload=upload,
        label=_("Import av folkmängd: %(name)s") % {"name": upload.name},
        origin_url=origin_url,
        reference_date=reference_date.isoformat() if reference_date else "",
    )
