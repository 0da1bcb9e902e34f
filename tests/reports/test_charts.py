"""Charts: shapes in one SVG, words in HTML, bars growing from the reading side."""

from __future__ import annotations

import re

import pytest

from marsad.reports.charts import (
    BAR_WIDTH,
    AxisLabel,
    Series,
    bar_chart,
    line_chart,
    nice_ticks,
)


def rects(html: str) -> list[tuple[float, float, float]]:
    """(x, y, width) of every bar."""
    found = re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', html)
    return [(float(x), float(y), float(w)) for x, y, w in found]


def test_bars_grow_from_the_left_in_ltr_and_from_the_right_in_rtl() -> None:
    series = [Series("posts", (4.0, 2.0), "#000000")]
    ltr = rects(bar_chart(["a", "b"], series, ["4", "2"], rtl=False, title="t"))
    rtl = rects(bar_chart(["a", "b"], series, ["4", "2"], rtl=True, title="t"))
    assert [(x, w) for x, _, w in ltr] == [(0.0, BAR_WIDTH), (0.0, BAR_WIDTH / 2)]
    assert [(x + w, w) for x, _, w in rtl] == [(BAR_WIDTH, BAR_WIDTH), (BAR_WIDTH, BAR_WIDTH / 2)]


def test_stacked_bars_share_one_scale_and_a_legend() -> None:
    series = [Series("one", (1.0, 2.0), "#111111"), Series("two", (1.0, None), "#222222")]
    html = bar_chart(["a", "b"], series, ["2", "2"], rtl=False, title="t")
    assert [(x, w) for x, _, w in rects(html)] == [
        (0.0, BAR_WIDTH / 2),
        (BAR_WIDTH / 2, BAR_WIDTH / 2),
        (0.0, BAR_WIDTH),
    ]
    assert html.count('class="legend-item"') == 2


def test_chart_words_are_escaped_html_outside_the_svg() -> None:
    html = bar_chart(["<b>غزة</b>"], [Series("s", (1.0,), "#000000")], ["1"], rtl=True, title="t")
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<text" not in svg and "غزة" not in svg
    assert '<div class="bar-label">&lt;b&gt;غزة&lt;/b&gt;</div>' in html
    assert html.count("<svg") == 1


def test_line_charts_write_only_numbers_in_the_svg_and_months_below_it() -> None:
    axis = [AxisLabel("ינו׳", 0.5), AxisLabel("פבר׳", 0.5)]
    html = line_chart(axis, [Series("s", (1.0, 3.0), "#000000")], str, title="t", marks=[1])
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert re.findall(r">([^<]+)</text>", svg) == ["0.0", "1.0", "2.0", "3.0"]
    assert 'stroke="#d7191c"' in svg  # the ringed point
    assert html.count('class="x-label"') == 2 and "ינו׳" not in svg


def test_value_axes_have_round_ticks_and_whole_steps_for_counts() -> None:
    assert nice_ticks(0.23) == pytest.approx([0.0, 0.1, 0.2, 0.3])  # 4 steps of 0.0575 -> 0.1
    assert nice_ticks(130) == [0.0, 50.0, 100.0, 150.0]
    assert nice_ticks(2, whole=True) == [0.0, 1.0, 2.0]
    assert nice_ticks(0) == [0.0, 1.0]
