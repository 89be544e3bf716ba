"""Root URLs. Each module's `urls.py` gives `urlpatterns` (pages, under its Swedish
prefix) and `api_urlpatterns` (under /api/v1/<module>/); nothing else needs editing here."""

from importlib import import_module

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from samverkan.accounts import views as accounts_views
from samverkan.core import views as core_views

# The API documentation pages are third-party bundles that style with inline styles (Swagger UI,
# whose script is served as its own file by the split view) and start ReDoc with an inline script
# and a search worker; they show no user content. Every other page keeps settings' strict policy.
SWAGGER_CSP = {"style-src": [UNSAFE_INLINE]}
REDOC_CSP = {"style-src": [UNSAFE_INLINE], "script-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}

PAGE_PREFIXES = {
    "members": "medlemmar",
    "allocation": "fordelning",
    "catalogue": "tjanstekatalog",
    "billing": "fakturering",
    "portal": "portal",
    "assets": "inventarier",
    "telephony": "telefoni",
    "finance": "ekonomi",
    "governance": "styrning",
    "performance": "mal",
}

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("konto/logga-in/", core_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("konto/losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", csp_update(SWAGGER_CSP)(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    path("api/redoc/", csp_update(REDOC_CSP)(SpectacularRedocView.as_view(url_name="schema")), name="api-redoc"),
    path("", include("samverkan.core.urls")),
    path("api/v1/", include((import_module("samverkan.core.urls").api_urlpatterns, "core-api"))),
    path("", include((import_module("samverkan.accounts.urls").urlpatterns, "accounts"))),
    path("api/v1/", include((import_module("samverkan.accounts.urls").api_urlpatterns, "accounts-api"))),
]

for module in settings.SAMVERKAN_MODULES:
    urls = import_module(f"samverkan.{module}.urls")
    urlpatterns.append(path(f"{PAGE_PREFIXES[module]}/", include((urls.urlpatterns, module))))
    api = getattr(urls, "api_urlpatterns", [])
    if api:
        urlpatterns.append(path(f"api/v1/{module}/", include((api, f"{module}-api"))))
