from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from samverkan.core.permissions import has_capability
from samverkan.core.roles import Role


def _visible_items(user):
    """(app label, item) for every menu entry whose capability this user holds."""
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", ()):
            if not has_capability(user, item["capability"]):
                continue
            try:
                url = reverse(item["url"])
            except NoReverseMatch:
                continue
            yield config.label, {"label": item["label"], "url": url, "order": item.get("order", 500)}


def _section(url: str) -> str:
    """The module's URL prefix: `/portal/ko/` → `/portal/`."""
    first = url.strip("/").split("/", 1)[0]
    return f"/{first}/" if first else "/"


def navigation(request):
    """Main menu with one entry per module (its first visible page) and, inside a module, a
    section menu with all of that module's pages — so the top bar stays short for every role."""
    path = request.path
    groups: dict[str, list[dict]] = {}
    for label, item in _visible_items(request.user):
        groups.setdefault(label, []).append(item)
    nav_items, section_items = [], []
    for items in groups.values():
        items.sort(key=lambda i: i["order"])
        active = any(path.startswith(_section(i["url"])) for i in items)
        nav_items.append({**items[0], "current": active})
        if active and len(items) > 1:
            matching = [i for i in items if path.startswith(i["url"])]
            current = max(matching, key=lambda i: len(i["url"]), default=None)
            # "page" on the page itself, "true" on the entry whose pages include this one
            section_items = [{**i, "current": _current(i, current, path)} for i in items]
    nav_items.sort(key=lambda i: i["order"])
    return {
        "nav_items": nav_items,
        "section_items": section_items,
        "oidc_enabled": settings.OIDC_ENABLED,
        "role_labels": _role_labels(request.user),
    }


def _current(item: dict, current: dict | None, path: str) -> str:
    if item is not current:
        return ""
    return "page" if item["url"] == path else "true"


def _role_labels(user) -> list[str]:
    """The header's role names, from the roles the menu has already read (no query of its own)."""
    roles = getattr(user, "roles", frozenset())
    return [label for value, label in Role.choices if value in roles]
