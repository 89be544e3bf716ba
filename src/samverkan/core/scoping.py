"""Related fields offer and accept only the rows the requesting user may see.

Every serializer, form and filterset with a related field (ForeignKey, ManyToMany,
PrimaryKeyRelatedField, ModelChoiceField, ModelChoiceFilter …) declares once, on the class,
which scoped selector feeds each of them:

    class ItemSerializer(ScopedSerializer, serializers.ModelSerializer):
        scoped_fields = {"category": selectors.categories_for, "allowed_members": members_for}

A selector takes the user and returns a queryset (`members_for(user)`). Django's and DRF's
default is every row of every federation; with the declaration another federation's id is an
unknown choice (400, the same message as an id that does not exist) and no select in a form,
the browsable API or a filter lists another federation's rows. A form or serializer may narrow
a declared queryset further after `__init__`, never widen it. core/tests/test_scoping.py walks
every serializer, form and filterset of the project and fails on an undeclared related field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet

Selector = Callable[[Any], QuerySet]


def _user_of(request: Any) -> Any:
    return getattr(request, "user", None)


def _scoped(selector: Selector, user: Any, fallback: QuerySet) -> QuerySet:
    """The user's rows; no user (e.g. schema generation) means no rows."""
    return selector(user) if user is not None else fallback.none()


class ScopedSerializer:
    """Serializer mixin (before serializers.Serializer/ModelSerializer in the bases); the
    request comes from the serializer's context, as DRF's generic views pass it."""

    scoped_fields: ClassVar[Mapping[str, Selector]] = {}

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        user = _user_of(self.context.get("request"))  # type: ignore[attr-defined]
        for name, selector in self.scoped_fields.items():
            field = fields[name]
            if field.read_only:
                continue
            target = getattr(field, "child_relation", field)  # many=True wraps the related field
            target.queryset = _scoped(selector, user, target.queryset)
        return fields


class ScopedForm:
    """Form mixin (before forms.Form/ModelForm in the bases): the form takes `user=` and its
    declared fields choose among that user's rows."""

    scoped_fields: ClassVar[Mapping[str, Selector]] = {}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, selector in self.scoped_fields.items():
            field = self.fields[name]  # type: ignore[attr-defined]
            field.queryset = _scoped(selector, user, field.queryset)


class ScopedFilterSet(django_filters.FilterSet):
    """FilterSet whose declared model filters choose among the requesting user's rows, so
    `?member=<another federation's id>` is the same 400 as an id that does not exist."""

    scoped_fields: ClassVar[Mapping[str, Selector]] = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = _user_of(request)
        for name, selector in self.scoped_fields.items():
            model_filter = self.filters[name]
            model_filter.queryset = _scoped(selector, user, model_filter.queryset)
