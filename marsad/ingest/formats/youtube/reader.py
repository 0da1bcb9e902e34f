"""YouTube Data API v3 responses: commentThreads.list, comments.list and videos.list.

A file is one JSON document (a response, a bare resource, or an array of those) or JSON lines
where every line is a response or a bare resource. Every video, every top-level comment of a
comment thread and every reply the thread includes becomes one Item whose raw value is a
`YouTubeRecord`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any, NamedTuple
from urllib.parse import unquote

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.fields import (
    as_digits_count,
    as_id,
    as_iso_time,
    as_object,
    as_str,
    json_type,
)
from marsad.ingest.jsonfile import (
    BOM,
    JSON_NAMES,
    LINE_NAMES,
    read_json_records,
)
from marsad.posts import Media, Metrics, Post, PostError, Source

PLATFORM = "youtube"
WATCH_URL = "https://www.youtube.com/watch?v="
_KIND = re.compile(rb'"kind"\s*:\s*"youtube#(commentThread|comment|video)(ListResponse)?"')
# A Google API error about YouTube: {"error": {"errors": [{"domain": "youtube.quota", ...}]}}
_YOUTUBE_ERROR = re.compile(rb'"domain"\s*:\s*"youtube\.')
_LIST_KINDS = {
    "youtube#commentThreadListResponse",
    "youtube#commentListResponse",
    "youtube#videoListResponse",
}
_THUMBNAILS = ("maxres", "standard", "high", "medium", "default")
_HANDLE_IN_URL = re.compile(r"/@([^/?#]+)")
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)

JsonObject = dict[str, Any]


class YouTubeRecord(NamedTuple):
    """One video or comment. `video_id` and `reply_count` come from the comment thread that
    held the comment (None otherwise); `raw` is what the Post keeps as its raw JSON."""

    kind: str  # "video" or "comment"
    resource: JsonObject
    video_id: Any = None
    reply_count: Any = None
    raw: Any = None


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .json/.jsonl/.ndjson file whose head holds YouTube videos, comments or threads."""
    if not sample.name.lower().endswith(JSON_NAMES):
        return False
    head = sample.head.removeprefix(BOM).lstrip()
    if not head.startswith((b"{", b"[")):
        return False
    return _KIND.search(head) is not None or _YOUTUBE_ERROR.search(head) is not None


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per video or comment; a Reject for what is not usable."""
    return read_json_records(source, records_in)


def records_in(value: Any) -> Iterator[YouTubeRecord | str]:
    """The records of a parsed JSON value (a response, a resource, or a list of those)."""
    for element in value if isinstance(value, list) else [value]:
        if not isinstance(element, dict):
            yield f"expected a response or a resource object, found {json_type(element)}"
        elif "error" in element and "items" not in element:
            yield _error_reason(element["error"])
        elif element.get("kind") in _LIST_KINDS or "items" in element:
            yield from _page_records(element)
        else:
            yield from _resource_records(element)


def _error_reason(error: Any) -> str:
    if not isinstance(error, dict):
        return f"an error response: {error!r}"[:300]
    return f"an error response: code {error.get('code')!r}, message {error.get('message')!r}"


def _page_records(page: JsonObject) -> Iterator[YouTubeRecord | str]:
    items = page.get("items")
    if items is None:
        return
    if not isinstance(items, list):
        yield f'"items" is {json_type(items)}, not a list of resources'
        return
    for item in items:
        if isinstance(item, dict):
            yield from _resource_records(item)
        else:
            yield f'"items" holds {json_type(item)}, not a resource object'


def _resource_records(item: JsonObject) -> Iterator[YouTubeRecord | str]:
    kind = item.get("kind") or _guess_kind(item)
    if kind == "youtube#commentThread":
        yield from _thread_records(item)
    elif kind == "youtube#comment":
        yield YouTubeRecord("comment", item, raw=item)
    elif kind == "youtube#video":
        yield YouTubeRecord("video", item, raw=item)
    else:
        yield f"a resource of kind {kind!r}, not a video, comment or comment thread"


def _guess_kind(item: JsonObject) -> str | None:
    """The kind of a resource saved without its "kind" (fields= left it out)."""
    snippet = item.get("snippet")
    if not isinstance(snippet, dict):
        return None
    if "topLevelComment" in snippet:
        return "youtube#commentThread"
    if "textOriginal" in snippet or "textDisplay" in snippet:
        return "youtube#comment"
    return "youtube#video" if "title" in snippet else None


def _thread_records(thread: JsonObject) -> Iterator[YouTubeRecord | str]:
    """The top-level comment of a thread, then the replies the thread includes."""
    snippet = thread.get("snippet")
    top = snippet.get("topLevelComment") if isinstance(snippet, dict) else None
    if not isinstance(snippet, dict) or not isinstance(top, dict):
        yield "a comment thread without a snippet.topLevelComment object"
        return
    video_id = snippet.get("videoId")
    kept = {key: value for key, value in thread.items() if key != "replies"}
    yield YouTubeRecord("comment", top, video_id, snippet.get("totalReplyCount"), kept)
    replies = thread.get("replies")
    comments = replies.get("comments") if isinstance(replies, dict) else None
    for reply in comments if isinstance(comments, list) else []:
        if isinstance(reply, dict):
            yield YouTubeRecord("comment", reply, video_id, raw=reply)
        else:
            yield f"a thread's replies hold {json_type(reply)}, not a comment object"


# --- map_item ----------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one video or comment (pure)."""
    record = _record(item.raw)
    if record.kind == "video":
        return _video_post(record, item, ctx)
    return _comment_post(record, item, ctx)


def _record(raw: Any) -> YouTubeRecord:
    if not isinstance(raw, YouTubeRecord) or not isinstance(raw.resource, dict):
        raise TypeError("youtube.v3 items hold a YouTubeRecord")
    return raw


def _post_id(resource: JsonObject) -> str:
    post_id = as_id(resource.get("id"), "id")
    if not post_id:
        raise PostError("id: missing")
    return post_id


def _video_post(record: YouTubeRecord, item: Item, ctx: Context) -> Post:
    video = record.resource
    post_id = _post_id(video)
    snippet = as_object(video.get("snippet"), "snippet")
    return Post(
        platform=PLATFORM,
        post_id=post_id,
        collected_at=ctx.collected_at,
        text=_video_text(snippet),
        url=WATCH_URL + post_id,
        author_id=as_str(snippet.get("channelId"), "snippet.channelId"),
        author_name=as_str(snippet.get("channelTitle"), "snippet.channelTitle"),
        created_at=as_iso_time(snippet.get("publishedAt"), "snippet.publishedAt"),
        media=[Media("video", _thumbnail(snippet))],
        conversation_id=post_id,
        metrics=_video_metrics(as_object(video.get("statistics"), "statistics")),
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=orjson.dumps(record.raw).decode(),
    )


def _video_text(snippet: JsonObject) -> str | None:
    """Title, a blank line, description; either alone when the other is empty."""
    title = as_str(snippet.get("title"), "snippet.title")
    description = as_str(snippet.get("description"), "snippet.description")
    parts = [part for part in (title, description) if part]
    return "\n\n".join(parts) if parts else None


def _thumbnail(snippet: JsonObject) -> str | None:
    thumbnails = as_object(snippet.get("thumbnails"), "snippet.thumbnails")
    for size in _THUMBNAILS:
        thumbnail = as_object(thumbnails.get(size), f"snippet.thumbnails.{size}")
        url = as_str(thumbnail.get("url"), f"snippet.thumbnails.{size}.url")
        if url:
            return url
    return None


def _video_metrics(statistics: JsonObject) -> Metrics:
    return Metrics(
        likes=as_digits_count(statistics.get("likeCount"), "statistics.likeCount"),
        replies=as_digits_count(statistics.get("commentCount"), "statistics.commentCount"),
        views=as_digits_count(statistics.get("viewCount"), "statistics.viewCount"),
    )


def _comment_post(record: YouTubeRecord, item: Item, ctx: Context) -> Post:
    comment = record.resource
    post_id = _post_id(comment)
    snippet = as_object(comment.get("snippet"), "snippet")
    video_id = as_id(snippet.get("videoId"), "snippet.videoId") or as_id(
        record.video_id, "thread snippet.videoId"
    )
    handle, name = _author(snippet)
    return Post(
        platform=PLATFORM,
        post_id=post_id,
        collected_at=ctx.collected_at,
        text=_comment_text(snippet),
        url=f"{WATCH_URL}{video_id}&lc={post_id}" if video_id else None,
        author_id=_author_id(snippet.get("authorChannelId")),
        author_handle=handle,
        author_name=name,
        created_at=as_iso_time(snippet.get("publishedAt"), "snippet.publishedAt"),
        reply_to=as_id(snippet.get("parentId"), "snippet.parentId"),
        conversation_id=video_id,
        metrics=Metrics(
            likes=as_digits_count(snippet.get("likeCount"), "snippet.likeCount"),
            replies=as_digits_count(record.reply_count, "thread snippet.totalReplyCount"),
        ),
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=orjson.dumps(record.raw).decode(),
    )


def _comment_text(snippet: JsonObject) -> str | None:
    """textOriginal; without it, textDisplay with its HTML turned back into plain text."""
    original = as_str(snippet.get("textOriginal"), "snippet.textOriginal")
    if original is not None:
        return original
    shown = as_str(snippet.get("textDisplay"), "snippet.textDisplay")
    return None if shown is None else html.unescape(_TAG.sub("", _BREAK.sub("\n", shown)))


def _author(snippet: JsonObject) -> tuple[str | None, str | None]:
    """(handle, name). Since 2024 authorDisplayName is the author's "@handle"; older
    responses hold the channel's display name, and the handle only shows in the channel URL."""
    shown = as_str(snippet.get("authorDisplayName"), "snippet.authorDisplayName")
    if shown and shown.startswith("@") and len(shown) > 1:
        return shown[1:], None
    url = as_str(snippet.get("authorChannelUrl"), "snippet.authorChannelUrl") or ""
    found = _HANDLE_IN_URL.search(url)
    return (unquote(found.group(1)) if found else None), shown or None


def _author_id(value: Any) -> str | None:
    """authorChannelId is {"value": "UC..."} (a bare string in old responses)."""
    if isinstance(value, dict):
        return as_str(value.get("value"), "snippet.authorChannelId.value")
    return as_str(value, "snippet.authorChannelId")


__all__ = ["LINE_NAMES", "PLATFORM", "YouTubeRecord", "map_item", "read", "records_in", "sniff"]
