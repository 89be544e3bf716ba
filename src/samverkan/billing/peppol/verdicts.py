"""The Peppol/EN 16931 verdict on each draft invoice, made once in the background, checked cheaply at issue.

Running the rules takes 10–30 ms an invoice (``validate``), too long for the issuing transaction of
a run with thousands of invoices. So the drafts are checked after the preview (``check_drafts``, a
background job) and each keeps its verdict with a digest of everything its UBL is made of except
its number: the invoice row, its member, the member's billing setting, the federation and its
billing profile. Lines are not in the digest: a draft's lines are written only when its run is
created, and a discarded run takes its drafts with it.

At issue ``require_issuable`` recomputes the digests (a few queries and a hash per invoice, no UBL)
and refuses a draft whose fresh verdict is negative; drafts with no verdict, or one whose digest no
longer matches (the member's organisation number was corrected since, say), are checked there and
then with the full rules, so nothing is ever issued unchecked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from samverkan.billing.models import BillingProfile, Invoice, MemberBillingSetting
from samverkan.billing.peppol.issuing import MAX_MESSAGES, refusals, require_peppol_valid
from samverkan.core.jobs import Progress, no_progress
from samverkan.members.models import Federation, Member

NOT_DIGESTED = {"number", "series", "issued", "peppol_valid", "peppol_digest", "peppol_findings"}
BATCH = 200  # verdicts written per UPDATE round


def _rows(model, **filters: Any) -> dict[Any, dict[str, Any]]:
    key = next(iter(filters)).removesuffix("__in")
    return {row[key]: row for row in model.objects.filter(**filters).values()}


def _fields() -> list[str]:
    return [f.attname for f in Invoice._meta.concrete_fields if f.name not in NOT_DIGESTED]


def _digests(rows: list[dict[str, Any]]) -> dict[int, str]:
    members = _rows(Member, id__in={row["member_id"] for row in rows})
    settings = _rows(MemberBillingSetting, member_id__in=set(members))
    federations = _rows(Federation, id__in={row["federation_id"] for row in rows})
    profiles = _rows(BillingProfile, federation_id__in=set(federations))
    fields = _fields()
    result = {}
    for row in rows:
        parts = [
            {name: row[name] for name in fields},
            members.get(row["member_id"]),
            settings.get(row["member_id"]),
            federations.get(row["federation_id"]),
            profiles.get(row["federation_id"]),
        ]
        text = json.dumps(parts, sort_keys=True, default=str)
        result[row["id"]] = hashlib.sha256(text.encode()).hexdigest()
    return result


def digests(invoices: Iterable[Invoice]) -> dict[int, str]:
    """Digest per invoice of what its document is made of (see the module docstring)."""
    fields = _fields()
    return _digests([{name: getattr(invoice, name) for name in fields} for invoice in invoices])


def check_drafts(invoices: Iterable[Invoice], *, placeholder: str, progress: Progress | None = None) -> tuple[int, int]:
    """Run the rules on every draft and store its verdict; returns (valid, invalid).

    The UBL is made of issued documents: the drafts are numbered ``placeholder`` for the check only (any number of the
    series' form passes the same rules), and are named by member in the findings."""
    progress = progress or no_progress
    drafts = list(invoices)
    current = digests(drafts)
    valid = invalid = 0
    batch: list[Invoice] = []
    for n, invoice in enumerate(drafts, start=1):
        invoice.number, invoice.issued = placeholder, True  # as it will be issued; in memory only
        named = _("Utkastet för %(member)s") % {"member": invoice.member.name}
        if invoice.invoice_reference:
            named += f" ({invoice.invoice_reference})"
        messages = refusals(invoice, named=named)
        invoice.number, invoice.issued = None, False
        invoice.peppol_valid, invoice.peppol_findings = not messages, "\n".join(messages)
        invoice.peppol_digest = current[invoice.pk]
        valid, invalid = (valid + 1, invalid) if not messages else (valid, invalid + 1)
        batch.append(invoice)
        if len(batch) >= BATCH or n == len(drafts):
            Invoice.objects.bulk_update(batch, ["peppol_valid", "peppol_findings", "peppol_digest"])
            batch = []
        progress(n, len(drafts), _("%(n)s av %(total)s fakturor kontrollerade") % {"n": n, "total": len(drafts)})
    return valid, invalid


@dataclass(frozen=True)
class Standing:
    """The drafts by verdict: how many pass by a fresh verdict, those a fresh verdict refuses, and
    those with none or a stale one (to be checked)."""

    valid: int
    invalid: list[Invoice]
    unchecked: list[Invoice]


def standing(invoices: QuerySet[Invoice]) -> Standing:
    """Reads plain rows, not model instances: at issue a run has thousands of drafts and nearly all
    pass, so only the refused and the unchecked become instances."""
    rows = list(invoices.values(*_fields(), "peppol_valid", "peppol_digest"))
    current = _digests(rows)
    valid, invalid, unchecked = 0, [], []
    for row in rows:
        if row["peppol_valid"] is None or row["peppol_digest"] != current[row["id"]]:
            unchecked.append(row["id"])
        elif row["peppol_valid"]:
            valid += 1
        else:
            invalid.append(row["id"])
    wanted = invoices.in_bulk([*invalid, *unchecked]) if invalid or unchecked else {}
    return Standing(valid, [wanted[pk] for pk in invalid], [wanted[pk] for pk in unchecked])


def require_issuable(invoices: QuerySet[Invoice]) -> None:
    """Raise ``ValidationError`` unless every draft passes: by its fresh verdict, or checked now.

    Call after the drafts got their numbers (the check of unchecked drafts needs them) and inside the
    issuing transaction, so a refusal gives the numbers back."""
    groups = standing(invoices)
    messages = [line for invoice in groups.invalid for line in invoice.peppol_findings.splitlines()]
    if messages:
        if len(messages) > MAX_MESSAGES:
            more = len(messages) - MAX_MESSAGES
            messages = [*messages[:MAX_MESSAGES], _("… och %(n)s fel till.") % {"n": more}]
        raise ValidationError(messages)
    require_peppol_valid(groups.unchecked)
