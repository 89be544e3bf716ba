from django.urls import path

from samverkan.core import api, views

app_name = "core"
urlpatterns = [
    path("granskningslogg/", views.audit_log, name="audit"),
    path("jobb/<int:pk>/", views.job_detail, name="job"),
]
api_urlpatterns = [
    path("token/", api.TokenView.as_view(), name="api-token"),
    path("audit/", api.AuditEventList.as_view(), name="api-audit"),
    path("jobs/<int:pk>/", api.JobDetail.as_view(), name="api-job"),
]
