"""Reading files of JSON responses: one JSON document, or JSON lines (one response per line).

Shared by the formats whose files are API responses or lists of records (bluesky, mastodon,
reddit, x.v1, youtube, tiktok, meta_mcl). A format gives an `extract` function that turns one
parsed JSON value (a response, a bare record, or an array of those) into its records, or a
reason string for each part that is not usable (records are never strings). This module does
the rest the same way for every such format:

- a name ending `.jsonl` / `.ndjson` is read line by line (streamed); the record number of an
  Item or Reject is its line number;
- any other file is one JSON document, parsed whole; its record numbers are positions in the
  file (1, 2, ...); a `.json` file that is really JSON lines is read line by line;
- a malformed line, a truncated document or an unreadable stream is a Reject; nothing raises.

Typed access to the parsed values is in `marsad.ingest.fields`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

from marsad.ingest.base import Item, Reject, SourceFile, excerpt
from marsad.ingest.sources import READ_ERRORS, iter_lines

LINE_NAMES = (".jsonl", ".ndjson")
JSON_NAMES = (".json", *LINE_NAMES)
BOM = b"\xef\xbb\xbf"
# Wrappers of other tools (4CAT, Zeeschuimer) around platform records: not raw API output.
FOREIGN_WRAPPERS = (b'"__import_meta"', b'"source_platform"')

Extract = Callable[[Any], Iterable[Any]]  # yields records, or a reason string for a bad part


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
    """The records of one line; a reject for a bad part shows the line."""
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
        yield (
            Reject(name, line_no, entry, excerpt(line))
            if isinstance(entry, str)
            else Item(line_no, entry)
        )


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
        yield Reject(source.name, number, entry) if isinstance(entry, str) else Item(number, entry)


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


def json_head(head: bytes) -> bytes:
    """The head of a file without its BOM and leading white space."""
    return head.removeprefix(BOM).lstrip()


def first_value(head: bytes) -> Any:
    """The first JSON value of a sample: its first line, or None when that does not parse."""
    try:
        return orjson.loads(head.removeprefix(BOM).split(b"\n", 1)[0])
    except orjson.JSONDecodeError:
        return None
