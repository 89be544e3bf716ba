"""The desk's bulk actions and saved queue filters."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core.forms import add_error_messages
from samverkan.core.params import id_or_none
from samverkan.core.permissions import capability_required
from samverkan.portal import forms, selectors
from samverkan.portal.models import Status
from samverkan.portal.policies import WORK_DESK
from samverkan.portal.services import desk


@capability_required(WORK_DESK)
@require_POST
def bulk_action(request):
    ids = [pk for pk in map(id_or_none, request.POST.getlist("ticket")) if pk]
    tickets = selectors.tickets_for(request.user).filter(pk__in=ids)
    action, value = request.POST.get("action", ""), request.POST.get("value") or None
    if action == "team" and value:
        value = get_object_or_404(selectors.teams_for(request.user), pk=id_or_none(value) or 0)
    try:
        if action == "status" and value not in Status.values:
            raise ValidationError(_("Välj en giltig status."))
        changed, errors = desk.tickets_bulk_update(
            acting_user=request.user, tickets=tickets, action=action, value=value
        )
    except ValidationError as exc:
        add_error_messages(request, exc)
    else:
        messages.success(request, _("%(n)s ärenden ändrade.") % {"n": changed})
        for error in errors:
            messages.error(request, error)
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/portal/") else "portal:desk")


@capability_required(WORK_DESK)
@require_POST
def saved_view_save(request):
    form = forms.SavedViewForm(request.POST)
    if form.is_valid():
        view = desk.saved_view_save(
            acting_user=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
        )
        messages.success(request, _("Vyn %(name)s är sparad.") % {"name": view.name})
        return redirect(f"{reverse('portal:desk')}?{view.query}")
    messages.error(request, _("Ge vyn ett namn."))
    return redirect("portal:desk")


@capability_required(WORK_DESK)
@require_POST
def saved_view_delete(request, pk: int):
    view = get_object_or_404(selectors.saved_views_for(request.user), pk=pk)
    view.delete()
    messages.success(request, _("Vyn är borttagen."))
    return redirect("portal:desk")
