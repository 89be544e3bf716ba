"""Call-record imports as background jobs (core.jobs): the page and the API keep the upload and
start the job; the CLI runs the same job in its own process with a progress bar.

The work is :func:`..services.call_records_import` unchanged (one transaction, all-or-nothing,
line-numbered Swedish errors, which become the job's error).
"""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.core import job_uploads, jobs
from samverkan.telephony import services
from samverkan.telephony.importers.csv_records import mapping_from_spec
from samverkan.telephony.policies import IMPORT_CALLS

KIND = "telephony.import_calls"


def summary(batch, created: bool) -> str:
    if not created:
        return _("Filen är redan importerad; inget ändrades.")
    return _("%(new)s nya samtal importerades (%(read)s i filen, %(lines)s rader, %(skipped)s rader överhoppade).") % {
        "new": batch.records_created,
        "read": batch.records_read,
        "lines": batch.lines,
        "skipped": len(batch.skipped_lines),
    }


@jobs.job_kind(KIND, capability=IMPORT_CALLS)
def import_calls(
    *,
    acting_user,
    federation,
    progress,
    file_name: str,
    file_format: str,
    skip_bad_lines: bool = False,
    csv_columns: str = "",
    csv_delimiter: str = "",
    upload: str = "",
    path: str = "",
) -> jobs.JobResult:
    """``upload``: a token of :func:`core.job_uploads.keep` (page, API; removed afterwards);
    ``path``: a file on the command's disk (CLI; left alone)."""
    mapping = mapping_from_spec(csv_columns, csv_delimiter or None)
    if upload:
        with job_uploads.taken(upload) as kept, kept.open("rb") as handle:
            batch, created = _import(
                acting_user, federation, progress, handle, file_name, file_format, skip_bad_lines, mapping
            )
    else:
        with Path(path).open("rb") as handle:
            batch, created = _import(
                acting_user, federation, progress, handle, file_name, file_format, skip_bad_lines, mapping
            )
    progress(1, 1, "")
    # value: for the CLI, which lists the skipped lines of a new batch
    return jobs.JobResult(message=summary(batch, created), url=reverse("telephony:import"), value=(batch.pk, created))


def _import(acting_user, federation, progress, handle, file_name, file_format, skip_bad_lines, mapping):
    return services.call_records_import(
        acting_user=acting_user,
        federation=federation,
        file=handle,
        file_name=file_name,
        file_format=file_format,
        skip_bad_lines=skip_bad_lines,
        csv_mapping=mapping,
        progress=progress,
    )


def start(*, acting_user, upload, origin_url: str = "", **params) -> jobs.Job:
    """Keep the upload and queue the import (page and API)."""
    return job_uploads.start_import(
        KIND,
        acting_user=acting_user,
        upload=upload,
        label=_("Import av samtal: %(name)s") % {"name": upload.name},
        origin_url=origin_url,
        file_name=upload.name[:255],
        **params,
    )
