"""One X API v1.1 tweet object -> one Post: shared by `x.v1` and `x.archive.v1`.

The account archive holds the same tweet objects as the v1.1 API, less the `user` object and
with the counts as strings, so both formats map tweets here. Ids and links follow `x.v2`
(`id_str` as the post id, `https://x.com/<handle>/status/<id>`), so a tweet imported from any
of the three formats is the same warehouse row.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, NamedTuple

import orjson

from marsad.ingest.base import Context
from marsad.ingest.fields import JsonObject, as_digits_count, as_list, as_object, as_str
from marsad.posts import Media, Metrics, Post, PostError, Source

PLATFORM = "x"
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_DAYS = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
# "Wed Oct 10 20:19:24 +0000 2018", the date form of the v1.1 API and of the archive.
_V1_TIME = re.compile(
    _DAYS + r" ([A-Z][a-z]{2}) (\d\d) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d) (\d{4})"
)
V1_TIME_IN_JSON = re.compile(
    rb'"created_at"\s*:\s*"' + _DAYS.encode() + rb" [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d [+-]\d{4}"
)
_METRICS = {
    "likes": "favorite_count",
    "shares": "retweet_count",
    "replies": "reply_count",
    "quotes": "quote_count",
}

# text, entities, extended_entities, the prefix of their field names in errors
TextParts = tuple[str | None, JsonObject, JsonObject, str]


class Author(NamedTuple):
    """Who posted a tweet: the v1.1 `user` object, or the archive's account."""

    id: str | None
    handle: str | None
    name: str | None


NO_AUTHOR = Author(None, None, None)


def map_tweet(tweet: JsonObject, author: Author, record: int, ctx: Context) -> Post:
    """The Post for one v1.1 tweet object by `author` (pure)."""
    post_id = ident(tweet.get("id_str"), "id_str")
    if not post_id:
        raise PostError("id_str: missing")
    original = _retweeted(tweet)
    content, prefix = (original, "retweeted_status.") if original else (tweet, "")
    text, entities, extended, where = _text_and_entities(content, prefix)
    return Post(
        platform=PLATFORM,
        post_id=post_id,
        collected_at=ctx.collected_at,
        text=text,
        url=tweet_url(author.handle, post_id),
        author_id=author.id,
        author_handle=author.handle,
        author_name=author.name,
        created_at=created_at(tweet.get("created_at")),
        hashtags=_entity_values(entities, "hashtags", "text", where),
        mentions=_entity_values(entities, "user_mentions", "screen_name", where),
        urls=_urls(entities, where),
        media=_media(extended, entities, where),
        reply_to=ident(tweet.get("in_reply_to_status_id_str"), "in_reply_to_status_id_str"),
        quote_of=None if original else _quote_of(tweet),
        repost_of=ident(original.get("id_str"), "retweeted_status.id_str") if original else None,
        metrics=_metrics(tweet),
        source=Source(ctx.file, record),
        dataset=ctx.dataset,
        raw=orjson.dumps(tweet).decode(),
    )


def user_author(tweet: JsonObject) -> Author:
    """The author from the tweet's own `user` object (v1.1 API)."""
    user = as_object(tweet.get("user"), "user")
    return Author(
        ident(user.get("id_str"), "user.id_str"),
        as_str(user.get("screen_name"), "user.screen_name"),
        as_str(user.get("name"), "user.name"),
    )


def tweet_url(handle: str | None, post_id: str) -> str:
    """The public link, exactly as x.v2 builds it."""
    return f"https://x.com/{handle or 'i/web'}/status/{post_id}"


def _retweeted(tweet: JsonObject) -> JsonObject:
    return as_object(tweet.get("retweeted_status"), "retweeted_status")


def _text_and_entities(content: JsonObject, prefix: str) -> TextParts:
    """The full text, and the entities, extended entities and field prefix that belong to
    it: from `extended_tweet` (streaming, compat mode), else `full_text`
    (tweet_mode=extended), else `text`."""
    extended_tweet = as_object(content.get("extended_tweet"), prefix + "extended_tweet")
    full = as_str(extended_tweet.get("full_text"), prefix + "extended_tweet.full_text")
    if full is not None:
        return (full, *_entities(extended_tweet, prefix + "extended_tweet."))
    text = as_str(content.get("full_text"), prefix + "full_text")
    if text is None:
        text = as_str(content.get("text"), prefix + "text")
    return (text, *_entities(content, prefix))


def _entities(holder: JsonObject, prefix: str) -> tuple[JsonObject, JsonObject, str]:
    return (
        as_object(holder.get("entities"), prefix + "entities"),
        as_object(holder.get("extended_entities"), prefix + "extended_entities"),
        prefix,
    )


def _entity_values(entities: JsonObject, kind: str, key: str, prefix: str) -> list[str]:
    field = f"{prefix}entities.{kind}[]"
    values = (
        as_str(as_object(entry, field).get(key), f"{field}.{key}")
        for entry in as_list(entities.get(kind), f"{prefix}entities.{kind}")
    )
    return [value for value in values if value]


def _urls(entities: JsonObject, prefix: str) -> list[str]:
    field = f"{prefix}entities.urls[]"
    found: list[str] = []
    for entry in as_list(entities.get("urls"), f"{prefix}entities.urls"):
        entry = as_object(entry, field)
        expanded = as_str(entry.get("expanded_url"), field + ".expanded_url")
        value = expanded or as_str(entry.get("url"), field + ".url")
        if value:
            found.append(value)
    return found


def _media(extended: JsonObject, entities: JsonObject, prefix: str) -> list[Media]:
    """Every attachment (`extended_entities.media`), else the first one (`entities.media`)."""
    field = "extended_entities.media"
    items = as_list(extended.get("media"), prefix + field)
    if not items:
        field = "entities.media"
        items = as_list(entities.get("media"), prefix + field)
    return [_one_media(as_object(entry, f"{prefix}{field}[]"), prefix + field) for entry in items]


def _one_media(entry: JsonObject, field: str) -> Media:
    url = as_str(entry.get("media_url_https"), field + "[].media_url_https")
    url = url or as_str(entry.get("media_url"), field + "[].media_url")
    return Media(as_str(entry.get("type"), field + "[].type") or "unknown", url)


def _quote_of(tweet: JsonObject) -> str | None:
    quoted = ident(tweet.get("quoted_status_id_str"), "quoted_status_id_str")
    if quoted:
        return quoted
    embedded = as_object(tweet.get("quoted_status"), "quoted_status")
    return ident(embedded.get("id_str"), "quoted_status.id_str")


def _metrics(tweet: JsonObject) -> Metrics:
    return Metrics(**{name: as_digits_count(tweet.get(key), key) for name, key in _METRICS.items()})


# --- dates ------------------------------------------------------------------


def created_at(value: Any) -> datetime | None:
    """X's v1.1 form "Wed Oct 10 20:19:24 +0000 2018" (ISO 8601 also accepted), as UTC."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise PostError(f"created_at: {value!r} is not a date")
    try:
        match = _V1_TIME.fullmatch(value.strip())
        if match:
            return _v1_time(match)
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError, KeyError):
        raise PostError(f"created_at: cannot parse {value!r}") from None


def _v1_time(match: re.Match[str]) -> datetime:
    month, day, hour, minute, second, sign, off_h, off_m, year = match.groups()
    offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (-1 if sign == "-" else 1)
    local = datetime(
        int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second),
        tzinfo=timezone(offset),
    )  # fmt: skip
    return local.astimezone(UTC)


# --- typed access to parsed JSON ------------------------------------------------------------


def ident(value: Any, field: str) -> str | None:
    """An id given as a string (`id_str`); numbers are refused: JSON tools that read them as
    floating point have already changed them."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    raise PostError(f"{field}: {value!r} is not an id string")
