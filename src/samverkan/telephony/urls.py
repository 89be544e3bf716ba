from django.urls import path

from samverkan.telephony import api, views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("rapport/", views.report, name="report"),
    path("import/", views.import_calls, name="import"),
    path("import/<int:pk>/samtal.csv", views.import_calls_csv, name="import-calls"),
    path("koer/", views.queue_list, name="queue-list"),
    path("koer/<int:pk>/", views.queue_edit, name="queue-edit"),
    path("bemanning/", views.staffing_page, name="staffing"),
]

api_urlpatterns = [
    *api.router.urls,
    path("service-level/", api.ServiceLevelView.as_view(), name="service-level"),
    path("erlang/", api.ErlangView.as_view(), name="erlang"),
]
