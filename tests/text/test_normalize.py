"""Normalisation of Arabic, Hebrew and Latin post text."""

import re
import sys

import pytest
from hypothesis import given

from marsad.text.normalize import normalize, normalize_arabic, normalize_hebrew
from tests.text.strategies import any_text

HARAKAT = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
NIQQUD = re.compile("[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]")
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
LETTER_RUN = re.compile(r"([^\W\d_])\1\1")


# --- Arabic ---------------------------------------------------------------------------------
def test_it_strips_harakat_and_shadda() -> None:
    assert normalize_arabic("إِنَّ الحُرِّيَّةَ حَقٌّ لِلْجَمِيعِ") == "ان الحريه حق للجميع"


def test_it_strips_superscript_alef_and_quranic_marks() -> None:
    verse = "ذَٰلِكَ ٱلْكِتَٰبُ لَا رَيْبَ ۛ فِيهِ ۛ هُدًى لِّلْمُتَّقِينَ"
    # Uthmani spelling: the dagger alef is the only alef in "الكتٰب", so it goes with it.
    assert normalize(verse) == "ذلك الكتب لا ريب فيه هدي للمتقين"


def test_it_removes_tatweel() -> None:
    assert normalize_arabic("الحـــريـــة للأســـرى") == "الحريه للاسري"


def test_it_unifies_the_alef_variants() -> None:
    assert normalize_arabic("أحمد إبراهيم آمن ٱلقدس") == "احمد ابراهيم امن القدس"


def test_it_maps_alef_maqsura_teh_marbuta_and_hamza_seats() -> None:
    assert normalize_arabic("مؤتمر رئيس المستشفى في المدينة") == "موتمر رييس المستشفي في المدينه"


def test_it_maps_persian_keheh_and_yeh_to_arabic_letters() -> None:
    assert normalize_arabic("کتاب فی المکتبة") == "كتاب في المكتبه"


def test_it_makes_arabic_indic_and_eastern_digits_ascii() -> None:
    assert normalize_arabic("قتل ٣ صحفيين في ٧ أكتوبر ۲۰۲۳") == "قتل 3 صحفيين في 7 اكتوبر 2023"


def test_it_shortens_laughter_and_stretched_words_to_two_letters() -> None:
    assert normalize_arabic("ههههههههه شو هالحكي جمييييل") == "هه شو هالحكي جمييل"


def test_it_keeps_letters_that_are_doubled_in_the_spelling() -> None:
    assert normalize_arabic("الله ممكن لللغة") == "الله ممكن للغه"


def test_it_collapses_a_run_interrupted_by_diacritics() -> None:
    assert normalize_arabic("هَهَهَهَهَ") == "هه"


def test_it_never_collapses_digits() -> None:
    assert normalize_arabic("دفعنا ١٠٠٠ شيكل") == "دفعنا 1000 شيكل"


def test_it_expands_arabic_presentation_forms() -> None:
    assert normalize_arabic("ﷲ أكبر ﻻ") == "الله اكبر لا"


def test_normalize_arabic_leaves_other_scripts_alone() -> None:
    text = "שָׁלוֹם Sooo GOOD 123"
    assert normalize_arabic(text) == text


# --- Hebrew ---------------------------------------------------------------------------------
def test_it_strips_niqqud() -> None:
    assert normalize_hebrew("שָׁלוֹם עֲלֵיכֶם") == "שלום עליכם"


def test_it_strips_cantillation_marks() -> None:
    assert normalize_hebrew("בְּרֵאשִׁ֖ית בָּרָ֣א אֱלֹהִ֑ים") == "בראשית ברא אלהים"


def test_it_replaces_geresh_gershayim_and_maqaf() -> None:
    assert normalize_hebrew("צה״ל נכנס לג׳נין ולבית־שמש") == "צה\"ל נכנס לג'נין ולבית-שמש"


def test_it_keeps_final_letters() -> None:
    assert normalize_hebrew("מלך שלום ארץ כסף עץ") == "מלך שלום ארץ כסף עץ"


def test_it_decomposes_precomposed_pointed_letters() -> None:
    assert normalize_hebrew("\ufb2aבת") == "שבת"  # SHIN WITH SHIN DOT


def test_normalize_hebrew_leaves_other_scripts_alone() -> None:
    text = "إِنَّ Hello ׳"
    assert normalize_hebrew(text) == "إِنَّ Hello '"


# --- the full normalisation -----------------------------------------------------------------
def test_it_applies_both_scripts_rules_to_a_mixed_post() -> None:
    post = "المُظاهرة في حيفا اليوم — הַהַפְגָּנָה בְּחֵיפָה הַיּוֹם #حيفا"
    assert normalize(post) == "المظاهره في حيفا اليوم — ההפגנה בחיפה היום #حيفا"


def test_it_folds_latin_case() -> None:
    assert normalize("FREE the Press, Straße") == "free the press, strasse"


def test_it_applies_compatibility_normalisation() -> None:
    assert normalize("ＧＡＺＡ ﬁle ①") == "gaza file 1"


def test_it_removes_zero_width_and_bidi_controls() -> None:
    text = "\u202bحيفا\u202c \u200fHaifa\u200e \u2066יפו\u2069\u200b \ufeffok"
    assert normalize(text) == "حيفا haifa יפו ok"


def test_it_shortens_latin_elongation_to_two_letters() -> None:
    assert normalize("Soooo goooood, noooo!!!") == "soo good, noo!!!"


def test_it_shortens_hebrew_laughter() -> None:
    assert normalize("חחחחחחח איזה מוווות") == "חח איזה מוות"


def test_it_keeps_runs_of_digits_punctuation_and_emoji() -> None:
    assert normalize("10000 people!!! 😂😂😂 ...") == "10000 people!!! 😂😂😂 ..."


def test_it_keeps_the_www_of_an_address() -> None:
    assert normalize("see WWW.Example.org, wwwwow") == "see www.example.org, wwow"


def test_it_collapses_whitespace_and_strips() -> None:
    assert normalize("  عاجل:\n\nقصف\t\tعلى\u00a0\u00a0المدينة  \r\n") == "عاجل: قصف علي المدينه"


def test_it_collapses_every_kind_of_unicode_whitespace() -> None:
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert spaces
    for space in spaces:
        assert normalize(f" a{space}{space}b{space}") == "a b", hex(ord(space))


@pytest.mark.parametrize("text", ["", "   ", "\u200f\u200e", "\n\t"])
def test_it_turns_blank_text_into_the_empty_string(text: str) -> None:
    assert normalize(text) == ""


def test_it_normalises_a_realistic_gulf_post() -> None:
    post = "واللــــه مااااا توقعت 😢 #السعودية https://t.co/Ab12Cd"
    assert normalize(post) == "والله ماا توقعت 😢 #السعوديه https://t.co/ab12cd"


# --- properties -----------------------------------------------------------------------------
@given(any_text)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(any_text)
def test_normalize_arabic_is_idempotent(text: str) -> None:
    once = normalize_arabic(text)
    assert normalize_arabic(once) == once


@given(any_text)
def test_normalize_hebrew_is_idempotent(text: str) -> None:
    once = normalize_hebrew(text)
    assert normalize_hebrew(once) == once


@given(any_text)
def test_normalized_text_has_no_marks_controls_runs_or_loose_spaces(text: str) -> None:
    result = normalize(text)
    assert not HARAKAT.search(result)
    assert not NIQQUD.search(result)
    assert not INVISIBLE.search(result)
    assert not LETTER_RUN.search(result.replace("www.", " "))  # " ": joining letters is not a run
    assert "  " not in result
    assert result == result.strip()
