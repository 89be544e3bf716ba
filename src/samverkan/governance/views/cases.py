"""Pages of governance: the case register (diarium) for staff, and the public register."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core.forms import add_error_messages, form_page
from samverkan.core.params import year_or
from samverkan.core.permissions import capability_required, has_capability
from samverkan.governance.forms import (
    CaseCloseForm,
    CaseForm,
    CaseSearchForm,
    CaseSettingsForm,
    DocumentForm,
    LinkForm,
)
from samverkan.governance.policies import EDIT_CASES, VIEW_CASES, VIEW_PUBLIC_REGISTER
from samverkan.governance.selectors import cases as selectors
from samverkan.governance.services import cases as services


def _case_url(case_id: int) -> str:
    return reverse("governance:case_detail", args=[case_id])


@capability_required(VIEW_CASES)
def case_list(request):
    search = CaseSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    all_cases = selectors.cases_for(request.user)
    years = selectors.case_years(all_cases)
    if query:
        cases, year = list(selectors.case_search(request.user, query)), None
    else:
        year = year_or(request.GET.get("ar"), years[0] if years else timezone.localdate().year)
        cases = Paginator(all_cases.filter(year=year).order_by("-sequence"), 50).get_page(request.GET.get("sida"))
    return render(
        request,
        "governance/case_list.html",
        {
            "title": _("Diarium"),
            "search": search,
            "query": query,
            "cases": cases,
            "page": None if query else cases,
            "years": years,
            "year": year,
            "max_results": selectors.MAX_SEARCH_RESULTS,
            "pattern": selectors.case_number_pattern(request.user.federation_id),
            "may_edit": has_capability(request.user, EDIT_CASES),
            "federation": request.user.federation,
        },
    )


@capability_required(EDIT_CASES)
def case_create(request):
    federation = request.user.federation
    form = CaseForm(request.POST or None, user=request.user, initial={"opened": timezone.localdate()})
    return form_page(
        request,
        form,
        _("Nytt ärende"),
        lambda data: _case_url(services.case_open(acting_user=request.user, federation=federation, **data).pk),
        _("Ärendet har registrerats."),
        reverse("governance:case_list"),
    )


@capability_required(VIEW_CASES)
def case_detail(request, pk: int):
    case = selectors.case_get(request.user, pk)
    return render(
        request,
        "governance/case_detail.html",
        {
            "title": _("Ärende %(number)s") % {"number": case.number},
            "case": case,
            "documents": case.documents.select_related("registered_by").order_by("sequence"),
            "links": selectors.case_links(case),
            "may_edit": has_capability(request.user, EDIT_CASES, obj=case),
            "today": timezone.localdate(),
        },
    )


@capability_required(EDIT_CASES)
def case_edit(request, pk: int):
    case = selectors.case_get(request.user, pk)
    return form_page(
        request,
        CaseForm(request.POST or None, instance=case, user=request.user),
        _("Ändra ärende %(number)s") % {"number": case.number},
        lambda data: _case_url(
            services.case_update(acting_user=request.user, case=selectors.case_get(request.user, pk), data=data).pk
        ),
        _("Ändringarna har sparats."),
        _case_url(case.pk),
    )


@require_POST
@capability_required(EDIT_CASES)
def case_close(request, pk: int):
    case = selectors.case_get(request.user, pk)
    form = CaseCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange ett giltigt datum då ärendet avslutades."))
    else:
        try:
            services.case_close(acting_user=request.user, case=case, closed=form.cleaned_data["closed"])
        except ValidationError as exc:
            add_error_messages(request, exc)
        else:
            messages.success(request, _("Ärendet har avslutats."))
    return redirect(_case_url(case.pk))


@capability_required(EDIT_CASES)
def document_create(request, pk: int):
    case = selectors.case_get(request.user, pk)
    form = DocumentForm(request.POST or None, request.FILES or None, initial={"date": timezone.localdate()})

    def save(data):
        upload = data.pop("file", None)
        services.document_register(acting_user=request.user, case=case, upload=upload or None, **data)
        return _case_url(case.pk)

    return form_page(
        request,
        form,
        _("Ny handling i ärende %(number)s") % {"number": case.number},
        save,
        _("Handlingen har registrerats."),
        _case_url(case.pk),
        intro=_("En handling med sekretessmarkering visas i det offentliga diariet bara som att den finns."),
        multipart=True,
    )


@capability_required(EDIT_CASES)
def document_edit(request, pk: int):
    document = selectors.document_get(request.user, pk)
    return form_page(
        request,
        DocumentForm(request.POST or None, instance=document),
        _("Ändra handling %(number)s:%(seq)s") % {"number": document.case.number, "seq": document.sequence},
        lambda data: _case_url(
            services.document_update(
                acting_user=request.user, document=selectors.document_get(request.user, pk), data=data
            ).case_id
        ),
        _("Ändringarna har sparats."),
        _case_url(document.case_id),
    )


@capability_required(VIEW_CASES)
def document_download(request, pk: int):
    """The file of a document, to staff with VIEW_CASES only (secrecy-marked ones included)."""
    document = selectors.document_get(request.user, pk)
    if not document.file:
        raise Http404
    name = document.file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@capability_required(EDIT_CASES)
def link_add(request, pk: int):
    case = selectors.case_get(request.user, pk)

    def save(data):
        type_code, _sep, object_id = data["target"].partition(":")
        target = selectors.link_target_get(request.user, type_code, int(object_id))
        services.link_add(acting_user=request.user, case=case, target=target, note=data["note"])
        return _case_url(case.pk)

    return form_page(
        request,
        LinkForm(request.POST or None, user=request.user),
        _("Koppla ärende %(number)s") % {"number": case.number},
        save,
        _("Kopplingen har lagts till."),
        _case_url(case.pk),
        intro=_(
            "Välj vad ärendet gäller: en fördelningskörning eller kostnadspool, en prisversion, ett avtal, "
            "en medlems överlämnade verksamhet eller en fakturakörning."
        ),
    )


@require_POST
@capability_required(EDIT_CASES)
def link_remove(request, pk: int):
    link = selectors.link_get(request.user, pk)
    services.link_remove(acting_user=request.user, link=link)
    messages.success(request, _("Kopplingen har tagits bort."))
    return redirect(_case_url(link.case_id))


@capability_required(EDIT_CASES)
def case_settings(request):
    federation = request.user.federation
    form = CaseSettingsForm(
        request.POST or None, initial={"case_number_pattern": selectors.case_number_pattern(federation)}
    )

    def save(data):
        services.case_settings_update(acting_user=request.user, federation=federation, **data)
        return reverse("governance:case_list")

    return form_page(
        request,
        form,
        _("Diarienummer"),
        save,
        _("Mönstret har sparats."),
        reverse("governance:case_list"),
        intro=_("Nya ärenden får nummer enligt mönstret; redan registrerade ärenden behåller sina nummer."),
    )


@capability_required(VIEW_PUBLIC_REGISTER)
def public_register(request, slug: str):
    """The public register of a federation: every case and document of a year, secrecy masked
    (by the selector) — no login."""
    federation = selectors.public_federation_get(slug)
    years = selectors.public_register_years(federation)
    year = year_or(request.GET.get("ar"), years[0] if years else timezone.localdate().year)
    return render(
        request,
        "governance/register_public.html",
        {
            "title": _("Diarium för %(name)s") % {"name": federation.name},
            "federation": federation,
            "year": year,
            "years": years,
            "cases": selectors.public_register(federation, year),
        },
    )


urlpatterns = [
    path("arenden/", case_list, name="case_list"),
    path("arenden/nytt/", case_create, name="case_create"),
    path("arenden/diarienummer/", case_settings, name="case_settings"),
    path("arenden/<int:pk>/", case_detail, name="case_detail"),
    path("arenden/<int:pk>/andra/", case_edit, name="case_edit"),
    path("arenden/<int:pk>/avsluta/", case_close, name="case_close"),
    path("arenden/<int:pk>/handling/ny/", document_create, name="document_create"),
    path("arenden/<int:pk>/koppling/ny/", link_add, name="link_add"),
    path("handlingar/<int:pk>/andra/", document_edit, name="document_edit"),
    path("handlingar/<int:pk>/fil/", document_download, name="document_download"),
    path("kopplingar/<int:pk>/ta-bort/", link_remove, name="link_remove"),
    path("diarium/<slug:slug>/", public_register, name="public_register"),
]
