"""The payroll (staff) import as a background job (core.jobs): the page and the API keep the upload
and start the job, which runs :func:`.services.staff.staff_import` unchanged (the year's earlier
import replaced whole, or nothing changed; a bad row's line number is the job's error)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.core import job_uploads, jobs
from samverkan.performance.policies import IMPORT_STAFF
from samverkan.performance.services.staff import staff_import

STAFF_KIND = "performance.staff_import"


@jobs.job_kind(STAFF_KIND, capability=IMPORT_STAFF)
def import_staff(*, acting_user, federation, progress, year: int, source_name: str, upload: str) -> jobs.JobResult:
    progress(0, 1, _("Läser %(name)s") % {"name": source_name})
    with job_uploads.taken(upload) as kept:
        result = staff_import(
            acting_user=acting_user,
            federation=federation,
            year=year,
            data=kept.read_bytes(),
            source_name=source_name,
        )
    progress(1, 1, "")
    return jobs.JobResult(
        message=_("Personalstatistiken för %(year)s är importerad.") % {"year": result.year},
        url=f"{reverse('performance:staff')}?ar={result.year}",
    )


def start_staff(*, acting_user, upload, year: int, origin_url: str = "") -> jobs.Job:
    """Keep the upload and queue the import (page and API)."""
    return job_uploads.start_import(
        STAFF_KIND,
        acting_user=acting_user,
        upload=upload,
        label=_("Import av personalstatistik %(year)s: %(name)s") % {"year": year, "name": upload.name},
        origin_url=origin_url,
        year=int(year),
        source_name=upload.name,
    )
