"""Turn one chunk of an export into enriched Arrow batches and a list of rejects.

`convert_chunk` is what a worker process runs (and what the pipeline runs itself for small
imports): read the records with the chunk's format, map each to a Post, fill the text
features, and write Arrow record batches (POST_SCHEMA) to an IPC file and rejected records to
a JSON-lines file, both in a scratch folder of the import. The pipeline then stages the
batches into the warehouse in chunk order, so the result does not depend on which worker
finished first.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

import orjson
import pyarrow as pa

from marsad.ingest.base import Context, Format, Item, Reject, SourceFile, excerpt
from marsad.ingest.chunks import Chunk, ReadThrough
from marsad.ingest.enrich import enrich_posts
from marsad.ingest.pseudonymise import Pseudonymiser
from marsad.ingest.registry import get_format
from marsad.ingest.rejects import RejectsWriter
from marsad.posts import POST_SCHEMA, Post, PostError, posts_to_table

MAP_ERRORS = (PostError, KeyError, TypeError, ValueError, AttributeError, IndexError)
ProgressCallback = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class ChunkResult:
    batches_path: Path  # Arrow IPC file of POST_SCHEMA batches (absent when no posts)
    rejects_path: Path  # JSON lines of rejects (absent when none)
    read: int  # records read, including those rejected
    posts: int
    rejected: int


class _Counts:
    def __init__(self) -> None:
        self.read = 0
        self.posts = 0
        self.rejected = 0


def convert_chunk(
    chunk: Chunk,
    stem: Path,
    batch_size: int,
    on_bytes: ProgressCallback | None = None,
    pseudonymiser: Pseudonymiser | None = None,
) -> ChunkResult:
    """Convert a chunk into `<stem>.arrow` and `<stem>.rejects.jsonl`.

    `on_bytes`, when given, hears of the bytes read as they are read (in-process runs);
    `pseudonymiser`, when given, replaces authors and mentions before the text is analysed."""
    result = ChunkResult(
        stem.with_name(stem.name + ".arrow"), stem.with_name(stem.name + ".rejects.jsonl"), 0, 0, 0
    )
    counts = _Counts()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived containers: the cyclic collector only slows us
    try:
        with RejectsWriter(result.rejects_path) as rejects:
            batches = _batches(chunk, counts, rejects, batch_size, on_bytes, pseudonymiser)
            _write_batches(result.batches_path, batches)
    finally:
        if gc_was_enabled:
            gc.enable()
    return replace(result, read=counts.read, posts=counts.posts, rejected=counts.rejected)


def _write_batches(path: Path, tables: Iterator[pa.Table]) -> None:
    writer: pa.ipc.RecordBatchFileWriter | None = None
    try:
        for table in tables:
            if writer is None:
                writer = pa.ipc.new_file(str(path), POST_SCHEMA)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def _batches(
    chunk: Chunk,
    counts: _Counts,
    rejects: RejectsWriter,
    batch_size: int,
    on_bytes: ProgressCallback | None,
    pseudonymiser: Pseudonymiser | None,
) -> Iterator[pa.Table]:
    fmt = get_format(chunk.format_key)
    source = chunk.opened_source()
    if on_bytes is not None:
        source = counted(source, chunk.size, on_bytes)
    posts: list[Post] = []
    for post in _posts(fmt, source, chunk, counts, rejects):
        posts.append(pseudonymiser.apply(post) if pseudonymiser else post)
        if len(posts) >= batch_size:
            yield posts_to_table(enrich_posts(posts))
            posts = []
            gc.collect(1)  # the collector is off while converting: clear young cycles now
    if posts:
        yield posts_to_table(enrich_posts(posts))


def _posts(
    fmt: Format, source: SourceFile, chunk: Chunk, counts: _Counts, rejects: RejectsWriter
) -> Iterator[Post]:
    shift = chunk.first_line - 1
    ctx = chunk.ctx
    for entry in fmt.read(source, ctx):
        if isinstance(entry, Reject):
            counts.read += entry.record is not None  # a record that failed to parse
            counts.rejected += 1
            rejects.write(_shifted_reject(entry, shift))
            continue
        counts.read += 1
        post = _map_one(fmt, Item(entry.record + shift, entry.raw) if shift else entry, ctx)
        if isinstance(post, Reject):
            counts.rejected += 1
            rejects.write(post)
        else:
            counts.posts += 1
            yield post


def _shifted_reject(reject: Reject, shift: int) -> Reject:
    if not shift or reject.record is None:
        return reject
    return replace(reject, record=reject.record + shift)


def _map_one(fmt: Format, item: Item, ctx: Context) -> Post | Reject:
    try:
        return fmt.map_item(item, ctx)
    except MAP_ERRORS as error:
        reason = str(error) if isinstance(error, PostError) else _describe(error)
        return Reject(ctx.file, item.record, reason, _raw_excerpt(item.raw))


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing field {error.args[0]!r}" if error.args else "missing field"
    return f"{type(error).__name__}: {error}"


def _raw_excerpt(raw: object) -> str:
    if isinstance(raw, tuple) and raw:  # (record, lookup tables): show the record only
        raw = raw[0]
    try:
        return excerpt(orjson.dumps(raw, default=str))
    except TypeError:
        return excerpt(repr(raw))


def counted(source: SourceFile, size: int, on_bytes: ProgressCallback) -> SourceFile:
    """The source, reporting bytes read to `on_bytes`: never more than `size` in all (a
    compressed file reads more bytes than it holds on disk, and formats may open a file
    twice)."""
    budget = [size]

    def report(n: int) -> None:
        step = min(n, budget[0])
        budget[0] -= step
        if step:
            on_bytes(step)

    def opener() -> IO[bytes]:
        return io.BufferedReader(ReadThrough(source.open(), on_bytes=report), buffer_size=1 << 20)

    return replace(source, opener=opener)


def read_batches(path: Path) -> Iterator[pa.RecordBatch]:
    """The batches a chunk wrote (memory-mapped, so nothing is copied until it is used)."""
    if not path.exists():
        return
    with pa.memory_map(str(path)) as source:
        reader = pa.ipc.open_file(source)
        for index in range(reader.num_record_batches):
            yield reader.get_batch(index)
