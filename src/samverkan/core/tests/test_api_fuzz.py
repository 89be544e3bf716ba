"""API fuzz: no input gives a 5xx, and no request runs over a time limit.

Four families, each against the OpenAPI schema (/api/schema/) as an admin of the test world:
- hypothesis generates requests for every operation from the schema (a few examples each, valid
  and invalid values mixed). schemathesis 3.x cannot generate with the installed Hypothesis
  (hypothesis-jsonschema 0.23.1 calls the removed ``many.more()``), so the strategies are here;
- every field of every write endpoint, and every query parameter, gets the extreme
  numbers (1e999999999, 1e-999999999, 30 digits, NaN, Infinity, -0, 2**63, 5 000 digits) as
  JSON numbers and as strings;
- every write endpoint gets a body nested 5 000 deep (was a 500 RecursionError).
Failures are collected over all operations and reported together.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test.client import ClientHandler
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from werkzeug.test import EnvironBuilder

pytestmark = pytest.mark.slow

TIME_LIMIT = 5.0  # seconds per request; bounded work answers in well under one
WRITE = ("post", "put", "patch")
EXTREME_NUMBERS = [
    "1e999999999",
    "-1e999999999",
    "1e-999999999",
    "123456789012345678901234567890",
    "9223372036854775808",
    "-0",
    "NaN",
    "Infinity",
    "-Infinity",
]
EXTREME_STRINGS = [*EXTREME_NUMBERS, "9" * 5000, "1,5e999", "0x10", "\u2212" + "1" * 40]
DEEP = "[" * 5000 + "]" * 5000


class Api:
    """Requests straight through Django's test handler (same database transaction), with a token."""

    def __init__(self, token: str) -> None:
        self.handler = ClientHandler(enforce_csrf_checks=False)
        self.headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        self.failures: list[str] = []

    def send(self, label: str, **kwargs: Any) -> int:
        kwargs["headers"] = {**kwargs.get("headers", {}), **self.headers}
        environ = EnvironBuilder(**kwargs).get_environ()
        start = time.perf_counter()
        response = self.handler(environ)
        seconds = time.perf_counter() - start  # the handler has closed the response; closing again ends the connection
        if response.status_code >= 500 or seconds > TIME_LIMIT:
            self.failures.append(f"{label}: {response.status_code} in {seconds:.1f} s")
        return response.status_code


@pytest.fixture
def api(world):
    return Api(Token.objects.create(user=world.users["admin"]).key)


@pytest.fixture
def schema(world):
    response = world.client("admin").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def _operations(schema: dict) -> list[tuple[str, str, dict]]:
    return [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]


def _path(path: str) -> str:
    return path.replace("{id}", "1").replace("{pk}", "1")


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _json_schema(schema: dict, op: dict) -> dict | None:
    content = (op.get("requestBody") or {}).get("content", {})
    return _resolve(schema, content["application/json"]["schema"]) if "application/json" in content else None


def strategy(schema: dict, node: dict, depth: int = 0) -> st.SearchStrategy:
    """Values for a JSON schema node as drf-spectacular writes them, valid and invalid mixed."""
    node = _resolve(schema, node)
    nullable = st.none() if node.get("nullable") else st.nothing()
    if "enum" in node:
        return st.sampled_from(node["enum"]) | nullable | st.text(max_size=5)
    for key in ("allOf", "oneOf", "anyOf"):
        if key in node:
            return st.one_of([strategy(schema, part, depth) for part in node[key]]) | nullable
    kind, form = node.get("type"), node.get("format")
    if kind == "integer":
        low, high = node.get("minimum", -(2**63)), node.get("maximum", 2**63)
        return st.integers(low, high) | st.integers() | st.sampled_from(EXTREME_NUMBERS) | nullable
    if kind == "number" or form == "decimal":
        numbers = st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str)
        return numbers | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(EXTREME_STRINGS) | nullable
    if kind == "boolean":
        return st.booleans() | nullable
    if kind == "string":
        if form == "date":
            return st.dates().map(str) | st.text(max_size=12) | nullable
        if form == "date-time":
            return st.datetimes().map(lambda d: d.isoformat()) | nullable
        return st.text(max_size=min(node.get("maxLength", 40), 300)) | nullable
    if kind == "array" and depth < 3:
        return st.lists(strategy(schema, node.get("items", {}), depth + 1), max_size=3) | nullable
    if (kind == "object" or "properties" in node) and depth < 3:
        properties = node.get("properties", {})
        required = [name for name in node.get("required", []) if name in properties]
        return st.fixed_dictionaries(
            {name: strategy(schema, properties[name], depth + 1) for name in required},
            optional={
                name: strategy(schema, value, depth + 1) for name, value in properties.items() if name not in required
            },
        )
    return st.none() | st.integers() | st.text(max_size=10)


def _requests(schema: dict, path: str, method: str, op: dict) -> st.SearchStrategy:
    parameters = [p for p in op.get("parameters", []) if p.get("in") in ("path", "query")]
    path_values = {p["name"]: st.integers(1, 3) for p in parameters if p["in"] == "path"}
    query_values = {p["name"]: strategy(schema, p.get("schema", {})) for p in parameters if p["in"] == "query"}
    body = _json_schema(schema, op) if method in WRITE else None
    return st.fixed_dictionaries(
        {
            "path": st.fixed_dictionaries(path_values),
            "query": st.fixed_dictionaries({}, optional=query_values),
            "body": strategy(schema, body) if body is not None else st.none(),
        }
    )


def _send_drawn(api: Api, path: str, method: str, drawn: dict) -> None:
    url = path
    for name, value in drawn["path"].items():
        url = url.replace("{" + name + "}", str(value))
    query = {name: "" if value is None else str(value) for name, value in drawn["query"].items()}
    kwargs: dict[str, Any] = {"method": method.upper(), "path": url, "query_string": query}
    if drawn["body"] is not None:
        kwargs |= {"data": json.dumps(drawn["body"], default=str), "content_type": "application/json"}
    api.send(f"{method} {url} {str(query)[:60]} {str(drawn['body'])[:80]}", **kwargs)


def test_generated_requests_for_every_operation_give_no_server_error_and_no_slow_request(schema, api):
    """Every operation of the schema, a few generated requests each (valid and invalid values mixed)."""
    for path, method, op in _operations(schema):
        if method not in ("get", *WRITE, "delete"):
            continue

        @settings(
            max_examples=4,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(drawn=_requests(schema, path, method, op))
        def check(drawn):
            _send_drawn(api, path, method, drawn)  # noqa: B023 (run at once, inside the loop)

        check()
    assert not api.failures, "\n".join(api.failures)


def test_extreme_numbers_in_every_write_body_give_no_server_error(schema, api):
    """Every field of every write endpoint at once, one extreme value per request."""
    for path, method, op in _operations(schema):
        body = _json_schema(schema, op) if method in WRITE else None
        if body is None:
            continue
        fields = {name: _resolve(schema, f) for name, f in body.get("properties", {}).items()}
        for number in EXTREME_NUMBERS:  # as JSON numbers: written by hand, json.dumps cannot
            text = "{" + ", ".join(f'"{name}": {number}' for name in fields) + "}"
            api.send(
                f"{method} {path} {number[:20]}",
                method=method.upper(),
                path=_path(path),
                data=text,
                content_type="application/json",
            )
        for extreme in EXTREME_STRINGS:
            values = {}
            for name, field in fields.items():
                item = _resolve(schema, field.get("items", {})) if field.get("type") == "array" else None
                values[name] = [dict.fromkeys(item.get("properties", {}), extreme) or extreme] if item else extreme
            api.send(
                f"{method} {path} {extreme[:20]!r}",
                method=method.upper(),
                path=_path(path),
                data=json.dumps(values),
                content_type="application/json",
            )
    assert not api.failures, "\n".join(api.failures)


def test_nesting_five_thousand_deep_is_refused_by_every_write_endpoint(schema, api):
    for path, method, op in _operations(schema):
        if method not in WRITE or _json_schema(schema, op) is None:
            continue
        for body in (DEEP, '{"a": ' * 5000 + "1" + "}" * 5000):
            status = api.send(
                f"{method} {path} deep",
                method=method.upper(),
                path=_path(path),
                data=body,
                content_type="application/json",
            )
            if status not in (400, 403, 404, 405, 413):
                api.failures.append(f"{method} {path} deep: {status}")
    assert not api.failures, "\n".join(api.failures)


def test_extreme_numbers_in_every_query_parameter_give_no_server_error(schema, api):
    for path, method, op in _operations(schema):
        names = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
        if method != "get" or not names:
            continue
        for text in EXTREME_STRINGS:
            api.send(
                f"get {path} {text[:20]!r}", method="GET", path=_path(path), query_string=dict.fromkeys(names, text)
            )
    assert not api.failures, "\n".join(api.failures)
