"""Text normalisation for classification and search.

`normalize` is the full form stored as `text_norm`; `normalize_arabic` and `normalize_hebrew`
apply only their script's rules. None of them changes its argument (strings are immutable):
callers keep the original text separately. All three are idempotent.

Elongation. A letter repeated three or more times in a row is written twice: "هههههه" -> "هه",
"جمييييل" -> "جمييل", "soooo" -> "soo", "חחחחח" -> "חח". Two, not one, because two identical
letters in a row are ordinary spelling in all three languages ("الله", "ممكن", "מוות",
"good"), whereas three almost never are; so a run is shortened without merging a doubled
letter away, and laughter stays recognisable ("هه", "חח", "hh"). A stretched word therefore
keeps one extra letter ("جمييل"); apply the same function to search terms and lexicons.
Digits are never collapsed ("1000" stays), and neither is the "www" of a "www." address.

Speed: this runs on every imported post, so each step is a precompiled regular expression
(scanned in C), a `str.replace` guarded by `in`, or a `str` method; there is no per-character
Python loop, and text that is pure ASCII skips the Arabic and Hebrew steps altogether.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize", "normalize_arabic", "normalize_hebrew"]

# Harakat and other Arabic marks (U+064B-U+065F), superscript alef (U+0670), the Quranic
# annotation marks (U+06D6-U+06ED) and tatweel (U+0640).
_ARABIC_MARKS = "\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
# Niqqud (points) and cantillation marks (te'amim).
_HEBREW_MARKS = "\u0591-\u05af\u05b0-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
# Zero-width and bidi controls: ZWSP, ZWNJ, ZWJ, LRM, RLM; LRE..RLO; LRI..PDI; BOM. Also the
# Arabic letter mark, the soft hyphen and the word joiner, which are just as invisible.
_INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c\u00ad\u2060"

_ARABIC_MARKS_RE = re.compile(f"[{_ARABIC_MARKS}]")
_HEBREW_MARKS_RE = re.compile(f"[{_HEBREW_MARKS}]")
_DELETABLE_RE = re.compile(f"[{_ARABIC_MARKS}{_HEBREW_MARKS}{_INVISIBLE}]")

_ARABIC_BLOCK_RE = re.compile("[\u0600-\u06ff]")
_ARABIC_LETTER_PAIRS = (
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
    ("ٱ", "ا"),
    ("ى", "ي"),
    ("ئ", "ي"),
    ("ی", "ي"),  # Persian/Urdu yeh
    ("ة", "ه"),
    ("ؤ", "و"),
    ("ک", "ك"),  # Persian/Urdu keheh
)
# Runs are written "[x][x]*" rather than "[x]+": a pattern that starts with a plain class
# lets the regex engine skip ahead in C to the first candidate character.
_ARABIC_DIGITS_RE = re.compile("[٠-٩۰-۹][٠-٩۰-۹]*")
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Arabic presentation forms (ligatures and contextual shapes) and Hebrew precomposed pointed
# letters; the script-only functions replace them by their compatibility equivalents.
_ARABIC_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufefe][\ufb50-\ufdff\ufe70-\ufefe]*")
_HEBREW_PRESENTATION_RE = re.compile("[\ufb1d-\ufb4f][\ufb1d-\ufb4f]*")

_HEBREW_PUNCTUATION_PAIRS = (("׳", "'"), ("״", '"'), ("־", "-"))

_ARABIC_LETTER = (
    "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
)
_ARABIC_ELONGATION_RE = re.compile(f"([{_ARABIC_LETTER}])\\1{{2,}}")
_TRIPLE_RE = re.compile(r"(.)\1\1", re.DOTALL)  # cheap screen: most posts have no run at all
_RUN_RE = re.compile(r"(.)\1{2,}", re.DOTALL)

# Whitespace other than the plain space (everything `str.isspace` accepts; checked in tests).
_ODD_SPACE_RE = re.compile(
    "[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)


def normalize_arabic(text: str) -> str:
    """Arabic-script rules only: harakat, superscript alef, Quranic marks and tatweel
    removed; أ إ آ ٱ -> ا, ى ئ ی -> ي, ة -> ه, ؤ -> و, ک -> ك; Arabic-Indic and Eastern
    digits -> 0-9; presentation forms (ﻻ, ﷲ) expanded; runs of one Arabic letter shortened
    to two (see the module docstring). Other scripts are left alone."""
    if _ARABIC_BLOCK_RE.search(text) is None and _ARABIC_PRESENTATION_RE.search(text) is None:
        return text
    text = _ARABIC_PRESENTATION_RE.sub(_compatibility_form, text)
    text = _unify_arabic(_ARABIC_MARKS_RE.sub("", text))
    if _TRIPLE_RE.search(text) is None:
        return text
    return _ARABIC_ELONGATION_RE.sub(r"\1\1", text)


def normalize_hebrew(text: str) -> str:
    """Hebrew rules only: niqqud and cantillation removed, geresh -> ', gershayim -> ",
    maqaf -> '-'. Final letters (ך ם ן ף ץ) are kept as they are."""
    text = _HEBREW_PRESENTATION_RE.sub(_compatibility_form, text)
    return _unify_hebrew(_HEBREW_MARKS_RE.sub("", text))


def normalize(text: str) -> str:
    """The normalised form used for classification and search (`Post.text_norm`).

    Unicode NFKC; zero-width and bidi controls removed (with the soft hyphen, the word
    joiner and the Arabic letter mark); the Arabic and Hebrew rules (both, always: they
    touch disjoint code points); case folded; letter runs of three or more, in any script,
    shortened to two; whitespace runs made one space; stripped. URLs are treated like any
    other text (lower-cased): use the extracted `urls` for links.
    """
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        text = text.lower()  # equals casefold() on ASCII, and is faster
    else:
        text = _unify_hebrew(_unify_arabic(_DELETABLE_RE.sub("", text)))
        # Case folding can yield decomposed letters, and deleting a mark can bring a letter
        # and a later combining mark together: a second NFKC keeps the result idempotent.
        text = unicodedata.normalize("NFKC", text.casefold())
    return _collapse_spaces(_collapse_elongation(text))


def _unify_arabic(text: str) -> str:
    if _ARABIC_BLOCK_RE.search(text) is None:
        return text
    for variant, letter in _ARABIC_LETTER_PAIRS:
        if variant in text:
            text = text.replace(variant, letter)
    return _ARABIC_DIGITS_RE.sub(_ascii_digits, text)


def _unify_hebrew(text: str) -> str:
    for mark, ascii_mark in _HEBREW_PUNCTUATION_PAIRS:
        if mark in text:
            text = text.replace(mark, ascii_mark)
    return text


def _ascii_digits(match: re.Match[str]) -> str:
    return match.group().translate(_ARABIC_DIGITS)


def _compatibility_form(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def _collapse_elongation(text: str) -> str:
    if _TRIPLE_RE.search(text) is None:
        return text
    return _RUN_RE.sub(_shorten_run, text)


def _shorten_run(match: re.Match[str]) -> str:
    run = match.group()
    letter = run[0]
    if not letter.isalpha() or (run == "www" and match.string.startswith(".", match.end())):
        return run
    return letter + letter


def _collapse_spaces(text: str) -> str:
    if "  " in text or _ODD_SPACE_RE.search(text) is not None:
        return " ".join(text.split())
    return text.strip()
