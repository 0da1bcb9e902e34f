"""TikTok Research API responses: /v2/research/video/query/ and /v2/research/video/comment/list/.

A file is one JSON document (a response, a bare video or comment object, or an array of
those) or JSON lines where every line is a response or a bare video or comment object (what
research tools write after taking `data.videos` / `data.comments` out of the responses).
Every video and every comment becomes one Item whose raw value is a `TikTokRecord`. A
response whose `error.code` is not "ok" is a Reject naming the code and the message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.fields import (
    as_digits_count,
    as_id,
    as_list,
    as_str,
    json_type,
)
from marsad.ingest.jsonfile import (
    BOM,
    JSON_NAMES,
    LINE_NAMES,
    first_value,
    read_json_records,
)
from marsad.posts import Media, Metrics, Post, PostError, Source

PLATFORM = "tiktok"
_RESPONSE = re.compile(rb'"log_id"\s*:')
_VIDEO_KEYS = frozenset(
    {
        "video_description",
        "hashtag_names",
        "region_code",
        "music_id",
        "voice_to_text",
        "effect_ids",
        "is_stem_verified",
        "playlist_id",
        "video_duration",
        "favorites_count",
    }
)
_VIDEO_BYTES = (b'"video_description"', b'"hashtag_names"', b'"region_code"', b'"music_id"')
_LISTS = (("videos", "video"), ("comments", "comment"))

JsonObject = dict[str, Any]


class TikTokRecord(NamedTuple):
    """One video or comment object as the Research API returns it."""

    kind: str  # "video" or "comment"
    record: JsonObject


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .json/.jsonl/.ndjson file whose head holds Research API responses or its video or
    comment objects."""
    if not sample.name.lower().endswith(JSON_NAMES):
        return False
    head = sample.head.removeprefix(BOM).lstrip()
    if not head.startswith((b"{", b"[")):
        return False
    if _RESPONSE.search(head) and b'"error"' in head and b'"code"' in head:
        return True
    first = first_value(head)
    if isinstance(first, dict):
        return record_kind(first) is not None
    return _array_of_records(head)


def _array_of_records(head: bytes) -> bool:
    """A .json array of video or comment objects (its head may stop inside the array)."""
    if not head.startswith(b"[") or b'"create_time"' not in head:
        return False
    return b'"parent_comment_id"' in head or any(key in head for key in _VIDEO_BYTES)


def record_kind(value: JsonObject) -> str | None:
    """ "video" or "comment" for a bare Research API object, else None."""
    if "create_time" not in value or not ("id" in value or "video_id" in value):
        return None
    if "parent_comment_id" in value or ("text" in value and "video_id" in value):
        return "comment"
    return "video" if _VIDEO_KEYS.intersection(value) else None


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per video or comment; a Reject for what is not usable."""
    return read_json_records(source, records_in)


def records_in(value: Any) -> Iterator[TikTokRecord | str]:
    """The records of a parsed JSON value (a response, a bare object, or a list of those)."""
    for element in value if isinstance(value, list) else [value]:
        if not isinstance(element, dict):
            yield f"expected a response, a video or a comment, found {json_type(element)}"
        elif "data" in element or "error" in element:
            yield from _response_records(element)
        else:
            yield _bare_record(element)


def _bare_record(element: JsonObject) -> TikTokRecord | str:
    kind = record_kind(element)
    if kind is None:
        return "an object that is neither a response nor a video or comment object"
    return TikTokRecord(kind, element)


def _response_records(response: JsonObject) -> Iterator[TikTokRecord | str]:
    problem = _error(response.get("error"))
    if problem:
        yield problem
    data = response.get("data")
    if data is None or data == {}:
        return
    if not isinstance(data, dict):
        yield f'"data" is {json_type(data)}, not an object'
        return
    for key, kind in _LISTS:
        yield from _listed(data.get(key), key, kind)


def _error(error: Any) -> str:
    """'' for a successful response ("code": "ok" or no error), else the reason."""
    if error is None:
        return ""
    if not isinstance(error, dict):
        return f'"error" is {json_type(error)}, not an object'
    code = error.get("code")
    if code == "ok":
        return ""
    message = error.get("message")
    return f"an error response: code {code!r}, message {message!r}, log_id {error.get('log_id')!r}"


def _listed(entries: Any, key: str, kind: str) -> Iterator[TikTokRecord | str]:
    if entries is None:
        return
    if not isinstance(entries, list):
        yield f'"data.{key}" is {json_type(entries)}, not a list'
        return
    for entry in entries:
        if isinstance(entry, dict):
            yield TikTokRecord(kind, entry)
        else:
            yield f'"data.{key}" holds {json_type(entry)}, not an object'


# --- map_item ----------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one video or comment (pure)."""
    raw = item.raw
    if not isinstance(raw, TikTokRecord) or not isinstance(raw.record, dict):
        raise TypeError("tiktok.research.v2 items hold a TikTokRecord")
    if raw.kind == "video":
        return _video_post(raw.record, item, ctx)
    return _comment_post(raw.record, item, ctx)


def _video_post(video: JsonObject, item: Item, ctx: Context) -> Post:
    # The API reference names a video's id "id"; its own example says "video_id".
    post_id = as_id(video.get("id"), "id") or as_id(video.get("video_id"), "video_id")
    if not post_id:
        raise PostError("id: missing")
    username = _username(video.get("username"))
    return Post(
        platform=PLATFORM,
        post_id=post_id,
        collected_at=ctx.collected_at,
        text=as_str(video.get("video_description"), "video_description"),
        url=f"https://www.tiktok.com/@{username}/video/{post_id}" if username else None,
        author_handle=username,
        created_at=_created(video.get("create_time")),
        hashtags=_names(video.get("hashtag_names"), "hashtag_names", "#"),
        mentions=_names(video.get("video_mention_list"), "video_mention_list", "@"),
        media=[Media("video")],
        conversation_id=post_id,
        metrics=Metrics(
            likes=as_digits_count(video.get("like_count"), "like_count"),
            shares=as_digits_count(video.get("share_count"), "share_count"),
            replies=as_digits_count(video.get("comment_count"), "comment_count"),
            views=as_digits_count(video.get("view_count"), "view_count"),
        ),
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=orjson.dumps(video).decode(),
    )


def _comment_post(comment: JsonObject, item: Item, ctx: Context) -> Post:
    post_id = as_id(comment.get("id"), "id")
    if not post_id:
        raise PostError("id: missing")
    video_id = as_id(comment.get("video_id"), "video_id")
    parent = as_id(comment.get("parent_comment_id"), "parent_comment_id")
    return Post(
        platform=PLATFORM,
        post_id=post_id,
        collected_at=ctx.collected_at,
        text=as_str(comment.get("text"), "text"),
        created_at=_created(comment.get("create_time")),
        reply_to=_parent(parent, video_id),
        conversation_id=video_id,
        metrics=Metrics(
            likes=as_digits_count(comment.get("like_count"), "like_count"),
            replies=as_digits_count(comment.get("reply_count"), "reply_count"),
        ),
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=orjson.dumps(comment).decode(),
    )


def _parent(parent: str | None, video_id: str | None) -> str | None:
    """The comment replied to. A top-level comment's parent_comment_id is its video's id (or
    0): the comment replies to no other comment."""
    return None if parent in (video_id, "0") else parent


def _username(value: Any) -> str | None:
    username = as_str(value, "username")
    return username.removeprefix("@") or None if username else None


def _names(value: Any, field: str, mark: str) -> list[str]:
    """Hashtag or user names, without a leading "#" / "@", empty ones dropped."""
    names = [as_str(name, f"{field}[]") for name in as_list(value, field)]
    return [name.removeprefix(mark) for name in names if name and name != mark]


def _created(value: Any) -> datetime | None:
    """create_time: UTC Unix time in seconds."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise PostError(f"create_time: {value!r} is not a Unix time")
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise PostError(f"create_time: {value!r} is out of range") from None


__all__ = ["LINE_NAMES", "PLATFORM", "TikTokRecord", "map_item", "read", "records_in", "sniff"]
