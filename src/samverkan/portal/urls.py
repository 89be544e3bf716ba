from django.urls import path

from samverkan.portal import api, views

urlpatterns = [
    path("", views.home, name="home"),
    path("mina/", views.my_tickets, name="my-tickets"),
    path("arenden/", views.ticket_list, name="ticket-list"),
    path("arenden/export.csv", views.ticket_export, name="ticket-export"),
    path("arenden/nytt/", views.ticket_create, name="ticket-create"),
    path("arenden/<int:pk>/", views.ticket_detail, name="ticket-detail"),
    path("arenden/<int:pk>/kommentar/", views.ticket_comment, name="ticket-comment"),
    path("arenden/<int:pk>/status/", views.ticket_status, name="ticket-status"),
    path("arenden/<int:pk>/tilldela/", views.ticket_assign, name="ticket-assign"),
    path("arenden/<int:pk>/klassning/", views.ticket_classify, name="ticket-classify"),
    path("arenden/<int:pk>/tid/", views.ticket_time, name="ticket-time"),
    path("arenden/<int:pk>/sammanslag/", views.ticket_merge, name="ticket-merge"),
    path("arenden/<int:pk>/lanka/", views.ticket_link, name="ticket-link"),
    path("arenden/<int:pk>/ateroppna/", views.ticket_reopen, name="ticket-reopen"),
    path("arenden/<int:pk>/enkat/", views.ticket_survey, name="ticket-survey"),
    path("arenden/<int:pk>/folj/", views.ticket_follow, name="ticket-follow"),
    path("arenden/<int:pk>/export.txt", views.ticket_print, name="ticket-print"),
    path("bilagor/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("desk/", views.desk, name="desk"),
    path("desk/massatgard/", views.bulk_action, name="bulk-action"),
    path("desk/vyer/", views.saved_view_save, name="saved-view-save"),
    path("desk/vyer/<int:pk>/ta-bort/", views.saved_view_delete, name="saved-view-delete"),
    path("standardtexter/", views.standard_text_list, name="standard-texts"),
    path("standardtexter/ny/", views.standard_text_edit, name="standard-text-create"),
    path("standardtexter/<int:pk>/", views.standard_text_edit, name="standard-text-edit"),
    path("statistik/", views.statistics, name="statistics"),
    path("tid/", views.time_report, name="time-report"),
]

api_urlpatterns = api.urlpatterns
