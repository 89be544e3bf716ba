from django.urls import path

from samverkan.billing import api, api_batch, views, views_batch

urlpatterns = [
    path("", views.run_list, name="run-list"),
    path("korning/<int:pk>/", views.run_detail, name="run-detail"),
    path("korning/<int:pk>/sie/", views.run_sie, name="run-sie"),
    path("korning/<int:pk>/xlsx/", views.run_xlsx, name="run-xlsx"),
    path("korning/<int:pk>/<slug:action>/", views.run_action, name="run-action"),
    path("korning/<int:pk>/pdf/zip/", views_batch.run_pdf_batch, name="run-pdf-batch"),
    path("korning/<int:pk>/pdf/zip/<slug:token>/", views_batch.run_pdf_batch_file, name="run-pdf-batch-file"),
    path("installningar/", views.settings_page, name="settings"),
    path("installningar/medlem/<int:member_pk>/", views.member_setting, name="member-setting"),
    path("faktureringsfrekvens/", views.frequency_page, name="frequencies"),
    path("faktureringsfrekvens/<int:pk>/ta-bort/", views.frequency_delete, name="frequency-delete"),
    path("manuella-rader/", views.manual_line_list, name="manual-lines"),
    path("manuella-rader/ny/", views.manual_line_create, name="manual-line-create"),
    path("manuella-rader/<int:pk>/<slug:action>/", views.manual_line_action, name="manual-line-action"),
    path("fakturor/", views.invoice_list, name="invoice-list"),
    path("kreditfakturor/", views.invoice_list, {"credit_notes": True}, name="credit-note-list"),
    path("fakturor/<int:pk>/", views.invoice_detail, name="invoice-detail"),
    path("fakturor/<int:pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path("fakturor/<int:pk>/peppol/", views.invoice_peppol, name="invoice-peppol"),
]

api_urlpatterns = [
    *api.router.urls,
    path("profile/", api.ProfileView.as_view(), name="profile"),
    path("runs/<int:pk>/pdf-batch/", api_batch.RunPdfBatchView.as_view(), name="run-pdf-batch"),
    path("runs/<int:pk>/pdf-batch/<slug:token>/", api_batch.RunPdfBatchFileView.as_view(), name="run-pdf-batch-file"),
]
