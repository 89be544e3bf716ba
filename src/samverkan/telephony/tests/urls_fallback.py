"""The root URLconf, tolerant of other modules that do not import yet.

Used by this app's tests only when `samverkan.urls` itself fails to import (another module
mid-way through being written), so telephony's tests exercise the same prefixes and
namespaces as production without depending on every other app being finished.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from samverkan.core import views as core_views

PAGE_PREFIXES = {
    "members": "medlemmar",
    "allocation": "fordelning",
    "catalogue": "tjanstekatalog",
    "billing": "fakturering",
    "portal": "portal",
    "assets": "inventarier",
    "telephony": "telefoni",
}

urlpatterns = [
    path("", core_views.home, name="home"),
    path("konto/logga-in/", core_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

for module in settings.SAMVERKAN_MODULES:
    try:
        urls = import_module(f"samverkan.{module}.urls")
    except Exception:  # noqa: S112 - someone else's unfinished module
        continue
    urlpatterns.append(path(f"{PAGE_PREFIXES[module]}/", include((urls.urlpatterns, module))))
    api = getattr(urls, "api_urlpatterns", [])
    if api:
        urlpatterns.append(path(f"api/v1/{module}/", include((api, f"{module}-api"))))
