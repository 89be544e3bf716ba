"""Property-based calls of every operation in the OpenAPI schema (schemathesis 3.x, in-process WSGI).

The test loads /api/schema/ from the running app, so it covers whatever endpoints the modules
register, now and later. It is parametrized per module (the path prefix under /api/v1/) so a
500 points straight at the module that owns it. Every operation is called as a federation admin
with a token; the check is `not_a_server_error` (no 5xx, whatever the input), plus for the
modules in STRICT_SCHEMA_MODULES that the response matches the schema.

EXCLUDED lists operations left out on purpose, each with the reason. Do not add an operation
here to hide a 500: fix it.
"""

from __future__ import annotations

import contextlib
import re

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.exceptions import SerializationNotPossible
from schemathesis.specs.openapi.checks import response_schema_conformance

from samverkan.core.tests import hypothesis_compat

# (method, path) → why it is not called with random input
EXCLUDED: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/token/"): "logs in with random credentials: only fills the login-failure table and the "
    "anonymous throttle; covered by test_auth / test_api_and_audit",
}
METHODS = ("GET", "POST", "PUT", "PATCH")
MAX_EXAMPLES = {"GET": 6, "POST": 4, "PUT": 3, "PATCH": 3}
STRICT_SCHEMA_MODULES = {"core", "members", "portal", "assets", "allocation"}


def module_of(path: str) -> str:
    rest = path.removeprefix("/api/v1/")
    first = rest.split("/", 1)[0]
    return first if first in settings.SAMVERKAN_MODULES else "core"


def existing_pks(path: str) -> list[int]:
    """Primary keys of the model behind a path's view (viewset queryset or serializer model)."""
    try:
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
    except Resolver404:
        return []
    view = getattr(match.func, "cls", None)
    model = getattr(getattr(view, "queryset", None), "model", None)
    if model is None:
        model = getattr(getattr(getattr(view, "serializer_class", None), "Meta", None), "model", None)
    if model is None:
        return []
    return [pk for pk in model._default_manager.values_list("pk", flat=True)[:30] if isinstance(pk, int)]


@pytest.fixture
def api_schema(world, monkeypatch):
    from samverkan.wsgi import application

    hypothesis_compat.patch(monkeypatch)
    token = Token.objects.create(user=world.users["admin"])
    # Like Django's test client: the in-process WSGI app must not close the test transaction's
    # connection at the end of each request (it would on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.from_wsgi("/api/schema/?format=json", application)

        @schema.hook
        def before_generate_path_parameters(context, strategy):
            """Random ids are almost always 404; half the time use the id of a row that exists."""
            existing = existing_pks(context.operation.path)

            def real_ids(params):
                if not params or not existing:
                    return st.just(params)
                return st.fixed_dictionaries(
                    {
                        key: st.sampled_from(existing) if key in ("id", "pk") else st.just(value)
                        for key, value in params.items()
                    }
                )

            return st.one_of(strategy, strategy.flatmap(real_ids))

        yield schema, {"Authorization": f"Token {token.key}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call_operation(operation, headers, checks) -> list[str]:
    problems: list[str] = []

    @hypothesis_settings(
        max_examples=MAX_EXAMPLES[operation.method.upper()],
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call_wsgi(headers=headers)
        try:
            case.validate_response(response, checks=checks)
        except AssertionError as exc:
            html = "html" in (response.headers.get("Content-Type") or "")
            body = "" if html else response.get_data(as_text=True)[:300]  # the server log has the traceback
            problems.append(
                f"{operation.method.upper()} {case.formatted_path} → {response.status_code}: "
                f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__} {body}"
            )

    # Unsatisfiable: the schema allows no valid input for this operation, so there is nothing to call.
    # SerializationNotPossible: a body media type schemathesis cannot write (e.g. message/rfc822 for
    # inbound mail); such an operation needs hand-written tests of its own.
    with contextlib.suppress(Unsatisfiable, SerializationNotPossible):
        run()
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("module", ["core", *settings.SAMVERKAN_MODULES])
def test_api_schema_has_no_server_errors(api_schema, module):
    schema, headers = api_schema
    checks = (not_a_server_error,)
    if module in STRICT_SCHEMA_MODULES:
        checks = (not_a_server_error, response_schema_conformance)
    called, problems = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        method, path = operation.method.upper(), operation.path
        if module_of(path) != module or method not in METHODS or (method, path) in EXCLUDED:
            continue
        called += 1
        problems += call_operation(operation, headers, checks)
    if module in ("core", "members"):
        assert called >= 5, f"schema lists only {called} operations for {module}"
    if called == 0:
        pytest.skip(f"{module} has no API operations yet")
    assert not problems, "\n".join(dict.fromkeys(problems))
