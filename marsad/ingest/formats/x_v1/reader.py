"""X API v1.1 tweets (`x.v1`): tweet objects as JSON or JSONL.

A file is one JSON document (a tweet from statuses/show, an array of tweets from
user_timeline or statuses/lookup, a search/tweets response with `statuses` and
`search_metadata`, or an array of those) or JSONL where each line is one of these: a stream
as the streaming API, twarc1 or tweepy's `_json` save it. Each tweet becomes one Item whose
raw value is the tweet object. Stream notices (`delete`, `limit`, `scrub_geo`, ...) are not
posts: they are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.fields import JsonObject, json_type
from marsad.ingest.formats.x_v1.tweet import (
    PLATFORM,
    V1_TIME_IN_JSON,
    map_tweet,
    user_author,
)
from marsad.ingest.jsonfile import JSON_NAMES, first_value, json_head, read_json_records
from marsad.posts import Post

__all__ = ["PLATFORM", "map_item", "read", "sniff", "tweets_in"]

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
    if not sample.name.lower().endswith(JSON_NAMES):
        return False
    head = json_head(sample.head)
    if not head.startswith((b"{", b"[")):
        return False
    if b'"id_str"' in head and V1_TIME_IN_JSON.search(head) is not None:
        return b'"text"' in head or b'"full_text"' in head
    return _starts_with_notice(head)


def _starts_with_notice(head: bytes) -> bool:
    """The first line is a `delete` or `limit` message of the streaming API."""
    value = first_value(head)
    if not isinstance(value, dict) or len(value) != 1:
        return False
    inner = value.get("delete", value.get("limit"))
    return isinstance(inner, dict) and ("status" in inner or "track" in inner)


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per tweet; a Reject for a line or document that is not usable JSON."""
    return read_json_records(source, tweets_in)


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
