"""Pages of the agreement register: list with coming deadlines, detail with revisions, edit, file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.forms import add_service_errors, form_page
from samverkan.core.permissions import capability_required
from samverkan.domain.errors import DomainError
from samverkan.governance.forms_agreements import AgreementForm, RevisionForm
from samverkan.governance.policies import EDIT_AGREEMENTS, VIEW_AGREEMENTS
from samverkan.governance.selectors import agreements as selectors
from samverkan.governance.services import agreements as services


@capability_required(VIEW_AGREEMENTS)
def agreement_list(request):
    today = timezone.localdate()
    return render(
        request,
        "governance/agreement_list.html",
        {
            "title": _("Avtal"),
            "rows": selectors.agreement_rows(request.user, today),
            "today": today,
            "upcoming_days": selectors.UPCOMING_DAYS,
        },
    )


@capability_required(VIEW_AGREEMENTS)
def agreement_detail(request, pk: int):
    agreement = selectors.agreement_get(request.user, pk)
    return render(
        request,
        "governance/agreement_detail.html",
        {
            "title": agreement.title,
            "agreement": agreement,
            "dates": selectors.agreement_dates(agreement, timezone.localdate()),
            "revisions": agreement.revisions.all(),
        },
    )


def _fields(form) -> dict:
    data = dict(form.cleaned_data)
    data["file"] = data.pop("upload", None) or None
    return data


@capability_required(EDIT_AGREEMENTS)
def agreement_create(request):
    form = AgreementForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                acting_user=request.user, federation=request.user.federation, **_fields(form)
            )
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            return redirect("governance:agreement_detail", pk=agreement.pk)
    return form_page(request, form, _("Nytt avtal"), cancel_url=reverse("governance:agreement_list"), multipart=True)


@capability_required(EDIT_AGREEMENTS)
def agreement_edit(request, pk: int):
    agreement = selectors.agreement_get(request.user, pk)
    form = AgreementForm(request.POST or None, request.FILES or None, instance=agreement, user=request.user)
    if request.method == "POST" and form.is_valid():
        agreement.refresh_from_db()  # the form wrote its values into the instance; the service compares
        try:
            services.agreement_update(acting_user=request.user, agreement=agreement, **_fields(form))
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            return redirect("governance:agreement_detail", pk=agreement.pk)
    detail = reverse("governance:agreement_detail", args=[pk])
    return form_page(
        request, form, _("Ändra avtal: %(title)s") % {"title": agreement.title}, cancel_url=detail, multipart=True
    )


@capability_required(EDIT_AGREEMENTS)
def revision_add(request, pk: int):
    agreement = selectors.agreement_get(request.user, pk)
    form = RevisionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.revision_add(acting_user=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("governance:agreement_detail", pk=agreement.pk)
    detail = reverse("governance:agreement_detail", args=[pk])
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("Ny revidering: %(title)s") % {"title": agreement.title}, "cancel_url": detail},
    )


@capability_required(VIEW_AGREEMENTS)
def agreement_file(request, pk: int):
    agreement = selectors.agreement_get(request.user, pk)
    if not agreement.file:
        raise Http404
    response = FileResponse(
        agreement.file.open("rb"), as_attachment=True, filename=agreement.file.name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


urlpatterns = [
    path("avtal/", agreement_list, name="agreement_list"),
    path("avtal/nytt/", agreement_create, name="agreement_create"),
    path("avtal/<int:pk>/", agreement_detail, name="agreement_detail"),
    path("avtal/<int:pk>/andra/", agreement_edit, name="agreement_edit"),
    path("avtal/<int:pk>/revidering/", revision_add, name="agreement_revision_add"),
    path("avtal/<int:pk>/fil/", agreement_file, name="agreement_file"),
]
