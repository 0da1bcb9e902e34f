"""A scratch folder for one import, removed when the import ends.

Each import's folder holds an exclusive lock for its lifetime; folders whose lock can be
taken belong to imports that died (killed, power cut) and are removed by the next import.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".lock"
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
    """Remove the folders of dead imports; return them."""
    removed = []
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and not folder.name.startswith(_NEW) and _is_dead(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


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
