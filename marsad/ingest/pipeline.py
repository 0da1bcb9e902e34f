"""The ingest pipeline: files -> format -> Posts -> enriched Arrow batches -> warehouse.

One run of `ingest` is one warehouse import: it is committed whole at the end, so readers
never see half of it, and a run killed mid-way leaves the warehouse as it was. Records that
cannot be imported are counted and written, with file, record and reason, to a rejects file.
"""

from __future__ import annotations

import io
import secrets
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from marsad.config import Settings, read_toml
from marsad.ingest.base import Context, Format, Item, Reject, SourceFile
from marsad.ingest.enrich import enrich_posts
from marsad.ingest.registry import detect_format
from marsad.ingest.sources import iter_sources, read_sample
from marsad.posts import Post, PostError, posts_to_table
from marsad.warehouse import MergeResult, Warehouse

MAP_ERRORS = (PostError, KeyError, TypeError, ValueError, AttributeError, IndexError)
ProgressCallback = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class IngestOptions:
    dataset: str | None = None
    format_key: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # tabular reader options
    per_file: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    encoding: str | None = None


@dataclass(slots=True)
class IngestSummary:
    import_id: str
    files: int = 0
    files_skipped: int = 0
    read: int = 0
    new: int = 0
    updated: int = 0
    duplicate: int = 0
    rejected: int = 0
    rejects_file: Path | None = None
    formats: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__slots__}
        data["rejects_file"] = str(self.rejects_file) if self.rejects_file else None
        data["formats"] = dict(self.formats)
        return data


def new_import_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def load_mapping_file(path: Path) -> dict[str, dict[str, str]]:
    """Per-file column mappings from a TOML file of [files."NAME"] tables."""
    document = read_toml(path)
    files = document.get("files", {})
    return {str(name): {str(k): str(v) for k, v in table.items()} for name, table in files.items()}


class RejectsWriter:
    """Writes rejects as JSON lines, creating the file only when the first one arrives."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: IO[bytes] | None = None

    def write(self, reject: Reject) -> None:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("ab")
        self._handle.write(orjson.dumps(reject.as_dict()) + b"\n")
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


class _CountingRaw(io.RawIOBase):
    """A binary stream that reports how many bytes were read through it."""

    def __init__(self, inner: IO[bytes], on_bytes: ProgressCallback) -> None:
        self._inner = inner
        self._on_bytes = on_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        self._on_bytes(len(data))
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def _counted(source: SourceFile, on_bytes: ProgressCallback) -> SourceFile:
    budget = [source.size]

    def report(n: int) -> None:  # never report more than the file's size on disk
        step = min(n, budget[0])
        budget[0] -= step
        if step:
            on_bytes(step)

    def opener() -> IO[bytes]:
        return io.BufferedReader(_CountingRaw(source.open(), report), buffer_size=1 << 20)

    return replace(source, opener=opener)


class Ingestor:
    """One import run over a list of paths into one warehouse."""

    def __init__(
        self,
        settings: Settings,
        options: IngestOptions,
        on_bytes: ProgressCallback = lambda n: None,
    ) -> None:
        self.settings = settings
        self.options = options
        self.on_bytes = on_bytes
        self.summary = IngestSummary(new_import_id())
        rejects_path = settings.rejects_dir / f"{self.summary.import_id}.rejects.jsonl"
        self.rejects = RejectsWriter(rejects_path)
        self.batch_size = int(settings.get("ingest.batch_size"))

    def sources(self, paths: Sequence[Path]) -> list[SourceFile]:
        found: list[SourceFile] = []
        for entry in iter_sources(paths):
            if isinstance(entry, Reject):
                self._reject_file(entry)
            else:
                found.append(entry)
        return found

    def run(self, sources: Sequence[SourceFile]) -> IngestSummary:
        warehouse = Warehouse(
            self.settings.warehouse_dir,
            memory_limit=str(self.settings.get("duckdb.memory_limit")),
            threads=int(self.settings.get("duckdb.threads")) or None,
        )
        try:
            with warehouse.begin_import() as txn:
                for batch in self._batches(sources):
                    txn.add(posts_to_table(enrich_posts(batch)))
                self._count_merge(txn.commit())
        finally:
            self.rejects.close()
        if self.rejects.count:
            self.summary.rejects_file = self.rejects.path
        return self.summary

    def _batches(self, sources: Sequence[SourceFile]) -> Iterator[list[Post]]:
        batch: list[Post] = []
        for source in sources:
            for post in self._posts(source):
                batch.append(post)
                if len(batch) >= self.batch_size:
                    yield batch
                    batch = []
        if batch:
            yield batch

    def _posts(self, source: SourceFile) -> Iterator[Post]:
        options = self._options_for(source)
        fmt = detect_format(read_sample(source), options)
        if fmt is None:
            self._reject_file(Reject(source.name, None, "not a format marsad can read"))
            return
        self.summary.files += 1
        self.summary.formats[fmt.key] += 1
        dataset = self.options.dataset or str(self.settings.get("ingest.dataset")) or None
        ctx = Context(source.name, source.mtime, dataset, options)
        yield from self._map_all(fmt, _counted(source, self.on_bytes), ctx)

    def _map_all(self, fmt: Format, source: SourceFile, ctx: Context) -> Iterator[Post]:
        for entry in fmt.read(source, ctx):
            if isinstance(entry, Reject):
                self.summary.read += entry.record is not None  # a record that failed to parse
                self._reject(entry)
                continue
            self.summary.read += 1
            post = self._map_one(fmt, entry, ctx)
            if post is not None:
                yield post

    def _map_one(self, fmt: Format, item: Item, ctx: Context) -> Post | None:
        try:
            return fmt.map_item(item, ctx)
        except MAP_ERRORS as error:
            reason = str(error) if isinstance(error, PostError) else _describe(error)
            self._reject(Reject(ctx.file, item.record, reason, _raw_excerpt(item.raw)))
            return None

    def _options_for(self, source: SourceFile) -> dict[str, str]:
        base_name = source.name.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
        mappings = self.settings.column_mappings
        options: dict[str, str] = {}
        options.update(mappings.get("*", {}))
        options.update(mappings.get(base_name, {}))
        options.update(self.options.per_file.get(base_name, {}))
        options.update(self.options.columns)
        if self.options.format_key:
            options["format"] = self.options.format_key
        if self.options.encoding:
            options["encoding"] = self.options.encoding
        return options

    def _reject(self, reject: Reject) -> None:
        self.summary.rejected += 1
        self.rejects.write(reject)

    def _reject_file(self, reject: Reject) -> None:
        self.summary.files_skipped += 1
        self.rejects.write(reject)

    def _count_merge(self, result: MergeResult) -> None:
        self.summary.new = result.new
        self.summary.updated = result.updated
        self.summary.duplicate = result.duplicate


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing field {error.args[0]!r}" if error.args else "missing field"
    return f"{type(error).__name__}: {error}"


def _raw_excerpt(raw: object) -> str:
    from marsad.ingest.base import excerpt

    if isinstance(raw, tuple) and raw:  # (record, lookup tables): show the record only
        raw = raw[0]
    try:
        return excerpt(orjson.dumps(raw, default=str))
    except TypeError:
        return excerpt(repr(raw))


def ingest(
    paths: Sequence[Path],
    settings: Settings,
    options: IngestOptions,
    on_bytes: ProgressCallback = lambda n: None,
) -> IngestSummary:
    """Import every file under `paths` as one warehouse import and return the summary."""
    ingestor = Ingestor(settings, options, on_bytes)
    return ingestor.run(ingestor.sources(paths))
