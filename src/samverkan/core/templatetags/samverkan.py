"""Swedish presentation of money, numbers and ratios in templates."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from samverkan.domain.money import format_number, format_percent, format_sek, to_decimal

register = template.Library()


def _english() -> bool:
    return (get_language() or "sv").startswith("en")


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = Decimal(str(value))
    return to_decimal(value)


@register.filter
def kr(value, decimals: int = 0) -> str:
    """`{{ amount|kr }}` → `1 166 000 kr` (English: `SEK 1,166,000`)."""
    amount = _dec(value)
    if amount is None:
        return ""
    if _english():
        return f"SEK {amount:,.{int(decimals)}f}"
    return format_sek(amount, int(decimals))


@register.filter
def num(value, decimals: int = 0) -> str:
    number = _dec(value)
    if number is None:
        return ""
    if _english():
        return f"{number:,.{int(decimals)}f}"
    return format_number(number, int(decimals))


@register.filter
def pct(value, decimals: int = 1) -> str:
    """A ratio (0.916) as `91,6 %`."""
    ratio = _dec(value)
    if ratio is None:
        return ""
    if _english():
        return f"{ratio * 100:.{int(decimals)}f} %"
    return format_percent(ratio, int(decimals))


@register.filter
def can(user, code: str) -> bool:
    """`{% if user|can:"members.manage_members" %}`: a capability by its code, for buttons and
    links; the view and the service check it again."""
    from samverkan.core.permissions import REGISTRY, has_capability

    return has_capability(user, REGISTRY[code])


# --- finance (helper C, issue 13): a report figure in its table's print unit ----------------
@register.filter
def in_unit(value, unit: str = "kr") -> str:
    """`{{ amount|in_unit:table.unit }}`: kronor printed in kr, tkr (whole) or mkr (one decimal),
    each figure rounded on its own (`domain.report_table.printed`)."""
    from samverkan.domain.report_table import Unit, printed

    amount = _dec(value)
    if amount is None:
        return ""
    unit = Unit(str(unit))
    return num(printed(amount, unit), 1 if unit is Unit.MILLIONS else 0)


@register.inclusion_tag("core/_panels.html", takes_context=True)
def related_panels(context, obj):
    """Sections other apps add to this object's page (`core.panels`): e.g. the paragraph that
    decided an allocation run."""
    from samverkan.core.panels import panels_for

    return {"panels": panels_for(context["request"].user, obj)}
