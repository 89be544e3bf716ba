"""Capabilities of performance: goals and indicators, staff statistics, the customer survey, the
board's follow-up page and the annual report."""

from django.utils.translation import gettext_lazy as _

from samverkan.core.permissions import capability, has_capability
from samverkan.core.roles import ADMIN, BOARD, ECONOMIST, MEMBER_CONTACT, SECRETARY

# Board members read everything here; economists and admins edit
VIEW_PERFORMANCE = capability(
    "performance.view",
    _("Se mål, indikatorer, personalstatistik och årsredovisningen"),
    ADMIN,
    ECONOMIST,
    BOARD,
    SECRETARY,
)
EDIT_GOALS = capability("performance.edit_goals", _("Ändra mål, indikatorer och bedömningar"), ADMIN, ECONOMIST)
IMPORT_STAFF = capability("performance.import_staff", _("Importera personalstatistik"), ADMIN, ECONOMIST)
EDIT_ANNUAL_REPORT = capability(
    "performance.edit_annual_report", _("Skriva och fastställa årsredovisningen"), ADMIN, ECONOMIST
)
# Member contacts read what the federation publishes (the adopted annual report)
VIEW_PUBLISHED = capability(
    "performance.view_published",
    _("Se den publicerade årsredovisningen"),
    ADMIN,
    ECONOMIST,
    BOARD,
    SECRETARY,
    MEMBER_CONTACT,
)


def may_view_annual_report(user, federation, *, published: bool) -> bool:
    if has_capability(user, VIEW_PERFORMANCE, federation=federation):
        return True
    return published and has_capability(user, VIEW_PUBLISHED, federation=federation)
