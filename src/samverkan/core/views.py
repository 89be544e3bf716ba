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
