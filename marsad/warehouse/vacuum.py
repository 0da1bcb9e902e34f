"""Garbage collection: what killed or finished work left behind.

- part files not listed in the snapshot: from a killed commit, or replaced by a later one.
  They are removed only once older than a grace period, so a reader that read the previous
  snapshot keeps its files (a commit touches the files it retires, restarting their clock);
- temporary files in the posts folder: only a commit holding the write lock writes them, and
  vacuum runs under that lock, so any it finds are from a dead commit;
- staging folders whose `.lock` no process holds: their import died before finishing;
- DuckDB spill folders of readers, after a day.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from marsad.warehouse.fsutil import age_seconds, try_lock
from marsad.warehouse.snapshot import PART_PREFIX, PART_SUFFIX, TEMP_SUFFIX, Snapshot

DEFAULT_GRACE_SECONDS = 600.0
SPILL_GRACE_SECONDS = 24 * 3600.0
STAGING_LOCK = ".lock"


@dataclass(frozen=True, slots=True)
class VacuumResult:
    parts: int = 0  # unlisted part files removed
    temp: int = 0  # temporary files of dead commits removed
    staging: int = 0  # staging folders of dead imports removed
    spill: int = 0  # stale DuckDB spill folders removed


@dataclass(frozen=True, slots=True)
class Folders:
    posts: Path
    staging: Path
    spill: Path


def vacuum_locked(
    folders: Folders, snapshot: Snapshot, grace_seconds: float, now: float | None = None
) -> VacuumResult:
    """Remove garbage; the caller holds the write lock and `snapshot` is the current one."""
    now = time.time() if now is None else now
    parts, temp = _clean_posts(folders.posts, set(snapshot.files), grace_seconds, now)
    return VacuumResult(
        parts=parts,
        temp=temp,
        staging=_clean_staging(folders.staging, grace_seconds, now),
        spill=_clean_spill(folders.spill, now),
    )


def _clean_posts(folder: Path, listed: set[str], grace: float, now: float) -> tuple[int, int]:
    parts = temp = 0
    for path in folder.iterdir():
        if path.name.endswith(TEMP_SUFFIX):
            path.unlink(missing_ok=True)
            temp += 1
        elif _is_unlisted_part(path.name, listed) and age_seconds(path, now) > grace:
            path.unlink(missing_ok=True)
            parts += 1
    return parts, temp


def _is_unlisted_part(name: str, listed: set[str]) -> bool:
    return name.startswith(PART_PREFIX) and name.endswith(PART_SUFFIX) and name not in listed


def _clean_staging(folder: Path, grace: float, now: float) -> int:
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.iterdir():
        if path.is_dir() and _staging_is_dead(path, grace, now):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def _staging_is_dead(path: Path, grace: float, now: float) -> bool:
    """True when no live import owns `path`. A hidden folder (an import being set up) or one
    without a lock file is given the grace period instead."""
    lock = path / STAGING_LOCK
    if path.name.startswith(".") or not lock.exists():
        return age_seconds(path, now) > grace
    fd = try_lock(lock)
    if fd is None:
        return False  # a live import holds it
    os.close(fd)  # the lock was free: its owner is gone (the folder goes next)
    return True


def _clean_spill(folder: Path, now: float) -> int:
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.iterdir():
        if age_seconds(path, now) > SPILL_GRACE_SECONDS:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed
