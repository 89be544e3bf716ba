"""The shared SVG chart: accessible names, Swedish figures, bars that never have a negative height."""

import re
from decimal import Decimal

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.core import charts

BARS = re.compile(r'<rect class="chart-s\d" x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)" fill="#\w+"><title>')
values = st.one_of(st.none(), st.integers(-(10**7), 10**7), st.decimals(-(10**6), 10**6, places=2))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(values, min_size=1, max_size=14), min_size=1, max_size=4).filter(
        lambda vs: len({len(v) for v in vs}) == 1
    ),
    st.booleans(),
)
def test_bars_never_have_negative_height_and_stay_inside(series_values, stacked):
    labels = [f"m{i}" for i in range(len(series_values[0]))]
    svg = charts.bar_chart(
        labels,
        [charts.Series(f"s{i}", vs) for i, vs in enumerate(series_values)],
        title="t",
        desc="d",
        stacked=stacked,
    )
    bars = [(float(y), float(h)) for y, h in BARS.findall(svg)]
    assert len(bars) == sum(v is not None for vs in series_values for v in vs)
    assert all(h >= 0 for _y, h in bars)
    assert all(y >= 0 for y, _h in bars)  # inside the drawing, under its top


@settings(max_examples=40, deadline=None)
@given(st.integers(1000, 10**8))
def test_labels_in_swedish_number_format(big):
    with translation.override("sv"):
        svg = charts.bar_chart(["jan"], [charts.Series("Samtal", [big])], title="t", desc="d")
    expected = f"{big:,}".replace(",", "\u00a0")
    assert f"jan, Samtal: {expected}<" in svg  # thousands with a non-breaking space, as in the tables
    assert not re.search(r">\d{1,3},\d{3}<", svg)  # never an English thousands comma


def test_accessible_name_goal_and_percent_axis():
    with translation.override("sv"):
        svg = charts.bar_chart(
            [charts.month_label(m) for m in (1, 5, 10)],
            [charts.Series("Servicenivå", [Decimal("0.916"), None, Decimal("0.5")])],
            title="Servicenivå <per> månad",
            desc="Samma siffror finns i tabellen.",
            fmt=charts.percent_1,
            tick_fmt=charts.percent,
            goal=Decimal("0.9"),
            goal_label="Mål",
            top=1.0,
        )
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg
    uid = re.search(r'aria-labelledby="(\w+)-t \1-d"', svg).group(1)
    assert f'<title id="{uid}-t">Servicenivå &lt;per&gt; månad</title>' in svg
    assert f'<desc id="{uid}-d">' in svg
    assert ">jan<" in svg and ">maj<" in svg and ">okt<" in svg
    assert "91,6\u00a0%" in svg and ">100\u00a0%<" in svg and "Mål 90,0\u00a0%" in svg
    assert 'class="chart-goal"' in svg and 'class="chart-s1"' in svg


def test_negative_values_grow_down_from_zero():
    svg = charts.bar_chart(["a", "b"], [charts.Series("Resultat", [Decimal(-500), Decimal(1500)])], title="t", desc="d")
    assert "\u2212500" in svg  # a real minus sign
    rects = BARS.findall(svg)
    zero = float(re.search(r'class="chart-axis" x1="\d+" y1="([^"]+)"', svg).group(1))
    (y_neg, h_neg), (y_pos, h_pos) = ((float(y), float(h)) for y, h in rects)
    assert y_neg == zero and y_pos + h_pos == zero and h_neg < h_pos
