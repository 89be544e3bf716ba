"""Nothing is issued that the Peppol rules reject: issuing checks each document's UBL first.

Called inside the issuing transaction (for a run's drafts through ``verdicts.require_issuable``,
which spares the drafts already checked in the background), after the documents got their numbers
(the UBL needs them) and before it commits, so a refusal rolls the numbers back and leaves no gap. The
message names every refused document and the rules it breaks, up to ``MAX_MESSAGES`` lines.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samverkan.billing.exporters import adapters
from samverkan.billing.models import Invoice
from samverkan.billing.peppol.validate import fatal, validate

MAX_MESSAGES = 10


def require_peppol_valid(invoices: Iterable[Invoice]) -> None:
    """Raise ``ValidationError`` if any document breaks a fatal EN 16931 or Peppol rule."""
    messages = [message for invoice in invoices for message in refusals(invoice)]
    if len(messages) > MAX_MESSAGES:
        more = len(messages) - MAX_MESSAGES
        messages = [*messages[:MAX_MESSAGES], _("… och %(n)s fel till.") % {"n": more}]
    if messages:
        raise ValidationError(messages)


def refusals(invoice: Invoice, *, named: str | None = None) -> list[str]:
    """Why the document may not be issued (Swedish, each broken rule once); empty: it may."""
    if named is None:
        document = (
            _("Kreditfakturan %(number)s (%(member)s)")
            if invoice.is_credit_note
            else _("Fakturan %(number)s (%(member)s)")
        )
        named = document % {"number": invoice.number, "member": invoice.member.name}
    try:
        xml = adapters.peppol_bytes(invoice)
    except ValueError as exc:
        return [_("%(document)s kan inte utfärdas: %(reason)s") % {"document": named, "reason": exc}]
    broken = dict.fromkeys((f.rule_id, f.rule_set, f.text) for f in fatal(validate(xml)))  # once per rule
    return [
        _("%(document)s kan inte utfärdas: regel %(rule)s (%(rule_set)s): %(text)s")
        % {"document": named, "rule": rule, "rule_set": rule_set, "text": text}
        for rule, rule_set, text in broken
    ]
