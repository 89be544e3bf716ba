"""Malformed cookies, headers and query parameters end as 400 or anonymous, never as a 500."""

import pytest
from django.urls import reverse
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from samverkan.core.params import MAX_ID, id_field, id_or_none, query_params, year_field, year_or
from samverkan.core.sessions import SessionStore


@pytest.mark.parametrize("key", ["abcdefgh\x00ijkl", "ABCDEFGHIJKL", "abc defghijk", "a" * 41, "short"])
def test_session_store_ignores_keys_django_never_issues(key):
    assert SessionStore(session_key=key).session_key is None


def test_session_store_keeps_real_keys(db):
    store = SessionStore()
    store["x"] = 1
    store.create()
    assert SessionStore(session_key=store.session_key).load() == {"x": 1}


def test_forged_session_cookie_is_anonymous_not_500(world):
    """On PostgreSQL the NUL in the cookie reached the session query (DataError → 500)."""
    client = world.client(None)
    response = client.get(reverse("accounts-api:api-me"), HTTP_COOKIE="sessionid=abcdefgh\x00ijklmnop")
    assert response.status_code in (401, 403)


def test_logged_in_session_still_works(world):
    assert world.client("admin").get(reverse("accounts-api:api-me")).json()["username"] == world.users["admin"].username


def test_nul_in_authorization_header_is_400(world):
    response = world.client(None).get(reverse("accounts-api:api-me"), HTTP_AUTHORIZATION="Token abc\x00def")
    assert response.status_code == 400


class Query(serializers.Serializer):
    year = year_field(required=False)
    member = id_field(required=False)
    ids = serializers.ListField(child=id_field(), required=False)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=-76", "year"),
        ("year=99999", "year"),
        (f"member={2**70}", "member"),
        ("member=0", "member"),
        ("ids=1&ids=x", "ids"),
    ],
)
def test_query_params_rejects_with_field_name(query, field):
    request = Request(APIRequestFactory().get(f"/?{query}"))
    with pytest.raises(ValidationError) as exc:
        query_params(Query, request)
    assert field in exc.value.detail


def test_query_params_returns_typed_values():
    request = Request(APIRequestFactory().get(f"/?year=2025&member={MAX_ID}&ids=3&ids=4"))
    assert query_params(Query, request) == {"year": 2025, "member": MAX_ID, "ids": [3, 4]}


def test_page_helpers_fall_back():
    assert year_or("2025", 2000) == 2025
    assert [year_or(v, 2000) for v in (None, "", "abc", "-76", "99999", str(2**70))] == [2000] * 6
    assert id_or_none("42") == 42
    assert [id_or_none(v) for v in (None, "", "0", "-1", "abc", "٣", str(MAX_ID + 1))] == [None] * 7
