"""Writes to the register. Every change leaves an AssetEvent (the asset's own history) and an
audit row, because assets are money on the balance sheet."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.assets.models import ASSET_EDITABLE_FIELDS, Asset, AssetEvent, AssetStatus
from samverkan.assets.policies import IMPORT_ASSETS, MANAGE_ASSETS
from samverkan.core.audit import audit_record, snapshot
from samverkan.core.permissions import require
from samverkan.members.models import Department

# Status changes allowed; disposal is final.
TRANSITIONS = {
    AssetStatus.IN_STOCK: {AssetStatus.IN_USE, AssetStatus.IN_REPAIR, AssetStatus.DISPOSED},
    AssetStatus.IN_USE: {AssetStatus.IN_STOCK, AssetStatus.IN_REPAIR, AssetStatus.RETURNED, AssetStatus.DISPOSED},
    AssetStatus.IN_REPAIR: {AssetStatus.IN_STOCK, AssetStatus.IN_USE, AssetStatus.RETURNED, AssetStatus.DISPOSED},
    AssetStatus.RETURNED: {AssetStatus.IN_STOCK, AssetStatus.IN_USE, AssetStatus.DISPOSED},
    AssetStatus.DISPOSED: set(),
}


def _value(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    return str(value) if value is not None else None


def _event(asset: Asset, actor, action: str, changes: dict, reason: str = "") -> AssetEvent:
    return AssetEvent.objects.create(
        asset=asset,
        actor=actor,
        actor_repr=actor.get_username(),
        action=action,
        changes=changes,
        reason=reason,
    )


def _reject_unknown(data: dict[str, Any]) -> None:
    unknown = set(data) - set(ASSET_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Okända fält: %(f)s") % {"f": ", ".join(sorted(unknown))})


def _validate(asset: Asset) -> None:
    """The fields' own rules (``assets.validators``, lengths, choices) and the one rule across rows.

    The check constraints are not asked of the database row by row (Django runs one query per
    constraint and asset): each has its rule in Python here or in the fields' validators, and the
    database enforces them again on write. Related rows are instances the caller looked up."""
    if asset.department_id and asset.member_id and asset.department.member_id != asset.member_id:
        raise ValidationError(_("Förvaltningen hör inte till medlemmen."))
    if asset.member_id and asset.member.federation_id != asset.federation_id:
        raise ValidationError(_("Medlemmen tillhör ett annat förbund."))
    asset.full_clean(exclude=["federation", "member", "department"], validate_constraints=False)
    duplicate = Asset.objects.filter(federation_id=asset.federation_id, inventory_number=asset.inventory_number)
    if duplicate.exclude(pk=asset.pk).exists():
        raise ValidationError(
            {"inventory_number": _("Inventarienumret %(nr)s finns redan.") % {"nr": asset.inventory_number}}
        )


@transaction.atomic
def asset_create(*, acting_user, federation, status: str = AssetStatus.IN_STOCK, **data: Any) -> Asset:
    require(acting_user, MANAGE_ASSETS, federation=federation)
    _reject_unknown(data)
    asset = Asset(federation=federation, status=status, **data)
    if asset.department_id and not asset.member_id:
        asset.member = asset.department.member
    _validate(asset)
    asset.save()
    _event(asset, acting_user, "created", {f: _value(getattr(asset, f)) for f in (*ASSET_EDITABLE_FIELDS, "status")})
    audit_record(actor=acting_user, action="create", instance=asset, after=snapshot(asset))
    return asset


@transaction.atomic
def asset_update(
    *, acting_user, asset: Asset, data: dict[str, Any], reason: str = "", action: str = "updated"
) -> tuple[Asset, dict]:
    """Change descriptive fields and the holder; returns the asset and what changed."""
    require(acting_user, MANAGE_ASSETS, obj=asset)
    _reject_unknown(data)
    before = snapshot(asset)
    changes = {}
    for field, value in data.items():
        old = getattr(asset, field)
        if (old.pk if hasattr(old, "pk") else old) != (value.pk if hasattr(value, "pk") else value):
            changes[field] = [_value(old), _value(value)]
            setattr(asset, field, value)
    if not changes:
        return asset, {}
    if asset.department_id and not asset.member_id:
        asset.member = asset.department.member
    _validate(asset)
    asset.updated_at = timezone.now()
    asset.save()
    _event(asset, acting_user, action, changes, reason)
    audit_record(actor=acting_user, action="update", instance=asset, before=before, after=snapshot(asset))
    return asset, changes


@transaction.atomic
def asset_change_status(*, acting_user, asset: Asset, status: str, reason: str = "", on: date | None = None) -> Asset:
    """Move through the lifecycle. Returns and disposals need a reason; a return clears the
    holder (the equipment is back with the federation for reuse); a disposal is final."""
    require(acting_user, MANAGE_ASSETS, obj=asset)
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if status not in TRANSITIONS.get(asset.status, set()):
        raise ValidationError(
            _("Status %(old)s kan inte ändras till %(new)s.")
            % {"old": asset.get_status_display(), "new": AssetStatus(status).label}
        )
    if status in (AssetStatus.RETURNED, AssetStatus.DISPOSED) and not reason.strip():
        raise ValidationError(_("Ange en anledning till återlämning eller utrangering."))
    on = on or timezone.localdate()
    if status == AssetStatus.DISPOSED and on < asset.purchase_date:
        raise ValidationError(_("Utrangeringsdatum före anskaffningsdatum."))
    before = snapshot(asset)
    changes: dict[str, list] = {"status": [asset.status, status]}
    if status == AssetStatus.RETURNED:
        for field in ("member", "department"):
            if getattr(asset, f"{field}_id"):
                changes[field] = [getattr(asset, f"{field}_id"), None]
                setattr(asset, field, None)
        if asset.holder_name:
            changes["holder_name"] = [asset.holder_name, ""]
            asset.holder_name = ""
    if status == AssetStatus.DISPOSED:
        asset.disposed_on = on
        changes["disposed_on"] = [None, on.isoformat()]
    asset.status = status
    asset.status_reason = reason.strip()
    asset.updated_at = timezone.now()
    asset.save()
    _event(asset, acting_user, "status", changes, reason.strip())
    audit_record(actor=acting_user, action="status", instance=asset, before=before, after=snapshot(asset))
    return asset


@transaction.atomic
def asset_link_ticket(*, acting_user, asset: Asset, ticket) -> None:
    require(acting_user, MANAGE_ASSETS, obj=asset)
    if ticket.federation_id != asset.federation_id:
        raise ValidationError(_("Ärendet tillhör ett annat förbund."))
    asset.tickets.add(ticket)
    _event(asset, acting_user, "ticket", {"ticket": [None, ticket.pk]})


def assets_import(*, acting_user, federation, data: bytes, progress=None) -> dict[str, int]:
    """All or nothing: every row is checked (format, member, department) before anything is
    written; one bad row and nothing changes. Importing the same file again changes nothing
    (rows are matched on inventory number and only differences are written).
    ``progress(done, total, message)`` (core.jobs) hears of every row written."""
    from samverkan.assets.importers.register import RegisterParseError, parse

    require(acting_user, IMPORT_ASSETS, federation=federation)
    try:
        rows = parse(data)
    except RegisterParseError as exc:
        raise ValidationError(exc.errors) from None
    members = {m.kommunkod: m for m in federation.members.all()}
    departments = {
        (d.member.kommunkod, d.code): d
        for d in Department.objects.filter(member__federation=federation).select_related("member")
    }
    errors = []
    for row in rows:
        code, dept = row.values.pop("kommunkod"), row.values.pop("department_code")
        row.values["member"] = members.get(code) if code else None
        row.values["department"] = departments.get((code, dept)) if dept else None
        if code and row.values["member"] is None:
            errors.append(f"Rad {row.line}: okänd kommunkod {code}")
        elif dept and row.values["department"] is None:
            errors.append(f"Rad {row.line}: förvaltning {dept} finns inte hos {code}")
    if errors:
        raise ValidationError(errors)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    existing = {a.inventory_number: a for a in Asset.objects.filter(federation=federation)}
    try:
        with transaction.atomic():
            for done, row in enumerate(rows):
                if progress is not None:
                    progress(done, len(rows), "")
                values = dict(row.values)
                status = values.pop("status")
                asset = existing.get(values["inventory_number"])
                if asset is None:
                    asset = asset_create(acting_user=acting_user, federation=federation, status=status, **values)
                    AssetEvent.objects.filter(asset=asset).update(action="imported")
                    counts["created"] += 1
                    continue
                if asset.status == AssetStatus.DISPOSED:
                    raise ValidationError(
                        _("Rad %(line)s: %(nr)s är utrangerad och kan inte ändras.")
                        % {"line": row.line, "nr": asset.inventory_number}
                    )
                _asset, changes = asset_update(
                    acting_user=acting_user, asset=asset, data=values, reason=_("Import"), action="imported"
                )
                if asset.status != status:
                    Asset.objects.filter(pk=asset.pk).update(status=status)
                    _event(asset, acting_user, "imported", {"status": [asset.status, status]}, _("Import"))
                    changes["status"] = True
                counts["updated" if changes else "unchanged"] += 1
    except ValidationError as exc:
        raise ValidationError([f"{m}" for m in exc.messages]) from None
    return counts
