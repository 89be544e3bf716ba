from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from samverkan.core import selectors
from samverkan.core.forms import LoginForm
from samverkan.core.permissions import capability_required
from samverkan.core.policies import VIEW_AUDIT_LOG


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@capability_required(VIEW_AUDIT_LOG)
def audit_log(request):
    events = selectors.audit_events(
        user=request.user,
        object_type=request.GET.get("typ", ""),
        actor=request.GET.get("anvandare", ""),
    )
    page = Paginator(events, 50).get_page(request.GET.get("sida"))
    return render(request, "core/audit_log.html", {"page": page, "title": _("Granskningslogg")})
