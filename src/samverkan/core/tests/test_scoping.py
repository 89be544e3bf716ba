"""Every related field a user can send is limited to that user's scope (core/scoping.py).

The walk finds every serializer, form and filterset of the project: the DRF views behind the
URL resolver (serializer_class, filterset_class, filterset_fields) and every class in the apps'
api and forms modules. A writable related field that is not declared in its class's
`scoped_fields` fails the test with the class and field named.
"""

from __future__ import annotations

import importlib
import inspect
from types import SimpleNamespace

import django_filters
import pytest
from django import forms
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from samverkan.core.scoping import ScopedFilterSet, ScopedForm, ScopedSerializer

APPS = ["core", *settings.SAMVERKAN_MODULES, "accounts"]


def _modules(name: str):
    for app in APPS:
        try:
            yield importlib.import_module(f"samverkan.{app}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"samverkan.{app}.{name}":
                raise


def _classes(module, base):
    return [
        cls
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, base) and cls.__module__ == module.__name__
    ]


def _api_views(patterns=None) -> list[type[APIView]]:
    views = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            views += _api_views(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            cls = getattr(entry.callback, "cls", None)
            if cls is not None and issubclass(cls, APIView) and cls not in views:
                views.append(cls)
    return views


def _request(user):
    request = APIRequestFactory().get("/")
    force_authenticate(request, user)
    request.user = user
    return SimpleNamespace(user=user, query_params={}, GET={}, method="GET", _request=request)


def _view(cls, user):
    view = cls()
    view.request = _request(user)
    view.kwargs, view.args, view.format_kwarg = {}, (), None
    view.action = "list"
    return view


def _serializer_classes(world) -> set[type]:
    found = set()
    for cls in _api_views():
        view = _view(cls, world.users["admin"])
        serializer_class = getattr(cls, "serializer_class", None)
        if serializer_class is None and "get_serializer_class" in vars(cls):
            for action in ("list", "retrieve", "create", "update"):
                view.action = action
                found.add(view.get_serializer_class())
        elif serializer_class is not None:
            found.add(serializer_class)
    for module in _modules("api"):
        found.update(_classes(module, serializers.BaseSerializer))
    return found


def _filterset_classes(world) -> dict[type, str]:
    """filterset class → where it comes from (view name)."""
    found = {}
    backend = DjangoFilterBackend()
    for cls in _api_views():
        if not (getattr(cls, "filterset_class", None) or getattr(cls, "filterset_fields", None)):
            continue
        view = _view(cls, world.users["admin"])
        filterset = backend.get_filterset_class(view, view.get_queryset())
        found[filterset] = f"{cls.__module__}.{cls.__name__}"
    for module in _modules("api"):
        for filterset in _classes(module, django_filters.FilterSet):
            found.setdefault(filterset, filterset.__module__)
    return found


def _writable_related(serializer, path=""):
    """(owning serializer class, field name, related field) of every writable relation, nested included."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from _writable_related(field, f"{path}{name}.")
        elif isinstance(field, serializers.ManyRelatedField):
            yield type(serializer), path + name, field.child_relation
        elif isinstance(field, serializers.RelatedField):
            yield type(serializer), path + name, field


def _declared(cls, name: str) -> bool:
    return name.rsplit(".", 1)[-1] in getattr(cls, "scoped_fields", {})


def test_every_writable_related_serializer_field_is_scoped(world):
    classes = _serializer_classes(world)
    assert len(classes) > 50  # the walk found the project's serializers
    unscoped, leaking = [], []
    for cls in sorted(classes, key=lambda c: f"{c.__module__}.{c.__qualname__}"):
        ours = cls(context={"request": _request(world.users["admin"])})
        theirs = cls(context={"request": _request(world.outsider)})
        for owner, name, field in _writable_related(ours):
            where = f"{owner.__module__}.{owner.__qualname__}.{name}"
            if not (issubclass(owner, ScopedSerializer) and _declared(owner, name)):
                unscoped.append(where)
                continue
            their_field = {n: f for _o, n, f in _writable_related(theirs)}[name]
            if set(field.get_queryset()) & set(their_field.get_queryset()):
                leaking.append(where)
    assert not unscoped, f"related fields without a scoped_fields declaration: {unscoped}"
    assert not leaking, f"two federations are offered the same rows: {leaking}"


def test_every_related_filter_is_scoped(world):
    filtersets = _filterset_classes(world)
    assert len(filtersets) >= 10
    unscoped, leaking = [], []
    for filterset, origin in filtersets.items():
        for name, model_filter in filterset.base_filters.items():
            if not isinstance(model_filter, QuerySetRequestMixin):
                continue
            if not (issubclass(filterset, ScopedFilterSet) and _declared(filterset, name)):
                unscoped.append(f"{origin}: filter {name!r} ({filterset.__name__})")
                continue
            ours = filterset(request=_request(world.users["admin"])).filters[name].queryset
            theirs = filterset(request=_request(world.outsider)).filters[name].queryset
            if set(ours) & set(theirs):
                leaking.append(f"{origin}: filter {name!r}")
    assert not unscoped, f"model filters without a scoped_fields declaration: {unscoped}"
    assert not leaking, f"two federations are offered the same rows: {leaking}"


def test_every_model_choice_form_field_is_scoped():
    forms_found, unscoped = 0, []
    for module in _modules("forms"):
        for cls in _classes(module, forms.BaseForm):
            forms_found += 1
            for name, field in cls.base_fields.items():
                if isinstance(field, forms.ModelChoiceField) and not (
                    issubclass(cls, ScopedForm) and _declared(cls, name)
                ):
                    unscoped.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert forms_found > 30
    assert not unscoped, f"model choice fields without a scoped_fields declaration: {unscoped}"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/members/departments/?member={}",
        "/api/v1/members/handovers/?member={}",
        "/api/v1/members/figures/?member={}",
        "/api/v1/catalogue/orders/?member={}",
        "/api/v1/catalogue/subscriptions/?member={}",
        "/api/v1/billing/invoices/?member={}",
        "/api/v1/allocation/lines/?member={}",
    ],
)
def test_a_foreign_id_in_a_filter_answers_like_an_unknown_id(world, url):
    api = world.api("admin")
    foreign = api.get(url.format(world.foreign_member.pk))
    unknown = api.get(url.format(10**9))
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == unknown.json()
    assert api.get(url.format(world.member.pk)).status_code == 200


def test_a_member_contact_reads_its_own_federation(world):
    api = world.api("member_contact")
    own = api.get(f"/api/v1/members/federations/{world.federation.pk}/")
    assert own.status_code == 200 and own.json()["name"] == world.federation.name
    assert api.get(f"/api/v1/members/federations/{world.other_federation.pk}/").status_code == 404
    listed = api.get("/api/v1/members/federations/").json()["results"]
    assert [row["id"] for row in listed] == [world.federation.pk]
