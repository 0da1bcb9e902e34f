"""A report from its sections' results: rendered in a language, written as HTML, PDF and CSV.

`write_report` writes, in the output folder:
    <report>-<period>-<lang>.html          self-contained (inline CSS and SVG, no outside URL)
    <report>-<period>-<lang>.pdf           WeasyPrint, with Debian's Noto fonts
    <report>-<period>-<lang>-tables/*.csv  the data of every figure and table, numbered as in
                                           the report (figure-01-monthly.csv, table-02-...)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from marsad.analyze.base import Period
from marsad.reports import get_section, i18n, report_sections
from marsad.reports.base import Facts, Need, RenderContext
from marsad.reports.export import write_tables
from marsad.reports.render import Numbering, RenderedSection, render_document, render_section


@dataclass(frozen=True, slots=True)
class ReportData:
    """What the sections read: each need's table (absent when its analysis could not run, with
    the reason in `missing`), and the facts the methodology states."""

    results: Mapping[str, pa.Table] = field(default_factory=dict)
    missing: Mapping[str, str] = field(default_factory=dict)
    facts: Facts = field(default_factory=Facts)


@dataclass(frozen=True, slots=True)
class Rendered:
    report: str
    lang: i18n.Lang
    html: str
    sections: tuple[RenderedSection, ...]


@dataclass(frozen=True, slots=True)
class Written:
    html: Path
    pdf: Path | None
    tables: tuple[Path, ...]


def report_needs(report: str) -> list[Need]:
    """Every analysis run the report's sections read, each once, in section order."""
    found: dict[str, Need] = {}
    for key in report_sections(report):
        for need in get_section(key).needs:
            found.setdefault(need.id, need)
    return list(found.values())


def render_report(report: str, data: ReportData, lang: str, period: Period) -> Rendered:
    ctx = RenderContext(i18n.check_lang(lang), period, data.facts, data.missing)
    numbering = Numbering()
    sections = tuple(
        render_section(get_section(key), data.results, ctx, numbering)
        for key in report_sections(report)
    )
    return Rendered(report, ctx.lang, render_document(report, sections, ctx), sections)


def file_stem(report: str, period: Period, lang: str) -> str:
    label = re.sub(r"[^0-9A-Za-z-]+", "_", period.label.replace("..", "_to_"))
    return f"{report}-{label}-{lang}"


def write_report(
    report: str, data: ReportData, lang: str, period: Period, out: Path, *, pdf: bool = True
) -> Written:
    """Render the report in `lang` and write its HTML, PDF (unless `pdf` is false) and CSVs."""
    rendered = render_report(report, data, lang, period)
    out.mkdir(parents=True, exist_ok=True)
    stem = file_stem(report, period, lang)
    html_path = out / f"{stem}.html"
    html_path.write_text(rendered.html, encoding="utf-8")
    pdf_path = None
    if pdf:
        from marsad.reports.pdf import write_pdf

        pdf_path = write_pdf(rendered.html, out / f"{stem}.pdf")
    tables = write_tables(rendered.sections, out / f"{stem}-tables")
    return Written(html_path, pdf_path, tuple(tables))
