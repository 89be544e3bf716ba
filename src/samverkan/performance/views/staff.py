"""Pages of performance: staff statistics (aggregates only) and the payroll import."""

from __future__ import annotations

import datetime

from django import forms
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core import job_uploads
from samverkan.core.fields import UploadField
from samverkan.core.params import year_or
from samverkan.core.permissions import capability_required, has_capability
from samverkan.performance.importers.staff import MAX_BYTES
from samverkan.performance.policies import IMPORT_STAFF, VIEW_PERFORMANCE
from samverkan.performance.selectors import staff as selectors
from samverkan.performance.tasks import STAFF_KIND, start_staff


class StaffImportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("År"), min_value=2000, max_value=2100)
    file = UploadField(
        label=gettext_lazy("Fil från lönesystemet (CSV eller XLSX)"),
        help_text=gettext_lazy("En rad per anställning. Årets tidigare import ersätts i sin helhet."),
        max_bytes=MAX_BYTES,
    )


def default_year(user) -> int:
    latest = selectors.staff_imports(user, user.federation_id).first()
    return latest.year if latest else datetime.date.today().year - 1


@capability_required(VIEW_PERFORMANCE)
def staff_report(request):
    year = year_or(request.GET.get("ar"), default_year(request.user))
    report = selectors.staff_report(request.user, request.user.federation_id, year)
    return render(
        request,
        "performance/staff_report.html",
        {
            "title": _("Personalstatistik %(year)s") % {"year": year},
            "report": report,
            "imports": selectors.staff_imports(request.user, request.user.federation_id),
            "can_import": has_capability(request.user, IMPORT_STAFF),
        },
    )


@capability_required(IMPORT_STAFF)
def staff_import_page(request):
    """Upload a payroll file: a background job imports it; this page follows it (``?jobb=<id>``)."""
    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        here = _url("performance:staff_import")
        job = start_staff(
            acting_user=request.user, upload=form.cleaned_data["file"], year=form.cleaned_data["year"], origin_url=here
        )
        return redirect(f"{here}?{job_uploads.QUERY}={job.pk}")
    return render(
        request,
        "core/form.html",
        {
            "title": _("Importera personalstatistik"),
            "form": form,
            "multipart": True,
            "job": job_uploads.shown(request, STAFF_KIND),
            "intro": _(
                "Filen läses i sin helhet innan något sparas: en felaktig rad anges med radnummer och då ändras "
                "ingenting. Kolumner: anställningsnummer, anställningsform, kön, åldersgrupp eller födelseår, "
                "årsarbetare, arbetade timmar (ordinarie arbetstid inklusive frånvaro), sjukfrånvaro timmar, "
                "varav långtid timmar. Anställningsnumret sparas inte: det ersätts med en anonym nyckel."
            ),
            "cancel_url": _url("performance:staff"),
            "submit_label": _("Importera"),
        },
    )


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


urlpatterns = [
    path("personal/", staff_report, name="staff"),
    path("personal/importera/", staff_import_page, name="staff_import"),
]
