"""The three reports in the three languages: direction, charts, self-containment, the CSV of
every table, and a PDF whose text reads back in order, as words."""

from __future__ import annotations

import csv
import re
import subprocess
from html.parser import HTMLParser

import pytest

from marsad.reports import REPORTS
from marsad.reports.base import Figure, Table
from marsad.reports.build import Written, render_report
from marsad.reports.i18n import LANGS, direction, text
from tests.reports.sample import PERIOD, report_data
from tests.reports.textcheck import find_words, needs_pdftotext, pdf_text, words

CASES = [(report, lang) for report in REPORTS for lang in LANGS]


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def figures_and_tables(report: str, lang: str) -> tuple[list[Figure], list[Table]]:
    rendered = render_report(report, report_data(), lang, PERIOD)
    blocks = [b for s in rendered.sections for b in s.blocks]
    return [b for b in blocks if isinstance(b, Figure)], [b for b in blocks if isinstance(b, Table)]


@pytest.mark.parametrize(("report", "lang"), CASES)
def test_the_html_runs_in_the_languages_direction(
    written: dict[tuple[str, str], Written], report: str, lang: str
) -> None:
    html = written[report, lang].html.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    root = tags_of(html)[0]
    assert root == ("html", {"lang": lang, "dir": direction(lang)})
    assert direction(lang) == ("rtl" if lang in ("ar", "he") else "ltr")
    assert f"<h1>{text(lang, f'report.{report}.title')}</h1>" in html


@pytest.mark.parametrize(("report", "lang"), CASES)
def test_every_figure_has_its_chart_caption_and_source(
    written: dict[tuple[str, str], Written], report: str, lang: str
) -> None:
    html = written[report, lang].html.read_text("utf-8")
    figures, _ = figures_and_tables(report, lang)
    assert figures, "every report has charts"
    assert html.count("<svg") == len(figures)
    assert html.count('<figure class="figure"') == len(figures)
    for number, figure in enumerate(figures, start=1):
        label = text(lang, "figure.label", n=number)
        assert f"{label} {figure.caption}" in html
        start = html.index(f'id="fig-{number}"')
        chunk = html[start : html.index("</figure>", start)]
        assert chunk.count("<svg") == 1
        source = text(lang, "figure.source", source=figure.source, period="2025")
        assert source.replace("'", "&#39;") in chunk


@pytest.mark.parametrize(("report", "lang"), CASES)
def test_the_html_refers_to_nothing_outside_itself(
    written: dict[tuple[str, str], Written], report: str, lang: str
) -> None:
    html = written[report, lang].html.read_text("utf-8")
    assert not re.search(r"https?:|//[a-z]|url\(", html, re.IGNORECASE)
    for tag, attrs in tags_of(html):
        assert tag not in ("link", "script", "img", "iframe", "object")
        assert "src" not in attrs
        assert (attrs.get("href") or "#").startswith("#"), (tag, attrs)
    assert "<style>" in html and "@media print" in html and "break-before: page" in html


@pytest.mark.parametrize(("report", "lang"), CASES)
def test_every_figure_and_table_is_written_as_csv(
    written: dict[tuple[str, str], Written], report: str, lang: str
) -> None:
    figures, tables = figures_and_tables(report, lang)
    files = written[report, lang].tables
    names = sorted(p.name for p in files)
    assert len(names) == len(figures) + len(tables)
    assert [n for n in names if n.startswith("figure-")] == sorted(
        f"figure-{i:02d}-{f.key}.csv" for i, f in enumerate(figures, start=1)
    )
    folder = written[report, lang].html.with_name(f"{report}-2025-{lang}-tables")
    assert {p.parent for p in files} == {folder}
    for path in files:
        with path.open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert header and all(header), path.name


def test_the_csv_holds_the_numbers_behind_a_table(
    written: dict[tuple[str, str], Written],
) -> None:
    path = next(p for p in written["index", "en"].tables if p.name.endswith("-headline.csv"))
    with path.open(encoding="utf-8") as handle:
        rows = {row["label"]: row for row in csv.DictReader(handle)}
    # 3 months x (100 + 60 + 40) posts; incitement 5, 15 and 5 posts in each of 3 cells
    assert rows["incitement"]["posts"] == "600"
    assert rows["incitement"]["count"] == "75"
    assert float(rows["incitement"]["share"]) == pytest.approx(0.125)
    assert float(rows["incitement"]["adjusted_share"]) == pytest.approx(0.1125)
    assert float(rows["hate"]["ci_high"]) == pytest.approx(72 / 600 * 1.1)


def expected_order(report: str, lang: str) -> list[str]:
    figures, _ = figures_and_tables(report, lang)
    captions = [f"{text(lang, 'figure.label', n=i)} {f.caption}" for i, f in enumerate(figures, 1)]
    return [text(lang, f"report.{report}.title"), *captions]


@pytest.mark.parametrize(("report", "lang"), CASES)
def test_the_pdf_text_reads_back_in_order_as_words(
    written: dict[tuple[str, str], Written], report: str, lang: str
) -> None:
    needs_pdftotext()
    pdf = written[report, lang].pdf
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF-")
    extracted = words(pdf_text(pdf))
    position = 0
    for line in expected_order(report, lang):
        found = find_words(extracted, words(line), position)
        assert found >= 0, f"{line!r} not found in order after word {position}"
        position = found + 1


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_right_to_left_words_are_not_extracted_reversed(
    written: dict[tuple[str, str], Written], lang: str
) -> None:
    needs_pdftotext()
    pdf = written["index", lang].pdf
    assert pdf is not None
    extracted = set(words(pdf_text(pdf)))
    title = words(text(lang, "report.index.title"))
    assert set(title) <= extracted
    assert not {word[::-1] for word in title if len(word) > 2} & extracted


def test_a_report_in_another_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown report language 'fr'"):
        render_report("index", report_data(), "fr", PERIOD)


def test_the_pdf_embeds_the_noto_fonts_of_each_script(
    written: dict[tuple[str, str], Written],
) -> None:
    needs_pdftotext()  # pdffonts comes with pdftotext (poppler-utils)
    for lang, font in (
        ("ar", "Noto-Naskh-Arabic"),
        ("he", "Noto-Sans-Hebrew"),
        ("en", "Noto-Sans"),
    ):
        pdf = written["index", lang].pdf
        assert pdf is not None
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
        embedded = [line for line in fonts.stdout.splitlines() if f"+{font}" in line]
        assert embedded and all(" yes " in line for line in embedded), fonts.stdout
