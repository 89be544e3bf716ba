"""The permission matrix holds in reality: every page and API endpoint declares a capability,
and what each role gets from it is exactly what `policies.py` says (docs/PERMISSIONS.md)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from samverkan.core.permissions import Capability, has_capability, view_capabilities
from samverkan.core.policy_matrix import markdown
from samverkan.core.roles import ALL_ROLES

DOC = Path(settings.BASE_DIR).parent.parent / "docs" / "PERMISSIONS.md"
# Views open to everyone by nature: signing in and out, language, schema and docs, the token exchange.
OPEN = {
    "home", "login", "logout", "password_change", "password_change_done", "set_language",
    "oidc_authentication_init", "oidc_authentication_callback", "oidc_logout",
    "schema", "api-docs", "api-redoc", "core-api:api-token",
}  # fmt: skip


def test_the_documented_matrix_is_current():
    assert DOC.read_text(encoding="utf-8") == markdown(), "run: samverkan permissions > docs/PERMISSIONS.md"


def _patterns(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _capabilities(callback) -> tuple[str, Capability | None, Capability | None, set[str]]:
    """(kind, read capability, write capability, HTTP methods) of a resolved view."""
    api_class = getattr(callback, "cls", None)
    if api_class is not None:
        actions = getattr(callback, "actions", None)
        methods = set(actions) if actions else {m for m in ("get", "post") if hasattr(api_class, m)}
        return ("api", *view_capabilities(api_class), methods)
    page_class = getattr(callback, "view_class", None)
    cap = getattr(page_class or callback, "capability", None)
    return ("page", cap, cap, {"get"})


def _without_arguments():
    for name, pattern in _patterns(get_resolver()):
        if pattern.pattern.regex.groups == 0 and name not in OPEN:
            yield name, pattern


def test_every_view_declares_a_capability():
    missing = [name for name, pattern in _without_arguments() if _capabilities(pattern.callback)[1] is None]
    assert not missing, f"views without a capability: {missing}"


@pytest.mark.slow
def test_pages_and_api_allow_exactly_what_the_policies_say(world):
    wrong = []
    for name, pattern in _without_arguments():
        kind, read, write, methods = _capabilities(pattern.callback)
        url = reverse(name)
        for role in (*ALL_ROLES, None):
            user = world.users.get(role) if role else None
            client = world.api(role) if kind == "api" else world.client(role)
            for method, cap in (("get", read), ("post", write)):
                if method not in methods or cap is None:
                    continue
                allowed = has_capability(user, cap) if user is not None else cap.public
                response = (
                    getattr(client, method)(url, {}, format="json")
                    if kind == "api"
                    else getattr(client, method)(url, {})
                )
                refused = response.status_code in (401, 403) or (
                    response.status_code == 302 and "/konto/logga-in/" in response.get("Location", "")
                )
                if allowed == refused or response.status_code >= 500:
                    wrong.append(f"{method.upper()} {name} as {role}: {response.status_code}, policy says {allowed}")
    assert not wrong, "\n".join(wrong)
