"""The desk's canned replies."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from samverkan.core.forms import add_service_errors
from samverkan.core.permissions import capability_required
from samverkan.portal import forms, selectors
from samverkan.portal.policies import MANAGE_STANDARD_TEXTS
from samverkan.portal.services import standard_texts


@capability_required(MANAGE_STANDARD_TEXTS)
def standard_text_list(request):
    texts = selectors.standard_texts_for(request.user).select_related("team")
    return render(request, "portal/standard_texts.html", {"title": _("Standardtexter"), "texts": texts})


@capability_required(MANAGE_STANDARD_TEXTS)
def standard_text_edit(request, pk: int | None = None):
    instance = get_object_or_404(selectors.standard_texts_for(request.user), pk=pk) if pk else None
    form = forms.StandardTextForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            standard_texts.standard_text_save(
                acting_user=request.user, federation=request.user.federation, instance=instance, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Standardtexten är sparad."))
            return redirect("portal:standard-texts")
    return render(request, "core/form.html", {"form": form, "title": _("Standardtext")})
