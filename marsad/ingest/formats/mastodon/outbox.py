"""A Mastodon account archive's ActivityPub `outbox.json` (`mastodon.outbox.v1`).

The outbox is one JSON document, an `OrderedCollection` whose `orderedItems` are the account's
activities: `Create` (a post: the `Note` in `object`) and `Announce` (a boost: `object` is the
boosted post's URI). Each activity is one record, numbered by its position in `orderedItems`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.fields import (
    JsonObject,
    as_count,
    as_iso_time,
    as_list,
    as_object,
    as_str,
    json_type,
)
from marsad.ingest.formats.mastodon import html
from marsad.ingest.formats.mastodon.reader import (
    PLATFORM,
    actor_of,
    full_acct,
    handle_of_actor,
    host,
)
from marsad.ingest.jsonfile import FOREIGN_WRAPPERS, json_head, read_json_records
from marsad.posts import Media, Metrics, Post, PostError, Source

_ACTIVITY = re.compile(rb'"type"\s*:\s*"(?:Create|Announce)"')
_EMPTY = re.compile(rb'"orderedItems"\s*:\s*\[\s*\]')
_POST_TYPES = ("Note", "Question", "Article", "Page")
_QUOTE_KEYS = ("quote", "quoteUri", "quoteUrl", "_misskey_quote")
_MEDIA_KINDS = ("image", "video", "audio")


# --- sniff and read ----------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .json OrderedCollection of Create/Announce activities (or an empty one)."""
    if not sample.name.lower().endswith(".json"):
        return False
    head = json_head(sample.head)
    if not head.startswith(b"{") or any(w in head for w in FOREIGN_WRAPPERS):
        return False
    if b'"orderedItems"' not in head or b'"OrderedCollection' not in head:
        return False
    return bool(_ACTIVITY.search(head) or _EMPTY.search(head))


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    return read_json_records(source, activities_in)


def activities_in(value: Any) -> Iterator[JsonObject | str]:
    """The activities of an outbox, or a reason for each part that is not one."""
    items = value.get("orderedItems") if isinstance(value, dict) else None
    if not isinstance(items, list):
        yield "not an ActivityPub outbox: no orderedItems array"
        return
    for activity in items:
        if not isinstance(activity, dict):
            yield f"orderedItems holds {json_type(activity)}, not an activity"
        elif activity.get("type") not in ("Create", "Announce"):
            kind = activity.get("type")
            yield f"activity type {kind!r} is not a post (Create) or a boost (Announce)"
        else:
            yield activity


# --- map_item ----------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one Create or Announce activity (pure)."""
    activity = item.raw
    if not isinstance(activity, dict):
        raise TypeError("mastodon.outbox.v1 items hold an activity object")
    fields = _boost(activity) if activity.get("type") == "Announce" else _note(activity)
    return Post(
        platform=PLATFORM,
        collected_at=ctx.collected_at,
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=orjson.dumps(activity).decode(),
        **fields,
    )


def _boost(activity: JsonObject) -> dict[str, Any]:
    """An Announce: a post without text whose repost_of is the boosted post's URI."""
    post_id = as_str(activity.get("id"), "id")
    if not post_id:
        raise PostError("id: missing")
    actor = as_str(activity.get("actor"), "actor")
    target = activity.get("object")
    boosted = as_str(
        as_object(target, "object").get("id") if isinstance(target, dict) else target, "object"
    )
    return {
        "post_id": post_id,
        "author_id": actor,
        "author_handle": handle_of_actor(actor),
        "created_at": as_iso_time(activity.get("published"), "published"),
        "repost_of": boosted,
    }


def _note(activity: JsonObject) -> dict[str, Any]:
    note = as_object(activity.get("object"), "object")
    if note.get("type") not in _POST_TYPES:
        raise PostError(f"object.type: {note.get('type')!r} is not a Note")
    post_id = as_str(note.get("id"), "object.id")
    if not post_id:
        raise PostError("object.id: missing")
    actor = as_str(note.get("attributedTo"), "object.attributedTo") or as_str(
        activity.get("actor"), "actor"
    )
    content = _content(note)
    body, links = _body(note, content)
    return {
        "post_id": post_id,
        "url": _url(note.get("url")),
        "author_id": actor,
        "author_handle": handle_of_actor(actor or actor_of(post_id)),
        "created_at": as_iso_time(note.get("published") or activity.get("published"), "published"),
        "text": body,
        "hashtags": [name.removeprefix("#") for name in _tags(note, "Hashtag")],
        "mentions": _mentions(note),
        "urls": links,
        "media": _media(note),
        "reply_to": as_str(note.get("inReplyTo"), "object.inReplyTo"),
        "quote_of": _quote(note),
        "metrics": _metrics(note),
    }


def _content(note: JsonObject) -> str:
    """The HTML content (else the only value of contentMap)."""
    content_map = as_object(note.get("contentMap"), "object.contentMap")
    content = as_str(note.get("content"), "object.content")
    if content is None and content_map:
        content = as_str(next(iter(content_map.values())), "object.contentMap")
    return content or ""


def _body(note: JsonObject, content: str) -> tuple[str | None, list[str]]:
    """The text: the content warning (summary), a blank line, then the content."""
    plain, links = html.to_text(content)
    warning = (as_str(note.get("summary"), "object.summary") or "").strip()
    body = f"{warning}\n\n{plain}" if warning and plain else warning or plain
    return body or None, links


def _url(value: Any) -> str | None:
    """`url` is a string in Mastodon; other servers may give a Link object or a list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("href")
    return as_str(value, "object.url")


def _tags(note: JsonObject, kind: str) -> Iterator[str]:
    for tag in as_list(note.get("tag"), "object.tag"):
        tag = as_object(tag, "object.tag[]")
        name = as_str(tag.get("name"), "object.tag[].name")
        if tag.get("type") == kind and name:
            yield name


def _mentions(note: JsonObject) -> list[str]:
    """`user@domain` of each Mention tag; a local mention ("@bob") gets its href's host."""
    found: list[str] = []
    for tag in as_list(note.get("tag"), "object.tag"):
        tag = as_object(tag, "object.tag[]")
        name = as_str(tag.get("name"), "object.tag[].name")
        if tag.get("type") == "Mention" and name:
            href = as_str(tag.get("href"), "object.tag[].href")
            found.append(full_acct(name, host(href, "object.tag[].href")))
    return found


def _media(note: JsonObject) -> list[Media]:
    media: list[Media] = []
    for entry in as_list(note.get("attachment"), "object.attachment"):
        entry = as_object(entry, "object.attachment[]")
        mime = as_str(entry.get("mediaType"), "object.attachment[].mediaType") or ""
        kind = mime.split("/", 1)[0]
        url = as_str(entry.get("url"), "object.attachment[].url")
        media.append(Media(kind if kind in _MEDIA_KINDS else "unknown", url))
    return media


def _quote(note: JsonObject) -> str | None:
    for key in _QUOTE_KEYS:
        value = as_str(note.get(key), f"object.{key}")
        if value:
            return value
    return None


def _metrics(note: JsonObject) -> Metrics:
    """likes / shares from the `likes` and `shares` collections' totalItems, when given."""
    return Metrics(likes=_total(note, "likes"), shares=_total(note, "shares"))


def _total(note: JsonObject, key: str) -> int | None:
    """A collection's totalItems; a collection given only by its URI counts nothing."""
    collection = note.get(key)
    if not isinstance(collection, dict):
        return None
    return as_count(collection.get("totalItems"), f"object.{key}.totalItems")
