"""X API v2 responses: response pages (or bare tweet objects) as JSON or JSONL.

A file is either one JSON document (a response page, a bare tweet, or an array of those) or
JSONL where every line is a response page or a bare tweet object. Each tweet in a page's
`data` becomes one Item whose raw value is `XRecord(tweet, includes)`, `includes` being the
page's expansions indexed by id (users, tweets) and by media_key (media).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile, excerpt
from marsad.ingest.fields import JsonObject, as_count, as_id, as_list, as_object, as_str, json_type
from marsad.ingest.sources import READ_ERRORS, iter_lines
from marsad.posts import Media, Metrics, Post, PostError, Source

PLATFORM = "x"
NAMES = (".json", ".jsonl", ".ndjson")
LINE_NAMES = (".jsonl", ".ndjson")
_BOM = b"\xef\xbb\xbf"
_X_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
_PAGE_KEYS = ("data", "includes", "meta", "errors")
_METRICS = {
    "likes": "like_count",
    "shares": "retweet_count",
    "replies": "reply_count",
    "quotes": "quote_count",
    "views": "impression_count",
}
_REFERENCE_TYPES = {"replied_to": "reply_to", "quoted": "quote_of", "retweeted": "repost_of"}


class Includes(NamedTuple):
    """A page's expansions: users and tweets by id, media by media_key."""

    users: Mapping[str, JsonObject]
    tweets: Mapping[str, JsonObject]
    media: Mapping[str, JsonObject]


NO_INCLUDES = Includes({}, {}, {})


class XRecord(NamedTuple):
    """One tweet and the expansions of the page it came in."""

    tweet: JsonObject
    includes: Includes


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .json/.jsonl/.ndjson file whose head holds tweets (in pages or bare)."""
    if not sample.name.lower().endswith(NAMES):
        return False
    head = sample.head.removeprefix(_BOM).lstrip()
    if not head.startswith((b"{", b"[")):
        return False
    return _has_page_of_tweets(head) or _is_empty_page(head) or _first_line_is_tweet(head)


def _has_page_of_tweets(head: bytes) -> bool:
    if b'"text"' not in head or b'"id"' not in head:
        return False
    return b'"edit_history_tweet_ids"' in head or (b'"data"' in head and b'"author_id"' in head)


def _is_empty_page(head: bytes) -> bool:
    """An errors-only page (X problem types) or a page of zero results."""
    if b'"errors"' in head and b"/2/problems/" in head:
        return True
    return b'"meta"' in head and b'"result_count"' in head and b'"data"' not in head


def _first_line_is_tweet(head: bytes) -> bool:
    try:
        value = orjson.loads(head.split(b"\n", 1)[0])
    except orjson.JSONDecodeError:
        return False
    return isinstance(value, dict) and looks_like_tweet(value)


def looks_like_tweet(value: JsonObject) -> bool:
    """A bare X v2 tweet object, told apart from a generic {"id", "text"} row."""
    if "id" not in value or "text" not in value:
        return False
    if "edit_history_tweet_ids" in value:
        return True
    created = value.get("created_at")
    if isinstance(created, str) and _X_TIME.fullmatch(created):
        return True
    tweet_id = value["id"]
    return "author_id" in value and isinstance(tweet_id, str) and tweet_id.isdigit()


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per tweet; a Reject for a line or document that is not usable JSON."""
    if source.name.lower().endswith(LINE_NAMES):
        yield from _read_stream_lines(source)
    else:
        yield from _read_document(source)


def _read_stream_lines(source: SourceFile) -> Iterator[Item | Reject]:
    for entry in iter_lines(source):
        if isinstance(entry, Reject):
            yield entry
        else:
            yield from _line_entries(source.name, *entry)


def _unreadable(name: str, record: int, exc: Exception) -> Reject:
    return Reject(name, record, f"cannot read the rest of the file: {type(exc).__name__}: {exc}")


def _line_entries(name: str, line_no: int, line: bytes) -> Iterator[Item | Reject]:
    if line_no == 1:
        line = line.removeprefix(_BOM)
    if not line.strip():
        return
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        yield Reject(name, line_no, f"malformed JSON in line {line_no}: {exc}", excerpt(line))
        return
    for entry in tweets_in(value):
        yield Item(line_no, entry) if isinstance(entry, XRecord) else Reject(name, line_no, entry)


def _read_document(source: SourceFile) -> Iterator[Item | Reject]:
    try:
        with source.open() as stream:
            data = stream.read().removeprefix(_BOM)
    except READ_ERRORS as exc:
        yield _unreadable(source.name, 1, exc)
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


def _numbered(name: str, entries: Iterable[XRecord | str]) -> Iterator[Item | Reject]:
    for number, entry in enumerate(entries, 1):
        yield Item(number, entry) if isinstance(entry, XRecord) else Reject(name, number, entry)


def tweets_in(value: Any) -> Iterator[XRecord | str]:
    """The tweets of a parsed JSON value (page, tweet, or a list of those) with their page's
    includes, or a reason string for each part that is not usable."""
    for element in value if isinstance(value, list) else [value]:
        if not isinstance(element, dict):
            yield f"expected a response page or a tweet object, found {json_type(element)}"
        elif any(key in element for key in _PAGE_KEYS):
            yield from _page_tweets(element)
        elif "id" in element and "text" in element:
            yield XRecord(element, NO_INCLUDES)
        else:
            yield "an object that is neither a response page nor a tweet (no data, no id/text)"


def _page_tweets(page: JsonObject) -> Iterator[XRecord | str]:
    data = page.get("data")
    if data is None:  # an errors-only page, or an empty result page
        return
    if isinstance(data, dict):  # single-tweet lookup: GET /2/tweets/:id
        data = [data]
    if not isinstance(data, list):
        yield f'"data" is {json_type(data)}, not a list of tweets'
        return
    includes = _includes(page.get("includes"))
    for tweet in data:
        if isinstance(tweet, dict):
            yield XRecord(tweet, includes)
        else:
            yield f'"data" holds {json_type(tweet)}, not a tweet object'


def _includes(value: Any) -> Includes:
    if not isinstance(value, dict):
        return NO_INCLUDES
    return Includes(
        users=_index(value.get("users"), "id"),
        tweets=_index(value.get("tweets"), "id"),
        media=_index(value.get("media"), "media_key"),
    )


def _index(entries: Any, key: str) -> dict[str, JsonObject]:
    if not isinstance(entries, list):
        return {}
    return {e[key]: e for e in entries if isinstance(e, dict) and isinstance(e.get(key), str)}


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one tweet (pure)."""
    tweet, includes = _record(item.raw)
    post_id = as_id(tweet.get("id"), "id")
    if not post_id:
        raise PostError("id: missing")
    author_id = as_id(tweet.get("author_id"), "author_id")
    user = _user(tweet, author_id, includes)
    handle = as_str(user.get("username"), "author.username")
    refs = _references(tweet)
    content = _content(tweet, refs.get("repost_of"), includes)
    text, entities = _text_and_entities(content)
    return Post(
        platform=PLATFORM,
        post_id=post_id,
        collected_at=ctx.collected_at,
        text=text,
        url=_url(handle, post_id),
        author_id=author_id,
        author_handle=handle,
        author_name=as_str(user.get("name"), "author.name"),
        created_at=_created_at(tweet.get("created_at")),
        hashtags=_entity_values(entities, "hashtags", ("tag",)),
        mentions=_entity_values(entities, "mentions", ("username",)),
        urls=_entity_values(entities, "urls", ("expanded_url", "url")),
        media=_media(content, tweet, includes),
        reply_to=refs.get("reply_to"),
        quote_of=refs.get("quote_of"),
        repost_of=refs.get("repost_of"),
        conversation_id=as_id(tweet.get("conversation_id"), "conversation_id"),
        metrics=_metrics(as_object(tweet.get("public_metrics"), "public_metrics")),
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=orjson.dumps(tweet).decode(),
    )


def _record(raw: Any) -> XRecord:
    if not isinstance(raw, tuple) or len(raw) != 2:
        raise TypeError("x.v2 items hold (tweet, includes)")
    tweet, includes = raw
    if not isinstance(tweet, dict) or not isinstance(includes, Includes):
        raise TypeError("x.v2 items hold (tweet object, Includes)")
    return XRecord(tweet, includes)


def _user(tweet: JsonObject, author_id: str | None, includes: Includes) -> JsonObject:
    """The author from the page's includes, else an embedded "author" object (twarc2 flat)."""
    user = includes.users.get(author_id) if author_id else None
    return user if isinstance(user, dict) else as_object(tweet.get("author"), "author")


def _url(handle: str | None, post_id: str) -> str:
    return f"https://x.com/{handle or 'i/web'}/status/{post_id}"


def _references(tweet: JsonObject) -> dict[str, str]:
    """{"reply_to" | "quote_of" | "repost_of": tweet id} from referenced_tweets."""
    found: dict[str, str] = {}
    for ref in as_list(tweet.get("referenced_tweets"), "referenced_tweets"):
        ref = as_object(ref, "referenced_tweets[]")
        field = _REFERENCE_TYPES.get(as_str(ref.get("type"), "referenced_tweets[].type") or "")
        ref_id = as_id(ref.get("id"), "referenced_tweets[].id")
        if field and ref_id:
            found.setdefault(field, ref_id)
    return found


def _content(tweet: JsonObject, repost_of: str | None, includes: Includes) -> JsonObject:
    """The tweet whose text a post shows: for a repost, the original when it was included."""
    original = includes.tweets.get(repost_of) if repost_of else None
    return original if isinstance(original, dict) else tweet


def _text_and_entities(tweet: JsonObject) -> tuple[str | None, JsonObject]:
    """The full text (note_tweet for long posts) and the entities that belong to it."""
    note = as_object(tweet.get("note_tweet"), "note_tweet")
    note_text = as_str(note.get("text"), "note_tweet.text")
    if note_text:
        return note_text, as_object(note.get("entities"), "note_tweet.entities")
    return as_str(tweet.get("text"), "text"), as_object(tweet.get("entities"), "entities")


def _entity_values(entities: JsonObject, kind: str, keys: tuple[str, ...]) -> list[str]:
    values: list[str] = []
    for entry in as_list(entities.get(kind), f"entities.{kind}"):
        entry = as_object(entry, f"entities.{kind}[]")
        found = [v for v in (as_str(entry.get(k), f"entities.{kind}[].{k}") for k in keys) if v]
        if found:
            values.append(found[0])
    return values


def _media(content: JsonObject, tweet: JsonObject, includes: Includes) -> list[Media]:
    keys = _media_keys(content) or (_media_keys(tweet) if content is not tweet else [])
    return [_one_media(key, includes) for key in keys]


def _media_keys(tweet: JsonObject) -> list[str]:
    attachments = as_object(tweet.get("attachments"), "attachments")
    keys = as_list(attachments.get("media_keys"), "attachments.media_keys")
    return [as_str(key, "attachments.media_keys[]") or "" for key in keys]


def _one_media(key: str, includes: Includes) -> Media:
    """A media expansion; a key the page did not include stays as type "unknown"."""
    media = includes.media.get(key)
    if not isinstance(media, dict):
        return Media("unknown")
    url = as_str(media.get("url"), "media.url") or as_str(
        media.get("preview_image_url"), "media.preview_image_url"
    )
    return Media(as_str(media.get("type"), "media.type") or "unknown", url)


def _metrics(public: JsonObject) -> Metrics:
    counts = {
        name: as_count(public.get(key), f"public_metrics.{key}") for name, key in _METRICS.items()
    }
    return Metrics(**counts)


def _created_at(value: Any) -> datetime | None:
    """ISO 8601 as X writes it ("2025-03-01T10:20:30.000Z"); X times are UTC, so a value
    without a zone is taken as UTC."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise PostError(f"created_at: {value!r} is not a date")
    try:
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise PostError(f"created_at: cannot parse {value!r}") from None
