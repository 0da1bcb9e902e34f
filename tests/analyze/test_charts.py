"""The SVG charts: well-formed, titled, labelled, mirrored for right-to-left languages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from marsad.analyze.charts import ChartError, bar_chart, line_chart, nice_ticks, write_chart

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.findall("svg:rect", NS) if r.find("svg:title", NS) is not None]


def test_a_bar_chart_has_its_title_legend_axis_labels_and_one_bar_per_value() -> None:
    svg = bar_chart(
        ["Jan", "Feb"],
        {"hate": [3, 5], "offensive": [1, None]},
        "Posts <by> month",
        y_label="posts",
        x_label="month",
    )
    root = parse(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert root.find("svg:title", NS).text == "Posts <by> month"  # type: ignore[union-attr]
    assert {"Posts <by> month", "hate", "offensive", "posts", "month", "Jan", "Feb"} <= set(texts)
    assert [b.find("svg:title", NS).text for b in bars(root)] == ["Jan: 3", "Jan: 1", "Feb: 5"]  # type: ignore[union-attr]


def test_stacked_bars_sit_on_each_other() -> None:
    root = parse(bar_chart(["Jan"], {"a": [2], "b": [3]}, "t", stacked=True))
    first, second = bars(root)
    assert float(first.get("x")) == float(second.get("x"))  # type: ignore[arg-type]
    assert float(second.get("y")) + float(second.get("height")) == pytest.approx(  # type: ignore[arg-type]
        float(first.get("y")),
        abs=0.11,  # type: ignore[arg-type]
    )


def test_right_to_left_charts_are_mirrored_and_their_text_runs_right_to_left() -> None:
    ltr = parse(bar_chart(["الأول", "الثاني"], {"عدد": [1, 2]}, "عنوان", "en"))
    rtl = parse(bar_chart(["الأول", "الثاني"], {"عدد": [1, 2]}, "عنوان", "ar"))
    assert rtl.get("direction") == "rtl" and ltr.get("direction") == "ltr"
    assert all(t.get("direction") == "rtl" for t in rtl.iter("{http://www.w3.org/2000/svg}text"))
    ltr_x = [float(b.get("x")) for b in bars(ltr)]  # type: ignore[arg-type]
    rtl_x = [float(b.get("x")) for b in bars(rtl)]  # type: ignore[arg-type]
    assert ltr_x[0] < ltr_x[1] and rtl_x[0] > rtl_x[1]  # the first category on the right
    width = float(rtl.get("width"))  # type: ignore[arg-type]
    bar = float(bars(rtl)[0].get("width"))  # type: ignore[arg-type]
    assert rtl_x[0] == pytest.approx(width - ltr_x[0] - bar, abs=0.11)


def test_a_line_chart_breaks_where_a_value_is_missing() -> None:
    root = parse(line_chart(["a", "b", "c", "d"], {"s": [1, 2, None, 4]}, "t", "he"))
    lines = root.findall("svg:polyline", NS)
    assert [len(line.get("points", "").split()) for line in lines] == [2, 1]


def test_series_of_the_wrong_length_are_refused() -> None:
    with pytest.raises(ChartError, match="2 values for 3 categories"):
        bar_chart(["a", "b", "c"], {"s": [1, 2]}, "t")


def test_ticks_are_round_and_cover_the_maximum() -> None:
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(0.37) == [0, 0.1, 0.2, 0.3, 0.4]
    assert nice_ticks(0) == [0.0, 1.0]


def test_charts_are_written_as_svg_and_other_suffixes_are_refused(tmp_path: Path) -> None:
    svg = bar_chart(["a"], {"s": [1]}, "t")
    write_chart(svg, tmp_path / "c.svg")
    assert (tmp_path / "c.svg").read_text(encoding="utf-8") == svg
    with pytest.raises(ChartError, match=r"\.svg or \.png"):
        write_chart(svg, tmp_path / "c.pdf")
