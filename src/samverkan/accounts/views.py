from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from samverkan.accounts import selectors, services
from samverkan.accounts.forms import UserForm
from samverkan.accounts.policies import MANAGE_USERS
from samverkan.core.forms import add_service_errors
from samverkan.core.permissions import capability_required, has_capability
from samverkan.core.todos import INFO, Todo, todos_for
from samverkan.governance.models import MeetingStatus
from samverkan.governance.policies import VIEW_MEETINGS
from samverkan.governance.selectors.meetings import meetings_for
from samverkan.members.selectors import federations_public
from samverkan.performance.policies import VIEW_PERFORMANCE


def home(request):
    """Start page: first what needs doing for the signed-in user's roles (every app's cards, see
    core.todos), then the board's page and next meeting, then the menu; the public sees the
    federations."""
    if not request.user.is_authenticated:
        return render(request, "accounts/home.html", {"federations": federations_public()})
    cards = todos_for(request.user) + _board_cards(request.user)
    return render(request, "accounts/home.html", {"cards": cards})


def _board_cards(user) -> list[Todo]:
    """The board's follow-up page and the next meeting of a body the user may read."""
    cards = []
    if has_capability(user, VIEW_PERFORMANCE):
        cards.append(
            Todo(
                _("Direktionens sida"),
                None,
                INFO,
                reverse("performance:board"),
                _("Mål, ekonomi och uppföljning för direktionen."),
                order=80,
            )
        )
    if has_capability(user, VIEW_MEETINGS):
        meeting = (
            meetings_for(user)
            .filter(date__gte=timezone.localdate())
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("date", "start_time", "pk")
            .first()
        )
        if meeting is not None:
            cards.append(
                Todo(
                    _("Nästa sammanträde"),
                    None,
                    INFO,
                    reverse("governance:meeting_detail", args=[meeting.pk]),
                    _("%(body)s %(date)s%(place)s.")
                    % {
                        "body": meeting.body.name,
                        "date": date_format(meeting.date, "j F Y"),
                        "place": f", {meeting.place}" if meeting.place else "",
                    },
                    order=90,
                )
            )
    return cards


@capability_required(MANAGE_USERS)
def user_list(request):
    users = selectors.users_for(request.user).order_by("username")
    return render(request, "accounts/user_list.html", {"users": users, "title": _("Användare och behörigheter")})


def _user_form(request, instance=None):
    federation = instance.federation if instance is not None else request.user.federation
    if federation is None:  # a platform superuser manages accounts in the Django admin
        raise Http404
    form = UserForm(request.POST or None, instance=instance, user=request.user, federation=federation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        password = data.pop("password", None) or None
        try:
            if instance is None:
                data.pop("is_active", None)
                services.user_create(acting_user=request.user, federation=federation, password=password, **data)
            else:
                services.user_update(acting_user=request.user, user=instance, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Användaren har sparats."))
            return redirect("accounts:user-list")
    title = _("Ny användare") if instance is None else _("Ändra %(name)s") % {"name": instance.username}
    return render(request, "core/form.html", {"form": form, "title": title})


@capability_required(MANAGE_USERS)
def user_create(request):
    return _user_form(request)


@capability_required(MANAGE_USERS)
def user_edit(request, pk):
    return _user_form(request, get_object_or_404(selectors.users_for(request.user), pk=pk))
