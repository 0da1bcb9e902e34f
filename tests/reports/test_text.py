"""The report text: the same texts in the three languages, numbers and dates per language."""

from __future__ import annotations

import re

import pytest

from marsad.analyze.base import parse_period
from marsad.reports import REPORT_SECTIONS, REPORTS
from marsad.reports.i18n import (
    LANGS,
    LRM,
    TextError,
    catalogue,
    fmt_int,
    fmt_pct,
    fmt_period,
    placeholders,
    term,
    text,
)


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_every_text_exists_in_every_language(lang: str) -> None:
    assert set(catalogue(lang)) == set(catalogue("en"))


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_every_text_has_the_same_placeholders_in_every_language(lang: str) -> None:
    english = catalogue("en")
    for key, value in catalogue(lang).items():
        assert placeholders(value) == placeholders(english[key]), key


@pytest.mark.parametrize("lang", LANGS)
def test_every_report_and_section_has_a_title(lang: str) -> None:
    for report in REPORTS:
        assert text(lang, f"report.{report}.title")
        assert "{period}" in catalogue(lang)[f"report.{report}.subtitle"]
    for key in REPORT_SECTIONS:
        assert text(lang, f"section.{key}.title")


def test_arabic_text_carries_no_diacritics_that_break_text_extraction() -> None:
    marks = re.compile("[\u064b-\u0652\u0670]")
    assert [key for key, value in catalogue("ar").items() if marks.search(value)] == []


def test_a_missing_text_names_the_catalogue_and_the_key() -> None:
    with pytest.raises(TextError, match=r"text/he.toml: no text 'caption.nothing'"):
        text("he", "caption.nothing")
    with pytest.raises(TextError, match=r"needs a value for 'period'"):
        text("en", "cover.period")


def test_numbers_use_western_digits_and_keep_their_sign_left_in_rtl_text() -> None:
    assert fmt_int("en", 1234567) == "1,234,567"
    assert fmt_pct("en", -0.032, signed=True) == "-3.2%"
    for lang in ("ar", "he"):
        assert fmt_pct(lang, 0.125, signed=True) == f"{LRM}+12.5%"
        assert fmt_int(lang, 1234) == f"{LRM}1,234"
    assert fmt_pct("ar", None) == "–"


@pytest.mark.parametrize(
    ("given", "lang", "expected"),
    [
        ("2025", "en", "2025"),
        ("2025-03", "en", "March 2025"),
        ("2025-03", "he", "מרץ 2025"),
        ("2025-Q2", "en", "1 April 2025 – 30 June 2025"),
        ("2025-03-14", "ar", "14 مارس 2025"),
        ("2025-03-01..2025-04-14", "ar", "من 1 مارس 2025 إلى 14 أبريل 2025"),
        ("2025-03-01..2025-04-14", "he", "1 במרץ 2025 – 14 באפריל 2025"),
    ],
)
def test_periods_are_written_in_words(given: str, lang: str, expected: str) -> None:
    assert fmt_period(lang, parse_period(given)) == expected


def test_terms_come_from_the_catalogue_then_the_case_taxonomy_then_the_key() -> None:
    assert term("he", "label", "incitement") == "הסתה לאלימות"
    assert term("ar", "platform", "telegram") == "تيليغرام"
    assert term("en", "violation_type", "hacking") == "Hacking or account takeover"
    assert term("en", "platform", "gab") == "gab"
    assert term("ar", "platform", None) == "غير معروف"
