"""Breadcrumbs and sub-menu links, derived from the request path so that no page writes its own.

A breadcrumb is every prefix of the path that is a page of its own with a name in the menu
registry (each app's `nav_items`, plus `STEP_LABELS` for list pages that are not in the main
menu), that the user may open; the last crumb is the page's title."""

from functools import cache, lru_cache

from django import template
from django.apps import apps
from django.urls import Resolver404, get_script_prefix, get_urlconf, resolve, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import has_capability

register = template.Library()

# List pages that lead to detail pages but are reached through a module's sub-menu, not the
# main menu: their name as a breadcrumb. Object pages (…/<id>/) and pages that only redirect
# (/portal/) have no crumb of their own.
STEP_LABELS = {
    "portal:ticket-list": _("Ärenden"),
    "allocation:key-list": _("Fördelningsnycklar"),
    "allocation:business-case-list": _("Sparade kalkyler"),
    "allocation:decision-basis": _("Beslutsunderlag för ny medlem"),
    "catalogue:item-list": _("Hantera tjänstekatalogen"),
    "catalogue:subscription-list": _("Abonnemang"),
    "billing:manual-lines": _("Manuella fakturarader"),
    "billing:settings": _("Faktureringsinställningar"),
    "billing:frequencies": _("Faktureringsfrekvens"),
    "finance:budget-list": _("Budgetar"),
    "finance:forecast-list": _("Prognoser"),
    "finance:project-list": _("Investeringsprojekt"),
    "finance:mapping": _("Kontomappning"),
    "finance:ledger": _("Huvudbok"),
    "telephony:queue-list": _("Köer"),
    "performance:annual_list": _("Årsredovisningar"),
    "governance:case_list": _("Diarium"),
    "governance:agreement_list": _("Avtal"),
    "governance:body_list": _("Organ"),
    "governance:minutes_list": _("Protokoll"),
    "governance:meetings": _("Sammanträden"),
}


@cache
def _labels() -> dict[str, str]:
    """URL name → Swedish label: the menu entries first, then the steps above."""
    labels = dict(STEP_LABELS)
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", ()):
            labels.setdefault(item["url"], item["label"])
    return labels


@lru_cache(maxsize=4096)
def _page(path: str, urlconf: str | None) -> tuple[str, str | None] | None:
    """(label, capability) of the named page at ``path``, None if it has no crumb.

    Resolving every prefix of the path against the whole URLconf was most of the breadcrumbs'
    cost on each request; the answer depends only on the path (and the URLconf), not on the
    user, so it is kept. Bounded, since object pages put ids in their paths."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    label = _labels().get(match.view_name)
    return None if label is None else (label, getattr(match.func, "capability", None))


def trail(request, title: str = "") -> list[dict]:
    """Start, the named pages above this one the user may open, and this page (no link)."""
    path = request.path_info
    urlconf = get_urlconf()
    crumbs = [{"label": _("Start"), "url": reverse("home")}]
    segments = path.strip("/").split("/")
    for depth in range(1, len(segments)):
        prefix = "/" + "/".join(segments[:depth]) + "/"
        page = _page(prefix, urlconf)
        if page is None or (page[1] is not None and not has_capability(request.user, page[1])):
            continue
        crumbs.append({"label": page[0], "url": get_script_prefix() + prefix.lstrip("/")})
    if not title:
        page = _page(path, urlconf)
        title = page[0] if page else ""
    if title:
        crumbs.append({"label": title, "url": ""})
    return crumbs


@register.inclusion_tag("core/_breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """`{% breadcrumbs %}` in base.html: nothing on the start page itself."""
    request = context.get("request")
    if request is None or request.path_info == "/":
        return {"crumbs": []}
    return {"crumbs": trail(request, str(context.get("title") or ""))}


@register.simple_tag(takes_context=True)
def subnav_link(context, url_name: str, label) -> str:
    """One entry of a sub-menu (core/_subnav.html's markup), marked as the current page."""
    url = reverse(url_name)
    request = context.get("request")
    if request is not None and request.path == url:
        return format_html('<li><a href="{}" aria-current="page">{}</a></li>', url, label)
    return format_html('<li><a href="{}">{}</a></li>', url, label)
