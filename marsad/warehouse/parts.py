"""Immutable part files: streamed, size-capped, exactly POST_SCHEMA, made visible only by a
later snapshot.

A part is written under a temporary name, fsynced and renamed to `part-<uuid>.parquet`; the
rename alone does not make it part of the warehouse (only the snapshot does), so a commit
killed half-way leaves nothing but unlisted files that vacuum removes.

Staged files are written by the same writer (`open_part_writer`), so a staged file whose rows
all go into the warehouse unchanged can be adopted as a part as it is: fsynced and renamed
into the posts folder under a part name, with no re-encoding (`adopt_parts`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from marsad.posts import POST_SCHEMA
from marsad.warehouse.fsutil import fsync_dir, fsync_file
from marsad.warehouse.snapshot import TEMP_SUFFIX, new_part_name

ROW_GROUP_ROWS = 65_536
FILE_ROWS = 1_000_000


@dataclass(frozen=True, slots=True)
class PartFile:
    name: str
    rows: int


def open_part_writer(sink: str | Path | BinaryIO) -> pq.ParquetWriter:
    """The Parquet writer of every part file, and of staged files (which may become parts):
    exactly POST_SCHEMA (nullability included), zstd. Write with `row_group_size` at most
    ROW_GROUP_ROWS."""
    return pq.ParquetWriter(sink, POST_SCHEMA, compression="zstd")


class _OpenPart:
    """One part being written under its temporary name."""

    def __init__(self, folder: Path) -> None:
        self.name = new_part_name()
        self.temp = folder / (self.name + TEMP_SUFFIX)
        self.rows = 0
        self._handle: BinaryIO = open(self.temp, "wb")  # noqa: SIM115 - closed in finish/discard
        self._writer = open_part_writer(self._handle)

    def write(self, table: pa.Table) -> None:
        self._writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
        self.rows += table.num_rows

    def finish(self) -> PartFile:
        self._writer.close()
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        os.rename(self.temp, self.temp.with_name(self.name))
        return PartFile(self.name, self.rows)

    def discard(self) -> None:
        with contextlib.suppress(Exception):
            self._writer.close()
        self._handle.close()
        self.temp.unlink(missing_ok=True)


class PartWriter:
    """Streams record batches into part files of at most `file_rows` rows each."""

    def __init__(self, folder: Path, *, file_rows: int = FILE_ROWS) -> None:
        self.folder = folder
        self.file_rows = file_rows
        self.parts: list[PartFile] = []
        self._current: _OpenPart | None = None
        self._buffer: list[pa.RecordBatch] = []
        self._buffered = 0

    def write(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows == 0:
            return
        self._buffer.append(batch)
        self._buffered += batch.num_rows
        if self._buffered >= ROW_GROUP_ROWS:
            self._flush(whole=True)

    def finish(self) -> list[PartFile]:
        """Write what is buffered, close the last part; the parts written, all renamed."""
        self._flush(whole=False)
        self._close_current()
        if self.parts:
            fsync_dir(self.folder)
        return self.parts

    def discard(self) -> None:
        """Remove the part being written (renamed parts stay, unlisted, for vacuum)."""
        if self._current is not None:
            self._current.discard()
            self._current = None

    def _flush(self, *, whole: bool) -> None:
        """Write the buffer; only whole row groups of ROW_GROUP_ROWS when `whole` (the rest
        stays buffered), else everything."""
        if not self._buffer:
            return
        buffered = pa.Table.from_batches(self._buffer)
        keep = buffered.num_rows % ROW_GROUP_ROWS if whole else 0
        ready = buffered.num_rows - keep
        self._buffer = buffered.slice(ready).to_batches() if keep else []
        self._buffered = keep
        table = buffered.slice(0, ready).cast(POST_SCHEMA)
        start = 0
        while start < ready:
            part = self._part_with_room()
            take = min(ready - start, self.file_rows - part.rows)
            part.write(table.slice(start, take))
            start += take

    def _part_with_room(self) -> _OpenPart:
        if self._current is not None and self._current.rows >= self.file_rows:
            self._close_current()
        if self._current is None:
            self._current = _OpenPart(self.folder)
        return self._current

    def _close_current(self) -> None:
        if self._current is not None:
            self.parts.append(self._current.finish())
            self._current = None


def write_parts(reader: pa.RecordBatchReader, folder: Path, *, file_rows: int) -> list[PartFile]:
    """Drain `reader` into new part files in `folder`; on error remove the unfinished one."""
    writer = PartWriter(folder, file_rows=file_rows)
    try:
        for batch in reader:
            writer.write(batch)
        return writer.finish()
    except BaseException:
        writer.discard()
        raise


def adopt_parts(files: Iterable[tuple[Path, int]], folder: Path) -> list[PartFile]:
    """Make finished files, each given with its row count, new parts of `folder` unchanged.

    The files must have been written by `open_part_writer`, on the filesystem of `folder`.
    Each is fsynced, then renamed to a new part name (like a written part, it stays invisible
    until a snapshot lists it); the folder is fsynced once all are in.
    """
    parts = [_adopt(path, rows, folder) for path, rows in files]
    if parts:
        fsync_dir(folder)
    return parts


def _adopt(path: Path, rows: int, folder: Path) -> PartFile:
    fsync_file(path)
    name = new_part_name()
    os.rename(path, folder / name)
    return PartFile(name, rows)
