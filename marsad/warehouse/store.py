"""The posts warehouse: immutable Parquet part files listed by an atomically replaced snapshot.

Layout under the warehouse root:
    posts/_snapshot.json         the truth: version, listed part files, row count
    posts/part-<uuid>.parquet    immutable parts, zstd, exactly POST_SCHEMA
    staging/<import-id>/         an import's batches until its commit (plus its .lock); written
                                 as part files are, so an import of only new posts becomes
                                 parts by a rename, without rewriting
    .write.lock                  flock held by the one commit (or vacuum) running
    .tmp/                        DuckDB spill folders of reader connections

Readers never lock: they read the snapshot once and query exactly its files. Writers stage
without the lock, then merge and publish under it, one at a time. A process killed at any
moment leaves the previous snapshot or the new one, never a mix; whatever else it wrote is
unlisted and removed by a later vacuum.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from marsad.warehouse.duck import create_posts_view, open_connection
from marsad.warehouse.errors import WarehouseError
from marsad.warehouse.fsutil import exclusive_lock
from marsad.warehouse.merge import MergeOutcome, MergeResult, MergeSettings, merge_staged
from marsad.warehouse.snapshot import SNAPSHOT_NAME, Snapshot, read_snapshot, write_snapshot
from marsad.warehouse.staging import StagedFile, StagingWriter, conform
from marsad.warehouse.stats import WarehouseStats, compute_stats
from marsad.warehouse.vacuum import (
    DEFAULT_GRACE_SECONDS,
    STAGING_LOCK,
    Folders,
    VacuumResult,
    vacuum_locked,
)

WRITE_LOCK = ".write.lock"


class Warehouse:
    """An existing warehouse at `root`; see the module docstring for the layout."""

    def __init__(
        self,
        root: Path | str,
        *,
        memory_limit: str = "2GB",
        threads: int | None = None,
        grace_seconds: float = DEFAULT_GRACE_SECONDS,
        settings: MergeSettings | None = None,
    ) -> None:
        self.root = Path(root)
        self.memory_limit = memory_limit
        self.threads = threads
        self.grace_seconds = grace_seconds
        self.settings = settings or MergeSettings()
        self.folders = Folders(
            posts=self.root / "posts", staging=self.root / "staging", spill=self.root / ".tmp"
        )
        if not (self.folders.posts / SNAPSHOT_NAME).is_file():
            raise WarehouseError(
                f"no warehouse at {self.root}: {self.folders.posts / SNAPSHOT_NAME} is missing"
                " (create one with Warehouse.create)"
            )

    @classmethod
    def create(
        cls,
        root: Path | str,
        *,
        exist_ok: bool = False,
        memory_limit: str = "2GB",
        threads: int | None = None,
        grace_seconds: float = DEFAULT_GRACE_SECONDS,
        settings: MergeSettings | None = None,
    ) -> Warehouse:
        """Make the folders and an empty snapshot (version 0), then open the warehouse;
        WarehouseError if one exists already, unless `exist_ok`."""
        root = Path(root)
        posts = root / "posts"
        posts.mkdir(parents=True, exist_ok=True)
        (root / "staging").mkdir(exist_ok=True)
        with exclusive_lock(root / WRITE_LOCK):
            if not (posts / SNAPSHOT_NAME).exists():
                write_snapshot(posts, Snapshot.empty())
            elif not exist_ok:
                raise WarehouseError(f"a warehouse already exists at {root}")
        return cls(
            root,
            memory_limit=memory_limit,
            threads=threads,
            grace_seconds=grace_seconds,
            settings=settings,
        )

    def __repr__(self) -> str:
        return f"Warehouse({str(self.root)!r})"

    # -- reading ---------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The current snapshot (read afresh each call)."""
        return read_snapshot(self.folders.posts)

    def count(self) -> int:
        """Posts stored, from the snapshot (no scan)."""
        return self.snapshot().rows

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A new in-memory DuckDB connection with a `posts` view over the current snapshot.

        The view stays on that snapshot for the connection's life, whatever is committed
        meanwhile; open a new connection to see later imports. Connections are meant to be
        short-lived: files replaced by later commits are removed after the grace period.
        """
        snapshot = self.snapshot()
        paths = snapshot.paths(self.folders.posts)
        missing = [path for path in paths if not path.is_file()]
        if missing:
            raise WarehouseError(
                f"warehouse {self.root} is damaged: snapshot v{snapshot.version} lists"
                f" {len(missing)} missing file(s), e.g. {missing[0]}"
            )
        con = open_connection(
            memory_limit=self.memory_limit, threads=self.threads, temp_dir=self._spill_dir()
        )
        create_posts_view(con, paths)
        return con

    def _spill_dir(self) -> Path:
        """Where a reader's DuckDB may spill: inside the warehouse, or the system's temporary
        folder when the warehouse is read-only."""
        name = f"read-{uuid.uuid4().hex}"
        try:
            self.folders.spill.mkdir(exist_ok=True)
        except OSError:
            return Path(tempfile.gettempdir()) / f"marsad-{name}"
        return self.folders.spill / name

    def stats(self) -> WarehouseStats:
        con = self.connect()
        try:
            return compute_stats(con)
        finally:
            con.close()

    # -- writing ---------------------------------------------------------------------------

    def begin_import(self) -> ImportTransaction:
        """Start an import: stage with `add`, then `commit` (or leave the `with` to abort)."""
        import_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:12]
        folder = self.folders.staging / import_id
        lock_fd = _make_locked_folder(folder)
        return ImportTransaction(self, import_id, folder, lock_fd)

    def vacuum(self, grace_seconds: float | None = None) -> VacuumResult:
        """Remove garbage left by killed imports and replaced files (see `vacuum` module);
        waits for a running commit to finish."""
        grace = self.grace_seconds if grace_seconds is None else grace_seconds
        with exclusive_lock(self.root / WRITE_LOCK):
            return vacuum_locked(self.folders, self.snapshot(), grace)

    def _commit(self, folder: Path, staged: list[StagedFile], staged_rows: int) -> MergeResult:
        """Merge the staged files of the staging `folder` and publish a new snapshot, under
        the write lock."""
        with exclusive_lock(self.root / WRITE_LOCK):
            snapshot = self.snapshot()
            vacuum_locked(self.folders, snapshot, self.grace_seconds)
            outcome = self._merge(folder, staged, staged_rows, snapshot)
            if outcome.changed:
                _publish(self.folders.posts, snapshot, outcome)
        return outcome.result

    def _merge(
        self, folder: Path, staged: list[StagedFile], staged_rows: int, snapshot: Snapshot
    ) -> MergeOutcome:
        con = open_connection(
            memory_limit=self.memory_limit,
            threads=self.threads,
            temp_dir=folder / "duckdb.tmp",
            keep_order=False,
        )
        try:
            return merge_staged(
                con,
                staged=staged,
                staged_rows=staged_rows,
                folder=self.folders.posts,
                snapshot=snapshot,
                settings=self.settings,
            )
        finally:
            con.close()


def _make_locked_folder(folder: Path) -> int:
    """Create `folder` with its `.lock` already held (the returned descriptor holds it).

    The folder is built under a hidden name and renamed once locked, so vacuum never sees a
    visible staging folder whose lock is free for a moment.
    """
    hidden = folder.with_name("." + folder.name)
    hidden.mkdir(parents=True)
    lock_fd = os.open(hidden / STAGING_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    hidden.rename(folder)
    return lock_fd


def _publish(folder: Path, old: Snapshot, outcome: MergeOutcome) -> None:
    """Write the snapshot that swaps the dropped files for the written ones.

    Dropped files are touched first: vacuum measures their grace period from now, when they
    stop being listed, not from when they were written.
    """
    dropped = set(outcome.dropped)
    now = time.time()
    dropped_rows = 0
    for name in outcome.dropped:
        dropped_rows += pq.read_metadata(folder / name).num_rows
        os.utime(folder / name, (now, now))
    kept = [name for name in old.files if name not in dropped]
    new = Snapshot(
        version=old.version + 1,
        files=(*kept, *(part.name for part in outcome.written)),
        rows=old.rows - dropped_rows + sum(part.rows for part in outcome.written),
        updated_at=datetime.now(UTC),
    )
    write_snapshot(folder, new)


class ImportTransaction:
    """One import in progress. Rows staged with `add` are invisible until `commit`; leaving
    the `with` block without committing (or on an exception) discards them."""

    def __init__(self, warehouse: Warehouse, import_id: str, folder: Path, lock_fd: int) -> None:
        self.warehouse = warehouse
        self.id = import_id
        self.folder = folder
        self._lock_fd: int | None = lock_fd
        self._staging = StagingWriter(folder, file_rows=warehouse.settings.file_rows)
        self._state = "open"
        self.result: MergeResult | None = None

    @property
    def staged(self) -> int:
        """Rows added so far."""
        return self._staging.rows

    def add(self, data: pa.Table | pa.RecordBatch) -> int:
        """Stage a table (or batch) with POST_SCHEMA; returns its row count."""
        self._require_open()
        table = conform(data)
        self._staging.write(table)
        return int(table.num_rows)

    def commit(self) -> MergeResult:
        """Merge everything staged into the warehouse as one new snapshot."""
        self._require_open()
        try:
            self._staging.close()
            if self.staged:
                self.result = self.warehouse._commit(self.folder, self._staging.files, self.staged)
            else:
                self.result = MergeResult(new=0, updated=0, duplicate=0)
            self._state = "committed"
        finally:
            self._release()
        return self.result

    def abort(self) -> None:
        """Discard what was staged (no-op once committed or aborted)."""
        if self._state == "open":
            self._release()

    def _require_open(self) -> None:
        if self._state != "open":
            raise WarehouseError(f"import {self.id} is already {self._state}")

    def _release(self) -> None:
        if self._state == "open":
            self._state = "aborted"
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> ImportTransaction:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.abort()
