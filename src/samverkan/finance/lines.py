"""Swedish names of the report lines (`domain.ledger_lines`), for every page, file and report.

The domain knows the lines by key only (it imports no Django); this is the one place that
names them for people, so the mapping page, the budget template and the reports agree.
"""

from django.utils.translation import gettext_lazy as _

from samverkan.domain.ledger_lines import MAPPING_LINES, OperatingLine

LINE_LABELS = {
    # Income statement (resultaträkning)
    "operating_income": _("Verksamhetens intäkter"),
    "staff_costs": _("Personalkostnader"),
    "other_operating_expenses": _("Övriga verksamhetskostnader"),
    "depreciation": _("Avskrivningar"),
    "member_fees": _("Medlemsavgifter"),
    "financial_income": _("Finansiella intäkter"),
    "financial_expenses": _("Finansiella kostnader"),
    "realisation_gains": _("Realisationsvinster"),
    "realisation_losses": _("Realisationsförluster"),
    # Balance sheet (balansräkning)
    "intangible_assets": _("Immateriella anläggningstillgångar"),
    "equipment_cost": _("Maskiner och inventarier (anskaffningsvärde)"),
    "equipment_depreciation": _("Maskiner och inventarier (ackumulerade avskrivningar)"),
    "other_tangible_assets": _("Mark, byggnader och tekniska anläggningar"),
    "financial_assets": _("Finansiella anläggningstillgångar"),
    "inventories": _("Förråd och lager"),
    "receivables": _("Kortfristiga fordringar"),
    "short_term_investments": _("Kortfristiga placeringar"),
    "cash": _("Kassa och bank"),
    "equity": _("Eget kapital"),
    "provisions": _("Avsättningar"),
    "long_term_liabilities": _("Långfristiga skulder"),
    "short_term_liabilities": _("Kortfristiga skulder"),
    # Closing entries (not reported)
    "closing": _("Bokslutsposter (årets resultat), redovisas inte"),
}
assert set(LINE_LABELS) == set(MAPPING_LINES), "every mapping line needs a Swedish label"

# The four lines of the operating statement and the follow-up (seed 002, seed 004).
OPERATING_LABELS = {
    OperatingLine.INCOME.value: _("Intäkter"),
    OperatingLine.STAFF_COSTS.value: _("Personalkostnader"),
    OperatingLine.OTHER_COSTS.value: _("Övriga kostnader"),
    OperatingLine.DEPRECIATION.value: _("Avskrivningar"),
}

STATEMENT_LABELS = {
    "income": _("Resultaträkning"),
    "balance": _("Balansräkning"),
    "closing": _("Bokslut"),
}


def line_label(key: str) -> str:
    """The Swedish name of a mapping line; an unknown key is shown as is (never an error)."""
    return str(LINE_LABELS.get(key, key))
