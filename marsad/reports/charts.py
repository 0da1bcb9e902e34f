"""Charts for reports: one inline `<svg>` of shapes per chart, its words in HTML around it.

Category names, axis months and legends are HTML text, not SVG text: the PDF renderer lays out
SVG text glyph by glyph without the bidirectional algorithm, so Arabic and Hebrew inside an SVG
would come out reversed, while HTML text is shaped and ordered like the rest of the page. The
SVG holds bars, lines, grid lines and the numbers of the value axis (digits read left to right in
every language). Bars grow from the reading side: from the right in Arabic and Hebrew.

`bar_chart(labels, series, values, rtl=..., title=...)` draws horizontal (stacked) bars, one row
per label; `line_chart(axis, series, y_format, title=...)` draws series over a time axis whose
labels are (text, share of the width) cells. Each returns an HTML fragment.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

ROW = 22  # height of one bar row, in CSS px; the HTML labels use the same
BAR = 14  # height of a bar inside its row
BAR_WIDTH = 360
LINE_WIDTH = 560
LINE_HEIGHT = 200
GUTTER = 52  # room left of a line chart for the value axis' numbers
TOP = 8
FONT = "Noto Sans, DejaVu Sans, sans-serif"
AXIS_COLOUR = "#888888"
GRID_COLOUR = "#dddddd"
PALETTE = ("#2166ac", "#b2182b", "#1b7837", "#762a83", "#e08214", "#4d4d4d", "#5aae61")


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    colour: str


@dataclass(frozen=True, slots=True)
class AxisLabel:
    text: str
    width: float  # share of the axis, 0..1


def colours(names: Sequence[str], fixed: dict[str, str] | None = None) -> list[str]:
    """A colour for each name: the fixed one where given, else the palette in turn."""
    fixed = fixed or {}
    free = iter(PALETTE * (len(names) // len(PALETTE) + 1))
    return [fixed[name] if name in fixed else next(free) for name in names]


def _num(value: float | int | str) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def element(tag: str, content: str | None = None, **attrs: float | int | str) -> str:
    """An SVG element; `stroke_width=2` is written `stroke-width="2"`, floats to 0.1."""
    written = " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(_num(value))}"'
        for name, value in attrs.items()
    )
    return f"<{tag} {written}/>" if content is None else f"<{tag} {written}>{content}</{tag}>"


def svg(width: int, height: int, shapes: str) -> str:
    box = f"0 0 {width} {height}"
    return element(
        "svg",
        shapes,
        class_="chart-svg",
        width=width,
        height=height,
        viewBox=box,
        aria_hidden="true",
    )


def legend(series: Sequence[Series]) -> str:
    items = "".join(
        f'<span class="legend-item"><span class="swatch" style="background:{s.colour}"></span>'
        f"{escape(s.name)}</span>"
        for s in series
    )
    return f'<div class="legend">{items}</div>'


def _bar_rects(totals: Sequence[Sequence[float]], colours_: Sequence[str], rtl: bool) -> str:
    top = max((sum(row) for row in totals), default=0.0) or 1.0
    shapes: list[str] = []
    for i, row in enumerate(totals):
        offset = 0.0
        y = i * ROW + (ROW - BAR) / 2
        for value, colour in zip(row, colours_, strict=True):
            width = BAR_WIDTH * value / top
            x = BAR_WIDTH - offset - width if rtl else offset
            if width > 0:
                shapes.append(element("rect", x=x, y=y, width=width, height=BAR, fill=colour))
            offset += width
    return "".join(shapes)


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    values: Sequence[str],
    *,
    rtl: bool,
    title: str,
) -> str:
    """Horizontal bars, one row per label, the series stacked in each row; `values` is the
    text written at the end of each row."""
    rows = [[max(s.values[i] or 0.0, 0.0) for s in series] for i in range(len(labels))]
    height = max(len(labels), 1) * ROW
    edge = BAR_WIDTH if rtl else 0
    axis = element("line", x1=edge, x2=edge, y1=0, y2=height, stroke=AXIS_COLOUR)
    plot = svg(BAR_WIDTH, height, axis + _bar_rects(rows, [s.colour for s in series], rtl))
    names = "".join(f'<div class="bar-label">{escape(label)}</div>' for label in labels)
    texts = "".join(f'<div class="bar-value">{escape(value)}</div>' for value in values)
    body = (
        f'<div class="chart chart-bars" role="img" aria-label="{escape(title)}">'
        f'<div class="bars-labels">{names}</div><div class="bars-plot">{plot}</div>'
        f'<div class="bars-values">{texts}</div></div>'
    )
    return body + (legend(series) if len(series) > 1 else "")


def nice_ticks(top: float, count: int = 4, whole: bool = False) -> list[float]:
    """Round tick values from 0 to at least `top`; `whole`: steps of at least 1 (counts)."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, math.ceil(step))
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def _grid(
    ticks: Sequence[float], y_of: Callable[[float], float], y_format: Callable[[float], str]
) -> str:
    parts: list[str] = []
    for tick in ticks:
        y = y_of(tick)
        parts.append(element("line", x1=GUTTER, x2=LINE_WIDTH, y1=y, y2=y, stroke=GRID_COLOUR))
        label = escape(y_format(tick))
        parts.append(
            element(
                "text",
                label,
                x=GUTTER - 6,
                y=y,
                text_anchor="end",
                dominant_baseline="middle",
                font_size=10,
                font_family=FONT,
                fill="#444444",
            )
        )
    return "".join(parts)


def _polyline(series: Series, x_of: Callable[[int], float], y_of: Callable[[float], float]) -> str:
    points = [(x_of(i), y_of(v)) for i, v in enumerate(series.values) if v is not None]
    if not points:
        return ""
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    line = element("polyline", points=path, fill="none", stroke=series.colour, stroke_width=2)
    if len(points) > 40:  # a daily series: the line alone
        return line
    return line + "".join(
        element("circle", cx=x, cy=y, r=2.5, fill=series.colour) for x, y in points
    )


def line_chart(
    axis: Sequence[AxisLabel],
    series: Sequence[Series],
    y_format: Callable[[float], str],
    *,
    title: str,
    marks: Sequence[int] = (),
) -> str:
    """Series over a time axis (left to right in every language); `marks` are the indexes of
    points to ring in red (spike days) on the first series."""
    length = max((len(s.values) for s in series), default=0)
    values = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(max(values, default=0.0), whole=all(float(v).is_integer() for v in values))
    plot = LINE_WIDTH - GUTTER

    def x_of(i: int) -> float:
        return GUTTER + plot * (i + 0.5) / max(length, 1)

    def y_of(v: float) -> float:
        return TOP + (LINE_HEIGHT - TOP) * (1 - v / ticks[-1])

    first = series[0].values if series else ()
    rings = "".join(
        element(
            "circle",
            cx=x_of(i),
            cy=y_of(first[i] or 0.0),
            r=5,
            fill="none",
            stroke="#d7191c",
            stroke_width=2,
        )
        for i in marks
        if i < len(first)
    )
    lines = "".join(_polyline(s, x_of, y_of) for s in series)
    chart = svg(LINE_WIDTH, LINE_HEIGHT + 2, _grid(ticks, y_of, y_format) + lines + rings)
    cells = "".join(
        f'<span class="x-label" style="width:{label.width * plot:.1f}px">{escape(label.text)}'
        "</span>"
        for label in axis
    )
    body = (
        f'<div class="chart chart-lines" role="img" aria-label="{escape(title)}">{chart}'
        f'<div class="x-axis" style="margin-left:{GUTTER}px">{cells}</div></div>'
    )
    return body + (legend(series) if len(series) > 1 else "")
