"""Generic tables: CSV/TSV or JSON lines of flat objects, with a column mapping.

The mapping comes from options (`text_column`, `id_column`, ... see README.md); a field with
no option is guessed from common column names, matched case-insensitively with spaces and
hyphens read as underscores. Columns are resolved once per file (from the CSV header or the
first JSON object) and travel with every Item, so `map_item` stays pure.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from itertools import chain
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile, excerpt
from marsad.ingest.sources import (
    READ_ERRORS,
    detect_encoding,
    has_invalid_bytes,
    iter_lines,
    open_text,
)
from marsad.ingest.sources import read_sample as _read_sample
from marsad.posts import Post, PostError, Source

DEFAULT_PLATFORM = "other"
TELEGRAM = "telegram"
CSV_NAMES = (".csv", ".tsv", ".txt")
JSON_NAMES = (".jsonl", ".ndjson", ".json")
DELIMITERS = (",", ";", "\t", "|")
FIELD_SIZE_LIMIT = 2**31 - 1
_BOM = b"\xef\xbb\xbf"

GUESSES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "message", "body", "post", "tweet", "full_text", "post_text",
             "tweet_text", "message_text", "caption"),
    "id": ("id", "post_id", "tweet_id", "message_id", "status_id"),
    "platform": ("platform", "network"),
    "author_id": ("author_id", "user_id", "from_id", "sender_id"),
    "author_handle": ("author_handle", "username", "screen_name", "handle", "user", "author",
                      "user_screen_name", "author_username", "channel", "account"),
    "author_name": ("author_name", "name", "display_name", "user_display_name", "full_name"),
    "date": ("created_at", "date", "timestamp", "time", "published", "published_at",
             "datetime", "date_time", "posted_at"),
    "url": ("url", "link", "permalink", "post_url", "tweet_url"),
    "lang": (),  # the language is taken from a column only when lang_column names it
}  # fmt: skip

# Tried in order when no date_format is given (after ISO 8601 and Unix epoch numbers).
DATE_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%a %b %d %H:%M:%S %z %Y",  # Twitter v1.1: "Sat Mar 01 10:20:30 +0000 2025"
    "%a, %d %b %Y %H:%M:%S %z",  # RFC 2822 / RSS
)
_OFFSET = re.compile(r"([+-])(\d\d):?(\d\d)")
_EPOCH = re.compile(r"\d{9,10}|\d{12,13}")  # Unix time in seconds or milliseconds
_EPOCH_START = datetime(1970, 1, 1, tzinfo=UTC)


class ColumnError(ValueError):
    """The file's columns cannot be mapped (no text column, an option names a missing one)."""


@dataclass(frozen=True, slots=True)
class Columns:
    """The column holding each Post field (None: none); resolved once per file."""

    text: str
    id: str | None = None
    platform: str | None = None
    author_id: str | None = None
    author_handle: str | None = None
    author_name: str | None = None
    date: str | None = None
    url: str | None = None
    lang: str | None = None


class TabularRecord(NamedTuple):
    row: dict[str, str]
    columns: Columns


class _Row(NamedTuple):
    record: int
    values: dict[str, str]


# --- columns -----------------------------------------------------------------------------


def resolve_columns(names: Sequence[str], options: Mapping[str, str]) -> Columns:
    """Map Post fields to the file's columns: `<field>_column` options first, then guesses."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(_key(name), name)
    found = {f.name: _column_for(f.name, by_key, options, names) for f in fields(Columns)}
    text = found.pop("text")
    if text is None:
        raise ColumnError(f"no text column (set text_column); columns: {_listing(names)}")
    return Columns(text, **found)


def _column_for(
    field: str, by_key: Mapping[str, str], options: Mapping[str, str], names: Sequence[str]
) -> str | None:
    wanted = options.get(f"{field}_column")
    if wanted:
        if _key(wanted) not in by_key:
            raise ColumnError(
                f"column {wanted!r} ({field}_column) not found; columns: {_listing(names)}"
            )
        return by_key[_key(wanted)]
    return next((by_key[g] for g in GUESSES[field] if g in by_key), None)


def _key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _listing(names: Sequence[str]) -> str:
    return ", ".join(repr(n) for n in names) if names else "(none)"


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """Any CSV/TSV-looking or JSON-lines-looking file (the fallback format)."""
    name = sample.name.lower()
    if name.endswith(JSON_NAMES):
        return _looks_like_json_rows(sample.head, lines=not name.endswith(".json"))
    if name.endswith(CSV_NAMES):
        return _looks_like_table(sample.head, needs_delimiter=name.endswith(".txt"))
    return False


def _looks_like_table(head: bytes, needs_delimiter: bool) -> bool:
    text = head.decode(detect_encoding(head), "replace")
    if "\x00" in text:
        return False
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    return not needs_delimiter or any(d in header for d in DELIMITERS)


def _looks_like_json_rows(head: bytes, lines: bool) -> bool:
    """JSON rows: a JSON-lines file starting with an object (its bad lines, even the first,
    are rejected one by one when read), or a .json file of an array of objects or of
    object lines whose first line parses."""
    head = head.removeprefix(_BOM).lstrip()
    if not head:
        return True
    if head.startswith(b"["):
        return head[1:].lstrip()[:1] in (b"{", b"]", b"")
    if not head.startswith(b"{"):
        return False
    if lines:
        return True
    first, newline, _ = head.partition(b"\n")
    if not newline:  # one line longer than the sample
        return True
    try:
        return isinstance(orjson.loads(first), dict)
    except orjson.JSONDecodeError:
        return False


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per row; a Reject per unusable row, or one for the whole file."""
    try:
        check_options(ctx.options)
    except (ColumnError, LookupError) as exc:
        yield Reject(source.name, None, str(exc))
        return
    if source.name.lower().endswith(JSON_NAMES):
        yield from _items(source.name, _json_rows(source), ctx.options)
    else:
        yield from _items(source.name, _csv_rows(source, ctx.options), ctx.options)


def check_options(options: Mapping[str, str]) -> None:
    """Raise ColumnError/LookupError for options that would fail on every row."""
    zone_for(options.get("timezone") or "UTC")
    delimiter_option(options)
    if options.get("encoding"):
        codecs.lookup(options["encoding"])


def _items(
    name: str, rows: Iterator[_Row | Reject], options: Mapping[str, str]
) -> Iterator[Item | Reject]:
    columns: Columns | None = None
    for row in rows:
        if isinstance(row, Reject):
            yield row
            continue
        if columns is None:
            try:
                columns = resolve_columns(list(row.values), options)
            except ColumnError as exc:
                yield Reject(name, None, str(exc))
                return
        yield _checked(name, row, columns)


def _checked(name: str, row: _Row, columns: Columns) -> Item | Reject:
    if not row.values.get(columns.text, "").strip():
        reason = f"empty text (column {columns.text!r})"
        return Reject(name, row.record, reason, excerpt(orjson.dumps(row.values)))
    return Item(row.record, TabularRecord(row.values, columns))


# --- CSV ---------------------------------------------------------------------------------


class CountedLines:
    """The lines of a text stream, numbered, noting those with undecodable bytes."""

    def __init__(self, lines: Iterable[str], encoding: str = "utf-8") -> None:
        self._lines = iter(lines)
        self.number = 0
        self.invalid: list[int] = []
        utf8 = codecs.lookup(encoding).name.startswith("utf-8")
        self.encoding = "UTF-8" if utf8 else encoding

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.number += 1
        if has_invalid_bytes(line):
            self.invalid.append(self.number)
        return line


def _csv_rows(source: SourceFile, options: Mapping[str, str]) -> Iterator[_Row | Reject]:
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    lines = CountedLines(())
    try:
        text, encoding = open_text(source, options.get("encoding") or None)
        with text:
            lines = CountedLines(text, encoding)
            yield from _parse_csv(source.name, lines, _delimiter(source.name, options))
    except READ_ERRORS as exc:
        reason = f"cannot read the rest of the file: {type(exc).__name__}: {exc}"
        yield Reject(source.name, lines.number + 1, reason)


def _delimiter(name: str, options: Mapping[str, str]) -> str:
    explicit = delimiter_option(options)
    if explicit:
        return explicit
    return "\t" if name.lower().endswith(".tsv") else ""


def delimiter_option(options: Mapping[str, str]) -> str:
    """The delimiter option as one character ("tab" and "\\t" mean a tab); '' when unset."""
    value = options.get("delimiter") or ""
    value = {"tab": "\t", "\\t": "\t"}.get(value.lower(), value)
    if len(value) > 1:
        raise ColumnError(f"delimiter: {value!r} is not one character (or 'tab')")
    return value


def sniff_delimiter(header: str) -> str:
    """The delimiter that occurs most often outside quotes in the header line (',' if none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _parse_csv(name: str, lines: CountedLines, delimiter: str) -> Iterator[_Row | Reject]:
    stream: Iterator[str] = lines
    if not delimiter:
        first = next(lines, None)
        if first is None:
            return
        delimiter = sniff_delimiter(first)
        stream = chain([first], lines)
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield Reject(name, None, f"malformed CSV header: {exc}")
        return
    if header is None:
        return
    if lines.invalid:
        reason = f"invalid {lines.encoding} in the header line; set the encoding option"
        yield Reject(name, None, reason)
        return
    yield from csv_records(name, reader, lines, _unique(header))


def csv_records(
    name: str, reader: Any, lines: CountedLines, header: list[str]
) -> Iterator[_Row | Reject]:
    """Rows numbered by the line they start on (a quoted field may span lines)."""
    end = reader.line_num
    while True:
        start = end + 1
        try:
            row = next(reader, None)
        except csv.Error as exc:
            yield Reject(name, start, f"malformed CSV in line {start}: {exc}")
            if reader.line_num == end:  # no progress: stop rather than loop
                return
            row = []
        if row is None:
            return
        end = reader.line_num
        if row:
            yield _csv_row(name, start, row, header, lines)
        lines.invalid.clear()


def _csv_row(
    name: str, start: int, row: list[str], header: list[str], lines: CountedLines
) -> _Row | Reject:
    if lines.invalid:
        reason = f"invalid {lines.encoding} in line {lines.invalid[0]}"
        return Reject(name, start, reason, excerpt(_escape(row)))
    if len(row) != len(header):
        reason = f"line {start}: expected {len(header)} fields, found {len(row)}"
        return Reject(name, start, reason, excerpt(_escape(row)))
    return _Row(start, dict(zip(header, row, strict=True)))


def _escape(row: list[str]) -> str:
    return ",".join(row).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _unique(header: list[str]) -> list[str]:
    """Column names made unique: a second "text" becomes "text_2"."""
    seen: dict[str, int] = {}
    names: list[str] = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return names


# --- JSON lines / JSON arrays ------------------------------------------------------------


def _json_rows(source: SourceFile) -> Iterator[_Row | Reject]:
    head = _read_sample(source).head.removeprefix(_BOM).lstrip()
    if head.startswith(b"["):
        yield from _json_array_rows(source)
    else:
        yield from _json_line_rows(source)


def _json_line_rows(source: SourceFile) -> Iterator[_Row | Reject]:
    for entry in iter_lines(source):
        yield entry if isinstance(entry, Reject) else _json_row(source.name, *entry)


def _json_row(name: str, line_no: int, line: bytes) -> _Row | Reject:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return Reject(name, line_no, f"malformed JSON in line {line_no}: {exc}", excerpt(line))
    if not isinstance(value, dict):
        return Reject(name, line_no, f"line {line_no} is not a JSON object", excerpt(line))
    return _Row(line_no, flat_row(value))


def _json_array_rows(source: SourceFile) -> Iterator[_Row | Reject]:
    try:
        with source.open() as stream:
            value = orjson.loads(stream.read().removeprefix(_BOM))
    except orjson.JSONDecodeError as exc:
        yield Reject(source.name, exc.lineno, f"malformed or truncated JSON document: {exc}")
        return
    except READ_ERRORS as exc:
        yield Reject(source.name, 1, f"cannot read the file: {type(exc).__name__}: {exc}")
        return
    for number, element in enumerate(value if isinstance(value, list) else [value], 1):
        if isinstance(element, dict):
            yield _Row(number, flat_row(element))
        else:
            yield Reject(source.name, number, f"element {number} is not a JSON object")


def flat_row(value: Mapping[str, Any]) -> dict[str, str]:
    """A JSON object as text cells: null -> "", true -> "true", nested -> JSON text."""
    return {str(k): _cell(v) for k, v in value.items()}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return orjson.dumps(value).decode()


# --- map_item ----------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one row (pure)."""
    row, columns = _record(item.raw)
    options = ctx.options
    text = _cell_of(row, columns.text)
    if not text.strip():
        raise PostError(f"text: empty (column {columns.text!r})")
    handle = _cell_of(row, columns.author_handle).strip().lstrip("@") or None
    author_id = _cell_of(row, columns.author_id).strip() or None
    name = _cell_of(row, columns.author_name).strip() or None
    date = _cell_of(row, columns.date)
    platform = _platform(row, columns, options)
    post_id = _cell_of(row, columns.id).strip()
    return Post(
        platform=platform,
        post_id=_scoped_id(post_id, platform, ctx.file, author_id or handle)
        or content_id(text, handle or author_id or name or "", date),
        collected_at=ctx.collected_at,
        text=text,
        url=_cell_of(row, columns.url).strip() or None,
        author_id=author_id,
        author_handle=handle,
        author_name=name,
        created_at=parse_date(date, options, columns.date or "date"),
        lang=_cell_of(row, columns.lang).strip().lower() or None,
        source=Source(ctx.file, item.record),
        dataset=options.get("dataset") or ctx.dataset or None,
        raw=orjson.dumps(row).decode(),
    )


def _record(raw: Any) -> TabularRecord:
    if not isinstance(raw, tuple) or len(raw) != 2 or not isinstance(raw[1], Columns):
        raise TypeError("tabular items hold (row, Columns)")
    if not isinstance(raw[0], dict):
        raise TypeError("tabular rows are objects of text cells")
    return TabularRecord(raw[0], raw[1])


def _cell_of(row: Mapping[str, Any], column: str | None) -> str:
    value = row.get(column, "") if column else ""
    if not isinstance(value, str):
        raise TypeError(f"{column}: cell {value!r} is not text")
    return value


def _platform(row: Mapping[str, Any], columns: Columns, options: Mapping[str, str]) -> str:
    fixed = (options.get("platform") or "").strip().lower()
    return fixed or _cell_of(row, columns.platform).strip().lower() or DEFAULT_PLATFORM


def _scoped_id(post_id: str, platform: str, file: str, author: str | None) -> str:
    """Without a platform, an id is only known to be unique within its file (sheets number
    their rows 1, 2, 3...), so it is prefixed with the file's name. Telegram message ids are
    unique per chat only: a bare one is prefixed with the chat (author id, else handle, else
    the file's name) as `chat/message`, like the Telegram importers' ids."""
    if not post_id or (platform != DEFAULT_PLATFORM and platform != TELEGRAM):
        return post_id
    if platform == TELEGRAM:
        return post_id if "/" in post_id else f"{author or _base_name(file)}/{post_id}"
    return f"{_base_name(file)}:{post_id}"


def _base_name(file: str) -> str:
    return file.rsplit("!", 1)[-1].rsplit("/", 1)[-1]


def content_id(text: str, author: str, date: str) -> str:
    """A stable id for a row without one: the same row imported twice gets the same id."""
    digest = hashlib.sha256(f"{text}|{author}|{date}".encode("utf-8", "surrogatepass"))
    return "h:" + digest.hexdigest()[:16]


# --- dates -------------------------------------------------------------------------------


def parse_date(value: str, options: Mapping[str, str], column: str = "date") -> datetime | None:
    """A cell as an aware UTC datetime; a time without zone is in options["timezone"] (UTC)."""
    value = value.strip()
    if not value:
        return None
    parsed = _parse_with_format(value, options.get("date_format"), column)
    try:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone_for(options.get("timezone") or "UTC"))
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise PostError(f"{column}: {value!r} is out of range ({exc})") from None


def _parse_with_format(value: str, date_format: str | None, column: str) -> datetime:
    if date_format:
        try:
            return datetime.strptime(value, date_format)
        except ValueError:
            raise PostError(
                f"{column}: {value!r} does not match date_format {date_format!r}"
            ) from None
    parsed = _parse_common(value)
    if parsed is None:
        raise PostError(f"{column}: cannot parse {value!r} as a date; set date_format")
    return parsed


def _parse_common(value: str) -> datetime | None:
    if _EPOCH.fullmatch(value):
        unit = "milliseconds" if len(value) > 10 else "seconds"
        return _EPOCH_START + timedelta(**{unit: int(value)})
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(value, date_format)
        except ValueError:
            continue
    return None


@lru_cache(maxsize=64)
def zone_for(name: str) -> tzinfo:
    """UTC, a fixed offset ("+03:00") or an IANA zone name ("Asia/Jerusalem")."""
    if name.upper() in ("UTC", "Z", "GMT"):
        return UTC
    offset = _OFFSET.fullmatch(name)
    if offset:
        sign = -1 if offset[1] == "-" else 1
        return timezone(sign * timedelta(hours=int(offset[2]), minutes=int(offset[3])))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ColumnError(f"timezone: unknown time zone {name!r}") from None
