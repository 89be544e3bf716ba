"""Pages of governance: meeting plans, meetings with their agendas, and the notice."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core.forms import add_error_messages, add_service_errors
from samverkan.core.params import id_or_none, year_or
from samverkan.core.permissions import capability_required, has_capability
from samverkan.governance.exporters import agenda_pdf, ical
from samverkan.governance.forms_meetings import AgendaItemForm, MeetingEditForm, MeetingForm, NoticeForm
from samverkan.governance.policies import EDIT_MEETINGS, VIEW_CASES, VIEW_MEETINGS
from samverkan.governance.selectors import meetings as selectors
from samverkan.governance.services import meetings as services


def _plan_url(body_pk: int, year: int) -> str:
    return reverse("governance:meeting_plan", kwargs={"body": body_pk, "year": year})


def _detail_url(meeting) -> str:
    return reverse("governance:meeting_detail", kwargs={"pk": meeting.pk})


@capability_required(VIEW_MEETINGS)
def meeting_list(request):
    """The bodies with their meeting-plan years, and the meetings from today on."""
    bodies = list(selectors.meeting_bodies_for(request.user))
    this_year = timezone.localdate().year
    rows = []
    for body in bodies:
        years = set(selectors.plan_years(request.user, body)) | {this_year, this_year + 1}
        rows.append({"body": body, "years": sorted(years)})
    upcoming = selectors.meetings_for(request.user).filter(date__gte=timezone.localdate()).order_by("date")[:20]
    return render(
        request,
        "governance/meeting_list.html",
        {"title": _("Sammanträden"), "rows": rows, "upcoming": upcoming},
    )


def _body(request, body: int):
    return get_object_or_404(selectors.meeting_bodies_for(request.user), pk=body)


@capability_required(VIEW_MEETINGS)
def meeting_plan(request, body: int, year: int):
    body_obj = _body(request, body)
    meetings = selectors.meeting_plan(request.user, body_obj, year)
    return render(
        request,
        "governance/meeting_plan.html",
        {
            "title": _("Sammanträdesplan %(year)s för %(body)s") % {"year": year, "body": body_obj.name},
            "body": body_obj,
            "year": year,
            "meetings": meetings,
            "create_url": f"{reverse('governance:meeting_create')}?{urlencode({'organ': body_obj.pk, 'ar': year})}",
        },
    )


@capability_required(VIEW_MEETINGS)
def meeting_plan_ics(request, body: int, year: int):
    body_obj = _body(request, body)
    meetings = selectors.meeting_plan(request.user, body_obj, year)
    name = _("Sammanträdesplan %(year)s för %(body)s") % {"year": year, "body": body_obj.name}
    content = ical.meeting_plan_ics(meetings, name=name, host=request.get_host().split(":")[0] or "samverkan")
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sammantradesplan-{body_obj.pk}-{year}.ics"'
    return response


@capability_required(VIEW_MEETINGS)
def meeting_plan_pdf(request, body: int, year: int):
    body_obj = _body(request, body)
    pdf = agenda_pdf.render_plan(body_obj, year, selectors.meeting_plan(request.user, body_obj, year))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sammantradesplan-{body_obj.pk}-{year}.pdf"'
    return response


@capability_required(EDIT_MEETINGS)
def meeting_create(request):
    initial = {}
    if id_or_none(request.GET.get("organ")):
        initial["body"] = request.GET["organ"]
    form = MeetingForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sammanträdet är inlagt med de fasta inledande punkterna."))
            return redirect(_detail_url(meeting))
    year = year_or(request.GET.get("ar"), timezone.localdate().year)
    cancel = _plan_url(int(initial["body"]), year) if initial else reverse("governance:meetings")
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("Nytt sammanträde"), "cancel_url": cancel, "submit_label": _("Lägg in")},
    )


@capability_required(VIEW_MEETINGS)
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(request.user, pk)
    items = selectors.agenda_items(meeting)
    may_edit = has_capability(request.user, EDIT_MEETINGS, obj=meeting.body)
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "title": _("%(body)s, sammanträde %(date)s")
            % {"body": meeting.body.name, "date": meeting.date.strftime("%Y-%m-%d")},
            "meeting": meeting,
            "items": items,
            "may_edit": may_edit and not selectors.minutes_locked(meeting),
            "minutes": selectors.minutes_of(meeting),
            "recipients": selectors.notice_recipients(meeting) if may_edit else [],
        },
    )


@capability_required(EDIT_MEETINGS)
def meeting_edit(request, pk: int):
    meeting = selectors.meeting_get(request.user, pk)
    fields = ("date", "start_time", "end_time", "place", "topics", "status")
    form = MeetingEditForm(request.POST or None, initial={f: getattr(meeting, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(acting_user=request.user, meeting=meeting, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sammanträdet är ändrat."))
            return redirect(_detail_url(meeting))
    return render(
        request, "core/form.html", {"form": form, "title": _("Ändra sammanträdet"), "cancel_url": _detail_url(meeting)}
    )


@require_POST
@capability_required(EDIT_MEETINGS)
def meeting_delete(request, pk: int):
    meeting = selectors.meeting_get(request.user, pk)
    body_pk, year = meeting.body_id, meeting.date.year
    try:
        services.meeting_delete(acting_user=request.user, meeting=meeting)
    except ValidationError as exc:
        add_error_messages(request, exc)
        return redirect(_detail_url(meeting))
    messages.success(request, _("Sammanträdet är borttaget."))
    return redirect(_plan_url(body_pk, year))


# ---- agenda ---------------------------------------------------------------------------------


def _item(request, pk: int, item: int):
    meeting = selectors.meeting_get(request.user, pk)
    return meeting, get_object_or_404(meeting.agenda_items.select_related("case"), pk=item)


@capability_required(EDIT_MEETINGS)
def agenda_item_create(request, pk: int):
    meeting = selectors.meeting_get(request.user, pk)
    form = AgendaItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_add(acting_user=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Punkten är tillagd."))
            return redirect(_detail_url(meeting))
    elif request.method != "POST":
        form.initial["extra"] = meeting.notice_sent_at is not None
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("Ny punkt på föredragningslistan"), "cancel_url": _detail_url(meeting)},
    )


@capability_required(EDIT_MEETINGS)
def agenda_item_edit(request, pk: int, item: int):
    meeting, item_obj = _item(request, pk, item)
    initial = {f: getattr(item_obj, f) for f in services.ITEM_FIELDS} | {"documents": list(item_obj.documents.all())}
    form = AgendaItemForm(request.POST or None, user=request.user, initial=initial, case=item_obj.case)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(acting_user=request.user, item=item_obj, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Punkten är ändrad."))
            return redirect(_detail_url(meeting))
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("Ändra punkt %(n)s") % {"n": item_obj.position}, "cancel_url": _detail_url(meeting)},
    )


@require_POST
@capability_required(EDIT_MEETINGS)
def agenda_item_delete(request, pk: int, item: int):
    meeting, item_obj = _item(request, pk, item)
    try:
        services.agenda_item_delete(acting_user=request.user, item=item_obj)
    except ValidationError as exc:
        add_error_messages(request, exc)
    else:
        messages.success(request, _("Punkten är borttagen."))
    return redirect(_detail_url(meeting))


@require_POST
@capability_required(EDIT_MEETINGS)
def agenda_item_move(request, pk: int, item: int):
    meeting, item_obj = _item(request, pk, item)
    step = {"upp": -1, "ned": 1}.get(request.POST.get("steg", ""))
    if step is None:
        raise Http404
    try:
        services.agenda_item_move(acting_user=request.user, item=item_obj, step=step)
    except ValidationError as exc:
        add_error_messages(request, exc)
    return redirect(_detail_url(meeting))


# ---- notice and PDFs ------------------------------------------------------------------------


@capability_required(EDIT_MEETINGS)
def notice_send(request, pk: int):
    meeting = selectors.meeting_get(request.user, pk)
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.notice_send(
                acting_user=request.user,
                meeting=meeting,
                note=form.cleaned_data["note"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = len(result.members) + len(result.for_information)
            messages.success(request, _("Kallelsen skickas till %(count)s mottagare.") % {"count": count})
            if result.without_email:
                messages.warning(
                    request,
                    _("Ingen e-postadress, fick ingen kallelse: %(names)s.")
                    % {"names": ", ".join(result.without_email)},
                )
            return redirect(_detail_url(meeting))
    return render(
        request,
        "governance/notice_send.html",
        {
            "title": _("Skicka kallelse"),
            "meeting": meeting,
            "form": form,
            "recipients": selectors.notice_recipients(meeting),
        },
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@capability_required(VIEW_MEETINGS)
def meeting_agenda_pdf(request, pk: int):
    meeting = selectors.meeting_get(request.user, pk)
    pdf = agenda_pdf.render_agenda(meeting, selectors.agenda_items(meeting))
    return _pdf_response(pdf, f"foredragningslista-{meeting.date:%Y-%m-%d}.pdf")


@capability_required(VIEW_MEETINGS)
def meeting_notice_pdf(request, pk: int):
    meeting = selectors.meeting_get(request.user, pk)
    pdf = agenda_pdf.render_agenda(meeting, selectors.agenda_items(meeting), notice=True)
    return _pdf_response(pdf, f"kallelse-{meeting.date:%Y-%m-%d}.pdf")


@capability_required(VIEW_MEETINGS)
def meeting_document(request, pk: int, doc: int):
    """A document on the meeting's agenda, for those who read the meeting; a secrecy-marked one
    only for those who see the whole case register."""
    meeting = selectors.meeting_get(request.user, pk)
    document = selectors.meeting_document_get(request.user, meeting, doc)
    if document.secrecy and not has_capability(request.user, VIEW_CASES, obj=meeting.body):
        raise PermissionDenied(_("Handlingen omfattas av sekretess och finns hos sekreteraren."))
    if not document.file:
        raise Http404
    name = document.file.name.rsplit("/", 1)[-1]
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


urlpatterns = [
    path("sammantraden/", meeting_list, name="meetings"),
    path("sammantraden/nytt/", meeting_create, name="meeting_create"),
    path("sammantraden/plan/<int:body>/<int:year>/", meeting_plan, name="meeting_plan"),
    path("sammantraden/plan/<int:body>/<int:year>/kalender.ics", meeting_plan_ics, name="meeting_plan_ics"),
    path("sammantraden/plan/<int:body>/<int:year>/plan.pdf", meeting_plan_pdf, name="meeting_plan_pdf"),
    path("sammantraden/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("sammantraden/<int:pk>/andra/", meeting_edit, name="meeting_edit"),
    path("sammantraden/<int:pk>/ta-bort/", meeting_delete, name="meeting_delete"),
    path("sammantraden/<int:pk>/punkter/ny/", agenda_item_create, name="agenda_item_create"),
    path("sammantraden/<int:pk>/punkter/<int:item>/andra/", agenda_item_edit, name="agenda_item_edit"),
    path("sammantraden/<int:pk>/punkter/<int:item>/ta-bort/", agenda_item_delete, name="agenda_item_delete"),
    path("sammantraden/<int:pk>/punkter/<int:item>/flytta/", agenda_item_move, name="agenda_item_move"),
    path("sammantraden/<int:pk>/kallelse/", notice_send, name="notice_send"),
    path("sammantraden/<int:pk>/foredragningslista.pdf", meeting_agenda_pdf, name="meeting_agenda_pdf"),
    path("sammantraden/<int:pk>/kallelse.pdf", meeting_notice_pdf, name="meeting_notice_pdf"),
    path("sammantraden/<int:pk>/handlingar/<int:doc>/", meeting_document, name="meeting_document"),
]
