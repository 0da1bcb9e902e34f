"""The ingest pipeline: files -> format -> Posts -> enriched Arrow batches -> warehouse.

One run of `ingest` is one warehouse import: it is committed whole at the end, so readers
never see half of it, and a run killed mid-way leaves the warehouse as it was. Records that
cannot be imported are counted and written, with file, record and reason, to a rejects file.

The files are planned into chunks (big JSONL files into line-aligned parts); chunks are
converted to Arrow batches by worker processes when the import is big enough to gain from
them (`ingest.workers`), otherwise in this process, and always staged in chunk order.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marsad.config import Settings
from marsad.ingest import chunks as chunking
from marsad.ingest.base import Context, Reject, SourceFile
from marsad.ingest.chunks import Chunk
from marsad.ingest.convert import ChunkResult, convert_chunk, read_batches
from marsad.ingest.pseudonymise import Pseudonymiser, load_pseudonymiser
from marsad.ingest.registry import detect_format
from marsad.ingest.rejects import RejectsWriter, read_rejects
from marsad.ingest.scratch import scratch_folder
from marsad.ingest.sources import iter_sources, read_sample
from marsad.warehouse import ImportTransaction, MergeResult, Warehouse

ProgressCallback = Callable[[int], None]
# Below this many bytes an import runs in this process: starting workers would cost more.
PARALLEL_MIN_BYTES = 2 * chunking.PART_BYTES
SCRATCH_DIR = ".scratch"
UNKNOWN_FORMAT = "not a format marsad can read (see `marsad formats`; force one with --format KEY)"


class IngestError(RuntimeError):
    """An import could not run; nothing of it was committed."""


@dataclass(frozen=True, slots=True)
class IngestOptions:
    dataset: str | None = None
    format_key: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # tabular reader options
    per_file: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    encoding: str | None = None
    pseudonymise: bool | None = None  # keyed pseudonyms for authors; None: the setting decides


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
        self.workers = int(settings.get("ingest.workers")) or default_workers()
        self.pseudonymiser = _pseudonymiser(settings, options)

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
        scratch_root = self.settings.project_dir / SCRATCH_DIR
        try:
            with (
                scratch_folder(scratch_root, self.summary.import_id) as scratch,
                warehouse.begin_import() as txn,
            ):
                for result in self._convert(self.plan(sources), scratch):
                    self._stage(result, txn)
                self._count_merge(txn.commit())
        finally:
            self.rejects.close()
        if self.rejects.count:
            self.summary.rejects_file = self.rejects.path
        return self.summary

    def plan(self, sources: Sequence[SourceFile]) -> list[Chunk]:
        """The chunks to convert: each readable file, big JSONL files in parts."""
        planned: list[Chunk] = []
        dataset = self.options.dataset or str(self.settings.get("ingest.dataset")) or None
        for source in sources:
            options = self._options_for(source)
            fmt = detect_format(read_sample(source), options)
            if fmt is None:
                self._reject_file(Reject(source.name, None, UNKNOWN_FORMAT))
                continue
            self.summary.files += 1
            self.summary.formats[fmt.key] += 1
            ctx = Context(source.name, source.mtime, dataset, options)
            splittable = bool(getattr(fmt, "splittable", lambda s: False)(source))
            planned.extend(chunking.plan(source, fmt.key, ctx, splittable))
        return planned

    def _convert(self, planned: list[Chunk], scratch: Path) -> Iterator[ChunkResult]:
        total = sum(chunk.size for chunk in planned)
        if self.workers <= 1 or len(planned) < 2 or total < PARALLEL_MIN_BYTES:
            for index, chunk in enumerate(planned):
                yield convert_chunk(
                    chunk, _stem(scratch, index), self.batch_size, self.on_bytes, self.pseudonymiser
                )
            return
        yield from self._convert_in_workers(planned, scratch)

    def _convert_in_workers(self, planned: list[Chunk], scratch: Path) -> Iterator[ChunkResult]:
        """Chunks converted by worker processes, yielded in plan order; at most two chunks
        per worker wait at a time, which bounds the scratch space used."""
        context = multiprocessing.get_context("spawn")  # no fork of a process with threads
        workers = min(self.workers, len(planned))
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            pending: deque[tuple[Chunk, Future[ChunkResult]]] = deque()
            for index, chunk in enumerate(planned):
                pending.append(
                    (
                        chunk,
                        pool.submit(
                            convert_chunk,
                            chunk,
                            _stem(scratch, index),
                            self.batch_size,
                            None,
                            self.pseudonymiser,
                        ),
                    )
                )
                if len(pending) >= 2 * workers:
                    yield self._finished(*pending.popleft())
            while pending:
                yield self._finished(*pending.popleft())

    def _finished(self, chunk: Chunk, future: Future[ChunkResult]) -> ChunkResult:
        try:
            result = future.result()
        except BrokenProcessPool as error:
            raise IngestError(
                f"a worker process died while reading {chunk.source.name} (out of memory?); "
                "nothing was imported; try again with fewer workers (MARSAD_INGEST_WORKERS=1)"
            ) from error
        self.on_bytes(chunk.size)
        return result

    def _stage(self, result: ChunkResult, txn: ImportTransaction) -> None:
        for batch in read_batches(result.batches_path):
            txn.add(batch)
        for reject in read_rejects(result.rejects_path):
            self.rejects.write(reject)
        self.summary.read += result.read
        self.summary.rejected += result.rejected
        result.batches_path.unlink(missing_ok=True)
        result.rejects_path.unlink(missing_ok=True)

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

    def _reject_file(self, reject: Reject) -> None:
        self.summary.files_skipped += 1
        self.rejects.write(reject)

    def _count_merge(self, result: MergeResult) -> None:
        self.summary.new = result.new
        self.summary.updated = result.updated
        self.summary.duplicate = result.duplicate


def _pseudonymiser(settings: Settings, options: IngestOptions) -> Pseudonymiser | None:
    wanted = options.pseudonymise
    if wanted is None:
        wanted = bool(settings.get("ingest.pseudonymise"))
    return load_pseudonymiser(settings.path("project.secret_file")) if wanted else None


def default_workers() -> int:
    """One worker per core, at most two: each needs about 300 MB, and the import's memory
    target is 1 GB. Set `ingest.workers` to use more cores where there is memory for them."""
    return max(1, min(os.cpu_count() or 1, 2))


def _stem(scratch: Path, index: int) -> Path:
    return scratch / f"chunk-{index:06d}"


def ingest(
    paths: Sequence[Path],
    settings: Settings,
    options: IngestOptions,
    on_bytes: ProgressCallback = lambda n: None,
) -> IngestSummary:
    """Import every file under `paths` as one warehouse import and return the summary."""
    ingestor = Ingestor(settings, options, on_bytes)
    return ingestor.run(ingestor.sources(paths))
