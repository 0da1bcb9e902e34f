"""A scratch folder for one import, removed when the import ends.

Each import's folder holds an exclusive lock for its lifetime; folders whose lock can be
taken belong to imports that died (killed, power cut) and are removed by the next import.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".lock"
NEW_FOLDER_GRACE_SECONDS = 3600
_NEW = ".new-"


@contextmanager
def scratch_folder(root: Path, name: str) -> Iterator[Path]:
    root.mkdir(parents=True, exist_ok=True)
    remove_stale(root)
    building = root / f"{_NEW}{name}"
    building.mkdir()
    fd = os.open(building / LOCK_FILE, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    folder = building.rename(root / name)  # only now can another import see it
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def remove_stale(root: Path) -> list[Path]:
    """Remove the folders of dead imports; return them. A folder still being set up
    (".new-*") is left alone unless it is older than an hour (its import died)."""
    removed = []
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and _is_stale(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _is_stale(folder: Path) -> bool:
    if folder.name.startswith(_NEW):
        return time.time() - folder.stat().st_mtime > NEW_FOLDER_GRACE_SECONDS
    return _is_dead(folder)


def _is_dead(folder: Path) -> bool:
    try:
        fd = os.open(folder / LOCK_FILE, os.O_RDWR)
    except FileNotFoundError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing also releases a lock we took
    return True
