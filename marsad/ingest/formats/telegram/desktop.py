"""Telegram Desktop exports in machine-readable JSON (`result.json`).

Two layouts: one chat ("Export chat history": `{"name", "type", "id", "messages": [...]}`)
or the whole account ("Export Telegram data": `{"about", "personal_information", "chats":
{"about", "list": [chat, ...]}, "left_chats": {...}}`). The file is one JSON document and is
parsed whole. Each message is one record, numbered by its position among all messages of the
file (1, 2, ...); service messages (joins, pins, title changes) are skipped, not rejected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile, excerpt
from marsad.ingest.fields import JsonObject, as_count, as_list, as_object, as_str, json_type
from marsad.ingest.formats.telegram import reader as tg
from marsad.ingest.jsonfile import BOM
from marsad.ingest.sources import READ_ERRORS
from marsad.posts import Media, Metrics, Post, PostError, Source

NAMES = (".json",)
CHAT_TYPES = (
    "personal_chat", "bot_chat", "saved_messages", "replies", "verification_codes",
    "private_group", "private_supergroup", "public_supergroup",
    "private_channel", "public_channel",
)  # fmt: skip
CHANNEL_TYPES = ("private_channel", "public_channel")
CHAT_LISTS = ("chats", "left_chats")
_TYPES = b"|".join(t.encode() for t in CHAT_TYPES)
_SINGLE_CHAT = re.compile(
    rb'\{\s*(?:"name":\s*(?:null|"(?:[^"\\]|\\.)*"),\s*)?"type":\s*"(?:' + _TYPES + rb')",'
    rb'\s*"id":\s*-?\d+,\s*"messages":\s*\['
)
_ACCOUNT_KEYS = (
    b"personal_information|profile_pictures|stories|contacts|frequent_contacts|sessions"
    b"|web_sessions|chats|left_chats|other_data"
)
_ACCOUNT = re.compile(rb'\{\s*"about":\s*"(?:[^"\\]|\\.)*",\s*"(?:' + _ACCOUNT_KEYS + rb')":')
_CHAT_HEAD = re.compile(
    r'(?:"name":\s*(?P<name>null|"(?:[^"\\]|\\.)*"),\s*)?"type":\s*"(?P<type>'
    + _TYPES.decode()
    + r')",\s*"id":\s*(?P<id>\d{1,20}),\s*"messages":\s*\['
)
_SEPARATORS = re.compile(r"[\s,]*")
_DECODER = json.JSONDecoder()
_PEER_PREFIXES = ("user", "channel", "chat")
_FORMATTED_ENTITIES = {"hashtag": "hashtags", "mention": "mentions", "link": "urls"}


class Chat(NamedTuple):
    """The chat a message belongs to, as the export describes it."""

    id: Any  # the bare chat id as exported (checked by map_item)
    name: Any
    type: Any


class DesktopRecord(NamedTuple):
    message: JsonObject
    chat: Chat


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .json file that starts like a chat export or an account export."""
    if not sample.name.lower().endswith(NAMES):
        return False
    head = sample.head.removeprefix(BOM).lstrip()
    return bool(_SINGLE_CHAT.match(head) or _ACCOUNT.match(head))


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per message of every chat; service messages are skipped."""
    try:
        with source.open() as stream:
            data = stream.read().removeprefix(BOM)
    except READ_ERRORS as exc:
        yield Reject(source.name, 1, f"cannot read the file: {type(exc).__name__}: {exc}")
        return
    if not data.strip():
        return
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        yield from _salvage(source.name, data)
        reason = f"malformed or truncated JSON document (line {exc.lineno}): {exc}"
        yield Reject(source.name, exc.lineno, reason, excerpt(data[-200:]))
        return
    yield from _messages(source.name, document)


def _salvage(name: str, data: bytes) -> Iterator[Item | Reject]:
    """The messages before the cut of a truncated or damaged export (an interrupted export
    leaves one): every chat header found, then its messages one by one up to the first that
    does not parse."""
    text = data.decode("utf-8", "replace")
    chats = (
        (Chat(int(head["id"]), _json_string(head["name"]), head["type"]), head.end())
        for head in _CHAT_HEAD.finditer(text)
    )
    yield from _messages_of(name, ((chat, _objects(text, at)) for chat, at in chats))


def _json_string(value: str | None) -> str | None:
    try:
        parsed = orjson.loads(value) if value else None
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, str) else None


def _objects(text: str, at: int) -> Iterator[Any]:
    """The JSON values of an array whose items start at `at`, up to its end or a bad one."""
    while True:
        at = _SEPARATORS.match(text, at).end()  # type: ignore[union-attr]  # always matches
        if at >= len(text) or text[at] == "]":
            return
        try:
            value, at = _DECODER.raw_decode(text, at)
        except (ValueError, RecursionError):
            return
        yield value


def _messages(name: str, document: Any) -> Iterator[Item | Reject]:
    yield from _messages_of(name, _chats(document))


def _messages_of(
    name: str, chats: Iterable[tuple[Chat, Iterable[Any]] | str]
) -> Iterator[Item | Reject]:
    """Items numbered by position among all messages; a Reject per bad chat or message."""
    position = 0
    for chat in chats:
        if isinstance(chat, str):
            yield Reject(name, None, chat)
            continue
        for message in chat[1]:
            position += 1
            entry = _entry(position, message, chat[0])
            if entry is not None:
                yield entry if isinstance(entry, Item) else Reject(name, position, *entry)


def _chats(document: Any) -> Iterator[tuple[Chat, list[Any]] | str]:
    """(chat, messages) for each chat of the document, or a reason string for a bad part."""
    if not isinstance(document, dict):
        yield f"expected a Telegram export object, found {json_type(document)}"
    elif "messages" in document:
        yield _chat(document, "the chat")
    elif any(key in document for key in CHAT_LISTS):
        yield from _account_chats(document)
    else:
        yield "an object with no messages, chats or left_chats: not a Telegram export"


def _account_chats(document: JsonObject) -> Iterator[tuple[Chat, list[Any]] | str]:
    for key in CHAT_LISTS:
        section = document.get(key)
        if section is None:
            continue
        chats = section.get("list") if isinstance(section, dict) else None
        if not isinstance(chats, list):
            yield f'"{key}" has no "list" of chats'
            continue
        for index, chat in enumerate(chats, 1):
            yield _chat(chat, f"{key}.list[{index}]")


def _chat(chat: Any, where: str) -> tuple[Chat, list[Any]] | str:
    if not isinstance(chat, dict):
        return f"{where} is {json_type(chat)}, not a chat object"
    messages = chat.get("messages")
    if not isinstance(messages, list):
        return f'{where} ({chat.get("name")!r}): "messages" is {json_type(messages)}, not a list'
    return Chat(chat.get("id"), chat.get("name"), chat.get("type")), messages


def _entry(position: int, message: Any, chat: Chat) -> Item | tuple[str, str] | None:
    """An Item, (reason, excerpt) for a Reject, or None for a skipped service message."""
    if not isinstance(message, dict):
        reason = f"expected a message object, found {json_type(message)}"
        return reason, excerpt(tg.shown(message))
    kind = message.get("type", "message")
    if kind == "service":
        return None
    if kind != "message":
        return f"message type {kind!r} is not imported", excerpt(tg.shown(message))
    return Item(position, DesktopRecord(message, chat))


# --- map_item ----------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one exported message (pure)."""
    message, chat = _record(item.raw)
    chat_id = tg.id_text(chat.id, "chat id")
    if chat_id is None:
        raise PostError("chat id: missing")
    message_id = tg.id_text(message.get("id"), "id")
    if message_id is None:
        raise PostError("id: missing")
    parts = _text_parts(message)
    entities = _entities(message, parts)
    author_id, author_name = _author(message, chat, chat_id)
    return Post(
        platform=tg.PLATFORM,
        post_id=tg.message_key(chat_id, message_id),
        collected_at=ctx.collected_at,
        text="".join(_part_text(p, "text[]") for p in parts) or None,
        author_id=author_id,
        author_name=author_name,
        created_at=_created_at(message, ctx),
        hashtags=entities["hashtags"],
        mentions=entities["mentions"],
        urls=entities["urls"],
        media=_media(message),
        reply_to=_reply_to(message, chat_id),
        metrics=Metrics(likes=_reactions(message.get("reactions"))),
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=tg.raw_json(message),
    )


def _record(raw: Any) -> DesktopRecord:
    if not isinstance(raw, tuple) or len(raw) != 2:
        raise TypeError("telegram.desktop.v1 items hold (message, chat)")
    message, chat = raw
    if not isinstance(message, dict) or not isinstance(chat, Chat):
        raise TypeError("telegram.desktop.v1 items hold (message object, Chat)")
    return DesktopRecord(message, chat)


def _author(message: JsonObject, chat: Chat, chat_id: str) -> tuple[str | None, str | None]:
    """The sender: "from_id" without its user/channel/chat prefix and "from"; a channel
    post without a sender is the channel's own."""
    name = as_str(message.get("from"), "from")
    author_id = _peer_id(message.get("from_id"), "from_id")
    if author_id is None and chat.type in CHANNEL_TYPES:
        return chat_id, name or as_str(chat.name, "chat name")
    return author_id, name


def _peer_id(value: Any, field: str) -> str | None:
    """ "user123" / "channel123" / "chat123" (or a bare number) -> "123"."""
    if isinstance(value, str):
        for prefix in _PEER_PREFIXES:
            if value.startswith(prefix) and value[len(prefix) :].isdigit():
                return tg.id_text(value[len(prefix) :], field)
    return tg.id_text(value, field)


def _reply_to(message: JsonObject, chat_id: str) -> str | None:
    reply_id = tg.id_text(message.get("reply_to_message_id"), "reply_to_message_id")
    if reply_id is None:
        return None
    other_chat = _peer_id(message.get("reply_to_peer_id"), "reply_to_peer_id")
    return tg.message_key(other_chat or chat_id, reply_id)


def _created_at(message: JsonObject, ctx: Context) -> datetime | None:
    """`date_unixtime` (UTC); an old export without it has only `date`, in the exporting
    machine's local time: taken in the `timezone` option (default UTC)."""
    if message.get("date_unixtime") is not None:
        return tg.from_unixtime(message["date_unixtime"], "date_unixtime")
    value = message.get("date")
    if value is None:
        return None
    local = tg.from_iso(value, "date").replace(tzinfo=None)
    return local.replace(tzinfo=_zone(ctx.options.get("timezone"))).astimezone(UTC)


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise PostError(f"timezone: unknown time zone {name!r}") from None


# --- text and entities -------------------------------------------------------------------


def _text_parts(message: JsonObject) -> list[Any]:
    """`text` as a list of parts: a plain string, or strings and {"type", "text"} objects."""
    value = message.get("text")
    if value is None or isinstance(value, str):
        return [value or ""]
    return as_list(value, "text")


def _part_text(part: Any, field: str) -> str:
    if isinstance(part, str):
        return part
    return as_str(as_object(part, field).get("text"), f"{field}.text") or ""


def _entities(message: JsonObject, parts: list[Any]) -> dict[str, list[str]]:
    """Hashtags, mentions and links of `text_entities` (or of the parts of `text`)."""
    found: dict[str, list[str]] = {"hashtags": [], "mentions": [], "urls": []}
    listed = message.get("text_entities")
    field = "text_entities" if listed is not None else "text"
    for part in as_list(listed, field) if listed is not None else parts:
        if isinstance(part, str):
            continue
        part = as_object(part, f"{field}[]")
        kind = as_str(part.get("type"), f"{field}[].type")
        value = _part_text(part, f"{field}[]")
        if kind == "text_link":
            found["urls"].append(as_str(part.get("href"), f"{field}[].href") or value)
        elif kind in _FORMATTED_ENTITIES and value:
            found[_FORMATTED_ENTITIES[kind]].append(_entity_value(kind, value))
    return found


def _entity_value(kind: str, value: str) -> str:
    if kind == "hashtag":
        return tg.without_prefix(value, "#")
    return tg.without_prefix(value, "@") if kind == "mention" else value


# --- media and metrics -------------------------------------------------------------------


def _media(message: JsonObject) -> list[Media]:
    """The attachment's kind (the export has file paths, no public media urls)."""
    media_type = as_str(message.get("media_type"), "media_type")
    if media_type:
        return [Media(tg.DESKTOP_MEDIA_TYPES.get(media_type, media_type))]
    for key, kind in (
        ("photo", "photo"),
        ("file", "file"),
        ("poll", "poll"),
        ("location_information", "location"),
        ("contact_information", "contact"),
    ):
        if message.get(key) is not None:
            return [Media(kind)]
    return []


def _reactions(value: Any) -> int | None:
    """The total count of all reactions; None when the export has no `reactions`."""
    if value is None:
        return None
    reactions = as_list(value, "reactions")
    counts = [
        as_count(as_object(r, "reactions[]").get("count"), "reactions[].count") for r in reactions
    ]
    return tg.total(counts, "reactions")
