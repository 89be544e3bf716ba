from django.urls import path

from samverkan.members import api, views

urlpatterns = [
    path("", views.member_list, name="member-list"),
    path("ny/", views.member_create, name="member-create"),
    path("verksamheter/", views.service_participants, name="services"),
    path("folkmangd/import/", views.population_import, name="population-import"),
    path("<int:pk>/", views.member_detail, name="member-detail"),
    path("<int:pk>/andra/", views.member_edit, name="member-edit"),
    path("<int:pk>/uttrade/", views.member_leave, name="member-leave"),
    path("<int:pk>/overlamna/", views.handover_create, name="handover-create"),
    path("<int:pk>/forvaltning/ny/", views.department_create, name="department-create"),
    path("<int:pk>/kontakt/ny/", views.contact_create, name="contact-create"),
    path("<int:pk>/underlag/nytt/", views.figure_create, name="figure-create"),
    path("forvaltning/<int:pk>/", views.department_edit, name="department-edit"),
]

api_urlpatterns = [
    *api.router.urls,
    path("services/<int:pk>/participants/", api.ServiceParticipants.as_view(), name="service-participants"),
]
