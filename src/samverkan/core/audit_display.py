"""The audit log and every history as sentences: "Anna Berg ändrade status: Status: I lager → I användning".

Audit rows keep machine data (action codes, model labels, before/after snapshots with ids and
raw choice values) because that is what an auditor can trust. This module is the one place that
turns such a row into Swedish: the action as a verb (apps register their own codes with
`register_actions`, as they register panels in `core.panels`), the object type by its
verbose_name, each changed field by its label, choices by their display, foreign keys by the
name of the row they point at, money and numbers in Swedish format, times in local time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.domain.money import format_number, format_sek

_ACTIONS: dict[str, Any] = {}
# Bookkeeping fields nobody asks about in a history.
HIDDEN_FIELDS = {"id", "federation", "created_at", "updated_at", "password", "last_login", "search_vector"}
MAX_VALUE = 80


def register_actions(labels: Mapping[str, Any]) -> None:
    """`{"run_issue": gettext_lazy("utfärdade")}`: how an app's action codes read in a sentence."""
    _ACTIONS.update(labels)


register_actions(
    {
        "create": gettext_lazy("skapade"),
        "created": gettext_lazy("skapade"),
        "update": gettext_lazy("ändrade"),
        "updated": gettext_lazy("ändrade"),
        "delete": gettext_lazy("tog bort"),
        "approve": gettext_lazy("godkände"),
        "import": gettext_lazy("importerade"),
        "imported": gettext_lazy("importerade"),
        "status": gettext_lazy("ändrade status"),
        "assign": gettext_lazy("tilldelade"),
        "classify": gettext_lazy("klassade"),
        "merge": gettext_lazy("slog samman"),
        "reopen": gettext_lazy("öppnade igen"),
        "time": gettext_lazy("rapporterade tid på"),
        "file": gettext_lazy("laddade upp en ny fil till"),
        "credit": gettext_lazy("krediterade"),
        "withdraw": gettext_lazy("drog tillbaka"),
        "dispose": gettext_lazy("utrangerade"),
        "remind": gettext_lazy("påminde"),
        "ticket": gettext_lazy("kopplade ett ärende"),
        "deliver": gettext_lazy("levererade"),
        "key_values": gettext_lazy("ändrade nyckelvärden i"),
        "run_create": gettext_lazy("skapade"),
        "run_approve": gettext_lazy("godkände"),
        "run_issue": gettext_lazy("utfärdade fakturorna i"),
        "run_discard": gettext_lazy("kastade"),
        "settlement": gettext_lazy("gjorde avräkning för"),
        "reorder_agenda": gettext_lazy("ändrade ordningen i"),
        "notice_send": gettext_lazy("anslog"),
        "notice_resend": gettext_lazy("anslog igen"),
        "personal_data_report": gettext_lazy("tog fram registerutdrag för"),
        "personal_data_pseudonymise": gettext_lazy("pseudonymiserade personuppgifter i"),
        "personal_data_erase": gettext_lazy("raderade personuppgifter i"),
        "performance.staff_import": gettext_lazy("importerade"),
        "performance.survey_result_set": gettext_lazy("registrerade"),
        "performance.kolada_fetch": gettext_lazy("hämtade från Kolada"),
    }
)


def action_label(code: str) -> str:
    """The verb for an action code; an unregistered code still reads as Swedish."""
    label = _ACTIONS.get(code)
    return str(label) if label is not None else _("ändrade")


def action_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """(codes, verb) for a filter's select, sorted by the verb; codes that read alike ("create",
    "run_create") are one choice, their codes joined by commas."""
    by_label: dict[str, list[str]] = {}
    for code in codes:
        by_label.setdefault(action_label(code), []).append(code)
    return sorted((",".join(sorted(group)), label) for label, group in by_label.items())


def type_choices(labels: Iterable[str]) -> list[tuple[str, str]]:
    """(model label, name) for a filter's select; two models of the same name ("Ärende" in the
    portal and in the registry) are told apart by their module's name."""
    named = [(label, type_label(label)) for label in labels]
    counts: dict[str, int] = {}
    for _label, name in named:
        counts[name] = counts.get(name, 0) + 1
    choices = []
    for label, name in named:
        model = model_for(label)
        if counts[name] > 1 and model is not None:
            name = f"{name} ({model._meta.app_config.verbose_name})"
        choices.append((label, name))
    return sorted(choices, key=lambda pair: pair[1])


def model_for(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


# Models that have no Swedish verbose_name of their own (adding one is a migration in each app).
TYPE_NAMES = {
    "core.UserRole": gettext_lazy("roll"),
    "core.Job": gettext_lazy("bakgrundsarbete"),
    "members.MembershipPeriod": gettext_lazy("medlemsperiod"),
    "members.MemberFigure": gettext_lazy("medlemsuppgift"),
    "allocation.KeyValue": gettext_lazy("nyckelvärde"),
    "allocation.KeyComponent": gettext_lazy("nyckeldel"),
    "allocation.AllocationLine": gettext_lazy("fördelningsrad"),
    "billing.MemberBillingSetting": gettext_lazy("faktureringsinställning för medlem"),
    "billing.NumberSeries": gettext_lazy("nummerserie"),
    "billing.InvoiceLine": gettext_lazy("fakturarad"),
    "portal.ClosedDay": gettext_lazy("stängd dag"),
    "portal.SlaTargetSetting": gettext_lazy("SLA-mål"),
    "portal.Comment": gettext_lazy("kommentar"),
    "portal.Attachment": gettext_lazy("bilaga"),
    "portal.TicketLink": gettext_lazy("ärendelänk"),
    "portal.TimeEntry": gettext_lazy("tidrapport"),
    "portal.SavedView": gettext_lazy("sparad vy"),
    "governance.ParagraphCounter": gettext_lazy("paragrafnumrering"),
    "governance.CaseCounter": gettext_lazy("diarienumrering"),
}


def type_label(label: str) -> str:
    """`catalogue.Order` → "Beställning" (the model's verbose_name)."""
    model = model_for(label)
    if model is None:
        return _("Okänd objekttyp")
    explicit = model._meta.original_attrs.get("verbose_name")
    name = str(explicit or TYPE_NAMES.get(model._meta.label, _("objekt")))
    return name[:1].upper() + name[1:]


def local_time(moment: dt.datetime) -> str:
    """Audit times are stored in UTC; people read Swedish local time, minutes are enough."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def person(user, fallback: str) -> str:
    if user is not None:
        full = user.get_full_name() if hasattr(user, "get_full_name") else ""
        return full or user.get_username()
    return fallback or _("okänd")


@dataclass(frozen=True)
class Entry:
    at: str
    moment: dt.datetime
    actor: str
    action: str
    object_type: str
    object: str
    changes: tuple[str, ...]
    reason: str = ""

    @property
    def sentence(self) -> str:
        """One line: "Anna Berg skapade Beställning Dator (Lycksele)"."""
        return " ".join(part for part in (self.actor, self.action, self.object_type.lower(), self.object) if part)


class _Names:
    """Names for foreign keys, fetched once per (model, id) while formatting one page."""

    def __init__(self) -> None:
        self.cache: dict[tuple[type[models.Model], str], str] = {}

    def name(self, model: type[models.Model], pk: Any) -> str:
        key = (model, str(pk))
        if key not in self.cache:
            obj = model._default_manager.filter(pk=pk).first()
            if obj is None:
                self.cache[key] = _("borttaget (nr %(pk)s)") % {"pk": pk}
            else:
                self.cache[key] = person(obj, "") if hasattr(obj, "get_username") else str(obj)
        return self.cache[key]


def _short(text: str) -> str:
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _number(value: Any) -> str | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return format_number(number, 0 if number == number.to_integral_value() else 2)


def format_value(field: models.Field | None, value: Any, names: _Names) -> str:
    """One stored value as a person reads it."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(format_value(field, item, names) for item in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {format_value(None, item, names)}" for key, item in value.items()) or "–"
    if field is not None:
        if field.is_relation and field.related_model is not None:
            return _short(names.name(field.related_model, value))
        if field.choices:
            labels = {str(key): label for key, label in field.flatchoices}
            return str(labels.get(str(value), value))
        if isinstance(field, models.BooleanField):
            return _("ja") if value in (True, "True", "true", 1) else _("nej")
        if type(field).__name__ == "MoneyField":
            try:
                return format_sek(Decimal(str(value)), 2)
            except (InvalidOperation, ValueError):
                return str(value)
        if isinstance(field, models.DateTimeField):
            moment = parse_datetime(str(value))
            return local_time(moment) if moment else str(value)
        if isinstance(field, models.DateField):
            day = parse_date(str(value)[:10])
            return day.isoformat() if day else str(value)
        if isinstance(field, (models.DecimalField, models.IntegerField, models.FloatField)):
            return _number(value) or str(value)
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, (int, float, Decimal)):
        return _number(value) or str(value)
    return _short(str(value))


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # renamed or removed since the row was written: no label to show
        return None
    return field if isinstance(field, models.Field) else None


def _field_label(field: models.Field) -> str:
    """The field's Swedish label; a field without one is named after the model it points at, or
    left out (Django would make "invoice reference" of `invoice_reference`)."""
    label = str(field.verbose_name)
    if getattr(field, "_verbose_name", label) is None:  # Django's original argument: none given
        if field.is_relation and field.related_model is not None:
            return type_label(field.related_model._meta.label)
        return ""
    return label[:1].upper() + label[1:]


def describe_changes(
    model: type[models.Model] | None, pairs: Mapping[str, tuple[Any, Any]], names: _Names | None = None
) -> tuple[str, ...]:
    """`{"status": ("in_stock", "in_use")}` → ("Status: I lager → I användning",).

    A field the model does not know (renamed since) is left out rather than shown by its code."""
    names = names or _Names()
    lines = []
    for key, (old, new) in pairs.items():
        if key in HIDDEN_FIELDS or old == new:
            continue
        field = _field(model, key)
        label = _field_label(field) if field is not None else ""
        if not label:
            continue
        old_text, new_text = format_value(field, old, names), format_value(field, new, names)
        if old is None or old == "":
            lines.append(f"{label}: {new_text}")
        elif old_text != new_text:  # seconds apart, or the same name: nothing a reader sees changed
            lines.append(f"{label}: {old_text} → {new_text}")
    return tuple(lines)


def _pairs(before: Any, after: Any) -> dict[str, tuple[Any, Any]]:
    """Changed fields of an update; a creation or a deletion is said by its verb alone."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return {}
    return {key: (before.get(key), after.get(key)) for key in after if before.get(key) != after.get(key)}


def describe_events(events: Iterable[Any]) -> list[Entry]:
    """Audit rows (`core.AuditEvent`) as entries, foreign keys named once per page."""
    names = _Names()
    entries = []
    for event in events:
        model = model_for(event.object_type)
        entries.append(
            Entry(
                at=local_time(event.at),
                moment=event.at,
                actor=person(getattr(event, "actor", None), event.actor_repr),
                action=action_label(event.action),
                object_type=type_label(event.object_type),
                object=event.object_repr,
                changes=describe_changes(model, _pairs(event.before, event.after), names),
            )
        )
    return entries


def describe_field_changes(
    model: type[models.Model], events: Iterable[Any], *, changes_attr: str = "changes"
) -> list[Entry]:
    """An app's own history rows that store `{field: [old, new]}` (e.g. `assets.AssetEvent`)."""
    names = _Names()
    entries = []
    for event in events:
        raw = getattr(event, changes_attr) or {}
        pairs = {
            key: tuple(value) for key, value in raw.items() if isinstance(value, (list, tuple)) and len(value) == 2
        }
        entries.append(
            Entry(
                at=local_time(event.at),
                moment=event.at,
                actor=person(getattr(event, "actor", None), event.actor_repr),
                action=action_label(event.action),
                object_type="",
                object="",
                changes=describe_changes(model, pairs, names),
                reason=getattr(event, "reason", ""),
            )
        )
    return entries
