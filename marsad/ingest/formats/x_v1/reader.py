"""X API v1.1 tweets (`x.v1`): tweet objects as JSON or JSONL.

A file is one JSON document (a tweet from statuses/show, an array of tweets from
user_timeline or statuses/lookup, a search/tweets response with `statuses` and
`search_metadata`, or an array of those) or JSONL where each line is one of these: a stream
as the streaming API, twarc1 or tweepy's `_json` save it. Each tweet becomes one Item whose
raw value is the tweet object. Stream notices (`delete`, `limit`, `scrub_geo`, ...) are not
posts: they are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile, excerpt
from marsad.ingest.formats.x_v1.tweet import (
    PLATFORM,
    V1_TIME_IN_JSON,
    JsonObject,
    json_type,
    map_tweet,
    user_author,
)
from marsad.ingest.sources import READ_ERRORS, iter_lines
from marsad.posts import Post

__all__ = ["LINE_NAMES", "PLATFORM", "map_item", "read", "sniff", "tweets_in"]

NAMES = (".json", ".jsonl", ".ndjson")
LINE_NAMES = (".jsonl", ".ndjson")
_BOM = b"\xef\xbb\xbf"
# Messages of the streaming API that are not tweets.
NOTICE_KEYS = frozenset(
    {
        "delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "disconnect",
        "warning", "friends", "friends_str", "event", "control",
    }
)  # fmt: skip
_TWEET_KEYS = ("id_str", "full_text", "text", "user", "created_at")


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .json/.jsonl/.ndjson file whose head holds v1.1 tweets (`id_str` and a
    `created_at` like "Wed Oct 10 20:19:24 +0000 2018") or starts with a stream notice."""
    if not sample.name.lower().endswith(NAMES):
        return False
    head = sample.head.removeprefix(_BOM).lstrip()
    if not head.startswith((b"{", b"[")):
        return False
    if b'"id_str"' in head and V1_TIME_IN_JSON.search(head) is not None:
        return b'"text"' in head or b'"full_text"' in head
    return _starts_with_notice(head)


def _starts_with_notice(head: bytes) -> bool:
    """The first line is a `delete` or `limit` message of the streaming API."""
    try:
        value = orjson.loads(head.split(b"\n", 1)[0])
    except orjson.JSONDecodeError:
        return False
    if not isinstance(value, dict) or len(value) != 1:
        return False
    inner = value.get("delete", value.get("limit"))
    return isinstance(inner, dict) and ("status" in inner or "track" in inner)


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per tweet; a Reject for a line or document that is not usable JSON."""
    if source.name.lower().endswith(LINE_NAMES):
        yield from _read_lines(source)
    else:
        yield from _read_document(source)


def _read_lines(source: SourceFile) -> Iterator[Item | Reject]:
    for entry in iter_lines(source):
        if isinstance(entry, Reject):
            yield entry
        else:
            yield from _line_entries(source.name, *entry)


def _line_entries(name: str, line_no: int, line: bytes) -> Iterator[Item | Reject]:
    if not line.strip():
        return
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        yield Reject(name, line_no, f"malformed JSON in line {line_no}: {exc}", excerpt(line))
        return
    for entry in tweets_in(value):
        yield Item(line_no, entry) if isinstance(entry, dict) else Reject(name, line_no, entry)


def _read_document(source: SourceFile) -> Iterator[Item | Reject]:
    try:
        with source.open() as stream:
            data = stream.read().removeprefix(_BOM)
    except READ_ERRORS as exc:
        reason = f"cannot read the rest of the file: {type(exc).__name__}: {exc}"
        yield Reject(source.name, 1, reason)
        return
    if not data.strip():
        return
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        yield from _not_a_document(source.name, data, exc)
        return
    yield from _numbered(source.name, tweets_in(value))


def _not_a_document(name: str, data: bytes, exc: orjson.JSONDecodeError) -> Iterator[Item | Reject]:
    """JSONL saved as .json is read line by line; anything else is a broken document."""
    lines = data.splitlines()
    if len(lines) > 1 and _parses(lines[0]):
        for line_no, line in enumerate(lines, 1):
            yield from _line_entries(name, line_no, line)
        return
    reason = f"malformed or truncated JSON document (line {exc.lineno}): {exc}"
    yield Reject(name, exc.lineno, reason, excerpt(data[-200:]))


def _parses(line: bytes) -> bool:
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def _numbered(name: str, entries: Iterable[JsonObject | str]) -> Iterator[Item | Reject]:
    for number, entry in enumerate(entries, 1):
        yield Item(number, entry) if isinstance(entry, dict) else Reject(name, number, entry)


def tweets_in(value: Any) -> Iterator[JsonObject | str]:
    """The tweets of a parsed JSON value (tweet, search response, stream notice or an array
    of those), or a reason string for each part that is not usable."""
    for element in value if isinstance(value, list) else [value]:
        if not isinstance(element, dict):
            yield f"expected a tweet or a search response, found {json_type(element)}"
        elif "statuses" in element:
            yield from _statuses(element["statuses"])
        elif not _is_notice(element):
            yield _tweet(element)


def _statuses(statuses: Any) -> Iterator[JsonObject | str]:
    if not isinstance(statuses, list):
        yield f'"statuses" is {json_type(statuses)}, not a list of tweets'
        return
    for tweet in statuses:
        yield tweet if isinstance(tweet, dict) else f'"statuses" holds {json_type(tweet)}'


def _is_notice(element: JsonObject) -> bool:
    return any(key in NOTICE_KEYS for key in element) and "id_str" not in element


def _tweet(element: JsonObject) -> JsonObject | str:
    """A tweet, also wrapped as {"tweet": {...}} (an archive's tweets.js turned into JSON)."""
    wrapped = element.get("tweet")
    if len(element) == 1 and isinstance(wrapped, dict):
        return wrapped
    if any(key in element for key in _TWEET_KEYS):
        return element
    return "an object that is neither a tweet nor a search response (no id_str, text or user)"


# --- map_item ----------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one tweet (pure)."""
    tweet = item.raw
    if not isinstance(tweet, dict):
        raise TypeError("x.v1 items hold a tweet object")
    return map_tweet(tweet, user_author(tweet), item.record, ctx)
