from django.urls import path

from samverkan.portal import api
from samverkan.portal.views import desk, lists, orders, reports, standard_texts, ticket_actions, tickets

urlpatterns = [
    path("", lists.home, name="home"),
    path("mina/", lists.my_tickets, name="my-tickets"),
    path("arenden/", lists.ticket_list, name="ticket-list"),
    path("arenden/export.csv", lists.ticket_export, name="ticket-export"),
    path("arenden/nytt/", tickets.ticket_create, name="ticket-create"),
    path("arenden/<int:pk>/", tickets.ticket_detail, name="ticket-detail"),
    path("arenden/<int:pk>/svar/", tickets.ticket_reply, name="ticket-reply"),
    path("arenden/<int:pk>/standardtext/", tickets.standard_text_insert, name="ticket-standard-text"),
    path("arenden/<int:pk>/kommentar/", ticket_actions.ticket_comment, name="ticket-comment"),
    path("arenden/<int:pk>/status/", ticket_actions.ticket_status, name="ticket-status"),
    path("arenden/<int:pk>/tilldela/", ticket_actions.ticket_assign, name="ticket-assign"),
    path("arenden/<int:pk>/klassning/", ticket_actions.ticket_classify, name="ticket-classify"),
    path("arenden/<int:pk>/tid/", ticket_actions.ticket_time, name="ticket-time"),
    path("arenden/<int:pk>/sammanslag/", ticket_actions.ticket_merge, name="ticket-merge"),
    path("arenden/<int:pk>/lanka/", ticket_actions.ticket_link, name="ticket-link"),
    path("arenden/<int:pk>/ateroppna/", ticket_actions.ticket_reopen, name="ticket-reopen"),
    path("arenden/<int:pk>/enkat/", ticket_actions.ticket_survey, name="ticket-survey"),
    path("arenden/<int:pk>/folj/", ticket_actions.ticket_follow, name="ticket-follow"),
    path("arenden/<int:pk>/export.txt", tickets.ticket_print, name="ticket-print"),
    path("bilagor/<int:pk>/", tickets.attachment_download, name="attachment-download"),
    path("bestall/<int:item_pk>/", orders.order_create, name="order-create"),
    path("bestallningar/<int:pk>/arende/", orders.order_ticket, name="order-ticket"),
    path("bestallningar/<int:pk>/<slug:action>/", orders.order_action, name="order-action"),
    path("desk/", lists.desk, name="desk"),
    path("desk/massatgard/", desk.bulk_action, name="bulk-action"),
    path("desk/vyer/", desk.saved_view_save, name="saved-view-save"),
    path("desk/vyer/<int:pk>/ta-bort/", desk.saved_view_delete, name="saved-view-delete"),
    path("standardtexter/", standard_texts.standard_text_list, name="standard-texts"),
    path("standardtexter/ny/", standard_texts.standard_text_edit, name="standard-text-create"),
    path("standardtexter/<int:pk>/", standard_texts.standard_text_edit, name="standard-text-edit"),
    path("statistik/", reports.statistics, name="statistics"),
    path("tid/", reports.time_report, name="time-report"),
]

api_urlpatterns = api.urlpatterns
