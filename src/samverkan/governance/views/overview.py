"""The governance start page, and the public entrance to every federation's notice board and
case register (no login)."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from samverkan.core.permissions import capability_required
from samverkan.governance.policies import VIEW_MEETINGS, VIEW_NOTICE_BOARD
from samverkan.members.models import Federation


@capability_required(VIEW_MEETINGS)
def overview(request):
    return render(request, "governance/overview.html", {"title": _("Styrning")})


@capability_required(VIEW_NOTICE_BOARD)
def public_index(request):
    federations = Federation.objects.order_by("name").only("slug", "name")
    return render(
        request, "governance/public_index.html", {"title": _("Anslagstavla och diarium"), "federations": federations}
    )


urlpatterns = [path("", overview, name="overview"), path("offentligt/", public_index, name="public_index")]
