from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse


def navigation(request):
    """Main menu built from each app's `nav_items`, filtered by the user's role."""
    user = request.user
    items = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", ()):
            roles = item.get("roles")
            if roles == "public":
                pass
            elif not user.is_authenticated or not user.has_role(*roles):
                continue
            try:
                url = reverse(item["url"])
            except NoReverseMatch:
                continue
            items.append({"label": item["label"], "url": url, "order": item.get("order", 500)})
    items.sort(key=lambda i: i["order"])
    path = request.path
    for item in items:
        item["current"] = path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))
    return {"nav_items": items, "oidc_enabled": settings.OIDC_ENABLED}
