"""What governance adds to other apps' pages (`core.panels`): the paragraphs that decided an
object and the cases that concern it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.core.panels import Panel, register
from samverkan.core.permissions import has_capability
from samverkan.governance.policies import VIEW_CASES, VIEW_MEETINGS
from samverkan.governance.selectors.cases import cases_linked_to
from samverkan.governance.selectors.minutes import decisions_for

# The objects a paragraph may decide or a case may concern (models of the layers below).
LINKED_MODELS = (
    "allocation.allocationrun",
    "allocation.costpool",
    "catalogue.catalogueitem",
    "catalogue.priceversion",
    "members.member",
    "members.handover",
    "billing.invoicerun",
)


def decision_panel(user: Any, obj: Any) -> Panel | None:
    """ "Beslutat i": the paragraphs, linked for those who may read minutes."""
    may_read = has_capability(user, VIEW_MEETINGS)
    items = []
    for paragraph in decisions_for(obj):
        text = _("%(paragraph)s (%(body)s, sammanträde %(date)s)") % {
            "paragraph": paragraph,
            "body": paragraph.body.name,
            "date": paragraph.minutes.meeting.date.isoformat(),
        }
        url = reverse("governance:paragraph_detail", args=[paragraph.pk]) if may_read else ""
        items.append((text, url))
    return Panel(_("Beslutat i"), items)


def case_panel(user: Any, obj: Any) -> Panel | None:
    if not has_capability(user, VIEW_CASES):
        return None
    items = [
        (f"{case.number} {case.title}", reverse("governance:case_detail", args=[case.pk]))
        for case in cases_linked_to(user, obj)[:50]
    ]
    return Panel(_("Ärenden i diariet"), items)


def register_panels() -> None:
    for label in LINKED_MODELS:
        register(label, decision_panel)
        register(label, case_panel)
