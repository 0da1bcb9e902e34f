"""Units of import work: a whole file, or a run of whole lines of a big line-based file.

Splitting lets several processes read one big JSONL export at once. A part always starts at
the beginning of a line and ends after a newline, and knows the number of its first line, so
rejects and `source.record` carry the line numbers of the whole file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from marsad.ingest.base import Context, SourceFile

PART_BYTES = 16 * 1024 * 1024
_BLOCK = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Chunk:
    """A file (or part of one) to import with a given format and context."""

    source: SourceFile
    format_key: str
    ctx: Context
    start: int = 0  # byte offset of the part; 0 with end None is the whole file
    end: int | None = None
    first_line: int = 1

    @property
    def size(self) -> int:
        """Bytes of the file this chunk covers, for progress."""
        return self.source.size if self.end is None else self.end - self.start

    def opened_source(self) -> SourceFile:
        """The source as the format will read it: the whole file or just this part."""
        if self.end is None:
            return self.source
        return replace(self.source, opener=_RangeOpener(self.source.path, self.start, self.end))


@dataclass(frozen=True, slots=True)
class _RangeOpener:
    path: Path | None
    start: int
    end: int

    def __call__(self) -> IO[bytes]:
        assert self.path is not None
        handle = self.path.open("rb")
        handle.seek(self.start)
        return io.BufferedReader(ReadThrough(handle, limit=self.end - self.start), 1 << 20)


class ReadThrough(io.RawIOBase):
    """A binary stream read through to another: at most `limit` bytes of it, telling
    `on_bytes` how many were read."""

    def __init__(
        self,
        inner: IO[bytes],
        limit: int | None = None,
        on_bytes: Callable[[int], None] | None = None,
    ) -> None:
        self._inner = inner
        self._remaining = limit
        self._on_bytes = on_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        wanted = len(buffer) if self._remaining is None else min(len(buffer), self._remaining)
        data = self._inner.read(wanted)
        buffer[: len(data)] = data
        if self._remaining is not None:
            self._remaining -= len(data)
        if self._on_bytes is not None:
            self._on_bytes(len(data))
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def split_lines(path: Path, part_bytes: int = PART_BYTES) -> Iterator[tuple[int, int, int]]:
    """(start, end, first_line) of consecutive parts of at least `part_bytes` (the last may
    be shorter), each ending just after a newline or at the end of the file, covering it all."""
    start, first_line = 0, 1
    offset, line_at_offset = 0, 1  # where the current block starts, and its line number
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            for cut in _cuts(block, start + part_bytes - offset, part_bytes):
                yield start, offset + cut + 1, first_line
                start = offset + cut + 1
                first_line = line_at_offset + block.count(b"\n", 0, cut + 1)
            line_at_offset += block.count(b"\n")
            offset += len(block)
    if offset > start:
        yield start, offset, first_line


def _cuts(block: bytes, target: int, part_bytes: int) -> Iterator[int]:
    """Positions in the block of the newlines that end parts: the first newline at or after
    `target`, then the first at or after that one plus `part_bytes`, and so on."""
    search = 0
    while target < len(block):
        cut = block.find(b"\n", max(target, search))
        if cut < 0:
            return
        yield cut
        search = cut + 1
        target = cut + 1 + part_bytes


def plan(source: SourceFile, format_key: str, ctx: Context, splittable: bool) -> list[Chunk]:
    """One chunk for the file, or several line-aligned parts when it is big and splittable."""
    if not splittable or source.path is None or source.size <= PART_BYTES:
        return [Chunk(source, format_key, ctx)]
    return [
        Chunk(source, format_key, ctx, start, end, first_line)
        for start, end, first_line in split_lines(source.path, PART_BYTES)
    ]
