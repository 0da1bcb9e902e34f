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

`detect_languages` gives for a batch exactly what `detect_language` gives for each text,
confidences included (bit for bit), but runs py3langid once for the whole batch, vectorised
with numpy over py3langid's own model (see "py3langid in batches" below). Measured on 20,000
English tweets of 50-200 characters: py3langid's part falls from 48 to 6 us per post, and
`detect_languages` as a whole from 58 to 12 us per post (the script profile, 5 us, is the
same on both paths).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import filterfalse
from typing import Any, NamedTuple, Protocol

import numpy as np
from numpy.typing import NDArray

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
_ARABIZI_SURE = 2.0  # evidence that is Arabizi whatever the share ("wa7ad ... yetla3o")


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
    the article), or evidence of `_ARABIZI_SURE` whatever the share: two words with digits
    for letters do not occur in English. Tokenised on the UTF-8 bytes: Arabizi is ASCII."""
    data = text.encode("utf-8", "surrogatepass").translate(_TOKEN_TABLE)
    tokens = data.split()
    score = _arabizi_evidence(tokens, bool(data.translate(None, _ALL_BUT_ARABIZI_DIGITS)))
    if score < 1.0:
        return None
    words = sum(1 for token in tokens if len(token) > 1 and not token.isdigit())
    if score >= _ARABIZI_SURE or score >= _ARABIZI_MIN_SHARE * words:
        return min(score / words, 1.0)
    return None


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


def _langid_reference(text: str) -> tuple[str, float]:
    """py3langid's own answer for `text`: what `_classify_batch` must reproduce."""
    lang, confidence = _identifier().classify(text)
    return str(lang), float(confidence)


# --- py3langid in batches -------------------------------------------------------------------
# `_classify_batch` gives for many texts at once what py3langid's `classify` gives for each:
# the same label and the same float32 confidence, bit for bit. It runs py3langid's own model
# arrays through numpy:
# 1. each text is encoded by py3langid's `_encode` (lower-cased when all upper, NFC, UTF-8);
#    texts are sorted longest first and taken in chunks of about `_WALK_CELLS` cells (texts
#    x longest text's bytes), small enough for a chunk's arrays to stay in the CPU caches;
# 2. the byte-level DFA is walked for all texts of a chunk at once, one byte position at a
#    time: the texts still running are a prefix of the chunk, so padding is never walked;
# 3. the features met are counted per text and put in the order py3langid's Counter holds
#    them (first visit), by sorting packed int64 keys twice (`_count_features`);
# 4. texts with the same number of features are scored together by one stacked matmul, for
#    which numpy makes, per text, the very BLAS call (sgemv) that `classify` makes: same
#    shapes, same operands in the same order, so the float32 sums round alike. (A float64
#    or differently ordered sum is closer to the exact value but differs from py3langid's
#    by up to 2e-6 in confidence, and could flip a label or the MIN_CONFIDENCE cut-off.)
# 5. scores are normalised with py3langid's float32 steps (temperature sqrt(bytes),
#    softmax, aliased labels folded into one).
# Below `_MIN_BATCH` distinct texts, `classify` per text is cheaper than numpy's overhead
# per byte position. When the installed py3langid keeps its model in another layout, or the
# batch disagrees with `classify` on a few probe texts, `classify` is used for every text.
_MIN_BATCH = 16
_LONGEST = 1 << 12  # bytes: longer texts (rare in posts) are classified one by one
_WALK_CELLS = 1 << 17  # chunk size: small enough for its arrays to stay in the CPU caches,
_WALK_TEXTS = 128  # but with at least this many texts, or the per-byte overhead dominates
_PROBES = (
    "Police detained two journalists covering the protest downtown today",
    "Les journalistes ont été arrêtés ce matin près de la frontière",
    "DIE JOURNALISTEN WURDEN HEUTE MORGEN FESTGENOMMEN",
    "Журналисты были задержаны сегодня утром у границы",
    "Ok",
)

_Ints = NDArray[np.integer[Any]]


class _Model(NamedTuple):
    """py3langid's model as numpy arrays (views of its own, but for a float32 copy of
    `ptc`: 18 MB)."""

    nextmove: _Ints  # the next state, at a state's row base + the byte
    rowbase: _Ints  # where each state's 256-entry row starts in `nextmove`
    output: _Ints  # the feature counted on entering each state, or -1; the last state is
    # an extra one, without output, that `_walk` gives the positions past a text's end
    ptc: NDArray[np.floating[Any]]  # log P(feature | language), features x languages
    pc: NDArray[np.floating[Any]]  # log P(language)
    classes: tuple[str, ...]
    aliases: tuple[tuple[int, int], ...]  # (first, duplicate) columns of one label
    encode: Callable[[str], bytes]


class _Features(NamedTuple):
    """The features counted in a chunk: one row per (text, feature), texts by number of
    features (then longest first), each text's features in first-visit order."""

    size: _Ints  # the text's number of features
    text: _Ints
    feature: _Ints
    occurrences: _Ints


@functools.cache
def _batch_model() -> _Model | None:
    """py3langid's model for `_classify_batch`, or None where the batch would not agree."""
    try:
        model = _model_arrays(_identifier())
        agrees = _classify_batch(model, _PROBES) == list(map(_langid_reference, _PROBES))
    except (AttributeError, TypeError, ValueError, IndexError):
        return None
    return model if agrees else None


def _model_arrays(identifier: Any) -> _Model:
    ptc = np.asarray(identifier.nb_ptc)
    return _Model(
        nextmove=np.asarray(identifier.tk_nextmove),
        rowbase=np.asarray(identifier.tk_row, dtype=np.uint32) << 8,
        output=np.append(np.asarray(identifier.tk_output, dtype=np.int32), np.int32(-1)),
        # in float32, as classify's matmul casts them; rows contiguous for fast gathers
        ptc=np.ascontiguousarray(ptc, dtype=np.result_type(np.float32, ptc.dtype)),
        pc=np.asarray(identifier.nb_pc),
        classes=tuple(map(str, identifier.nb_classes)),
        aliases=tuple((int(i), int(j)) for i, j in identifier._alias_pairs),
        encode=identifier._encode,
    )


def _classify_many(texts: Sequence[str]) -> list[tuple[str, float]]:
    """py3langid's answer for each text; each distinct text (retweets repeat) classified once,
    by `_classify_batch` when there are enough of them."""
    distinct = list(dict.fromkeys(texts))
    model = _batch_model() if len(distinct) >= _MIN_BATCH else None
    if model is None:
        answers = list(map(_langid_reference, distinct))
    else:
        answers = _classify_batch(model, distinct)
    if len(distinct) == len(texts):
        return answers
    by_text = dict(zip(distinct, answers, strict=True))
    return [by_text[text] for text in texts]


def _classify_batch(model: _Model, texts: Sequence[str]) -> list[tuple[str, float]]:
    """py3langid's (label, confidence) for each text, computed for all texts at once (texts
    over `_LONGEST` bytes one by one, with `classify`)."""
    data = [model.encode(text) for text in texts]
    lengths = np.fromiter(map(len, data), dtype=np.int64, count=len(data))
    probabilities = _probabilities(model, data, lengths)
    best = probabilities.argmax(axis=1)
    labels = np.array(model.classes, dtype=object)[best].tolist()
    answers = list(zip(labels, probabilities[np.arange(len(data)), best].tolist(), strict=True))
    for i in np.flatnonzero(lengths > _LONGEST).tolist():
        answers[i] = _langid_reference(texts[i])
    return answers


def _probabilities(model: _Model, data: list[bytes], lengths: _Ints) -> NDArray[np.float32]:
    """py3langid's normalised scores of each text (texts over `_LONGEST` bytes left out)."""
    scores = np.zeros((len(data), len(model.classes)), dtype=np.float32)
    longest_first = np.argsort(-lengths, kind="stable")
    longest_first = longest_first[lengths[longest_first] <= _LONGEST]
    sorted_lengths = lengths[longest_first]
    text_bytes = np.frombuffer(b"".join([data[i] for i in longest_first.tolist()]), np.uint8)
    offsets = np.concatenate(([0], np.cumsum(sorted_lengths)))
    for start, stop in _chunks(sorted_lengths):
        chunk_bytes = text_bytes[offsets[start] : offsets[stop]]
        scores[longest_first[start:stop]] = _raw_scores(
            model, chunk_bytes, sorted_lengths[start:stop]
        )
    _normalise(model, scores, lengths)
    return scores


def _chunks(lengths: _Ints) -> Iterator[tuple[int, int]]:
    """(start, stop) of chunks of `lengths` (longest first) of about `_WALK_CELLS` cells
    (texts x longest bytes), or `_WALK_TEXTS` texts if more."""
    start = 0
    while start < len(lengths):
        size = max(_WALK_TEXTS, _WALK_CELLS // max(1, int(lengths[start])))
        stop = min(len(lengths), start + size)
        yield start, stop
        start = stop


def _raw_scores(
    model: _Model, text_bytes: NDArray[np.uint8], lengths: _Ints
) -> NDArray[np.float32]:
    """py3langid's scores before normalisation of the texts of a chunk (concatenated in
    `text_bytes`, longest first): the features' log1p(count) times their log-probabilities,
    plus the priors; 0 for a text without features."""
    features = _count_features(model, text_bytes, lengths)
    scores = np.zeros((len(lengths), len(model.classes)), dtype=np.float32)
    weights = np.log1p(features.occurrences.astype(np.float32))
    start = 0
    for stop in (np.flatnonzero(np.diff(features.size, append=-1)) + 1).tolist():
        size = int(features.size[start])  # each text of features[start:stop] has `size`
        rows = np.take(model.ptc, features.feature[start:stop], axis=0)
        stacked = weights[start:stop].reshape(-1, 1, size) @ rows.reshape(-1, size, rows.shape[1])
        scores[features.text[start:stop:size]] = stacked[:, 0, :] + model.pc
        start = stop
    return scores


def _count_features(model: _Model, text_bytes: NDArray[np.uint8], lengths: _Ints) -> _Features:
    """Each text's feature counts, in the order py3langid's Counter holds them, texts by
    number of features. Features, (text, position) cells, counts and sizes are packed into
    int64 keys (at most 47 bits for texts up to `_LONGEST` bytes in chunks of `_WALK_CELLS`
    cells or `_WALK_TEXTS` texts) and sorted twice: by (feature, text, position) to count
    the features, then by (size, text, position of the first visit) to order them."""
    position_bits = int(lengths.max(initial=0)).bit_length()  # also holds counts and sizes
    cell_bits = position_bits + len(lengths).bit_length()
    visited = model.output[_walk(model, text_bytes, lengths)]  # positions x texts
    keys = visited.astype(np.int64) << cell_bits  # negative where no feature
    keys |= np.arange(len(lengths), dtype=np.int64) << position_bits
    keys |= np.arange(len(visited), dtype=np.int64)[:, None]
    keys = np.sort(keys, axis=None)  # by feature, then text, then position
    keys = keys[np.searchsorted(keys, 0) :]
    runs = np.flatnonzero(np.diff(keys >> position_bits, prepend=-1))  # (feature, text)
    first = keys[runs] & ((1 << cell_bits) - 1)  # the cell where each is first met
    sizes = np.bincount(first >> position_bits, minlength=len(lengths))
    ordered = (sizes[first >> position_bits] << cell_bits | first) << position_bits
    ordered |= np.diff(runs, append=len(keys))
    ordered.sort()  # by size, then text, then first visit
    mask = (1 << position_bits) - 1
    cell = ordered >> position_bits & ((1 << cell_bits) - 1)
    text, position = cell >> position_bits, cell & mask
    return _Features(
        ordered >> (cell_bits + position_bits), text, visited[position, text], ordered & mask
    )


def _walk(model: _Model, text_bytes: NDArray[np.uint8], lengths: _Ints) -> _Ints:
    """The DFA state entered at each byte position (rows) of each text (columns, longest
    first); past a text's end, a state without output."""
    width = int(lengths.max(initial=0))
    columns = np.zeros((width, len(lengths)), dtype=np.uint8)
    columns.T[np.arange(width) < lengths[:, None]] = text_bytes
    running = len(lengths) - np.searchsorted(lengths[::-1], np.arange(width), side="right")
    states = np.full((width, len(lengths)), len(model.output) - 1, dtype=model.nextmove.dtype)
    previous = np.zeros(len(lengths), dtype=model.nextmove.dtype)
    index = np.empty(len(lengths), dtype=model.rowbase.dtype)
    for position, count in enumerate(running.tolist()):
        np.take(model.rowbase, previous[:count], out=index[:count], mode="clip")
        index[:count] += columns[position, :count]
        np.take(model.nextmove, index[:count], out=states[position, :count], mode="clip")
        previous = states[position]
    return states


def _normalise(model: _Model, scores: NDArray[np.float32], lengths: _Ints) -> None:
    """py3langid's normalisation, in place and in float32 as it does it."""
    scores *= (1.0 / np.sqrt(np.maximum(lengths, 1))).astype(np.float32)[:, None]
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    for first, duplicate in model.aliases:
        scores[:, first] += scores[:, duplicate]
        scores[:, duplicate] = 0.0


# --- detection ------------------------------------------------------------------------------
def _rule_detection(profile: _Profile) -> Detection | None:
    """The detection decided by marsad's own rules, or None when py3langid must decide."""
    script = profile.script
    if script == "und":
        return Detection("und", "und", 0.0)
    if script == "arabizi":
        return Detection("ar", script, profile.arabizi_share)
    minimum = MIN_LATIN_LETTERS if script == "latn" else MIN_LETTERS
    if profile.letters < minimum:
        return Detection("und", script, 0.0)
    if script not in ("arab", "hebr"):
        return None
    lang = "he" if script == "hebr" else _arabic_lang(profile.text)
    return Detection(lang, script, profile.letters / profile.total)


def _langid_detection(script: str, answer: tuple[str, float]) -> Detection:
    lang, confidence = answer
    if confidence < MIN_CONFIDENCE:
        return Detection("und", script, 0.0)
    return Detection(lang, script, confidence)


def detect_language(text: str) -> Detection:
    """The language of `text` as an ISO 639-1 code, with its script and a confidence."""
    profile = _profile(text)
    detection = _rule_detection(profile)
    if detection is not None:
        return detection
    return _langid_detection(profile.script, _langid_reference(profile.text))


def detect_languages(texts: Sequence[str]) -> list[Detection]:
    """`detect_language` of each text, with py3langid run once for the whole batch: the
    same answers, at a fraction of the cost for Latin, Cyrillic and other-script posts."""
    profiles = [_profile(text) for text in texts]
    detections = [_rule_detection(profile) for profile in profiles]
    pending = [
        profile.text for profile, found in zip(profiles, detections, strict=True) if found is None
    ]
    answers = iter(_classify_many(pending))
    return [
        found if found is not None else _langid_detection(profile.script, next(answers))
        for profile, found in zip(profiles, detections, strict=True)
    ]
