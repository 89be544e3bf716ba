"""A ReportTable as aligned text columns, for the CLI's `--format table`."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from samverkan.domain.money import format_number
from samverkan.domain.report_table import ReportTable, Unit, printed


def cell(value: Decimal | None, unit: Unit) -> str:
    """One figure in the table's unit, Swedish grouping, plain spaces and hyphen-minus so that a
    terminal lines the columns up."""
    if value is None:
        return ""
    text = format_number(printed(value, unit), 1 if unit is Unit.MILLIONS else 0)
    return text.replace("\u00a0", " ").replace("\u2212", "-")


def unit_text(unit: Unit) -> str:
    return _("Belopp i kronor") if unit is Unit.KRONOR else _("Belopp i %(unit)s") % {"unit": unit.value}


def _one(table: ReportTable) -> list[str]:
    labels = [f"{row.label}  {row.note}".rstrip() if row.note else row.label for row in table.rows]
    cells = [[cell(v, table.unit) for v in row.values] for row in table.rows]
    label_width = max([len(label) for label in labels] + [0])
    widths = [max([len(c)] + [len(r[i]) for r in cells if i < len(r)]) for i, c in enumerate(table.columns)]
    out = [table.title]
    if table.subtitle:
        out.append(table.subtitle)
    out.append(f"({unit_text(table.unit)})")
    out.append("  ".join([" " * label_width, *(c.rjust(w) for c, w in zip(table.columns, widths, strict=True))]))
    for row, label, values in zip(table.rows, labels, cells, strict=True):
        if row.level >= 2:
            out.append("-" * (label_width + sum(w + 2 for w in widths)))
        padded = [*values, *[""] * (len(widths) - len(values))]
        out.append("  ".join([label.ljust(label_width), *(v.rjust(w) for v, w in zip(padded, widths, strict=False))]))
    for note in table.notes:
        out.append(note)
    if table.warnings:
        out.append(_("Varningar:"))
        out.extend(f"- {warning}" for warning in table.warnings)
    return out


def render(table: ReportTable | list[ReportTable] | tuple[ReportTable, ...]) -> str:
    tables = [table] if isinstance(table, ReportTable) else list(table)
    return "\n\n".join("\n".join(_one(t)) for t in tables) + "\n"
