"""Reading Bluesky API response files and typed access to the parsed JSON.

A file is one JSON document, parsed whole (its records are numbered by their position in the
file: 1, 2, ...), or JSON lines, streamed (records numbered by their line). `read_records`
does that for an `extract` function that turns one parsed JSON value into records, or into a
reason string for each part that is not usable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import orjson

from marsad.ingest.base import Item, Reject, SourceFile, excerpt
from marsad.ingest.sources import READ_ERRORS, iter_lines
from marsad.posts import PostError

NAMES = (".json", ".jsonl", ".ndjson")
LINE_NAMES = (".jsonl", ".ndjson")
BOM = b"\xef\xbb\xbf"
# Wrappers of other tools (4CAT, Zeeschuimer) around platform records: not raw API output.
FOREIGN_WRAPPERS = (b'"__import_meta"', b'"source_platform"')
_MAX_COUNT = 2**63 - 1
_LANG = re.compile(r"[a-z]{2}")

JsonObject = dict[str, Any]
Extract = Callable[[Any], Iterable[Any]]  # records, or a reason string for a bad part


# --- reading -------------------------------------------------------------------------------


def json_head(head: bytes) -> bytes:
    """The head of a file without its BOM and leading white space."""
    return head.removeprefix(BOM).lstrip()


def read_records(source: SourceFile, extract: Extract) -> Iterator[Item | Reject]:
    """One Item per record that `extract` finds, a Reject for each bad line, part or file."""
    if source.name.lower().endswith(LINE_NAMES):
        parsed: Iterator[tuple[int | None, Any] | Reject] = _lines(source)
    else:
        parsed = _document(source)
    position = 0
    for entry in parsed:
        if isinstance(entry, Reject):
            yield entry
            continue
        line_no, value = entry
        for found in extract(value):
            position += 1
            number = position if line_no is None else line_no
            yield (
                Reject(source.name, number, found)
                if isinstance(found, str)
                else Item(number, found)
            )


def _lines(source: SourceFile) -> Iterator[tuple[int | None, Any] | Reject]:
    for entry in iter_lines(source):
        if isinstance(entry, Reject):
            yield entry
        else:
            yield _parse_line(source.name, *entry)


def _parse_line(name: str, line_no: int, line: bytes) -> tuple[int | None, Any] | Reject:
    try:
        return line_no, orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return Reject(name, line_no, f"malformed JSON in line {line_no}: {exc}", excerpt(line))


def _document(source: SourceFile) -> Iterator[tuple[int | None, Any] | Reject]:
    try:
        with source.open() as stream:
            data = stream.read().removeprefix(BOM)
    except READ_ERRORS as exc:
        yield Reject(source.name, 1, f"cannot read the file: {type(exc).__name__}: {exc}")
        return
    if not data.strip():
        return
    try:
        yield None, orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        yield from _not_a_document(source.name, data, exc)


def _not_a_document(
    name: str, data: bytes, exc: orjson.JSONDecodeError
) -> Iterator[tuple[int | None, Any] | Reject]:
    """JSON lines saved as .json are read line by line; anything else is a broken document."""
    lines = data.splitlines()
    if len(lines) > 1 and not isinstance(_parse_line(name, 1, lines[0]), Reject):
        for line_no, line in enumerate(lines, 1):
            if line.strip():
                yield _parse_line(name, line_no, line)
        return
    reason = f"malformed or truncated JSON document (line {exc.lineno}): {exc}"
    yield Reject(name, exc.lineno, reason, excerpt(data[-200:]))


def json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    return names.get(type(value), "null" if value is None else "a number")


# --- typed access ----------------------------------------------------------------------------


def text(value: Any, field: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise PostError(f"{field}: {value!r} is not text")


def obj(value: Any, field: str) -> JsonObject:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise PostError(f"{field}: expected an object, found {json_type(value)}")


def array(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise PostError(f"{field}: expected an array, found {json_type(value)}")


def count(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_COUNT:
        return value
    raise PostError(f"{field}: {value!r} is not a count")


def timestamp(value: Any, field: str) -> datetime | None:
    """ISO 8601 ("2025-03-01T10:20:30.000Z"), as UTC; a value without a zone is taken as UTC."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise PostError(f"{field}: {value!r} is not a date")
    try:
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise PostError(f"{field}: cannot parse {value!r}") from None


def language(value: Any, field: str) -> str | None:
    """The ISO 639-1 code of a language tag ("ar", "he-IL" -> "he"); None for other codes."""
    code = text(value, field)
    primary = (code or "").split("-", 1)[0].lower()
    return primary if _LANG.fullmatch(primary) else None
