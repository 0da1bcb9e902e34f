"""Staging: an import's batches written to its own folder before the commit merges them.

Batches are checked against POST_SCHEMA and buffered up to a bounded size before they are
written, so an import of any size keeps memory bounded. Staged files are written exactly as
part files are (`parts.open_part_writer`: POST_SCHEMA, zstd, row groups of at most
ROW_GROUP_ROWS rows, at most `file_rows` rows a file), so when every staged row turns out to be
new the commit adopts them as part files unchanged.

The order rows were added (which breaks ties between repeats of one post) is not stored: it is
the order of the files (`stage-000001.parquet`, ...) and of the rows inside each, which is why
every StagedFile carries `first_seq`, the number of rows staged before it. A row's sequence
number is `first_seq` plus its row number in its file (see `staged_source`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from marsad.posts import KEY_COLUMNS, POST_SCHEMA
from marsad.warehouse.duck import COLUMNS_SQL, sql_string
from marsad.warehouse.errors import WarehouseError
from marsad.warehouse.parts import FILE_ROWS, ROW_GROUP_ROWS, open_part_writer

SEQ_COLUMN = "_seq"
FLUSH_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class StagedFile:
    """One finished staged file: where, its rows, and how many rows were staged before it."""

    path: Path
    rows: int
    first_seq: int


def staged_source(files: list[StagedFile]) -> str:
    """A SQL relation over `files` (at least one): POST_SCHEMA's columns plus `_seq`, the order
    each row was added in (first row 0), from the file order and each row's place in its file."""
    selects = [
        f"SELECT {COLUMNS_SQL}, file_row_number + {staged.first_seq} AS {SEQ_COLUMN}"
        f" FROM read_parquet({sql_string(str(staged.path))}, file_row_number = true)"
        for staged in files
    ]
    return "(" + " UNION ALL ".join(selects) + ")"


def schema_problems(schema: pa.Schema) -> list[str]:
    """What keeps `schema` from being POST_SCHEMA (column order and nullability aside)."""
    expected = {field.name: field.type for field in POST_SCHEMA}
    given = {field.name: field.type for field in schema}
    problems = []
    missing = [name for name in expected if name not in given]
    extra = [name for name in given if name not in expected]
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    if extra:
        problems.append("unexpected columns: " + ", ".join(extra))
    if len(given) < len(schema):
        problems.append("repeated column names")
    for name, kind in given.items():
        if name in expected and not kind.equals(expected[name]):
            problems.append(f"column {name!r} is {kind}, expected {expected[name]}")
    return problems


def conform(data: pa.Table | pa.RecordBatch) -> pa.Table:
    """`data` as a table with exactly POST_SCHEMA; WarehouseError saying what differs."""
    table = pa.Table.from_batches([data]) if isinstance(data, pa.RecordBatch) else data
    if not isinstance(table, pa.Table):
        raise WarehouseError(f"expected a pyarrow Table or RecordBatch, got {type(data).__name__}")
    problems = schema_problems(table.schema)
    if problems:
        raise WarehouseError("table does not match POST_SCHEMA: " + "; ".join(problems))
    table = table.select(POST_SCHEMA.names)
    _check_required(table)
    return table.cast(POST_SCHEMA)


def _check_required(table: pa.Table) -> None:
    for field in POST_SCHEMA:
        if not field.nullable and table.column(field.name).null_count:
            raise WarehouseError(f"column {field.name!r} has null values; it is required")
    for name in KEY_COLUMNS:
        if table.num_rows and pc.any(pc.equal(table.column(name), "")).as_py():
            raise WarehouseError(f"column {name!r} has empty values; it is part of the key")


class StagingWriter:
    """Appends conformed tables to numbered Parquet files in one staging folder."""

    def __init__(self, folder: Path, *, file_rows: int = FILE_ROWS) -> None:
        self.folder = folder
        self.rows = 0  # rows accepted so far, buffered or written
        self.files: list[StagedFile] = []  # the finished files, in order
        self._file_rows = file_rows
        self._buffer: list[pa.Table] = []
        self._buffered_rows = 0
        self._buffered_bytes = 0
        self._writer: pq.ParquetWriter | None = None
        self._path: Path | None = None
        self._rows_in_file = 0

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        self._buffer.append(table)
        self.rows += table.num_rows
        self._buffered_rows += table.num_rows
        self._buffered_bytes += table.nbytes
        if self._buffered_bytes >= FLUSH_BYTES:
            self._flush(whole=False)
        elif self._buffered_rows >= ROW_GROUP_ROWS:
            self._flush(whole=True)

    def close(self) -> None:
        """Write what is buffered and close the current file (idempotent)."""
        self._flush(whole=False)
        self._close_file()

    def _flush(self, *, whole: bool) -> None:
        """Write the buffer; only whole row groups of ROW_GROUP_ROWS when `whole` (the rest
        stays buffered), else everything."""
        if not self._buffer:
            return
        table = pa.concat_tables(self._buffer)
        keep = table.num_rows % ROW_GROUP_ROWS if whole else 0
        ready = table.num_rows - keep
        self._buffer = [table.slice(ready)] if keep else []
        self._buffered_bytes = self._buffered_bytes * keep // table.num_rows
        self._buffered_rows = keep
        start = 0
        while start < ready:
            writer = self._file_with_room()
            take = min(ready - start, self._file_rows - self._rows_in_file)
            writer.write_table(table.slice(start, take), row_group_size=ROW_GROUP_ROWS)
            self._rows_in_file += take
            start += take

    def _file_with_room(self) -> pq.ParquetWriter:
        if self._writer is not None and self._rows_in_file >= self._file_rows:
            self._close_file()
        if self._writer is None:
            self._path = self.folder / f"stage-{len(self.files) + 1:06d}.parquet"
            self._writer = open_part_writer(self._path)
            self._rows_in_file = 0
        return self._writer

    def _close_file(self) -> None:
        if self._writer is None or self._path is None:
            return
        self._writer.close()
        first_seq = self.files[-1].first_seq + self.files[-1].rows if self.files else 0
        self.files.append(StagedFile(self._path, self._rows_in_file, first_seq))
        self._writer, self._path = None, None
