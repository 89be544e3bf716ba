"""Pages of governance: minutes, paragraphs, adjustment, decision links and the public notice board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core.forms import add_error_messages, form_page
from samverkan.core.permissions import capability_required, has_capability
from samverkan.domain.errors import DomainError
from samverkan.governance.exporters.minutes_pdf import minutes_pdf
from samverkan.governance.forms_minutes import (
    TARGET_LABELS,
    AdjusterForm,
    ApproveForm,
    AttendanceForm,
    CounterForm,
    DecisionLinkForm,
    MinutesForm,
    ParagraphForm,
)
from samverkan.governance.policies import ADJUST_MINUTES, EDIT_MEETINGS, VIEW_MEETINGS, VIEW_NOTICE_BOARD
from samverkan.governance.selectors import minutes as selectors
from samverkan.governance.selectors.meetings import meeting_get
from samverkan.governance.services import minutes as services


def _detail_url(minutes) -> str:
    return reverse("governance:minutes_detail", args=[minutes.pk])


@capability_required(VIEW_MEETINGS)
def minutes_list(request):
    rows = selectors.minutes_for(request.user).order_by("-meeting__date")
    return render(request, "governance/minutes_list.html", {"title": _("Protokoll"), "rows": rows})


@capability_required(VIEW_MEETINGS)
def minutes_detail(request, pk: int):
    minutes = selectors.minutes_get(request.user, pk)
    user = request.user
    editable = minutes.locked_at is None and has_capability(user, EDIT_MEETINGS, obj=minutes.meeting.body)
    mine = selectors.pending_approval(minutes, user) if minutes.locked_at is None else None
    context = {
        "title": _("Protokoll %(body)s %(date)s")
        % {"body": minutes.meeting.body, "date": f"{minutes.meeting.date:%Y-%m-%d}"},
        "minutes": minutes,
        "paragraphs": [(p, selectors.paragraph_label(p)) for p in selectors.minutes_paragraphs(minutes)],
        "attendance": selectors.minutes_attendance(minutes),
        "adjusters": selectors.minutes_adjusters(minutes),
        "editable": editable,
        "can_approve": mine is not None and has_capability(user, ADJUST_MINUTES, obj=minutes.meeting.body),
        "approve_form": ApproveForm(),
        "posting": getattr(minutes, "posting", None),
    }
    return render(request, "governance/minutes_detail.html", context)


@capability_required(EDIT_MEETINGS)
def minutes_create(request, meeting_pk: int):
    meeting = meeting_get(request.user, meeting_pk)
    form = MinutesForm(request.POST or None, user=request.user, initial={"secretary": request.user.pk})

    def save(data):
        return _detail_url(services.minutes_create(acting_user=request.user, meeting=meeting, **data))

    return form_page(
        request, form, _("Nytt protokoll för %(meeting)s") % {"meeting": meeting}, save, _("Protokollet har skapats.")
    )


@capability_required(EDIT_MEETINGS)
def minutes_edit(request, pk: int):
    minutes = selectors.minutes_get(request.user, pk)
    form = MinutesForm(request.POST or None, instance=minutes, user=request.user)

    def save(data):
        minutes.refresh_from_db()
        services.minutes_update(acting_user=request.user, minutes=minutes, data=data)
        return _detail_url(minutes)

    return form_page(request, form, _("Ändra protokoll"), save, _("Protokollet har sparats."), _detail_url(minutes))


@capability_required(EDIT_MEETINGS)
def paragraph_add(request, pk: int):
    minutes = selectors.minutes_get(request.user, pk)
    form = ParagraphForm(request.POST or None, user=request.user)

    def save(data):
        services.paragraph_add(acting_user=request.user, minutes=minutes, **data)
        return _detail_url(minutes)

    intro = _("Paragrafen får nästa nummer i organets nummerserie för året. Numret ändras aldrig.")
    return form_page(
        request, form, _("Ny paragraf"), save, _("Paragrafen har lagts till."), _detail_url(minutes), intro=intro
    )


@capability_required(VIEW_MEETINGS)
def paragraph_detail(request, pk: int):
    paragraph = selectors.paragraph_get(request.user, pk)
    effects = []
    for link in selectors.paragraph_effects(paragraph):
        key = f"{link.content_type.app_label}.{link.content_type.model}"
        effects.append(
            {
                "link": link,
                "kind": TARGET_LABELS.get(key, key),
                "target": link.target,
                "url": _object_url(key, link.target),
            }
        )
    context = {
        "title": selectors.paragraph_label(paragraph) + " " + paragraph.title,
        "paragraph": paragraph,
        "label": selectors.paragraph_label(paragraph),
        "effects": effects,
        "dispatch": paragraph.dispatch_to.splitlines(),
        "editable": paragraph.minutes.locked_at is None and has_capability(request.user, EDIT_MEETINGS),
        "can_link": has_capability(request.user, EDIT_MEETINGS),
    }
    return render(request, "governance/paragraph_detail.html", context)


# The page of each kind of decided object: (URL name, attribute holding the pk argument).
TARGET_PAGES = {
    "allocation.allocationrun": ("allocation:run-detail", "pk"),
    "allocation.costpool": ("allocation:pool-detail", "pk"),
    "catalogue.priceversion": ("catalogue:item-detail", "item_id"),
    "catalogue.catalogueitem": ("catalogue:item-detail", "pk"),
    "members.member": ("members:member-detail", "pk"),
    "members.handover": ("members:member-detail", "member_id"),
    "billing.invoicerun": ("billing:run-detail", "pk"),
    "governance.agreement": ("governance:agreement_detail", "pk"),
    "governance.agreementrevision": ("governance:agreement_detail", "agreement_id"),
    "governance.case": ("governance:case_detail", "pk"),
}


def _object_url(key: str, obj) -> str:
    if obj is None or key not in TARGET_PAGES:
        return ""
    name, attribute = TARGET_PAGES[key]
    try:
        return reverse(name, args=[getattr(obj, attribute)])
    except NoReverseMatch:  # the other app's page is not there: show the name without a link
        return ""


@capability_required(EDIT_MEETINGS)
def paragraph_edit(request, pk: int):
    paragraph = selectors.paragraph_get(request.user, pk)
    initial = {f: getattr(paragraph, f) for f in ("title", "case", "text", "decision", "dispatch_to", "reservations")}
    form = ParagraphForm(request.POST or None, user=request.user, initial=initial)
    back = reverse("governance:paragraph_detail", args=[paragraph.pk])

    def save(data):
        services.paragraph_update(acting_user=request.user, paragraph=paragraph, data=data)
        return back

    title = _("Ändra %(label)s") % {"label": selectors.paragraph_label(paragraph)}
    return form_page(request, form, title, save, _("Paragrafen har sparats."), back)


@capability_required(EDIT_MEETINGS)
def decision_link_add(request, pk: int):
    paragraph = selectors.paragraph_get(request.user, pk)
    form = DecisionLinkForm(request.POST or None)
    back = reverse("governance:paragraph_detail", args=[paragraph.pk])

    def save(data):
        app_label, model = data["target_type"].split(".")
        model_class = ContentType.objects.get_by_natural_key(app_label, model).model_class()
        target = model_class.objects.filter(pk=data["object_id"]).first()
        if target is None or services.decision_target_federation_id(target) != paragraph.body.federation_id:
            raise ValidationError({"object_id": _("Det finns inget sådant i förbundet.")})
        services.decision_link_add(
            acting_user=request.user, paragraph=paragraph, target=target, description=data["description"]
        )
        return back

    return form_page(request, form, _("Koppla beslutet"), save, _("Kopplingen har sparats."), back)


@capability_required(EDIT_MEETINGS)
def attendance_add(request, pk: int):
    minutes = selectors.minutes_get(request.user, pk)
    form = AttendanceForm(request.POST or None)

    def save(data):
        services.attendance_add(acting_user=request.user, minutes=minutes, **data)
        return _detail_url(minutes)

    return form_page(request, form, _("Lägg till närvarande"), save, _("Närvaron har sparats."), _detail_url(minutes))


@require_POST
@capability_required(EDIT_MEETINGS)
def attendance_remove(request, pk: int):
    row = selectors.attendance_get(request.user, pk)
    minutes = row.meeting.minutes
    try:
        services.attendance_remove(acting_user=request.user, attendance=row)
    except ValidationError as exc:
        add_error_messages(request, exc)
    return redirect(_detail_url(minutes))


@capability_required(EDIT_MEETINGS)
def adjuster_add(request, pk: int):
    minutes = selectors.minutes_get(request.user, pk)
    form = AdjusterForm(request.POST or None, user=request.user)

    def save(data):
        services.adjuster_add(acting_user=request.user, minutes=minutes, **data)
        return _detail_url(minutes)

    return form_page(
        request, form, _("Lägg till justerare"), save, _("Justeraren har lagts till."), _detail_url(minutes)
    )


@require_POST
@capability_required(EDIT_MEETINGS)
def adjuster_remove(request, pk: int):
    adjuster = selectors.adjuster_get(request.user, pk)
    minutes = adjuster.minutes
    try:
        services.adjuster_remove(acting_user=request.user, adjuster=adjuster)
    except ValidationError as exc:
        add_error_messages(request, exc)
    return redirect(_detail_url(minutes))


@require_POST
@capability_required(ADJUST_MINUTES)
def minutes_approve(request, pk: int):
    minutes = selectors.minutes_get(request.user, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ogiltigt datum."))
        return redirect(_detail_url(minutes))
    try:
        services.minutes_approve(acting_user=request.user, minutes=minutes, **form.cleaned_data)
    except (ValidationError, DomainError) as exc:
        add_error_messages(request, exc)
    else:
        minutes.refresh_from_db()
        if minutes.locked_at:
            messages.success(request, _("Protokollet är justerat och anslaget på anslagstavlan."))
        else:
            messages.success(request, _("Din justering är registrerad."))
    return redirect(_detail_url(minutes))


@capability_required(VIEW_MEETINGS)
def minutes_pdf_download(request, pk: int):
    minutes = selectors.minutes_get(request.user, pk)
    response = HttpResponse(minutes_pdf(minutes), content_type="application/pdf")
    name = f"protokoll-{minutes.meeting.date:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@capability_required(EDIT_MEETINGS)
def paragraph_counter(request):
    form = CounterForm(request.POST or None, user=request.user, initial={"year": timezone.localdate().year})

    def save(data):
        services.paragraph_counter_set(acting_user=request.user, **data)
        return reverse("governance:minutes_list")

    intro = _(
        "Ange vilket nummer nästa paragraf får, till exempel när numreringen fortsätter från ett tidigare system."
    )
    return form_page(request, form, _("Paragrafnumrering"), save, _("Numreringen har sparats."), intro=intro)


@capability_required(VIEW_NOTICE_BOARD)
def notice_board(request, slug: str):
    federation = selectors.federation_by_slug(slug)
    board = selectors.notice_board(federation, timezone.localdate())
    context = {"title": _("Anslagstavla – %(name)s") % {"name": federation.name}, "board": board}
    return render(request, "governance/notice_board.html", context)


urlpatterns = [
    path("protokoll/", minutes_list, name="minutes_list"),
    path("protokoll/ny/<int:meeting_pk>/", minutes_create, name="minutes_create"),
    path("protokoll/<int:pk>/", minutes_detail, name="minutes_detail"),
    path("protokoll/<int:pk>/andra/", minutes_edit, name="minutes_edit"),
    path("protokoll/<int:pk>/justera/", minutes_approve, name="minutes_approve"),
    path("protokoll/<int:pk>/pdf/", minutes_pdf_download, name="minutes_pdf"),
    path("protokoll/<int:pk>/paragraf/ny/", paragraph_add, name="paragraph_add"),
    path("protokoll/<int:pk>/narvaro/ny/", attendance_add, name="attendance_add"),
    path("protokoll/<int:pk>/justerare/ny/", adjuster_add, name="adjuster_add"),
    path("narvaro/<int:pk>/ta-bort/", attendance_remove, name="attendance_remove"),
    path("justerare/<int:pk>/ta-bort/", adjuster_remove, name="adjuster_remove"),
    path("paragraf/<int:pk>/", paragraph_detail, name="paragraph_detail"),
    path("paragraf/<int:pk>/andra/", paragraph_edit, name="paragraph_edit"),
    path("paragraf/<int:pk>/koppling/ny/", decision_link_add, name="decision_link_add"),
    path("paragrafnumrering/", paragraph_counter, name="paragraph_counter"),
    path("anslagstavla/<slug:slug>/", notice_board, name="notice_board"),
]
