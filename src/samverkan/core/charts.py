"""The one server-rendered SVG chart of the site (no JavaScript, no CDN): bars per label,
grouped or stacked, optionally a step line and a dashed goal line.

Every chart is an ``<svg role="img">`` whose ``<title>`` and ``<desc>`` are referenced by
``aria-labelledby``; the page always shows the same figures in a table (under a "Visa tabell"
disclosure), the accessible alternative (WCAG 1.1.1). Colours are classes that samverkan.css
maps to the theme's CSS variables (the Content-Security-Policy forbids inline styles), with the
same colours as attributes for a chart seen without the stylesheet. Axis and tooltip figures go
through the templates' ``num``/``pct`` filters, so a chart prints numbers as its table does.
Bars grow up or down from the zero line: a deficit is a bar below it, never a negative height.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import count

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from samverkan.core.templatetags.samverkan import num, pct

Value = float | int | Decimal
_ids = count(1)
COLOURS = ("#005a87", "#7a4a00", "#1e6b2f", "#5b3f8c", "#4a5560")  # --accent, --warn, --ok, --chart-4, --muted
GOAL_COLOUR = "#a4161a"  # --bad


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Value | None]
    kind: str = "bar"  # "bar", or "line": a step line over the bars


def number(value: Value) -> str:
    """Whole numbers, Swedish format (`1 234`)."""
    return num(value)


def percent(value: Value) -> str:
    """A ratio as a whole percent (`92 %`), for axes; tooltips use :func:`percent_1`."""
    return pct(value, 0)


def percent_1(value: Value) -> str:
    return pct(value)


def month_label(month: int) -> str:
    """ "jan", "feb", … "maj", … in the active language: the one way charts and their tables name months."""
    return date_format(date(2000, month, 1), "b")


def nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``raw`` (and > 0)."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _scale(
    series: Sequence[Series], n: int, goal: float | None, top: float | None, stacked: bool, whole: bool
) -> tuple[float, float, float]:
    """(lowest tick, highest tick, step) covering every bar (or stack), line and the goal."""
    bars = [s for s in series if s.kind == "bar"]
    lines = [float(v) for s in series if s.kind == "line" for v in s.values if v is not None]
    if stacked:
        ups = [sum(max(float(s.values[i] or 0), 0) for s in bars) for i in range(n)]
        downs = [sum(min(float(s.values[i] or 0), 0) for s in bars) for i in range(n)]
        values = [*ups, *downs, *lines]
    else:
        values = [float(v) for s in bars for v in s.values if v is not None] + lines
    high = max([*values, goal or 0.0, 0.0])
    low = min([*values, 0.0])
    if top is not None:
        step = top / 4
        return step * math.floor(low / step), max(top, step * math.ceil(high / step)), step
    step = nice_step((high - low) / 4 or 1.0)
    if whole:
        step = max(step, 1.0)
    bottom_tick, top_tick = step * math.floor(low / step), step * math.ceil(high / step)
    if top_tick == bottom_tick:
        top_tick = bottom_tick + step
    return bottom_tick, top_tick, step


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    fmt: Callable[[Value], str] = number,
    tick_fmt: Callable[[Value], str] | None = None,
    goal: Value | None = None,
    goal_label: str = "",
    top: float | None = None,
    stacked: bool = False,
    width: int = 560,
    height: int = 260,
) -> SafeString:
    """Bars per label (one per bar series side by side, or ``stacked``), line series as step lines.

    ``fmt`` prints a value in tooltips and the goal's legend, ``tick_fmt`` (default ``fmt``) the
    axis; ``top`` fixes the axis top (1.0 for ratios). ``None`` values draw nothing.
    """
    uid = f"chart{next(_ids)}"
    tick_fmt = tick_fmt or fmt
    n = max(len(labels), 1)
    left, right, top_pad = 76, 12, 12
    legend_rows = _legend_rows(_keys(series, f"{goal_label} {fmt(goal)}" if goal is not None else None), width, left)
    bottom = 30 + 18 * len(legend_rows)
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    whole = all(isinstance(v, int) for s in series for v in s.values if v is not None)
    low, high, step = _scale(series, len(labels), float(goal) if goal is not None else None, top, stacked, whole)
    span = high - low

    def y(v: float) -> float:
        return top_pad + (high - v) / span * plot_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
    ]
    for k in range(round(span / step) + 1):
        tick = low + k * step
        parts.append(
            f'<line class="chart-grid" x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
            f'stroke="#c9d1d9"/><text class="chart-text" x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
            f'font-size="13" fill="#4a5560">{escape(tick_fmt(_tidy(tick)))}</text>'
        )
    slot = plot_w / n
    bars = [s for s in series if s.kind == "bar"]
    bar_w = slot * 0.8 / (1 if stacked else max(len(bars), 1))
    zero = y(0.0)
    ups, downs = [0.0] * n, [0.0] * n
    for b, s in enumerate(bars):
        for i, v in enumerate(s.values[:n]):
            if v is None:
                continue
            value = float(v)
            x = left + i * slot + slot * 0.1 + (0 if stacked else b * bar_w)
            if stacked:
                base = ups[i] if value >= 0 else downs[i]
                y0, y1 = sorted((y(base), y(base + value)))
                if value >= 0:
                    ups[i] += value
                else:
                    downs[i] += value
            else:
                y0, y1 = sorted((zero, y(value)))
            parts.append(
                f'<rect class="chart-s{b % len(COLOURS) + 1}" x="{x:.1f}" y="{y0:.1f}" width="{bar_w:.1f}" '
                f'height="{y1 - y0:.1f}" fill="{COLOURS[b % len(COLOURS)]}"><title>{escape(labels[i])}, '
                f"{escape(s.name)}: {escape(fmt(v))}</title></rect>"
            )
    parts.append(
        f'<line class="chart-axis" x1="{left}" y1="{zero:.1f}" x2="{width - right}" y2="{zero:.1f}" stroke="#1b1f23"/>'
    )
    for s in series:
        if s.kind != "line":
            continue
        points = []
        for i, v in enumerate(s.values[:n]):
            if v is not None:
                points += [f"{left + i * slot:.1f},{y(float(v)):.1f}", f"{left + (i + 1) * slot:.1f},{y(float(v)):.1f}"]
        parts.append(
            f'<polyline class="chart-line" points="{" ".join(points)}" fill="none" stroke="{GOAL_COLOUR}" '
            f'stroke-width="2.5"/>'
        )
    if goal is not None:
        parts.append(
            f'<line class="chart-goal" x1="{left}" y1="{y(float(goal)):.1f}" x2="{width - right}" '
            f'y2="{y(float(goal)):.1f}" stroke="{GOAL_COLOUR}" stroke-width="2" stroke-dasharray="6 4">'
            f"<title>{escape(goal_label)}: {escape(fmt(goal))}</title></line>"
        )
    every = max(1, math.ceil(n / (plot_w / 36)))  # room for ~36 px per label
    for i, label in enumerate(labels):
        if i % every == 0:
            short = label if len(label) <= 22 else label[:21] + "…"
            parts.append(
                f'<text class="chart-text" x="{left + (i + 0.5) * slot:.1f}" y="{top_pad + plot_h + 18}" '
                f'text-anchor="middle" font-size="13" fill="#1b1f23">{escape(short)}</text>'
            )
    parts += _legend(legend_rows, left, height)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _tidy(tick: float) -> Value:
    """Axis ticks without float noise (0.30000000000000004 → 0.3)."""
    return Decimal(repr(round(tick, 10)))


@dataclass(frozen=True)
class _Key:
    """One legend entry: a swatch (bar colour, line or dashed goal) and its text."""

    mark: str  # "bar", "line" or "goal"
    colour_index: int
    text: str

    @property
    def width(self) -> int:
        return (22 if self.mark == "bar" else 30) + 10 * len(self.text)  # room for the narrow screens' larger text


def _keys(series: Sequence[Series], goal_text: str | None) -> list[_Key]:
    keys, b = [], 0
    for s in series:
        keys.append(_Key(s.kind if s.kind == "line" else "bar", b % len(COLOURS), s.name))
        b += s.kind == "bar"
    if goal_text is not None:
        keys.append(_Key("goal", 0, goal_text))
    return keys


def _legend_rows(keys: list[_Key], width: int, left: int) -> list[list[_Key]]:
    """Legend entries per row, wrapped at the chart's width (~10 units a character)."""
    rows: list[list[_Key]] = [[]]
    x = left
    for key in keys:
        if rows[-1] and x + key.width > width:
            rows.append([])
            x = left
        rows[-1].append(key)
        x += key.width + 8
    return rows


def _legend(rows: list[list[_Key]], left: int, height: int) -> list[str]:
    parts = []
    for r, row in enumerate(rows):
        x = left
        ly = height - 18 * (len(rows) - r) + 2
        for key in row:
            if key.mark == "bar":
                parts.append(
                    f'<rect class="chart-s{key.colour_index + 1}" x="{x}" y="{ly}" width="10" height="10" '
                    f'fill="{COLOURS[key.colour_index]}"/>'
                )
            else:
                dash = ' stroke-dasharray="6 4"' if key.mark == "goal" else ""
                parts.append(
                    f'<line class="chart-{key.mark}" x1="{x}" y1="{ly + 5}" x2="{x + 18}" y2="{ly + 5}" '
                    f'stroke="{GOAL_COLOUR}" stroke-width="2.5"{dash}/>'
                )
            text_x = x + (14 if key.mark == "bar" else 22)
            parts.append(
                f'<text class="chart-text" x="{text_x}" y="{ly + 9}" font-size="13" fill="#1b1f23">'
                f"{escape(key.text)}</text>"
            )
            x += key.width + 8
    return parts
