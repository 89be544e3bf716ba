from django.urls import path

from samverkan.accounts import api, views

urlpatterns = [
    path("anvandare/", views.user_list, name="user-list"),
    path("anvandare/ny/", views.user_create, name="user-create"),
    path("anvandare/<int:pk>/", views.user_edit, name="user-edit"),
]
api_urlpatterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("users/", api.UserListCreate.as_view(), name="api-users"),
    path("users/<int:pk>/", api.UserDetail.as_view(), name="api-user"),
]
