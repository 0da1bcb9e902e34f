"""Rejects files: one JSON object a line with file, record, reason and a short excerpt."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import orjson

from marsad.ingest.base import Reject


class RejectsWriter:
    """Appends rejects to a file that is created only when the first one arrives. Rejects
    hold excerpts of posts (text, handles), so the file is readable by its owner only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: IO[bytes] | None = None

    def write(self, reject: Reject) -> None:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._handle = os.fdopen(fd, "ab")
        self._handle.write(orjson.dumps(reject.as_dict()) + b"\n")
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> RejectsWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_rejects(path: Path) -> Iterator[Reject]:
    """The rejects in a file written by RejectsWriter (none when it does not exist)."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        for line in handle:
            data = orjson.loads(line)
            yield Reject(data["file"], data["record"], data["reason"], data["excerpt"])
