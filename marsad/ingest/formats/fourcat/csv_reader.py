"""4CAT datasets downloaded as CSV.

4CAT writes one row per item with the columns its datasource's `map_item` returns; nearly all
have `id, thread_id, body, author, timestamp` (and `unix_timestamp`). The platform of a row is
known from its link (`url`, `link`, `tiktok_url`, ...), else from columns only one datasource
writes (Telegram's `author_is_bot`...), else from the datasource at the start of the file's
name (`telegram-<key>.csv`), else it is "other". Each Item's raw value is `CsvRecord(row,
hint)`: the row as text cells and the platform the file's name suggests.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, NamedTuple, TextIO

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile, excerpt
from marsad.ingest.formats.fourcat.reader import (
    CSV_NAMES,
    OTHER,
    count_cell,
    date_cell,
    epoch_cell,
    list_cell,
    platform_of_url,
)
from marsad.ingest.jsonfile import BOM
from marsad.ingest.sources import READ_ERRORS, detect_encoding, has_invalid_bytes, open_text
from marsad.posts import Metrics, Post, PostError, Source

REQUIRED_COLUMNS = frozenset({"id", "thread_id", "body", "author", "timestamp"})
FIELD_SIZE_LIMIT = 2**31 - 1
URL_COLUMNS = ("tiktok_url", "permalink", "post_url", "url", "link")
DOMAIN_COLUMNS = (*URL_COLUMNS, "post_source_domain")
METRIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "likes": ("likes", "num_likes", "like_count", "amount_likes"),
    "shares": ("shares", "num_shares", "reposts", "num_reposts", "retweet_count",
               "amount_shares"),
    "replies": ("comments", "num_comments", "replies", "num_replies", "reply_count",
                "amount_comments"),
    "quotes": ("quotes", "num_quotes", "quote_count"),
    "views": ("views", "num_views", "plays", "view_count", "impression_count", "amount_plays"),
}  # fmt: skip
# Columns only one datasource's map_item writes.
SIGNATURES: dict[str, str] = {
    "tiktok_url": "tiktok",
    "author_is_bot": "telegram",
    "author_forwarded_from_name": "telegram",
}
# The datasource a file's name starts with ("telegram-<key>.csv") -> platform.
DATASOURCES: dict[str, str] = {
    "telegram": "telegram",
    "tiktok": "tiktok",
    "instagram": "instagram",
    "twitter": "x",
    "twitterv2": "x",
    "x": "x",
    "reddit": "reddit",
    "bsky": "bluesky",
    "bluesky": "bluesky",
    "mastodon": "mastodon",
    "youtube": "youtube",
    "facebook": "facebook",
    "linkedin": "linkedin",
}
_TELEGRAM_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")


class CsvRecord(NamedTuple):
    """One CSV row (column -> cell) and the platform the file's name suggests."""

    row: dict[str, str]
    hint: str | None


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .csv file whose header has 4CAT's columns: id, thread_id, body, author, timestamp."""
    if not sample.name.lower().endswith(CSV_NAMES):
        return False
    head = sample.head.removeprefix(BOM)
    text = head.decode(detect_encoding(head), "replace")
    first_line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    try:
        header = next(csv.reader([first_line]), [])
    except csv.Error:
        return False
    return {name.strip() for name in header} >= REQUIRED_COLUMNS


def file_hint(name: str) -> str | None:
    """The platform of the datasource a file's name starts with, if it is a known one."""
    base = name.rsplit("!", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1].lower()
    return DATASOURCES.get(base.split("-", 1)[0]) if "-" in base else None


# --- read --------------------------------------------------------------------------------


class _Lines:
    """The lines of a text stream, counted, noting the first with undecodable bytes."""

    def __init__(self, text: TextIO) -> None:
        self._text = text
        self.number = 0
        self.invalid: int | None = None

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._text)
        self.number += 1
        if self.invalid is None and has_invalid_bytes(line):
            self.invalid = self.number
        return line


def read(source: SourceFile) -> Iterator[Item | Reject]:
    """One Item per row, numbered by the line it starts on; a Reject per unusable row."""
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    lines: _Lines | None = None
    try:
        text, _encoding = open_text(source)
        with text:
            lines = _Lines(text)
            yield from _rows(source.name, lines, file_hint(source.name))
    except READ_ERRORS as exc:
        line = lines.number + 1 if lines else 1
        reason = f"cannot read the rest of the file: {type(exc).__name__}: {exc}"
        yield Reject(source.name, line, reason)


def _rows(name: str, lines: _Lines, hint: str | None) -> Iterator[Item | Reject]:
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield Reject(name, 1, f"malformed CSV header: {exc}")
        return
    if header is None:
        return
    if lines.invalid is not None:
        yield Reject(name, 1, "invalid UTF-8 in the header line")
        return
    yield from _records(name, reader, lines, [h.strip() for h in header], hint)


def _records(
    name: str, reader: Any, lines: _Lines, header: list[str], hint: str | None
) -> Iterator[Item | Reject]:
    end = reader.line_num
    while True:
        start = end + 1
        lines.invalid = None
        try:
            row = next(reader, None)
        except csv.Error as exc:
            yield Reject(name, start, f"malformed CSV in line {start}: {exc}")
            if reader.line_num == end:  # no progress: stop rather than loop
                return
            end = reader.line_num
            continue
        if row is None:
            return
        end = reader.line_num
        if row:
            yield _checked(name, start, row, header, lines.invalid, hint)


def _checked(
    name: str, start: int, row: list[str], header: list[str], invalid: int | None, hint: str | None
) -> Item | Reject:
    shown = excerpt(",".join(row).encode("utf-8", "surrogateescape"))
    if invalid is not None:
        return Reject(name, start, f"invalid UTF-8 in line {invalid}", shown)
    if len(row) != len(header):
        reason = f"line {start}: expected {len(header)} fields, found {len(row)}"
        return Reject(name, start, reason, shown)
    return Item(start, CsvRecord(dict(zip(header, row, strict=True)), hint))


# --- map_item ----------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one row (pure)."""
    row, hint = _record(item.raw)
    platform = platform_of(row, hint)
    ids = _IDS.get(platform, _plain_ids)(row)
    return Post(
        platform=platform,
        post_id=ids.post_id,
        collected_at=ctx.collected_at,
        text=_cell(row, "body") or None,
        url=ids.url,
        author_id=ids.author_id,
        author_handle=ids.author_handle,
        author_name=_first(row, ("author_fullname", "author_full", "author_name")),
        created_at=created_at(row),
        hashtags=[] if platform == "instagram" else list_cell(_cell(row, "hashtags"), "#"),
        mentions=list_cell(_cell(row, "mentions"), "@"),
        urls=list_cell(_cell(row, "urls")),
        reply_to=ids.reply_to,
        conversation_id=ids.conversation_id,
        metrics=metrics(row),
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=orjson.dumps(row).decode(),
    )


class _Ids(NamedTuple):
    post_id: str
    url: str | None
    author_id: str | None
    author_handle: str | None
    reply_to: str | None = None
    conversation_id: str | None = None


def _record(raw: Any) -> CsvRecord:
    if not isinstance(raw, tuple) or len(raw) != 2 or not isinstance(raw[0], dict):
        raise TypeError("4cat CSV items hold (row, platform hint)")
    row, hint = raw
    if hint is not None and not isinstance(hint, str):
        raise TypeError("4cat CSV items hold (row, platform hint)")
    return CsvRecord(row, hint)


def platform_of(row: Mapping[str, str], hint: str | None) -> str:
    """From a link in the row, else a datasource's own column, else the file name, else other."""
    for column in DOMAIN_COLUMNS:
        found = platform_of_url(_cell(row, column))
        if found:
            return found
    for column, platform in SIGNATURES.items():
        if column in row:
            return platform
    return hint or OTHER


def _post_id(row: Mapping[str, str]) -> str:
    post_id = _cell(row, "id").strip()
    if not post_id:
        raise PostError("id: missing")
    return post_id


def _plain_ids(row: Mapping[str, str]) -> _Ids:
    """TikTok (video id), Instagram (shortcode) and other datasources: 4CAT's id as it is."""
    return _Ids(
        post_id=_post_id(row),
        url=_first(row, URL_COLUMNS),
        author_id=_first(row, ("author_id", "author_user_id")),
        author_handle=_handle(_first(row, ("author_username", "author"))),
    )


def _instagram_ids(row: Mapping[str, str]) -> _Ids:
    """4CAT's Instagram id is the shortcode; the link is built as the NDJSON reader builds it."""
    ids = _plain_ids(row)
    return ids._replace(url=f"https://www.instagram.com/p/{ids.post_id}/")


def _x_ids(row: Mapping[str, str]) -> _Ids:
    post_id = _post_id(row)
    handle = _handle(_first(row, ("author_username", "author")))
    url = _first(row, URL_COLUMNS) or f"https://x.com/{handle or 'i/web'}/status/{post_id}"
    return _Ids(
        post_id=post_id,
        url=url,
        author_id=_first(row, ("author_id", "author_user_id")),
        author_handle=handle,
        conversation_id=_first(row, ("thread_id",)),
    )


def _telegram_ids(row: Mapping[str, str]) -> _Ids:
    """4CAT's Telegram id is "<chat>-<message id>", the chat being its username or number;
    marsad's is "<chat>/<message id>". `author` is the sender's numeric id."""
    chat, _, message = _post_id(row).rpartition("-")
    if not chat or not message.isascii() or not message.isdigit():
        raise PostError(f"id: {_cell(row, 'id')!r} is not <chat>-<message id>")
    reply = _cell(row, "reply_to").strip()
    if reply and not (reply.isascii() and reply.isdigit()):
        raise PostError(f"reply_to: {reply!r} is not a message id")
    public = _TELEGRAM_USERNAME.fullmatch(chat) is not None
    return _Ids(
        post_id=f"{chat}/{message}",
        url=_first(row, URL_COLUMNS) or (f"https://t.me/{chat}/{message}" if public else None),
        author_id=_first(row, ("author",)),
        author_handle=_handle(_first(row, ("author_username",))),
        reply_to=f"{chat}/{reply}" if reply else None,
    )


_IDS: dict[str, Callable[[Mapping[str, str]], _Ids]] = {
    "telegram": _telegram_ids,
    "x": _x_ids,
    "instagram": _instagram_ids,
}


def created_at(row: Mapping[str, str]) -> datetime | None:
    """`unix_timestamp` (exact) when the row has one, else `timestamp` (UTC)."""
    when = epoch_cell(_cell(row, "unix_timestamp"), "unix_timestamp")
    return when or date_cell(_cell(row, "timestamp"), "timestamp")


def metrics(row: Mapping[str, str]) -> Metrics:
    """Each count from the first of its columns the row has; no column: unknown (None)."""
    counts: dict[str, int | None] = {}
    for name, columns in METRIC_COLUMNS.items():
        column = next((c for c in columns if c in row), None)
        counts[name] = count_cell(_cell(row, column), column) if column else None
    return Metrics(**counts)


def _cell(row: Mapping[str, Any], column: str) -> str:
    value = row.get(column, "")
    if not isinstance(value, str):
        raise TypeError(f"{column}: cell {value!r} is not text")
    return value


def _first(row: Mapping[str, str], columns: tuple[str, ...]) -> str | None:
    """The first non-empty cell among `columns`, stripped; None when all are empty."""
    for column in columns:
        value = _cell(row, column).strip()
        if value:
            return value
    return None


def _handle(value: str | None) -> str | None:
    return value.lstrip("@") or None if value else None
