"""Reading files of API responses: one JSON document, or JSON lines (one response per line).

Shared by the formats whose exports are raw API responses (youtube.v3, tiktok.research.v2).
A format gives an `extract` function that turns one parsed JSON value (a response, a bare
record, or an array of those) into its records, or a `Bad(reason)` for each part that is not
usable. This module does the rest the same way for every such format:

- a name ending `.jsonl` / `.ndjson` is read line by line (streamed); the record number of an
  Item or Reject is its line number;
- any other file is one JSON document, parsed whole; its record numbers are positions in the
  file (1, 2, ...); a `.json` file that is really JSON lines is read line by line;
- a malformed line, a truncated document or an unreadable stream is a Reject; nothing raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from marsad.ingest.base import Item, Reject, SourceFile, excerpt
from marsad.ingest.sources import READ_ERRORS, iter_lines
from marsad.posts import PostError

LINE_NAMES = (".jsonl", ".ndjson")
JSON_NAMES = (".json", *LINE_NAMES)
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Bad:
    """A part of a parsed value that is not a usable record, and why."""

    reason: str


Extract = Callable[[Any], Iterable[Any]]  # yields records (any value but Bad) or Bad


def read_json_records(source: SourceFile, extract: Extract) -> Iterator[Item | Reject]:
    """Items (records from `extract`) and Rejects for the whole file; never raises."""
    if source.name.lower().endswith(LINE_NAMES):
        yield from _read_lines(source, extract)
    else:
        yield from _read_document(source, extract)


def _read_lines(source: SourceFile, extract: Extract) -> Iterator[Item | Reject]:
    for entry in iter_lines(source):
        if isinstance(entry, Reject):
            yield entry
        else:
            yield from _line_entries(source.name, *entry, extract)


def _line_entries(
    name: str, line_no: int, line: bytes, extract: Extract
) -> Iterator[Item | Reject]:
    if line_no == 1:
        line = line.removeprefix(BOM)
    if not line.strip():
        return
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        yield Reject(name, line_no, f"malformed JSON in line {line_no}: {exc}", excerpt(line))
        return
    for entry in extract(value):
        yield _entry(name, line_no, entry)


def _entry(name: str, record: int, entry: Any) -> Item | Reject:
    return Reject(name, record, entry.reason) if isinstance(entry, Bad) else Item(record, entry)


def _read_document(source: SourceFile, extract: Extract) -> Iterator[Item | Reject]:
    try:
        with source.open() as stream:
            data = stream.read().removeprefix(BOM)
    except READ_ERRORS as exc:
        reason = f"cannot read the rest of the file: {type(exc).__name__}: {exc}"
        yield Reject(source.name, 1, reason)
        return
    if not data.strip():
        return
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        yield from _not_a_document(source.name, data, exc, extract)
        return
    for number, entry in enumerate(extract(value), 1):
        yield _entry(source.name, number, entry)


def _not_a_document(
    name: str, data: bytes, exc: orjson.JSONDecodeError, extract: Extract
) -> Iterator[Item | Reject]:
    """JSON lines saved as .json are read line by line; anything else is a broken document."""
    lines = data.splitlines()
    if len(lines) > 1 and _parses(lines[0]):
        for line_no, line in enumerate(lines, 1):
            yield from _line_entries(name, line_no, line, extract)
        return
    reason = f"malformed or truncated JSON document (line {exc.lineno}): {exc}"
    yield Reject(name, exc.lineno, reason, excerpt(data[-200:]))


def _parses(line: bytes) -> bool:
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def first_value(head: bytes) -> Any:
    """The first JSON value of a sample: its first line, or None when that does not parse."""
    try:
        return orjson.loads(head.removeprefix(BOM).split(b"\n", 1)[0])
    except orjson.JSONDecodeError:
        return None


def json_type(value: Any) -> str:
    """How a JSON value is named in reject reasons."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    return names.get(type(value), "null" if value is None else "a number")


# --- typed access to parsed JSON: a wrong type is a PostError naming the field ------------

MAX_COUNT = 2**63 - 1


def as_id(value: Any, field: str) -> str | None:
    """An id as text: strings as they are, integers exactly (never through a float)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise PostError(f"{field}: {value!r} is not an id")


def as_str(value: Any, field: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise PostError(f"{field}: {value!r} is not text")


def as_object(value: Any, field: str) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise PostError(f"{field}: expected an object, found {json_type(value)}")


def as_list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise PostError(f"{field}: expected an array, found {json_type(value)}")


def as_count(value: Any, field: str) -> int | None:
    """A count given as a JSON integer or, as some APIs do, a string of digits."""
    if value is None:
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT:
        return value
    raise PostError(f"{field}: {value!r} is not a count")
