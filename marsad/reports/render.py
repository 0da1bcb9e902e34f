"""Blocks to HTML: a section as a fragment, a report as one self-contained document.

The document carries its stylesheet inline (screen and print: A4 pages, page numbers, a page
break before each section) and its charts as inline SVG; it names no outside URL, so it opens
the same offline, in a browser and in the PDF renderer. Arabic and Hebrew documents are
`dir="rtl"`. Figures and tables are numbered through the whole report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jinja2
import pyarrow as pa
from markupsafe import Markup

from marsad import __version__
from marsad.reports import i18n
from marsad.reports.base import Block, Figure, RenderContext, Section, Table


@dataclass(slots=True)
class Numbering:
    """Figure and table numbers, counted through the whole report."""

    figures: int = 0
    tables: int = 0

    def next(self, block: Block) -> int:
        if isinstance(block, Figure):
            self.figures += 1
            return self.figures
        if isinstance(block, Table):
            self.tables += 1
            return self.tables
        return 0


@dataclass(frozen=True, slots=True)
class RenderedSection:
    key: str
    title: str
    html: str
    blocks: tuple[Block, ...]


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("marsad.reports", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


@cache
def stylesheet() -> str:
    return (resources.files("marsad.reports") / "templates" / "report.css").read_text("utf-8")


def section_title(key: str, lang: str) -> str:
    return i18n.text(lang, f"section.{key}.title")


def render_section(
    section: Section,
    results: Mapping[str, pa.Table],
    ctx: RenderContext,
    numbering: Numbering | None = None,
) -> RenderedSection:
    """One section as an HTML fragment (`<section>` with its heading and blocks)."""
    numbering = numbering or Numbering()
    blocks = section.build(results, ctx)
    numbered = [(block, numbering.next(block)) for block in blocks]
    title = section_title(section.key, ctx.lang)
    html = (
        environment()
        .get_template("section.html.j2")
        .render(
            key=section.key,
            title=title,
            blocks=numbered,
            ctx=ctx,
            kind=_kind,
            safe=Markup,
        )
    )
    return RenderedSection(section.key, title, html, blocks)


def _kind(block: Block) -> str:
    return type(block).__name__.lower()


def render_document(
    report_key: str, sections: Sequence[RenderedSection], ctx: RenderContext
) -> str:
    """The whole report as one HTML document."""
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            lang=ctx.lang,
            dir=i18n.direction(ctx.lang),
            title=i18n.text(ctx.lang, f"report.{report_key}.title"),
            subtitle=i18n.text(ctx.lang, f"report.{report_key}.subtitle", period=ctx.period_text),
            sections=sections,
            ctx=ctx,
            css=Markup(stylesheet()),
            safe=Markup,
            version=__version__,
            generated=i18n.fmt_date(ctx.lang, ctx.facts.generated),
        )
    )
