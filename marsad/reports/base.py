"""What every report section shares: the analyses it needs, the blocks it builds, its context.

A section is a small class with a `key`, the analysis runs it `needs`, and
`build(results, ctx) -> tuple[Block, ...]`: paragraphs, key figures, figures (a chart, a
caption, the data behind it, its source) and tables. `results` maps each need's `id` to the
analysis' Arrow table; a need whose analysis could not run is absent there and its reason is in
`ctx.missing`. The renderer (`marsad.reports.render`) turns blocks into HTML in the context's
language; the data of every figure and table is also written as CSV.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, runtime_checkable

import pyarrow as pa

from marsad.analyze.base import Granularity, Period
from marsad.reports import i18n


class ReportError(ValueError):
    """A report cannot be made with these inputs; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Need:
    """One run of an analysis that a section reads, under the name `id`."""

    id: str
    analysis: str
    granularity: Granularity = "month"
    top: int | None = None  # None: the report's --top
    options: tuple[tuple[str, Any], ...] = ()
    given_only: bool = False  # run only when the user gave options for this analysis


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the reader must know about a part of the report (no data, not computed)."""

    text: str


@dataclass(frozen=True, slots=True)
class KeyFigure:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class KeyFigures:
    items: tuple[KeyFigure, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart (HTML holding exactly one inline `<svg>`) with its caption, source and data."""

    key: str
    caption: str
    chart: str
    data: pa.Table
    source: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table as shown (headers and formatted cells) and its data for the CSV export."""

    key: str
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    data: pa.Table
    source: str
    numeric: tuple[bool, ...] = ()


Block = Paragraph | Notice | KeyFigures | Figure | Table


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """The model whose labels the report reads, and its card when it is at hand."""

    key: str
    version: str
    card: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A dated event to set beside the spikes (from the `--events` file)."""

    day: date
    titles: Mapping[str, str]

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get("en") or next(iter(self.titles.values()))


@dataclass(frozen=True, slots=True)
class Facts:
    """What the methodology states about the data the report was made from."""

    posts: int = 0
    classified: int = 0
    platforms: tuple[tuple[str, int], ...] = ()
    langs: tuple[tuple[str, int], ...] = ()
    datasets: tuple[tuple[str, int], ...] = ()
    platform_filter: tuple[str, ...] = ()
    model: ModelInfo | None = None
    cases: int | None = None  # verified cases in the period; None: no case database
    events: tuple[Event, ...] = ()
    generated: date = field(default_factory=date.today)


@dataclass(frozen=True, slots=True)
class RenderContext:
    lang: i18n.Lang
    period: Period
    facts: Facts = field(default_factory=Facts)
    missing: Mapping[str, str] = field(default_factory=dict)

    def t(self, key: str, **fields: object) -> str:
        return i18n.text(self.lang, key, **fields)

    def term(self, kind: str, key: str | None) -> str:
        return i18n.term(self.lang, kind, key)

    @property
    def period_text(self) -> str:
        return i18n.fmt_period(self.lang, self.period)

    def source_posts(self) -> str:
        model = self.facts.model
        if model is None:
            return self.t("source.posts_unlabelled")
        return self.t("source.posts", model=model.key, version=model.version)

    def source_cases(self) -> str:
        return self.t("source.cases")


@runtime_checkable
class Section(Protocol):
    key: str
    needs: tuple[Need, ...]

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]: ...


def missing_notice(need: Need, ctx: RenderContext) -> Notice:
    """The notice shown in place of a part whose analysis could not run."""
    reason = ctx.missing.get(need.id, ctx.t("notice.not_run"))
    return Notice(ctx.t("notice.unavailable", reason=reason))
