"""A collection's folder: `collect/<name>/pages/<n>.jsonl` and the checkpoint `state.json`.

Order of writes, which makes a run killed at any moment resumable:
1. page n is written to a temporary file, fsynced and renamed to `pages/<n>.jsonl`;
2. only then does the checkpoint (atomically replaced) say that n pages are written and hold
   the streams' states after page n. A page written without its checkpoint is fetched and
   written again, under the same number, by the next run;
3. pages are imported; only after the import commits does the checkpoint say so. Pages
   imported but not yet marked are imported again: the warehouse keeps one row per post.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from marsad.collect.base import CollectError, State
from marsad.warehouse.fsutil import try_lock, write_atomically

STATE_FILE = "state.json"
LOCK_FILE = ".lock"
PAGES_DIR = "pages"
STATE_VERSION = 1


@dataclass(slots=True)
class Checkpoint:
    pages_written: int = 0
    pages_imported: int = 0
    records_saved: int = 0
    streams: dict[str, State] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "pages_written": self.pages_written,
            "pages_imported": self.pages_imported,
            "records_saved": self.records_saved,
            "streams": self.streams,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(
            pages_written=int(data.get("pages_written", 0)),
            pages_imported=int(data.get("pages_imported", 0)),
            records_saved=int(data.get("records_saved", 0)),
            streams=dict(data.get("streams", {})),
        )


class CollectionStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.pages_dir = root / PAGES_DIR
        self.state_path = root / STATE_FILE

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the collection's lock: one `marsad collect` at a time per collection."""
        self.pages_dir.mkdir(parents=True, exist_ok=True)
        lock_path = self.root / LOCK_FILE
        lock_path.touch(exist_ok=True)
        fd = try_lock(lock_path)
        if fd is None:
            raise CollectError(f"{self.root} is being collected by another marsad collect")
        try:
            yield
        finally:
            os.close(fd)

    def load(self) -> Checkpoint:
        if not self.state_path.exists():
            return Checkpoint()
        try:
            data = orjson.loads(self.state_path.read_bytes())
        except orjson.JSONDecodeError as error:
            raise CollectError(f"{self.state_path}: not a readable checkpoint: {error}") from error
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise CollectError(f"{self.state_path}: not a checkpoint of this marsad version")
        return Checkpoint.from_dict(data)

    def save(self, checkpoint: Checkpoint) -> None:
        data = orjson.dumps(checkpoint.as_dict(), option=orjson.OPT_INDENT_2)
        write_atomically(self.state_path, data, f".{STATE_FILE}.tmp")

    def page_path(self, number: int) -> Path:
        return self.pages_dir / f"{number:06d}.jsonl"

    def write_page(self, number: int, lines: list[bytes]) -> Path:
        """Write page `number` durably (replacing one left by a killed run)."""
        path = self.page_path(number)
        data = b"".join(line.rstrip(b"\n") + b"\n" for line in lines)
        write_atomically(path, data, f".{path.name}.tmp")
        return path

    def pending(self, checkpoint: Checkpoint) -> list[Path]:
        """The written pages not yet imported."""
        numbers = range(checkpoint.pages_imported + 1, checkpoint.pages_written + 1)
        return [self.page_path(n) for n in numbers]
