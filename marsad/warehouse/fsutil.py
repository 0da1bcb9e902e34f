"""Small filesystem helpers: durable writes, directory fsync and flock-based locks."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Make a rename or unlink inside `path` durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes, temp_name: str) -> None:
    """Replace `path` with `data` so that readers see either the old or the new content.

    The content goes to `temp_name` in the same folder first, is fsynced, renamed over `path`,
    and the folder is fsynced so the rename survives a crash.
    """
    temp = path.with_name(temp_name)
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    fsync_dir(path.parent)


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive flock on `path` (created if needed), waiting for it if taken."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def try_lock(path: Path) -> int | None:
    """An open descriptor holding an exclusive flock on existing `path`, or None when another
    open file (in any process) holds it or the file is gone."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def age_seconds(path: Path, now: float) -> float:
    """Seconds since `path` was last modified (0 when it vanished meanwhile)."""
    try:
        return now - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
