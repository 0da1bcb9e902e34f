"""What the Telegram formats share: ids, dates, counts, entities.

Telegram message ids are unique per chat only, so every id made here is
`"<bare chat id>/<message id>"` (see README.md): the same convention for Telegram Desktop
exports, Telethon messages and the live collector.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson

from marsad.ingest.fields import MAX_COUNT, JsonObject, as_iso_time
from marsad.posts import PostError

PLATFORM = "telegram"

# One media vocabulary for both formats (Desktop's "video_file" is Telethon's video ...).
DESKTOP_MEDIA_TYPES = {
    "video_file": "video",
    "audio_file": "audio",
    "voice_message": "voice_message",
    "video_message": "video_message",
    "animation": "animation",
    "sticker": "sticker",
}


# --- ids -----------------------------------------------------------------------------------


def message_key(chat_id: str, message_id: str) -> str:
    """The post id of message `message_id` in chat `chat_id` (both bare ids)."""
    return f"{chat_id}/{message_id}"


def public_url(username: str | None, message_id: str) -> str | None:
    """https://t.me/<username>/<id> when the chat's public username is known."""
    if not username:
        return None
    return f"https://t.me/{username.removeprefix('@')}/{message_id}"


# --- dates ---------------------------------------------------------------------------------


def from_unixtime(value: Any, field: str) -> datetime:
    """A Unix time (a number, or digits in a string as Telegram Desktop writes it) as UTC."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = _int(value, field)
    if not isinstance(value, int) or isinstance(value, bool):
        raise PostError(f"{field}: {value!r} is not a Unix time")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise PostError(f"{field}: {value!r} is out of range") from None


def from_iso(value: Any, field: str) -> datetime:
    """An ISO 8601 date ("2025-01-02T10:00:00+00:00" or "2025-01-02 10:00:00+00:00") as UTC;
    a date without a zone is taken as UTC (Telethon's dates always carry one)."""
    parsed = as_iso_time(value, field)
    if parsed is None:
        raise PostError(f"{field}: None is not a date")
    return parsed


# --- typed access to parsed JSON ------------------------------------------------------------


def id_text(value: Any, field: str) -> str | None:
    """An id written as a number or as digits in a string (None when absent); Telegram's
    bare ids are never negative (a "marked" -100... id is an error, not another chat)."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.isdigit() and value.isascii():
        return str(_int(value, field))
    raise PostError(f"{field}: {value!r} is not an id")


def _int(value: str, field: str) -> int:
    try:
        return int(value)
    except ValueError:  # a digit int() does not read ("²"), or thousands of digits
        raise PostError(f"{field}: {value[:40]!r} is not a number") from None


def total(counts: Iterable[int | None], field: str) -> int:
    """The sum of reaction counts (a missing count adds nothing)."""
    result = sum(c for c in counts if c is not None)
    if result > MAX_COUNT:
        raise PostError(f"{field}: total {result} is not a count")
    return result


def raw_json(record: JsonObject) -> str:
    """The record as JSON text; a value orjson cannot write (an integer beyond 64 bits from a
    JSON parser other than orjson) is a PostError, not a crash."""
    try:
        return orjson.dumps(record).decode()
    except TypeError as exc:
        raise PostError(f"raw: cannot write the record as JSON: {exc}") from None


def shown(value: Any) -> str:
    """A value as JSON for a reject's excerpt (repr for what JSON cannot hold)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # a lone surrogate or a huge integer from a lenient parser
        return repr(value)


# --- entities ------------------------------------------------------------------------------


def without_prefix(value: str, prefix: str) -> str:
    return value[1:] if value.startswith(prefix) else value


def utf16_slice(message: str, offset: int, length: int) -> str:
    """The part of `message` that a Telegram entity (offset and length in UTF-16 code units)
    covers."""
    encoded = message.encode("utf-16-le", "surrogatepass")
    return encoded[2 * offset : 2 * (offset + length)].decode("utf-16-le", "replace")
