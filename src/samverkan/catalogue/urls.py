from django.urls import path
from django.views.generic import RedirectView

from samverkan.catalogue import api, views

urlpatterns = [
    path("", views.price_list, name="price-list"),
    path("prislista.pdf", views.price_list_pdf, name="price-list-pdf"),
    path("prislista.xlsx", views.price_list_xlsx, name="price-list-xlsx"),
    path("hantera/", views.item_list, name="item-list"),
    path("hantera/ny/", views.item_create, name="item-create"),
    path("hantera/<int:pk>/", views.item_detail, name="item-detail"),
    path("hantera/<int:pk>/andra/", views.item_edit, name="item-edit"),
    path("hantera/<int:pk>/pris/", views.price_create, name="price-create"),
    # Ordering opens a ticket, so the order form is the portal's (portal:order-create); old links land there.
    path("bestall/<int:item_pk>/", RedirectView.as_view(pattern_name="portal:order-create", query_string=True)),
    path("bestallningar/", views.order_list, name="order-list"),
    path("bestallningar/<int:pk>/", views.order_detail, name="order-detail"),
    path("abonnemang/", views.subscription_list, name="subscription-list"),
    path("abonnemang/nytt/", views.subscription_create, name="subscription-create"),
    path("abonnemang/<int:pk>/avsluta/", views.subscription_end, name="subscription-end"),
]

api_urlpatterns = [*api.router.urls, path("price-list/", api.PriceListView.as_view(), name="price-list")]
