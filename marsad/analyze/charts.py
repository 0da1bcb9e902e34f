"""Small self-contained SVG charts (no plotting library), for `marsad analyze --chart` and the
reports.

    bar_chart(categories, {"series": values, ...}, title, lang, stacked=False) -> str
    line_chart(x, {"series": values, ...}, title, lang) -> str
    write_chart(svg, path)            # .svg as it is; .png through rsvg-convert or cairosvg

Every chart has a title (also its accessible name), a legend, a value axis from zero with round
ticks, and axis labels when given. For right-to-left languages (`ar`, `he`, `fa`, `ur`) the
layout is mirrored (the first category on the right, the value axis on the right) and every
text runs right to left; the text anchors stay the logical ones, so labels sit on the proper
side of their axis in both directions. A value of None leaves a gap (no bar, a break in a line).
"""

from __future__ import annotations

import math
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

RTL_LANGS = frozenset({"ar", "he", "fa", "ur"})
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
FONT = "Noto Sans, Noto Naskh Arabic, Noto Sans Hebrew, DejaVu Sans, Arial, sans-serif"
Values = Sequence[float | int | None]


class ChartError(ValueError):
    """A chart cannot be made or written; the message says why."""


def is_rtl(lang: str | None) -> bool:
    return (lang or "").split("-")[0].lower() in RTL_LANGS


@dataclass(frozen=True, slots=True)
class Frame:
    """The drawing area and its direction; `x` maps a left-to-right position to the page."""

    width: int
    height: int
    rtl: bool
    left: int = 72
    right: int = 24
    top: int = 64
    bottom: int = 76

    @property
    def plot_width(self) -> float:
        return float(self.width - self.left - self.right)

    @property
    def plot_height(self) -> float:
        return float(self.height - self.top - self.bottom)

    def x(self, offset: float) -> float:
        """The page x of a point `offset` from the start of the category axis."""
        ltr = self.left + offset
        return self.width - ltr if self.rtl else ltr

    def y(self, value: float, top_value: float) -> float:
        return self.top + self.plot_height * (1 - value / top_value if top_value else 1)


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `maximum`."""
    if maximum <= 0 or not math.isfinite(maximum):
        return [0.0, 1.0]
    rough = maximum / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    return [round(i * step, 12) for i in range(math.ceil(maximum / step - 1e-9) + 1)]


def fmt(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _text(x: float, y: float, content: str, frame: Frame, **attrs: str | float) -> str:
    direction = ' direction="rtl" unicode-bidi="embed"' if frame.rtl else ""
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(str(v))}" for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{direction}{extra}>{escape(content)}</text>'


def _open(frame: Frame, title: str, lang: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{frame.width}" height="{frame.height}"'
        f' viewBox="0 0 {frame.width} {frame.height}" role="img" aria-label={quoteattr(title)}'
        f' font-family={quoteattr(FONT)} font-size="12" lang={quoteattr(lang)}'
        f' direction="{"rtl" if frame.rtl else "ltr"}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{frame.width}" height="{frame.height}" fill="#ffffff"/>',
        _text(
            frame.width / 2,
            24,
            title,
            frame,
            text_anchor="middle",
            font_size=16,
            font_weight="bold",
        ),
    ]


def _legend(frame: Frame, names: Sequence[str]) -> list[str]:
    parts, offset = [], 0.0
    for i, name in enumerate(names):
        x = frame.x(offset)
        box_x = x - 12 if frame.rtl else x
        colour = COLOURS[i % len(COLOURS)]
        parts.append(f'<rect x="{box_x:.1f}" y="36" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(frame.x(offset + 16), 46, name, frame, text_anchor="start"))
        offset += 16 + 7.5 * len(name) + 18
    return parts


def _value_axis(frame: Frame, ticks: list[float], label: str) -> list[str]:
    parts = []
    for tick in ticks:
        y = frame.y(tick, ticks[-1])
        parts.append(
            f'<line x1="{frame.x(0):.1f}" x2="{frame.x(frame.plot_width):.1f}" y1="{y:.1f}"'
            f' y2="{y:.1f}" stroke="#dddddd"/>'
        )
        parts.append(_text(frame.x(-6), y + 4, fmt(tick), frame, text_anchor="end"))
    if label:
        x = frame.x(-frame.left + 16)
        angle = 90 if frame.rtl else -90
        middle = frame.top + frame.plot_height / 2
        parts.append(
            _text(
                x,
                middle,
                label,
                frame,
                text_anchor="middle",
                transform=f"rotate({angle} {x:.1f} {middle:.1f})",
            )
        )
    return parts


def _category_axis(frame: Frame, names: Sequence[str], label: str) -> list[str]:
    base = frame.top + frame.plot_height
    parts = [
        f'<line x1="{frame.x(0):.1f}" x2="{frame.x(frame.plot_width):.1f}" y1="{base:.1f}"'
        f' y2="{base:.1f}" stroke="#333333"/>'
    ]
    slot = frame.plot_width / max(len(names), 1)
    every = max(1, math.ceil(len(names) / max(1, int(frame.plot_width // 60))))
    rotate = max((len(n) for n in names), default=0) * 6.5 > slot * every
    for i, name in enumerate(names):
        if i % every:
            continue
        x, y = frame.x((i + 0.5) * slot), base + 16
        if rotate:
            angle = 35 if frame.rtl else -35
            parts.append(
                _text(
                    x,
                    y,
                    name,
                    frame,
                    text_anchor="end",
                    transform=f"rotate({angle} {x:.1f} {y:.1f})",
                )
            )
        else:
            parts.append(_text(x, y, name, frame, text_anchor="middle"))
    if label:
        parts.append(_text(frame.width / 2, frame.height - 8, label, frame, text_anchor="middle"))
    return parts


def _check(categories: Sequence[str], series: Mapping[str, Values]) -> None:
    for name, values in series.items():
        if len(values) != len(categories):
            raise ChartError(
                f"series {name!r} has {len(values)} values for {len(categories)} categories"
            )


def _finite(values: Values) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def bar_chart(
    categories: Sequence[str],
    series: Mapping[str, Values],
    title: str,
    lang: str = "en",
    *,
    stacked: bool = False,
    x_label: str = "",
    y_label: str = "",
    width: int = 720,
    height: int = 420,
) -> str:
    """Bars per category: side by side for each series, or stacked; returns the SVG text."""
    _check(categories, series)
    frame = Frame(width, height, is_rtl(lang))
    columns = list(zip(*series.values(), strict=True)) if series else []
    if stacked:
        peak = max((sum(_finite(c)) for c in columns), default=0.0)
    else:
        peak = max((max(_finite(v), default=0.0) for v in series.values()), default=0.0)
    ticks = nice_ticks(peak)
    parts = _open(frame, title, lang) + _legend(frame, list(series))
    parts += _value_axis(frame, ticks, y_label)
    slot = frame.plot_width / max(len(categories), 1)
    bar = slot * 0.8 / (1 if stacked else max(len(series), 1))
    for i in range(len(categories)):
        below = 0.0
        for s, values in enumerate(series.values()):
            value = values[i]
            if value is None or not math.isfinite(float(value)):
                continue
            start = i * slot + slot * 0.1 + (0 if stacked else s * bar)
            top = frame.y(below + float(value), ticks[-1])
            bottom = frame.y(below, ticks[-1])
            x = min(frame.x(start), frame.x(start + bar))
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar:.1f}" height="{bottom - top:.1f}"'
                f' fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(categories[i])}: '
                f"{escape(fmt(float(value)))}</title></rect>"
            )
            below += float(value) if stacked else 0.0
    parts += _category_axis(frame, categories, x_label)
    return "\n".join([*parts, "</svg>"]) + "\n"


def line_chart(
    x: Sequence[str],
    series: Mapping[str, Values],
    title: str,
    lang: str = "en",
    *,
    x_label: str = "",
    y_label: str = "",
    width: int = 720,
    height: int = 420,
) -> str:
    """A line per series over the points `x` (evenly spaced); returns the SVG text."""
    _check(x, series)
    frame = Frame(width, height, is_rtl(lang))
    peak = max((max(_finite(v), default=0.0) for v in series.values()), default=0.0)
    ticks = nice_ticks(peak)
    parts = _open(frame, title, lang) + _legend(frame, list(series))
    parts += _value_axis(frame, ticks, y_label)
    slot = frame.plot_width / max(len(x), 1)
    for s, values in enumerate(series.values()):
        colour = COLOURS[s % len(COLOURS)]
        for run in _runs(values):
            points = " ".join(
                f"{frame.x((i + 0.5) * slot):.1f},{frame.y(float(values[i] or 0), ticks[-1]):.1f}"
                for i in run
            )
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
            if len(x) <= 60:
                for i in run:
                    cx, cy = frame.x((i + 0.5) * slot), frame.y(float(values[i] or 0), ticks[-1])
                    parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colour}"/>')
    parts += _category_axis(frame, x, x_label)
    return "\n".join([*parts, "</svg>"]) + "\n"


def _runs(values: Values) -> list[list[int]]:
    """Indexes of the values, split where a value is missing."""
    runs: list[list[int]] = [[]]
    for i, value in enumerate(values):
        if value is None or not math.isfinite(float(value)):
            runs.append([])
        else:
            runs[-1].append(i)
    return [run for run in runs if run]


def svg_to_png(svg: str, path: Path) -> None:
    """Write `svg` as a PNG: with `rsvg-convert` (Debian librsvg2-bin) when installed, else
    with the cairosvg package; ChartError when neither is there."""
    tool = shutil.which("rsvg-convert")
    if tool:
        done = subprocess.run(
            [tool, "--format", "png", "--output", str(path)],
            input=svg.encode(),
            check=False,
            capture_output=True,
        )
        if done.returncode:
            raise ChartError(f"rsvg-convert failed: {done.stderr.decode(errors='replace')}")
        return
    try:
        import cairosvg
    except ImportError:
        raise ChartError(
            "a PNG chart needs rsvg-convert (apt install librsvg2-bin) or the cairosvg package;"
            " write an .svg chart instead"
        ) from None
    cairosvg.svg2png(bytestring=svg.encode(), write_to=str(path))


def write_chart(svg: str, path: Path) -> None:
    """Write the chart to `path`: .svg as it is, .png converted; ChartError otherwise."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        path.write_text(svg, encoding="utf-8")
    elif suffix == ".png":
        svg_to_png(svg, path)
    else:
        raise ChartError(f"{path}: a chart is written as .svg or .png, not {suffix or 'nothing'}")
