"""The follow-up's chart: budget, outcome and forecast per activity (or project) as grouped
bars, built server-side as SVG (no JavaScript, no CDN).

Unlike the telephony charts, results can be negative (an activity's deficit), so the bars grow
up or down from a zero line. The chart is `<svg role="img">` with `<title>` and `<desc>`; the page
shows the same figures in the report table beside it (WCAG 1.1.1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from samverkan.domain.report_table import Unit, printed

_ids = count(1)
COLOURS = ("#005a87", "#7a4a00", "#1e6b2f")


def _nice(raw: float) -> float:
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return float(factor * power)
    return float(10 * power)


def _fmt(value: float, unit: Unit) -> str:
    text = f"{printed(Decimal(str(value)), unit):,}".replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "−")


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    *,
    title: str,
    desc: str,
    unit: Unit = Unit.THOUSANDS,
    width: int = 720,
    height: int = 300,
) -> SafeString:
    """Grouped bars, one group per label, one bar per series (kronor; printed in `unit`)."""
    uid = f"fchart{next(_ids)}"
    left, right, top, bottom = 72, 12, 12, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(v) for _name, vs in series for v in vs if v is not None]
    high, low = max([*values, 0.0]), min([*values, 0.0])
    step = _nice((high - low) / 4 or 1.0)
    top_value, bottom_value = step * math.ceil(high / step), step * math.floor(low / step)
    if top_value == bottom_value:
        top_value = bottom_value + step
    span = top_value - bottom_value

    def y(v: float) -> float:
        return top + (top_value - v) / span * plot_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
    ]
    tick = bottom_value
    while tick <= top_value + step / 2:
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" stroke="#d0d5da"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" fill="#4a5560">'
            f"{escape(_fmt(tick, unit))}</text>"
        )
        tick += step
    n = max(len(labels), 1)
    slot = plot_w / n
    bar_w = slot * 0.8 / max(len(series), 1)
    zero = y(0.0)
    for b, (name, vs) in enumerate(series):
        for i, v in enumerate(vs):
            if v is None:
                continue
            value = float(v)
            x = left + i * slot + slot * 0.1 + b * bar_w
            y0, y1 = sorted((zero, y(value)))
            parts.append(
                f'<rect x="{x:.1f}" y="{y0:.1f}" width="{bar_w:.1f}" height="{max(y1 - y0, 0.5):.1f}" '
                f'fill="{COLOURS[b % 3]}"><title>{escape(labels[i])}, {escape(name)}: '
                f"{escape(_fmt(value, unit))} {unit.value}</title></rect>"
            )
    parts.append(f'<line x1="{left}" y1="{zero:.1f}" x2="{width - right}" y2="{zero:.1f}" stroke="#1b1f23"/>')
    for i, label in enumerate(labels):
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<text x="{left + (i + 0.5) * slot:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11" fill="#1b1f23">{escape(short)}</text>'
        )
    legend_x = left
    for b, (name, _vs) in enumerate(series):
        parts.append(
            f'<rect x="{legend_x}" y="{height - 16}" width="10" height="10" fill="{COLOURS[b % 3]}"/>'
            f'<text x="{legend_x + 14}" y="{height - 7}" font-size="11" fill="#1b1f23">{escape(name)}</text>'
        )
        legend_x += 30 + 7 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))
