"""The asset-register import as a background job (core.jobs): the page and the API keep the upload
and start the job, which runs :func:`.services.assets_import` unchanged (all or nothing; the
line-numbered Swedish errors become the job's error)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.assets import services
from samverkan.assets.policies import IMPORT_ASSETS
from samverkan.core import job_uploads, jobs

KIND = "assets.import_register"


@jobs.job_kind(KIND, capability=IMPORT_ASSETS)
def import_register(*, acting_user, federation, progress, upload: str) -> jobs.JobResult:
    with job_uploads.taken(upload) as kept:
        counts = services.assets_import(
            acting_user=acting_user, federation=federation, data=kept.read_bytes(), progress=progress
        )
    return jobs.JobResult(
        message=_("Importen är klar: %(c)s nya, %(u)s ändrade, %(n)s oförändrade.")
        % {"c": counts["created"], "u": counts["updated"], "n": counts["unchanged"]},
        url=reverse("assets:asset-list"),
    )


def start(*, acting_user, upload, origin_url: str = "") -> jobs.Job:
    """Keep the upload and queue the import (page and API)."""
    return job_uploads.start_import(
        KIND,
        acting_user=acting_user,
        upload=upload,
        label=_("Import av inventarieregister: %(name)s") % {"name": upload.name},
        origin_url=origin_url,
    )
