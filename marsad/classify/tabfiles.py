"""Rows of a CSV or JSONL file to classify, and the labelled rows written back.

Input: CSV (delimiter sniffed from the header: , ; tab |) or JSON lines (`.jsonl`, `.ndjson`,
`.json` with one object a line), plain or `.gz`, in any encoding `open_text` detects. A line
that cannot be read (malformed JSON, not an object, a CSV row with the wrong number of fields,
undecodable bytes) becomes a `Reject` naming its line; the other rows go on.

Output: CSV (UTF-8 with a byte-order mark, so that spreadsheet programs show Arabic and
Hebrew) or JSON lines, by the output's extension, written to a temporary file in the same
folder and renamed into place at the end: the output is complete or absent.
"""

from __future__ import annotations

import csv
import io
import os
import uuid
from collections.abc import Iterator, Mapping, Sequence
from itertools import chain
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import orjson

from marsad.ingest.base import Reject, SourceFile
from marsad.ingest.formats.tabular.reader import flat_row, sniff_delimiter
from marsad.ingest.sources import (
    READ_ERRORS,
    has_invalid_bytes,
    iter_lines,
    iter_sources,
    open_text,
)
from marsad.warehouse.fsutil import fsync_dir

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
FIELD_SIZE_LIMIT = 2**31 - 1

Row = tuple[int, dict[str, str]]  # (line number, column -> cell)


class TableFileError(ValueError):
    """The file cannot be used at all: the message names it and says why."""


def kind_of(path: Path) -> str:
    """'csv' or 'jsonl' from the name (a .gz suffix ignored); TableFileError otherwise."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if name.endswith(JSON_SUFFIXES):
        return "jsonl"
    raise TableFileError(f"{path}: expected a .csv, .tsv, .jsonl or .ndjson file")


def source_of(path: Path) -> SourceFile:
    """The readable file at `path` (a .gz one decompressed); TableFileError if none."""
    if path.is_dir():
        raise TableFileError(f"{path}: is a folder; give one CSV or JSONL file")
    for found in iter_sources([path]):
        if isinstance(found, Reject):
            raise TableFileError(f"{found.file}: {found.reason}")
        return found
    raise TableFileError(f"{path}: nothing to read")


def read_rows(path: Path, encoding: str | None = None) -> Iterator[Row | Reject]:
    """Every row of the file, in order, or a Reject for a line that cannot be read."""
    source = source_of(path)
    if kind_of(path) == "jsonl":
        return _json_rows(source)
    return _csv_rows(source, encoding)


def columns_of(path: Path, encoding: str | None = None) -> list[str]:
    """The CSV header, or the keys of the first JSON object of the file."""
    for row in read_rows(path, encoding):
        if not isinstance(row, Reject):
            return list(row[1])
    return []


def _json_rows(source: SourceFile) -> Iterator[Row | Reject]:
    for entry in iter_lines(source):
        if isinstance(entry, Reject):
            yield entry
            continue
        line_no, line = entry
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            yield Reject(source.name, line_no, f"malformed JSON in line {line_no}: {error}")
            continue
        if not isinstance(value, dict):
            yield Reject(source.name, line_no, f"line {line_no} is not a JSON object")
            continue
        yield line_no, flat_row(value)


def _csv_rows(source: SourceFile, encoding: str | None) -> Iterator[Row | Reject]:
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    try:
        text, _ = open_text(source, encoding)
        with text:
            yield from _parse_csv(source.name, text)
    except READ_ERRORS as error:
        yield Reject(source.name, None, f"cannot read the rest of the file: {error}")


def _parse_csv(name: str, text: TextIO) -> Iterator[Row | Reject]:
    first = text.readline()
    if not first:
        return
    reader = csv.reader(chain([first], text), delimiter=sniff_delimiter(first))
    header = next(reader, [])
    if any(has_invalid_bytes(cell) for cell in header):
        raise TableFileError(f"{name}: undecodable bytes in the header; give --encoding")
    end = reader.line_num
    for row in reader:
        start, end = end + 1, reader.line_num
        if not row:
            continue
        if len(row) != len(header):
            yield Reject(
                name, start, f"line {start}: {len(row)} fields, the header has {len(header)}"
            )
        elif any(has_invalid_bytes(cell) for cell in row):
            yield Reject(name, start, f"line {start}: undecodable bytes; give --encoding")
        else:
            yield start, dict(zip(header, row, strict=True))


# --- output --------------------------------------------------------------------------------


class TableWriter:
    """Rows written to a temporary file beside `path`, renamed to `path` by `commit`."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        if path.name.lower().endswith(".gz"):
            raise TableFileError(f"{path}: the output cannot be compressed; name it .csv or .jsonl")
        self.path = path
        self.kind = kind_of(path)
        self.columns = list(columns)
        self._temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
        encoding = "utf-8-sig" if self.kind == "csv" else "utf-8"
        self._handle: io.TextIOWrapper = open(  # noqa: SIM115
            self._temp, "w", encoding=encoding, newline=""
        )
        self._csv: Any = None
        if self.kind == "csv":
            tab = path.name.lower().removesuffix(".gz").endswith(".tsv")
            self._csv = csv.writer(self._handle, delimiter="\t" if tab else ",")
            self._csv.writerow(self.columns)

    def write(self, row: Mapping[str, Any]) -> None:
        if self._csv is not None:
            self._csv.writerow([_csv_cell(row.get(name)) for name in self.columns])
        else:
            data = {name: row.get(name) for name in self.columns}
            self._handle.write(orjson.dumps(data, option=orjson.OPT_SERIALIZE_NUMPY).decode())
            self._handle.write("\n")

    def commit(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.replace(self._temp, self.path)
        fsync_dir(self.path.parent)

    def discard(self) -> None:
        self._handle.close()
        self._temp.unlink(missing_ok=True)

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._handle.closed:
            self.discard()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}"
    if isinstance(value, list):
        return "; ".join(_feature_cell(item) for item in value)
    if isinstance(value, dict):
        return orjson.dumps(value).decode()
    return str(value)


def _feature_cell(item: Any) -> str:
    """A feature of an explanation as `word:"kill" +0.412`."""
    if isinstance(item, dict) and "feature" in item:
        return f"{item['feature']} {float(item.get('weight', 0.0)):+.3f}"
    return str(item)
