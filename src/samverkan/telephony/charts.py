"""Small server-rendered SVG charts (no JavaScript, no CDN).

Each chart is an ``<svg role="img">`` with ``<title>`` and ``<desc>`` referenced by
``aria-labelledby``; the page always shows the same numbers in a table next to it, which is
the accessible alternative (WCAG 1.1.1). Colours are the site's CSS variables so contrast
follows the theme.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    kind: str = "bar"  # "bar" or "line" (a step line over the bars)


def _nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``raw`` and at least 1 (counts are whole)."""
    if raw <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return float(factor * power)
    return float(10 * power)


def chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    goal: float | None = None,
    goal_label: str = "",
    max_value: float | None = None,
    percent: bool = False,
    width: int = 720,
    height: int = 260,
) -> SafeString:
    uid = f"chart{next(_ids)}"
    left, right, top, bottom = 48, 12, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    if max_value is not None:
        peak, ticks = max_value, [0.0, max_value / 2, max_value]
    else:
        step = _nice_step(max([*values, goal or 0, 1.0]) / 4)
        peak = step * math.ceil(max([*values, goal or 0, 1.0]) / step)
        ticks = [step * k for k in range(round(peak / step) + 1)]
    n = max(len(labels), 1)
    slot = plot_w / n
    bars = [s for s in series if s.kind == "bar"]
    bar_w = slot * 0.8 / max(len(bars), 1)

    def y(v: float) -> float:
        return top + plot_h - (v / peak) * plot_h

    def fmt(v: float) -> str:
        return f"{v * 100:.0f} %" if percent else f"{v:,.0f}".replace(",", "\u00a0")

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#6b7680"/>',
    ]
    for tick in ticks:
        ty = y(tick)
        parts.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" fill="#4a5560">'
            f"{escape(fmt(tick))}</text>"
        )
    colours = ["#005a87", "#7a4a00", "#1e6b2f"]
    for b, s in enumerate(bars):
        for i, v in enumerate(s.values):
            if v is None:
                continue
            x = left + i * slot + slot * 0.1 + b * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{bar_w:.1f}" height="{top + plot_h - y(v):.1f}" '
                f'fill="{colours[b % 3]}"><title>{escape(labels[i])}: {escape(fmt(v))}</title></rect>'
            )
    for s in series:
        if s.kind != "line":
            continue
        points = []
        for i, v in enumerate(s.values):
            if v is not None:
                points += [f"{left + i * slot:.1f},{y(v):.1f}", f"{left + (i + 1) * slot:.1f},{y(v):.1f}"]
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#a4161a" stroke-width="2.5"/>')
    if goal is not None:
        gy = y(goal)
        parts.append(
            f'<line x1="{left}" y1="{gy:.1f}" x2="{width - right}" y2="{gy:.1f}" stroke="#a4161a" '
            f'stroke-width="2" stroke-dasharray="6 4"><title>{escape(goal_label)}: {escape(fmt(goal))}</title></line>'
        )
    step = max(1, n // 12)
    for i, label in enumerate(labels):
        if i % step == 0:
            parts.append(
                f'<text x="{left + (i + 0.5) * slot:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'font-size="11" fill="#4a5560">{escape(label)}</text>'
            )
    legend_x = left
    for b, s in enumerate(series):
        colour = colours[b % 3] if s.kind == "bar" else "#a4161a"
        parts.append(
            f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{legend_x + 14}" y="{height - 5}" font-size="11" fill="#1b1f23">{escape(s.name)}</text>'
        )
        legend_x += 24 + 7 * len(s.name)
    if goal is not None:
        label = f"{goal_label} {fmt(goal)}"
        parts.append(
            f'<line x1="{legend_x}" y1="{height - 9}" x2="{legend_x + 18}" y2="{height - 9}" stroke="#a4161a" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{legend_x + 22}" y="{height - 5}" font-size="11" fill="#1b1f23">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
