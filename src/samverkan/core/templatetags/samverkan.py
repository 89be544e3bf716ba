"""Swedish presentation of money, numbers, quantities, units, ratios and histories in templates."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

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


# --- units and quantities (issue 16): UN/ECE codes belong to the e-invoice file only -------------
# (singular, plural) per UN/ECE Recommendation 20 code and per catalogue price unit.
UNIT_WORDS = {
    "C62": (_("st"), _("st")),
    "H87": (_("st"), _("st")),
    "EA": (_("st"), _("st")),
    "MON": (_("månad"), _("månader")),
    "QAN": (_("kvartal"), _("kvartal")),
    "ANN": (_("licensår"), _("licensår")),
    "HUR": (_("timme"), _("timmar")),
    "DAY": (_("dag"), _("dagar")),
    "WEE": (_("vecka"), _("veckor")),
    "one_off": (_("st"), _("st")),
    "item": (_("st"), _("st")),
    "month": (_("månad"), _("månader")),
    "quarter": (_("kvartal"), _("kvartal")),
    "user_year": (_("licensår"), _("licensår")),
    "hour": (_("timme"), _("timmar")),
}


@register.filter
def qty(value) -> str:
    """A quantity as amounts are written: whole numbers without decimals (`40`), fractions with
    the decimals they have, at most two (`41,6`, `0,25`); never `4E+1`."""
    number = _dec(value)
    if number is None:
        return ""
    if number != number.to_integral_value():
        number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    decimals = 0 if number == number.to_integral_value() else len(str(number.normalize()).partition(".")[2])
    return num(number, min(decimals, 2))


@register.filter
def unit(code, quantity=None) -> str:
    """`{{ line.unit_code|unit:line.quantity }}` → "månader"; a UN/ECE code or a price unit in, a
    Swedish word out (singular when the quantity is exactly one or not given)."""
    words = UNIT_WORDS.get(str(code or ""))
    if words is None:
        return str(_("st"))
    singular = quantity is None or quantity == "" or _dec(quantity) == 1
    return str(words[0] if singular else words[1])


@register.filter
def qty_unit(value, code) -> str:
    """`{{ line.quantity|qty_unit:line.unit_code }}` → "3 månader", "40 st"."""
    if value is None or value == "":
        return ""
    return f"{qty(value)}\u00a0{unit(code, value)}"


# --- histories (issue 16): the audit log and every history list as sentences ------------------
@register.inclusion_tag("core/_history.html")
def history(events, of=None, objects=True):
    """`{% history events %}` for audit rows (`objects=False` on the one object's own page),
    `{% history asset_events of=asset %}` for an app's own rows of `{field: [old, new]}` changes;
    see `core.audit_display`."""
    from samverkan.core.audit_display import describe_events, describe_field_changes

    events = list(events)
    if of is not None:
        return {"entries": describe_field_changes(type(of), events)}
    return {"entries": describe_events(events), "with_object": objects}


@register.filter
def team(code, federation_id) -> str:
    """`{{ item.owner_team|team:item.federation_id }}`: a portal team by its name ("Kundtjänst"),
    not its code ("kundtjanst"). The catalogue sits below the portal and may not import it, so the
    model is found through the app registry; an unknown code is shown as it is."""
    from django.apps import apps

    if not code:
        return ""
    try:
        model = apps.get_model("portal", "Team")
    except LookupError:
        return str(code)
    name = model.objects.filter(federation_id=federation_id, code=code).values_list("name", flat=True).first()
    return name or str(code)


@register.filter
def kr_rounded(value, rounding: str = "krona") -> str:
    """`{{ line.amount|kr_rounded:run.unit }}`: an allocation in the unit it was rounded to, öre
    only when it was rounded to öre (no "1 166 000,00 kr" for whole kronor)."""
    return kr(value, 2 if str(rounding) == "ore" else 0)
