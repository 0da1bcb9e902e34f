"""CSV helpers shared by the Meta formats (CrowdTangle and Meta Content Library).

`csv_rows` streams a CSV file as (line number, {column: cell}) pairs, or a Reject for a row
that cannot be read; `header_of` reads the header row from a sniffing sample; the cell
helpers turn text cells into counts and optional strings, raising PostError naming the column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from marsad.ingest.base import Reject, SourceFile, excerpt
from marsad.ingest.sources import READ_ERRORS, detect_encoding, has_invalid_bytes, open_text
from marsad.posts import PostError

FIELD_SIZE_LIMIT = 2**31 - 1
MAX_COUNT = 2**63 - 1
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")
_NOT_GIVEN = ("", "n/a", "na", "null", "none", "nan", "-")

Row = dict[str, str]


# --- sniffing ------------------------------------------------------------------------------


def header_of(head: bytes) -> list[str]:
    """The column names of a CSV sample's first row ([] when it is not a CSV header)."""
    text = head.decode(detect_encoding(head), "replace").lstrip("\ufeff")
    if "\x00" in text:
        return []
    first = text.split("\n", 1)[0].rstrip("\r")
    try:
        return next(csv.reader([first]), [])
    except csv.Error:
        return []


# --- reading -------------------------------------------------------------------------------


class _Lines:
    """Numbered text lines that remember which ones held undecodable bytes."""

    def __init__(self, stream: Any) -> None:
        self._stream = iter(stream)
        self.number = 0
        self.invalid = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line: str = next(self._stream)
        self.number += 1
        self.invalid = self.invalid or has_invalid_bytes(line)
        return line


def csv_rows(source: SourceFile) -> Iterator[tuple[int, Row] | Reject]:
    """(line the row starts on, row) for every data row; Rejects for unreadable rows."""
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    lines = _Lines(())
    try:
        text, _encoding = open_text(source)
        with text:
            lines = _Lines(text)
            yield from _rows(source.name, lines)
    except READ_ERRORS as exc:
        reason = f"cannot read the rest of the file: {type(exc).__name__}: {exc}"
        yield Reject(source.name, lines.number + 1, reason)


def _rows(name: str, lines: _Lines) -> Iterator[tuple[int, Row] | Reject]:
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield Reject(name, None, f"malformed CSV header: {exc}")
        return
    if header is None:
        return
    if lines.invalid:
        yield Reject(name, None, "invalid bytes for the detected encoding in the header line")
        return
    yield from _records(name, reader, lines, unique(header))


def _records(
    name: str, reader: Any, lines: _Lines, header: list[str]
) -> Iterator[tuple[int, Row] | Reject]:
    end = reader.line_num
    while True:
        start = end + 1
        lines.invalid = False
        try:
            row = next(reader, None)
        except csv.Error as exc:
            yield Reject(name, start, f"malformed CSV in line {start}: {exc}")
            if reader.line_num == end:
                return
            end = reader.line_num
            continue
        if row is None:
            return
        end = reader.line_num
        if row:
            yield _checked(name, start, row, header, lines.invalid)


def _checked(
    name: str, start: int, row: list[str], header: list[str], invalid: bool
) -> tuple[int, Row] | Reject:
    shown = ",".join(row).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if invalid:
        return Reject(name, start, f"invalid bytes for the detected encoding in line {start}",
                      excerpt(shown))  # fmt: skip
    if len(row) != len(header):
        reason = f"line {start}: expected {len(header)} fields, found {len(row)}"
        return Reject(name, start, reason, excerpt(shown))
    return start, dict(zip(header, row, strict=True))


def unique(header: list[str]) -> list[str]:
    """Column names made unique: a second "Likes" becomes "Likes_2"."""
    seen: dict[str, int] = {}
    names: list[str] = []
    for column in header:
        seen[column] = seen.get(column, 0) + 1
        names.append(column if seen[column] == 1 else f"{column}_{seen[column]}")
    return names


# --- cells ---------------------------------------------------------------------------------


def text_row(raw: Any, kind: str) -> Row:
    """An Item's raw value checked to be a row of text cells."""
    if not isinstance(raw, dict):
        raise TypeError(f"{kind} items hold a row of text cells")
    for key, value in raw.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"{kind} rows map column names to text cells")
    return raw


def cell(row: Mapping[str, Any], column: str) -> str | None:
    """The stripped cell, or None when the column is absent or the cell empty."""
    value = row.get(column)
    if value is None:
        return None
    if not isinstance(value, str):
        raise PostError(f"{column}: {value!r} is not text")
    value = value.strip()
    return value or None


def count(row: Mapping[str, Any], column: str) -> int | None:
    """A count cell ("1234", "1,234", "1234.0"); None when absent, empty or N/A."""
    value = row.get(column)
    return None if value is None else as_count(value, column)


def as_count(value: Any, column: str) -> int | None:
    """A count from a JSON number or a text cell; PostError naming the column otherwise."""
    if isinstance(value, bool):
        raise PostError(f"{column}: {value!r} is not a count")
    if isinstance(value, int):
        return _checked_count(value, column)
    if isinstance(value, float):
        if not value.is_integer():
            raise PostError(f"{column}: {value!r} is not a count")
        return _checked_count(int(value), column)
    if not isinstance(value, str):
        raise PostError(f"{column}: {value!r} is not a count")
    return _text_count(value.strip(), column)


def _text_count(text: str, column: str) -> int | None:
    if text.lower() in _NOT_GIVEN:
        return None
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isascii() or not text.isdigit():
        raise PostError(f"{column}: {text!r} is not a count")
    return _checked_count(int(text), column)


def _checked_count(value: int, column: str) -> int:
    if not 0 <= value <= MAX_COUNT:
        raise PostError(f"{column}: {value!r} is not a count")
    return value


def raw_json(value: Any) -> str:
    """The original record as JSON text."""
    return orjson.dumps(value).decode()
