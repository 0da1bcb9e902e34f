"""Telethon `Message` objects, one JSON object per line.

Each line is what `message.to_json()` writes (Telethon's own encoder: dates as ISO strings,
bytes as base64) or `json.dumps(message.to_dict(), default=str)` (dates as
"2025-01-02 10:00:00+00:00"), possibly with a top-level `"_chat": {"id", "username",
"title"}` that marsad's collector adds so that public links can be built. A `.json` file
holding a JSON array of such objects is read too. Service messages and empty messages are
skipped, not rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile, excerpt
from marsad.ingest.fields import JsonObject, as_count, as_list, as_object, as_str, json_type
from marsad.ingest.formats.telegram import reader as tg
from marsad.ingest.jsonfile import BOM
from marsad.ingest.sources import READ_ERRORS, iter_lines, read_sample
from marsad.posts import Media, Metrics, Post, PostError, Source

NAMES = (".jsonl", ".ndjson", ".json")
LINE_NAMES = (".jsonl", ".ndjson")
MESSAGE = "Message"
SKIPPED = ("MessageService", "MessageEmpty")
_SNIFF_LINES = 5
_ARRAY_OF_MESSAGES = re.compile(rb'\[\s*\{\s*"_":\s*"Message(?:Service)?"')
_PEER_KEYS = {"PeerChannel": "channel_id", "PeerChat": "chat_id", "PeerUser": "user_id"}
_MEDIA = {
    "MessageMediaPhoto": "photo",
    "MessageMediaPoll": "poll",
    "MessageMediaGeo": "location",
    "MessageMediaGeoLive": "location",
    "MessageMediaVenue": "location",
    "MessageMediaContact": "contact",
}
_NOT_MEDIA = ("MessageMediaEmpty", "MessageMediaWebPage")  # a link preview is not an upload


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A JSON-lines file whose first lines are Telethon messages, or a .json array of them."""
    if not sample.name.lower().endswith(NAMES):
        return False
    head = sample.head.removeprefix(BOM).lstrip()
    if head.startswith(b"["):
        return bool(_ARRAY_OF_MESSAGES.match(head))
    lines = [line for line in head.split(b"\n") if line.strip()][:_SNIFF_LINES]
    return any(looks_like_message(_parsed(line)) for line in lines)


def _parsed(line: bytes) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return None


def looks_like_message(value: Any) -> bool:
    """A Telethon Message (or MessageService) object as to_json()/to_dict() write it."""
    if not isinstance(value, dict):
        return False
    return value.get("_") in (MESSAGE, "MessageService") and "id" in value and "peer_id" in value


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per Message line (or array element); a Reject for what is not one."""
    if source.name.lower().endswith(".json") and _is_array(source):
        yield from _read_array(source)
        return
    for entry in iter_lines(source):
        if isinstance(entry, Reject):
            yield entry
            continue
        line_no, line = entry
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            reason = f"malformed JSON in line {line_no}: {exc}"
            yield Reject(source.name, line_no, reason, excerpt(line))
            continue
        yield from _entry(source.name, line_no, value)


def _is_array(source: SourceFile) -> bool:
    return read_sample(source).head.removeprefix(BOM).lstrip().startswith(b"[")


def _read_array(source: SourceFile) -> Iterator[Item | Reject]:
    try:
        with source.open() as stream:
            data = stream.read().removeprefix(BOM)
        values = orjson.loads(data)
    except READ_ERRORS as exc:
        yield Reject(source.name, 1, f"cannot read the file: {type(exc).__name__}: {exc}")
        return
    except orjson.JSONDecodeError as exc:
        reason = f"malformed or truncated JSON document (line {exc.lineno}): {exc}"
        yield Reject(source.name, exc.lineno, reason, excerpt(data[-200:]))
        return
    for number, value in enumerate(values if isinstance(values, list) else [values], 1):
        yield from _entry(source.name, number, value)


def _entry(name: str, record: int, value: Any) -> Iterator[Item | Reject]:
    if not isinstance(value, dict):
        reason = f"expected a Telethon message object, found {json_type(value)}"
        yield Reject(name, record, reason, excerpt(tg.shown(value)))
        return
    kind = value.get("_")
    if kind in SKIPPED:
        return
    if kind != MESSAGE:
        reason = f'not a Telethon Message ("_" is {kind!r})'
        yield Reject(name, record, reason, excerpt(tg.shown(value)))
        return
    yield Item(record, value)


# --- map_item ----------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one Telethon Message (pure)."""
    message = _record(item.raw)
    chat_id = _peer(message.get("peer_id"), "peer_id")
    if chat_id is None:
        raise PostError("peer_id: missing")
    message_id = tg.id_text(message.get("id"), "id")
    if message_id is None:
        raise PostError("id: missing")
    chat = as_object(message.get("_chat"), "_chat")
    username = as_str(chat.get("username"), "_chat.username")
    body = as_str(message.get("message"), "message")
    entities = _entities(message, body or "")
    author_id, handle, name = _author(message, chat_id, chat)
    reply = _reply(message, chat_id)
    return Post(
        platform=tg.PLATFORM,
        post_id=tg.message_key(chat_id, message_id),
        collected_at=ctx.collected_at,
        text=body or None,
        url=tg.public_url(username, message_id),
        author_id=author_id,
        author_handle=handle,
        author_name=name,
        created_at=_date(message.get("date"), "date"),
        hashtags=entities["hashtags"],
        mentions=entities["mentions"],
        urls=entities["urls"],
        media=_media(message.get("media")),
        reply_to=reply[0],
        repost_of=_repost_of(message.get("fwd_from")),
        conversation_id=reply[1],
        metrics=_metrics(message),
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=tg.raw_json(message),
    )


def _record(raw: Any) -> JsonObject:
    if not isinstance(raw, dict):
        raise TypeError("telegram.telethon.v1 items hold a Message object")
    return raw


def _peer(value: Any, field: str) -> str | None:
    """The bare id of a PeerChannel / PeerChat / PeerUser object."""
    if value is None:
        return None
    peer = as_object(value, field)
    key = _PEER_KEYS.get(as_str(peer.get("_"), f"{field}._") or "")
    if key is None:
        raise PostError(f"{field}: {peer.get('_')!r} is not a PeerChannel, PeerChat or PeerUser")
    return tg.id_text(peer.get(key), f"{field}.{key}")


def _author(
    message: JsonObject, chat_id: str, chat: JsonObject
) -> tuple[str, str | None, str | None]:
    """The sender (`from_id`), else the chat itself (a channel post, a private chat);
    handle and name are known from `_chat` when the sender is the chat."""
    author_id = _peer(message.get("from_id"), "from_id") or chat_id
    if author_id != chat_id:
        return author_id, None, None
    handle = as_str(chat.get("username"), "_chat.username")
    return (
        author_id,
        handle.removeprefix("@") if handle else None,
        as_str(chat.get("title"), "_chat.title"),
    )


def _date(value: Any, field: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return tg.from_unixtime(value, field)
    return tg.from_iso(value, field)


def _reply(message: JsonObject, chat_id: str) -> tuple[str | None, str | None]:
    """(reply_to, conversation_id) from the MessageReplyHeader; a reply to a story is not
    a reply to a post."""
    header = as_object(message.get("reply_to"), "reply_to")
    if header.get("_") == "MessageReplyStoryHeader":
        return None, None
    chat = _peer(header.get("reply_to_peer_id"), "reply_to.reply_to_peer_id") or chat_id
    reply_id = tg.id_text(header.get("reply_to_msg_id"), "reply_to.reply_to_msg_id")
    top_id = tg.id_text(header.get("reply_to_top_id"), "reply_to.reply_to_top_id")
    return (
        tg.message_key(chat, reply_id) if reply_id else None,
        tg.message_key(chat, top_id) if top_id else None,
    )


def _repost_of(value: Any) -> str | None:
    """The original channel post of a forward, when the header names it."""
    header = as_object(value, "fwd_from")
    origin = _peer(header.get("from_id"), "fwd_from.from_id")
    post = tg.id_text(header.get("channel_post"), "fwd_from.channel_post")
    return tg.message_key(origin, post) if origin and post else None


def _metrics(message: JsonObject) -> Metrics:
    replies = message.get("replies")
    return Metrics(
        likes=_reactions(message.get("reactions")),
        shares=as_count(message.get("forwards"), "forwards"),
        replies=None
        if replies is None
        else as_count(as_object(replies, "replies").get("replies"), "replies.replies"),
        views=as_count(message.get("views"), "views"),
    )


def _reactions(value: Any) -> int | None:
    """The total count of all reactions (MessageReactions.results[].count)."""
    if value is None:
        return None
    results = as_list(as_object(value, "reactions").get("results"), "reactions.results")
    counts = [
        as_count(as_object(r, "reactions.results[]").get("count"), "reactions.results[].count")
        for r in results
    ]
    return tg.total(counts, "reactions")


# --- entities and media ------------------------------------------------------------------


def _entities(message: JsonObject, body: str) -> dict[str, list[str]]:
    """Hashtags, mentions and urls from the message's entities (UTF-16 offsets)."""
    found: dict[str, list[str]] = {"hashtags": [], "mentions": [], "urls": []}
    for entity in as_list(message.get("entities"), "entities"):
        entity = as_object(entity, "entities[]")
        kind = entity.get("_")
        if kind == "MessageEntityTextUrl":
            found["urls"].append(as_str(entity.get("url"), "entities[].url") or "")
        elif kind in ("MessageEntityHashtag", "MessageEntityMention", "MessageEntityUrl"):
            _add_span(found, kind, _span(entity, body))
    return {name: [v for v in values if v] for name, values in found.items()}


def _span(entity: JsonObject, body: str) -> str:
    offset = as_count(entity.get("offset"), "entities[].offset") or 0
    length = as_count(entity.get("length"), "entities[].length") or 0
    return tg.utf16_slice(body, offset, length)


def _add_span(found: dict[str, list[str]], kind: str, value: str) -> None:
    if kind == "MessageEntityHashtag":
        found["hashtags"].append(tg.without_prefix(value, "#"))
    elif kind == "MessageEntityMention":
        found["mentions"].append(tg.without_prefix(value, "@"))
    else:
        found["urls"].append(value)


def _media(value: Any) -> list[Media]:
    """The attachment's kind; Telegram media have no public urls."""
    media = as_object(value, "media")
    kind = as_str(media.get("_"), "media._")
    if not kind or kind in _NOT_MEDIA:
        return []
    if kind == "MessageMediaDocument":
        return [Media(_document_kind(as_object(media.get("document"), "media.document")))]
    return [Media(_MEDIA.get(kind) or kind.removeprefix("MessageMedia").lower() or "other")]


def _document_kind(document: JsonObject) -> str:
    attributes = [
        as_object(a, "media.document.attributes[]")
        for a in as_list(document.get("attributes"), "media.document.attributes")
    ]
    kinds = {a.get("_"): a for a in attributes}
    if "DocumentAttributeSticker" in kinds:
        return "sticker"
    if "DocumentAttributeAnimated" in kinds:
        return "animation"
    if "DocumentAttributeVideo" in kinds:
        return "video_message" if kinds["DocumentAttributeVideo"].get("round_message") else "video"
    if "DocumentAttributeAudio" in kinds:
        return "voice_message" if kinds["DocumentAttributeAudio"].get("voice") else "audio"
    return "file"
