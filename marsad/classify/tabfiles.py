"""Rows of a CSV or JSONL file to classify, and the labelled rows written back.

Input: CSV (tab-separated for `.tsv` names, otherwise the delimiter is sniffed from the header
among , ; tab |) or JSON lines (`.jsonl`, `.ndjson`, `.json` with one object a line), plain or
`.gz`, in any encoding `open_text` detects or the caller names. A CSV header that cannot be read
or names a column twice makes the file unusable (`TableFileError`). A line that cannot be read
(malformed JSON, not an object, malformed CSV quoting, a CSV row with the wrong number of
fields, undecodable bytes) becomes a `Reject` naming its line; the other rows go on, as in the
importer (`marsad.ingest.formats.tabular.reader`, whose CSV record loop is shared).

Output: CSV (UTF-8 with a byte-order mark, so that spreadsheet programs show Arabic and
Hebrew) or JSON lines, by the output's extension, written to a temporary file in the same
folder and renamed into place at the end: the output is complete or absent. A run killed
before it could clean up (SIGKILL, SIGTERM) leaves its temporary file; the next run writing
the same output removes such files once they are an hour old (`STALE_TEMP_SECONDS`).
"""

from __future__ import annotations

import csv
import glob
import io
import os
import re
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from itertools import chain
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

from marsad.ingest.base import Reject, SourceFile
from marsad.ingest.formats.tabular.reader import (
    CountedLines,
    csv_records,  # shared so that both readers treat a bad CSV line alike
    flat_row,
    sniff_delimiter,
)
from marsad.ingest.sources import (
    READ_ERRORS,
    has_invalid_bytes,
    iter_sources,
    open_text,
)
from marsad.warehouse.fsutil import fsync_dir

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
FIELD_SIZE_LIMIT = 2**31 - 1
STALE_TEMP_SECONDS = 3600  # a temporary output this old belongs to a run that was killed

Row = tuple[int, dict[str, str]]  # (line number, column -> cell)


class TableFileError(ValueError):
    """The file cannot be used at all: the message names it and says why."""


def kind_of(path: Path) -> str:
    """'csv' or 'jsonl' from the name (a .gz suffix ignored); TableFileError otherwise."""
    name = _plain_name(path)
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if name.endswith(JSON_SUFFIXES):
        return "jsonl"
    raise TableFileError(f"{path}: expected a .csv, .tsv, .jsonl or .ndjson file")


def _plain_name(path: Path) -> str:
    return path.name.lower().removesuffix(".gz")


def check_encoding(encoding: str | None) -> None:
    """TableFileError unless `encoding` (when given) is a text encoding Python knows."""
    if not encoding:
        return
    try:
        io.TextIOWrapper(io.BytesIO(), encoding=encoding).detach()
    except LookupError as error:
        raise TableFileError(
            f"{encoding!r} is not a known text encoding (such as utf-8, utf-16, cp1256, cp1255)"
        ) from error


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
    """Every row of the file, in order, or a Reject for a line that cannot be read.

    A CSV file whose header cannot be used raises TableFileError (`csv_header` says why)."""
    source = source_of(path)
    if kind_of(path) == "jsonl":
        return _json_rows(source, encoding)
    return _csv_rows(source, encoding)


def csv_header(path: Path, encoding: str | None = None) -> list[str]:
    """The column names of a CSV file's header ([] for an empty file); TableFileError when the
    header cannot be read, has undecodable bytes or names a column twice."""
    source = source_of(path)
    try:
        text, encoding_used = open_text(source, encoding)
        with text:
            lines = CountedLines(text, encoding_used)
            reader = _csv_reader(source.name, lines)
            return [] if reader is None else _header(source.name, reader, lines)
    except READ_ERRORS as error:
        raise TableFileError(f"{source.name}: cannot read the header: {error}") from error


def json_fields(path: Path, wanted: Sequence[str], encoding: str | None = None) -> list[str]:
    """The fields of a JSON-lines file's objects, read until every `wanted` field was seen in
    some object (the whole file when one is in none); TableFileError, quoting the first
    problem, when no line of the file is a readable object."""
    seen: dict[str, None] = {}
    first_reject: Reject | None = None
    for row in read_rows(path, encoding):
        if isinstance(row, Reject):
            first_reject = first_reject or row
            continue
        seen.update(dict.fromkeys(row[1]))
        if all(name in seen for name in wanted):
            break
    if not seen and first_reject is not None:
        where = f"line {first_reject.record}" if first_reject.record else "the file"
        raise TableFileError(
            f"{path}: no readable line; the first problem, in {where}: {first_reject.reason}"
        )
    return list(seen)


def _json_rows(source: SourceFile, encoding: str | None) -> Iterator[Row | Reject]:
    """Decoded as the CSV path decodes (detected or given encoding), then parsed line by line."""
    line_no = 0
    try:
        text, _ = open_text(source, encoding)
        with text:
            for line_no, line in enumerate(text, 1):
                if line.strip():
                    yield _json_row(source.name, line_no, line)
    except READ_ERRORS as error:
        reason = f"cannot read the rest of the file: {type(error).__name__}: {error}"
        yield Reject(source.name, line_no + 1, reason)


def _json_row(name: str, line_no: int, line: str) -> Row | Reject:
    if has_invalid_bytes(line):
        return Reject(name, line_no, f"line {line_no}: undecodable bytes; give --encoding")
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        return Reject(name, line_no, f"malformed JSON in line {line_no}: {error}")
    if not isinstance(value, dict):
        return Reject(name, line_no, f"line {line_no} is not a JSON object")
    return line_no, flat_row(value)


def _csv_rows(source: SourceFile, encoding: str | None) -> Iterator[Row | Reject]:
    lines = CountedLines(())
    try:
        text, encoding_used = open_text(source, encoding)
        with text:
            lines = CountedLines(text, encoding_used)
            reader = _csv_reader(source.name, lines)
            if reader is None:
                return
            header = _header(source.name, reader, lines)
            yield from csv_records(source.name, reader, lines, header)
    except READ_ERRORS as error:
        reason = f"cannot read the rest of the file: {type(error).__name__}: {error}"
        yield Reject(source.name, lines.number + 1, reason)


def _csv_reader(name: str, lines: CountedLines) -> Any:
    """A strict csv reader over `lines` (tab for .tsv names, else the header's delimiter), or
    None when the file is empty."""
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    if _plain_name(Path(name)).endswith(".tsv"):
        return csv.reader(lines, delimiter="\t", strict=True)
    first = next(lines, None)
    if first is None:
        return None
    return csv.reader(chain([first], lines), delimiter=sniff_delimiter(first), strict=True)


def _header(name: str, reader: Any, lines: CountedLines) -> list[str]:
    try:
        header: list[str] = next(reader, [])
    except csv.Error as error:
        raise TableFileError(f"{name}: malformed CSV header: {error}") from error
    if lines.invalid or any(has_invalid_bytes(cell) for cell in header):
        raise TableFileError(f"{name}: undecodable bytes in the header; give --encoding")
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise TableFileError(f"{name}: column {column!r} appears twice in the header")
        seen.add(column)
    lines.invalid.clear()
    return header


# --- output --------------------------------------------------------------------------------


class TableWriter:
    """Rows written to a temporary file beside `path`, renamed to `path` by `commit`."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        if path.name.lower().endswith(".gz"):
            raise TableFileError(f"{path}: the output cannot be compressed; name it .csv or .jsonl")
        self.path = path
        self.kind = kind_of(path)
        self.columns = list(columns)
        remove_stale_temps(path)
        self._temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
        encoding = "utf-8-sig" if self.kind == "csv" else "utf-8"
        self._handle: io.TextIOWrapper = open(  # noqa: SIM115
            self._temp, "w", encoding=encoding, newline=""
        )
        self._csv: Any = None
        if self.kind == "csv":
            tab = _plain_name(path).endswith(".tsv")
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


def remove_stale_temps(path: Path, max_age: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove the temporary files of earlier runs writing `path` that are older than
    `max_age` seconds (a younger one may belong to a run still going); the removed ones."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{12}}\.tmp")
    cutoff = time.time() - max_age
    removed: list[Path] = []
    for temp in path.parent.glob(glob.escape(f".{path.name}.") + "*.tmp"):
        try:
            if pattern.fullmatch(temp.name) and temp.stat().st_mtime < cutoff:
                temp.unlink()
                removed.append(temp)
        except OSError:  # gone meanwhile, or not ours to remove: the run goes on
            continue
    return removed


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
