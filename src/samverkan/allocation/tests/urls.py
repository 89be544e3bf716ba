"""A URL configuration with only core and allocation, so these tests do not depend on the
state of other modules' URLs. Prefixes and namespaces are the same as in samverkan.urls."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from samverkan.allocation import urls as allocation_urls
from samverkan.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("konto/logga-in/", core_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("fordelning/", include((allocation_urls.urlpatterns, "allocation"))),
    path("api/v1/allocation/", include((allocation_urls.api_urlpatterns, "allocation-api"))),
]
