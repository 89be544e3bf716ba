"""Pages of governance: bodies and their seats."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core.forms import add_error_messages, form_page
from samverkan.core.permissions import capability_required, has_capability
from samverkan.governance.forms import BodyForm, SeatEndForm, SeatForm
from samverkan.governance.policies import EDIT_BODIES, VIEW_MEETINGS
from samverkan.governance.selectors import bodies as selectors
from samverkan.governance.services import bodies as services


def _detail_url(body_id: int) -> str:
    return reverse("governance:body_detail", args=[body_id])


@capability_required(VIEW_MEETINGS)
def body_list(request):
    bodies = selectors.bodies_for(request.user).order_by("name")
    return render(
        request,
        "governance/body_list.html",
        {"title": _("Organ"), "bodies": bodies, "may_edit": has_capability(request.user, EDIT_BODIES)},
    )


@capability_required(EDIT_BODIES)
def body_create(request):
    federation = request.user.federation
    return form_page(
        request,
        BodyForm(request.POST or None),
        _("Nytt organ"),
        lambda data: _detail_url(services.body_create(acting_user=request.user, federation=federation, **data).pk),
        _("Organet har skapats."),
        reverse("governance:body_list"),
    )


@capability_required(VIEW_MEETINGS)
def body_detail(request, pk: int):
    body = selectors.body_get(request.user, pk)
    today = timezone.localdate()
    show_all = request.GET.get("alla") == "1"
    seats = selectors.body_seats(body, current_on=None if show_all else today)
    return render(
        request,
        "governance/body_detail.html",
        {
            "title": body.name,
            "body": body,
            "seats": seats,
            "show_all": show_all,
            "today": today,
            "may_edit": has_capability(request.user, EDIT_BODIES, obj=body),
        },
    )


@capability_required(EDIT_BODIES)
def body_edit(request, pk: int):
    body = selectors.body_get(request.user, pk)
    return form_page(
        request,
        BodyForm(request.POST or None, instance=body),
        _("Ändra %(name)s") % {"name": body.name},
        lambda data: _detail_url(
            services.body_update(acting_user=request.user, body=selectors.body_get(request.user, pk), data=data).pk
        ),
        _("Ändringarna har sparats."),
        _detail_url(body.pk),
    )


@capability_required(EDIT_BODIES)
def seat_add(request, pk: int):
    body = selectors.body_get(request.user, pk)
    return form_page(
        request,
        SeatForm(request.POST or None, user=request.user, initial={"start": timezone.localdate()}),
        _("Nytt uppdrag i %(name)s") % {"name": body.name},
        lambda data: _detail_url(services.seat_add(acting_user=request.user, body=body, **data).body_id),
        _("Uppdraget har lagts till."),
        _detail_url(body.pk),
    )


@capability_required(EDIT_BODIES)
def seat_edit(request, pk: int):
    seat = selectors.seat_get(request.user, pk)
    return form_page(
        request,
        SeatForm(request.POST or None, instance=seat, user=request.user),
        _("Ändra uppdrag för %(name)s") % {"name": seat.person_name},
        lambda data: _detail_url(
            services.seat_update(acting_user=request.user, seat=selectors.seat_get(request.user, pk), data=data).body_id
        ),
        _("Ändringarna har sparats."),
        _detail_url(seat.body_id),
    )


@require_POST
@capability_required(EDIT_BODIES)
def seat_end(request, pk: int):
    seat = selectors.seat_get(request.user, pk)
    form = SeatEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange ett giltigt datum för sista dag i uppdraget."))
    else:
        try:
            services.seat_end(acting_user=request.user, seat=seat, end=form.cleaned_data["end"])
        except ValidationError as exc:
            add_error_messages(request, exc)
        else:
            messages.success(request, _("Uppdraget har avslutats."))
    return redirect(_detail_url(seat.body_id))


urlpatterns = [
    path("organ/", body_list, name="body_list"),
    path("organ/nytt/", body_create, name="body_create"),
    path("organ/<int:pk>/", body_detail, name="body_detail"),
    path("organ/<int:pk>/andra/", body_edit, name="body_edit"),
    path("organ/<int:pk>/uppdrag/nytt/", seat_add, name="seat_add"),
    path("uppdrag/<int:pk>/andra/", seat_edit, name="seat_edit"),
    path("uppdrag/<int:pk>/avsluta/", seat_end, name="seat_end"),
]
