"""Script and language detection.

Scripts are lowercase ISO-15924-like codes: "arab", "hebr", "latn", "cyrl", "arabizi" (Arabic
written in Latin letters, with digits for the letters Latin lacks: "7abibi", "ya3ni"),
"other" (any other script with letters: Greek, Armenian, Ethiopic, Indic, CJK...) and "und"
(no letters at all).

`detect_script` counts the letters of each script, ignoring URLs, @mentions, digits, emoji,
punctuation and marks (a hashtag's word counts, its '#' does not); the script with most
letters wins, ties going to the first of arab, hebr, latn, cyrl, other. Latin-dominant text
is then tested for Arabizi (see `_arabizi_evidence` and `_arabizi_share`).

`detect_language` decides the script first:
- "arab" -> "ar", or "fa" / "ur" when Persian / Urdu spelling is clear (see `_arabic_lang`);
- "hebr" -> "he" (Yiddish and Ladino are reported as "he" too);
- "arabizi" -> "ar", with script "arabizi";
- "latn", "cyrl" and "other" -> py3langid, restricted to `LANGID_LANGUAGES`.
The answer is "und" (keeping the script) when the text is too short to tell: fewer than
`MIN_LETTERS` letters, or for Latin text fewer than `MIN_LATIN_LETTERS`, or a py3langid
confidence below `MIN_CONFIDENCE`.

Confidence: for Arabic and Hebrew script, the share of the text's letters in that script;
for Arabizi, the share of its words that look Arabizi (capped at 1); for py3langid, its
normalised probability; 0.0 for "und".

py3langid is loaded lazily, once per process, from the model the package ships (no network).
It is restricted to `LANGID_LANGUAGES` (45 of its 140 labels). That makes a call only about
12% faster (measured: 38 -> 33 us for a 100-character English post, 20 -> 17 us for a
35-character one: its feature extraction does not shrink with the label set), but it pays
off in accuracy: short posts are no longer labelled with languages marsad never meets
("Yes" was "kab", "hello world" "fuv"), and of 30 invented English posts 27 reach
`MIN_CONFIDENCE` instead of 26.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import filterfalse
from typing import NamedTuple, Protocol

from marsad.text.entities import remove_urls_and_mentions

__all__ = [
    "LANGID_LANGUAGES",
    "MIN_CONFIDENCE",
    "MIN_LATIN_LETTERS",
    "MIN_LETTERS",
    "SCRIPTS",
    "Detection",
    "detect_language",
    "detect_languages",
    "detect_script",
]

SCRIPTS = ("arab", "hebr", "latn", "cyrl", "arabizi", "other", "und")

# Languages py3langid may answer: those of marsad's region and diaspora, and the main
# languages of each script that reaches py3langid (Arabic and Hebrew script never do).
LANGID_LANGUAGES = (
    # Latin script
    *("en", "fr", "de", "es", "it", "pt", "nl", "ca", "ro", "sv", "da", "no", "fi", "pl"),
    *("cs", "sk", "sl", "hr", "hu", "sq", "tr", "az", "ku", "mt", "id", "ms", "tl", "sw"),
    *("so", "ha", "vi"),
    # Cyrillic
    *("ru", "uk", "bg", "sr"),
    # other scripts
    *("el", "hy", "ka", "am", "hi", "bn", "zh", "ja", "ko", "th"),
)
MIN_LETTERS = 3
MIN_LATIN_LETTERS = 12
# py3langid's normalised probability below which the answer is "und". Over the languages
# above, clear posts of a dozen words score above 0.95; three- or four-word slogans ("Stop
# the siege now", 0.26 for "de") fall below 0.5 and are better left undecided.
MIN_CONFIDENCE = 0.5

_ORDER = ("arab", "hebr", "latn", "cyrl", "other")


@dataclass(frozen=True, slots=True)
class Detection:
    lang: str
    script: str
    confidence: float


class _Profile(NamedTuple):
    script: str
    letters: int  # letters in the dominant script (Latin letters for Arabizi)
    total: int  # letters in all scripts
    text: str  # the text without URLs and mentions
    arabizi_share: float = 0.0


# --- letter counting ------------------------------------------------------------------------
# Letters of the common scripts are counted on the UTF-8 bytes by their lead byte, with one
# bytes.translate and a few bytes.count (fast C loops): A-Z a-z and C3-C9 (U+00C0-U+024F)
# are Latin, D0-D3 (U+0400-U+04FF) Cyrillic, D7 (U+05C0-U+05FF) Hebrew, D8-DB
# (U+0600-U+06FF) Arabic; the non-letters of those blocks are subtracted. Rarer letters
# (other scripts, presentation forms, Latin Extended Additional...) are found with one regex
# and classed by range.
#
# Counts are lists in the order of _ORDER; the class byte of a script counted by lead byte
# is its index + 1 (0 for every other byte).
_ARAB, _HEBR, _LATN, _CYRL = range(4)

# Non-letters inside the counted blocks, counted and subtracted for the scripts present.
_ARABIC_NON_LETTER = (
    "\u0600-\u061f\u0640\u064b-\u066d\u0670\u06d4\u06d6-\u06ed\u06f0-\u06f9\u06fd\u06fe"
)
_NON_LETTERS = (
    (_ARAB, re.compile(f"[{_ARABIC_NON_LETTER}]")),
    (_HEBR, re.compile("[\u05c0-\u05cf\u05f3-\u05ff]")),
    (_LATN, re.compile("[\u00d7\u00f7]")),
    (_CYRL, re.compile("[\u0482-\u0489]")),
)


def _byte_classes() -> bytes:
    classes = bytearray(256)
    for first, last, script in (
        (0x41, 0x5A, _LATN),
        (0x61, 0x7A, _LATN),
        (0xC3, 0xC9, _LATN),
        (0xD0, 0xD3, _CYRL),
        (0xD7, 0xD7, _HEBR),
        (0xD8, 0xDB, _ARAB),
    ):
        classes[first : last + 1] = bytes([script + 1]) * (last + 1 - first)
    return bytes(classes)


_BYTE_CLASSES = _byte_classes()

# (first code point, script) of each range of rarer letters, sorted; a code point belongs to
# the last range starting at or before it.
_RARE_RANGES = (
    (0x0250, "latn"),  # IPA
    (0x0370, "other"),  # Greek, Coptic
    (0x0500, "cyrl"),  # Cyrillic Supplement
    (0x0530, "other"),  # Armenian
    (0x0700, "other"),  # Syriac
    (0x0750, "arab"),  # Arabic Supplement
    (0x0780, "other"),  # Thaana, NKo, Samaritan, Mandaic
    (0x0870, "arab"),  # Arabic Extended-B and -A
    (0x0900, "other"),  # Indic, South-East Asian, Georgian, Ethiopic...
    (0x1C80, "cyrl"),  # Cyrillic Extended-C
    (0x1C90, "other"),
    (0x1E00, "latn"),  # Latin Extended Additional
    (0x1F00, "other"),  # Greek Extended, kana, CJK, Hangul...
    (0xFB00, "latn"),  # Latin ligatures
    (0xFB13, "other"),  # Armenian ligatures
    (0xFB1D, "hebr"),  # Hebrew presentation forms
    (0xFB50, "arab"),  # Arabic presentation forms-A
    (0xFE70, "arab"),  # Arabic presentation forms-B
    (0xFF00, "latn"),  # fullwidth Latin
    (0xFF66, "other"),  # halfwidth kana, Hangul
)
_RARE_STARTS = [start for start, _ in _RARE_RANGES]
_RARE_INDEXES = [_ORDER.index(script) for _, script in _RARE_RANGES]
# Basic Multilingual Plane only: one astral range would make the class much slower to test.
_RARE_LETTER = (
    "[\u0250-\u02af\u0370-\u03ff\u0500-\u052f\u0531-\u0587\u0710-\u074f\u0750-\u077f"
    "\u0780-\u07ea\u0800-\u085f\u0870-\u08c9\u0900-\u0dff\u0e01-\u0e3a\u0e40-\u0e4e"
    "\u0e81-\u0eff\u0f00-\u0fff\u1000-\u109f\u10a0-\u10ff\u1100-\u11ff\u1200-\u139f"
    "\u13a0-\u13ff\u1400-\u167f\u1780-\u17ff\u1800-\u18af\u1c80-\u1c8f\u1c90-\u1cbf"
    "\u1e00-\u1eff\u1f00-\u1fff\u2c00-\u2c5f\u2d30-\u2d7f\u3041-\u3096\u30a1-\u30fa"
    "\u3105-\u312f\u3131-\u318e\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua48c\uac00-\ud7a3"
    "\uf900-\ufaff\ufb00-\ufb06\ufb13-\ufb17\ufb1d-\ufb4f\ufb50-\ufdfb\ufe70-\ufefc"
    "\uff21-\uff3a\uff41-\uff5a\uff66-\uffdc]"
)
# "[x][x]*" rather than "[x]+": a pattern starting with a plain class lets the regex engine
# skip ahead in C to the first candidate character.
_RARE_LETTERS_RE = re.compile(f"{_RARE_LETTER}{_RARE_LETTER}*")


def _letter_counts(text: str) -> list[int]:
    """Letters per script in `text`, in the order of `_ORDER`."""
    if text.isascii():
        return [0, 0, text.encode("ascii").translate(_BYTE_CLASSES).count(_LATN + 1), 0, 0]
    classes = text.encode("utf-8", "surrogatepass").translate(_BYTE_CLASSES)
    counts = [
        classes.count(_ARAB + 1),
        classes.count(_HEBR + 1),
        classes.count(_LATN + 1),
        classes.count(_CYRL + 1),
        0,
    ]
    for index, non_letter in _NON_LETTERS:
        if counts[index]:
            counts[index] -= len(non_letter.findall(text))
    for run in _RARE_LETTERS_RE.findall(text):
        counts[_RARE_INDEXES[bisect_right(_RARE_STARTS, ord(run[0])) - 1]] += len(run)
    return counts


# --- Arabizi --------------------------------------------------------------------------------
# Words that are Arabizi whenever they appear (1.0) or that are also words of English,
# Spanish, Turkish... (0.5).
_STRONG_ARABIZI_WORDS = (
    "yalla yallah inshallah insha2allah inshalla inchallah wallah wallahi walla mashallah"
    " machallah alhamdulillah alhamdulilah hamdillah hamdella habibi habibti 7abibi"
    " 7abibti habibe ya3ni yaani shu shou sho kteer ktir kter ktiir enta enti inta inti"
    " akhi ukhti khalas 5alas khalass hayda haida hayde haydi hayk heik hek mish msh"
    " ma3ak ma3i ma3na keefak kifak kifik kefak izzayak ezzayak ezay izzay eih leh leish"
    " lesh laysh leysh 3ashan 3shan 3alashan aywa aiwa la2 mafi mafish mafeesh ba2a keda"
    " kda kida e7na ehna i7na howa heya homa ento halla2 hala2 hal2 baddi bidi"
    " beddi shukran yislamo yeslamo tayeb tayyeb mabrouk mabrook ahlan marhaba zalameh"
    " zalame khayye 5ayye albi 2albi bhebak b7ebak ba7ebak bahebak wlak yaba yamma"
)
_AMBIGUOUS_ARABIZI_WORDS = "ana mesh ya fi bas el yani tamam salam tab sah hiya bade"
_ARABIZI_WORDS: dict[bytes, float] = {
    **dict.fromkeys(_STRONG_ARABIZI_WORDS.encode().split(b" "), 1.0),
    **dict.fromkeys(_AMBIGUOUS_ARABIZI_WORDS.encode().split(b" "), 0.5),
}
# Words with digits that are English, and what English writes after a leading digit:
# ordinals, times, units, textspeak ("2day", "2nite").
_ENGLISH_DIGIT_WORDS = frozenset(
    b"h2o b2b b2c p2p mp3 mp4 ps2 ps3 ps5 web2 web3 gta5 gta6 win7 win8 f35 9gag 7eleven 2fa"
    b" 3ds".split(b" ")
)
_ENGLISH_AFTER_DIGIT = frozenset(
    b"st nd rd th am pm s k m g d h x ds kg km cm mm ml mb gb tb hz mph min mins sec secs hr"
    b" hrs day days yr yrs year years week weeks month months hour hours ever u ur nite night"
    b" morrow gether go fa".split(b" ")
)
_ALL_BUT_ARABIZI_DIGITS = bytes(b for b in range(256) if b not in b"2356789")
_INNER_DIGIT_RE = re.compile(b"[a-z][2356789]+[a-z]")
_ARABIZI_MIN_SHARE = 0.34


def _token_table() -> bytes:
    """A bytes.translate table keeping a-z, 0-9 and the apostrophe, lower-casing A-Z and
    turning every other byte (punctuation, UTF-8 of other scripts and emoji) into a space."""
    table = bytearray(b" " * 256)
    for byte in b"abcdefghijklmnopqrstuvwxyz0123456789'":
        table[byte] = byte
    for byte in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[byte] = byte + 32
    return bytes(table)


_TOKEN_TABLE = _token_table()


def _arabizi_evidence(tokens: list[bytes], has_digits: bool) -> float:
    """Arabizi evidence in lower-cased Latin tokens: 1.0 per word with a digit used as an
    Arabic letter inside or at the start ("ya3ni", "3arab"; 0.5 for a leading 2, which
    English uses for "to"), 0.5 for one at the end ("sa7"), plus the weights of
    `_ARABIZI_WORDS`. Numbers, ordinals, times, units and words like "4ever", "covid19",
    "top10", "mp3" count nothing."""
    score = 0.0
    if not _ARABIZI_WORDS.keys().isdisjoint(tokens):
        score += sum(_ARABIZI_WORDS.get(token, 0.0) for token in tokens)
    if has_digits:
        digit_words = [t for t in filterfalse(bytes.isalpha, tokens) if t not in _ARABIZI_WORDS]
        score += sum(map(_digit_word_weight, digit_words))
    return score


def _digit_word_weight(token: bytes) -> float:
    word = token.replace(b"'", b"")  # 3'ali, 7'alas: the apostrophe marks the dotted letter
    if len(word) < 3 or word in _ENGLISH_DIGIT_WORDS:
        return 0.0
    if len(word.translate(None, b"014")) < len(word):
        return 0.0  # 4ever, top10, covid19, 2024: not digits Arabizi uses as letters
    if _INNER_DIGIT_RE.search(word):
        return 1.0
    if word[:1].isdigit():
        if not word[1:].isalpha() or word[1:] in _ENGLISH_AFTER_DIGIT:
            return 0.0
        return 0.5 if word[:1] == b"2" else 1.0
    return 0.5 if word[-1:].isdigit() and word[:-1].isalpha() else 0.0


def _arabizi_share(text: str) -> float | None:
    """The Arabizi evidence per word of Latin `text` (capped at 1), or None when the text
    is not Arabizi: that takes evidence of at least 1 and of `_ARABIZI_MIN_SHARE` per word
    (numbers are not words, nor are single letters: Arabizi writes "w" for "and", "l" for
    the article). Tokenised on the UTF-8 bytes: Arabizi is ASCII."""
    data = text.encode("utf-8", "surrogatepass").translate(_TOKEN_TABLE)
    tokens = data.split()
    score = _arabizi_evidence(tokens, bool(data.translate(None, _ALL_BUT_ARABIZI_DIGITS)))
    if score < 1.0:
        return None
    words = sum(1 for token in tokens if len(token) > 1 and not token.isdigit())
    return min(score / words, 1.0) if score >= _ARABIZI_MIN_SHARE * words else None


# --- scripts --------------------------------------------------------------------------------
def _profile(text: str) -> _Profile:
    text = remove_urls_and_mentions(text)
    counts = _letter_counts(text)
    total = sum(counts)
    if total == 0:
        return _Profile("und", 0, 0, text)
    letters = max(counts)
    script = _ORDER[counts.index(letters)]  # the first of equal counts wins
    share = _arabizi_share(text) if script == "latn" else None
    if share is not None:
        return _Profile("arabizi", letters, total, text, share)
    return _Profile(script, letters, total, text)


def detect_script(text: str) -> str:
    """The dominant script of `text` (see the module docstring), or "und" without letters."""
    return _profile(text).script


# --- languages ------------------------------------------------------------------------------
_PERSIAN_LETTERS = "پچژگ"
_URDU_LETTERS = "ٹڈڑںے"
_ARABIC_ARTICLE_RE = re.compile(r"(?:^|\s)ال")


def _arabic_lang(text: str) -> str:
    """The language of Arabic-script text: "ar", or "fa" / "ur" when Persian yeh and keheh
    (ی ک) outnumber Arabic yeh, alef maqsura and kaf (ي ى ك) and the text has Urdu letters
    (ٹ ڈ ڑ ں ے: "ur"), or Persian letters (پ چ ژ گ), or neither teh marbuta nor the article
    "ال" ("fa"). Iraqi and Gulf Arabic use چ and گ too, but with Arabic yeh and kaf, so they
    stay "ar". Sorani Kurdish is reported as "fa"."""
    persian_forms = text.count("ی") + text.count("ک")
    if persian_forms <= text.count("ي") + text.count("ى") + text.count("ك"):
        return "ar"
    if any(letter in text for letter in _URDU_LETTERS):
        return "ur"
    if any(letter in text for letter in _PERSIAN_LETTERS):
        return "fa"
    if "ة" not in text and _ARABIC_ARTICLE_RE.search(text) is None:
        return "fa"
    return "ar"


class _Classifier(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...

    def set_languages(self, langs: list[str] | None = None) -> None: ...


@functools.cache
def _identifier() -> _Classifier:
    """py3langid's identifier with normalised probabilities, restricted to our languages."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier: _Classifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGID_LANGUAGES))
    return identifier


def _langid(profile: _Profile) -> Detection:
    minimum = MIN_LATIN_LETTERS if profile.script == "latn" else MIN_LETTERS
    if profile.letters < minimum:
        return Detection("und", profile.script, 0.0)
    lang, confidence = _identifier().classify(profile.text)
    if confidence < MIN_CONFIDENCE:
        return Detection("und", profile.script, 0.0)
    return Detection(str(lang), profile.script, float(confidence))


def detect_language(text: str) -> Detection:
    """The language of `text` as an ISO 639-1 code, with its script and a confidence."""
    profile = _profile(text)
    script = profile.script
    if script == "und":
        return Detection("und", "und", 0.0)
    if script == "arabizi":
        return Detection("ar", script, profile.arabizi_share)
    if script not in ("arab", "hebr"):
        return _langid(profile)
    if profile.letters < MIN_LETTERS:
        return Detection("und", script, 0.0)
    lang = "he" if script == "hebr" else _arabic_lang(profile.text)
    return Detection(lang, script, profile.letters / profile.total)


def detect_languages(texts: list[str]) -> list[Detection]:
    return [detect_language(text) for text in texts]
