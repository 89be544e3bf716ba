from django.urls import path

from samverkan.assets import api, views

urlpatterns = [
    path("", views.asset_list, name="asset-list"),
    path("ny/", views.asset_create, name="asset-create"),
    path("import/", views.asset_import, name="asset-import"),
    path("register/", views.register_report, name="register"),
    path("avskrivningar/", views.depreciation_report, name="depreciation"),
    path("<int:pk>/", views.asset_detail, name="asset-detail"),
    path("<int:pk>/andra/", views.asset_edit, name="asset-edit"),
    path("<int:pk>/status/", views.asset_status, name="asset-status"),
    path("<int:pk>/arende/", views.asset_link_ticket, name="asset-link-ticket"),
]

api_urlpatterns = api.urlpatterns
