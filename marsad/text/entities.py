"""Hashtags, mentions and URLs found in a post's text.

Each list keeps the order of first appearance, drops exact repeats, and keeps the spelling
as written (no case change, no '#' or '@').

- URLs: `http://`, `https://` (any case) and `www.` addresses, made of ASCII URL characters
  and letters and digits of any script (so they end at whitespace, quotes, angle brackets,
  Arabic punctuation, emoji or invisible controls); trailing punctuation
  (`. , ! ? ; : … ) ] } ' "` and their Arabic and typographic forms) is not part of the URL,
  except a closing parenthesis that closes one opened inside it (Wikipedia-style links).
  URLs are found first and blanked out, so a '#' or '@' inside one is never an entity.
- Hashtags: '#' or '＃' followed by letters, digits and underscores of any script, with the
  script's combining marks (harakat, niqqud, Indic vowel signs), tatweel, ZWNJ/ZWJ, and
  Hebrew geresh, gershayim and maqaf between Hebrew letters (#צה״ל). Rules as on X: the
  '#' must not follow a letter, digit, '_' or '&' (so "abc#def" and "&#39;" are not tags),
  and the tag needs at least one letter (#123 is not a tag).
- Mentions: '@' or '＠' + [A-Za-z0-9_] (handles on X, Instagram and Telegram are Latin),
  not preceded by a letter, digit or '_' (so user@example.org is not a mention).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

__all__ = [
    "Entities",
    "extract_entities",
    "extract_hashtags",
    "extract_mentions",
    "extract_urls",
    "remove_urls_and_mentions",
    "split_entities",
]


def _mark_ranges() -> str:
    """A character-class body with every combining mark (Mn, Mc, Me) of the BMP."""
    marks = [c for c in range(0x10000) if unicodedata.category(chr(c)).startswith("M")]
    ranges: list[str] = []
    start = previous = marks[0]
    for code in [*marks[1:], -1]:
        if code != previous + 1:
            ranges.append(f"\\u{start:04x}-\\u{previous:04x}")
            start = code
        previous = code
    return "".join(ranges)


_MARKS = _mark_ranges()
_HEBREW_LETTER = "\u05d0-\u05ea"
# Runs of word characters and marks, Hebrew punctuation between Hebrew letters, and ZWNJ or
# ZWJ before a word character. (A run inside the group keeps the repeat a fast C loop.)
_TAG_PART = (
    f"[\\w{_MARKS}]+"
    f"|(?<=[{_HEBREW_LETTER}])[\u05f3\u05f4\u05be](?=[{_HEBREW_LETTER}])"
    "|[\u200c\u200d](?=\\w)"
)
_HASHTAG_RE = re.compile(f"[#＃](?<![\\w&{_MARKS}][#＃])((?:{_TAG_PART})+)")
_LETTER_RE = re.compile(r"[^\W\d_]")
_MENTION_RE = re.compile(r"[@＠](?<![\w@＠][@＠])([A-Za-z0-9_]+)")

# The characters a URL may hold: ASCII ones, and letters and digits of any script (IRIs). So
# a URL ends at whitespace, quotes, angle brackets, Arabic punctuation, invisible controls
# and emoji.
_URL_CHAR = r"[\w\-.~:/?#\[\]@!$&'()*+,;=%]"
# The pattern starts with a plain class so that the regex engine skips ahead in C to the
# next h or w; the lookbehinds then check which prefix it is.
_URL_RE = re.compile(
    r"([HhWw](?:(?<=[Hh])[Tt][Tt][Pp][Ss]?://|(?<![\w.@/-][Ww])(?<=[Ww])[Ww][Ww]\.)(?=\w)"
    f"{_URL_CHAR}+)"
)
_URL_TRAILING = ".,;:!?…}'\"*~—–»”’؟،؛۔"
_URL_CLOSERS = {")": "(", "]": "["}


class Entities(NamedTuple):
    hashtags: list[str]
    mentions: list[str]
    urls: list[str]


def extract_entities(text: str) -> Entities:
    """Hashtags, mentions and URLs of `text`, each list in order and without repeats."""
    rest, urls = _split_urls(text)
    return Entities(_hashtags(rest), _mentions(rest), urls)


def split_entities(text: str) -> tuple[Entities, str]:
    """`extract_entities(text)` and `remove_urls_and_mentions(text)` in one pass."""
    rest, urls = _split_urls(text)
    mentions = _mentions(rest)
    entities = Entities(_hashtags(rest), mentions, urls)
    return entities, (_MENTION_RE.sub(" ", rest) if mentions else rest)


def extract_hashtags(text: str) -> list[str]:
    return _hashtags(_split_urls(text)[0])


def extract_mentions(text: str) -> list[str]:
    return _mentions(_split_urls(text)[0])


def extract_urls(text: str) -> list[str]:
    return _split_urls(text)[1]


def remove_urls_and_mentions(text: str) -> str:
    """`text` with every URL and @mention replaced by a space (for language detection)."""
    rest = _split_urls(text)[0]
    if "@" not in rest and "＠" not in rest:
        return rest
    return _MENTION_RE.sub(" ", rest)


def _might_hold_url(text: str) -> bool:
    return "://" in text or "ww." in text or "WW." in text or "Ww." in text or "wW." in text


def _split_urls(text: str) -> tuple[str, list[str]]:
    """The text with its URLs blanked out, and the URLs (trimmed, de-duplicated)."""
    if not _might_hold_url(text):
        return text, []
    parts = _URL_RE.split(text)  # text, URL, text, URL, ..., text
    if len(parts) == 1:
        return text, []
    return " ".join(parts[0::2]), _unique([_trim_url(url) for url in parts[1::2]])


def _trim_url(url: str) -> str:
    """The URL without trailing punctuation; a ')' stays when it closes a '(' in the URL."""
    url = url.rstrip(_URL_TRAILING)
    while url[-1] in _URL_CLOSERS and url.count(_URL_CLOSERS[url[-1]]) < url.count(url[-1]):
        url = url[:-1].rstrip(_URL_TRAILING)
    return url


def _hashtags(text: str) -> list[str]:
    if "#" not in text and "＃" not in text:
        return []
    tags = [tag for tag in _HASHTAG_RE.findall(text) if tag[0].isalpha() or _LETTER_RE.search(tag)]
    return _unique(tags)


def _mentions(text: str) -> list[str]:
    if "@" not in text and "＠" not in text:
        return []
    return _unique(_MENTION_RE.findall(text))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items)) if len(items) > 1 else items
