"""Staging: an import's batches written to its own folder before the commit merges them.

Each batch is checked against POST_SCHEMA, numbered (`_seq`, the order rows were added, used
to break ties between repeats of one post) and buffered up to a bounded size before it is
written as a row group, so an import of any size keeps memory bounded.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from marsad.posts import KEY_COLUMNS, POST_SCHEMA
from marsad.warehouse.errors import WarehouseError

SEQ_COLUMN = "_seq"
STAGED_SCHEMA = POST_SCHEMA.append(pa.field(SEQ_COLUMN, pa.int64(), nullable=False))
STAGED_GLOB = "stage-*.parquet"
FLUSH_ROWS = 65_536
FLUSH_BYTES = 64 * 1024 * 1024
FILE_ROWS = 2_000_000


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
        self._file_rows = file_rows
        self._buffer: list[pa.Table] = []
        self._buffered_rows = 0
        self._buffered_bytes = 0
        self._writer: pq.ParquetWriter | None = None
        self._file_count = 0
        self._rows_in_file = 0

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        seq = pa.array(range(self.rows, self.rows + table.num_rows), pa.int64())
        self._buffer.append(table.append_column(STAGED_SCHEMA.field(SEQ_COLUMN), seq))
        self.rows += table.num_rows
        self._buffered_rows += table.num_rows
        self._buffered_bytes += table.nbytes
        if self._buffered_rows >= FLUSH_ROWS or self._buffered_bytes >= FLUSH_BYTES:
            self._flush()

    def close(self) -> None:
        """Write what is buffered and close the current file (idempotent)."""
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def _flush(self) -> None:
        if not self._buffer:
            return
        chunk = pa.concat_tables(self._buffer)
        self._buffer, self._buffered_rows, self._buffered_bytes = [], 0, 0
        if self._writer is None or self._rows_in_file >= self._file_rows:
            self._open_next()
        assert self._writer is not None
        self._writer.write_table(chunk, row_group_size=FLUSH_ROWS * 2)
        self._rows_in_file += chunk.num_rows

    def _open_next(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._file_count += 1
        path = self.folder / f"stage-{self._file_count:06d}.parquet"
        self._writer = pq.ParquetWriter(path, STAGED_SCHEMA, compression="zstd")
        self._rows_in_file = 0
