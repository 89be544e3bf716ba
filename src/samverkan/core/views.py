from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from samverkan.core import selectors
from samverkan.core.forms import LoginForm
from samverkan.core.permissions import role_required
from samverkan.core.roles import ADMIN


def home(request):
    """Start page: what the signed-in role works with; the public sees the federations."""
    from samverkan.members.selectors import federations_public

    return render(request, "core/home.html", {"federations": federations_public()})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@role_required(ADMIN)
def audit_log(request):
    events = selectors.audit_events(
        user=request.user,
        object_type=request.GET.get("typ", ""),
        actor=request.GET.get("anvandare", ""),
    )
    page = Paginator(events, 50).get_page(request.GET.get("sida"))
    return render(request, "core/audit_log.html", {"page": page, "title": _("Granskningslogg")})


@role_required(ADMIN)
def user_list(request):
    users = selectors.users_for(request.user).order_by("username")
    return render(request, "core/user_list.html", {"users": users, "title": _("Användare och behörigheter")})


def _user_form(request, instance=None):
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from samverkan.core import services
    from samverkan.core.forms import UserForm

    form = UserForm(request.POST or None, instance=instance, federation=request.user.federation)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password"}
        try:
            if instance is None:
                services.user_create(
                    acting_user=request.user,
                    federation=request.user.federation,
                    password=form.cleaned_data.get("password") or None,
                    **{k: v for k, v in data.items() if k != "is_active"},
                )
            else:
                services.user_update(user=instance, acting_user=request.user, data=data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Användaren har sparats."))
            return redirect("core:user-list")
    title = _("Ny användare") if instance is None else _("Ändra %(name)s") % {"name": instance.username}
    return render(request, "members/form.html", {"form": form, "title": title})


@role_required(ADMIN)
def user_create(request):
    return _user_form(request)


@role_required(ADMIN)
def user_edit(request, pk):
    from django.shortcuts import get_object_or_404

    return _user_form(request, get_object_or_404(selectors.users_for(request.user), pk=pk))
