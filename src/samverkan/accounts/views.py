from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from samverkan.accounts import selectors, services
from samverkan.accounts.forms import UserForm
from samverkan.accounts.policies import MANAGE_USERS
from samverkan.core.forms import add_service_errors
from samverkan.core.permissions import capability_required
from samverkan.members.selectors import federations_public


def home(request):
    """Start page: what the signed-in user works with; the public sees the federations."""
    return render(request, "accounts/home.html", {"federations": federations_public()})


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
