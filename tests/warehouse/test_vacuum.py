"""Vacuum removes what dead imports and replaced files leave, and nothing a reader may use."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from marsad.warehouse import Warehouse
from tests.warehouse.factory import table
from tests.warehouse.helpers import load, scan_counts

HOUR = 3600.0


def _age(path: Path, seconds: float) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def _orphan(wh: Warehouse, name: str) -> Path:
    """A copy of a listed part under a name the snapshot does not list."""
    listed = wh.snapshot().paths(wh.folders.posts)[0]
    orphan = wh.folders.posts / name
    shutil.copyfile(listed, orphan)
    return orphan


def test_vacuum_removes_orphan_parts_past_the_grace_period_only(wh: Warehouse) -> None:
    load(wh, table(range(10)))
    listed = wh.snapshot().paths(wh.folders.posts)[0]
    old_orphan = _orphan(wh, "part-old.parquet")
    new_orphan = _orphan(wh, "part-new.parquet")
    _age(old_orphan, HOUR)
    _age(listed, HOUR)
    result = wh.vacuum(grace_seconds=600)
    assert result.parts == 1
    assert not old_orphan.exists() and new_orphan.exists() and listed.exists()
    assert scan_counts(wh) == (10, 10)


def test_a_replaced_file_stays_for_the_grace_period_from_its_replacement(wh: Warehouse) -> None:
    load(wh, table(range(10), day=0))
    replaced = wh.snapshot().paths(wh.folders.posts)[0]
    _age(replaced, HOUR)  # written long ago, but unlisted only now
    load(wh, table(range(5), day=1))
    assert replaced.name not in wh.snapshot().files
    assert wh.vacuum(grace_seconds=600).parts == 0 and replaced.exists()
    assert wh.vacuum(grace_seconds=0).parts == 1 and not replaced.exists()
    assert scan_counts(wh) == (10, 10)


def test_vacuum_removes_temporary_files_of_dead_commits(wh: Warehouse) -> None:
    leftover = wh.folders.posts / "part-abc.parquet.tmp"
    leftover.write_bytes(b"half a file")
    assert wh.vacuum().temp == 1 and not leftover.exists()


def test_vacuum_removes_staging_of_dead_imports_and_keeps_live_ones(wh: Warehouse) -> None:
    dead = wh.folders.staging / "dead-import"
    dead.mkdir()
    (dead / ".lock").touch()  # nobody holds it: its process is gone
    (dead / "stage-000001.parquet").write_bytes(b"x")
    unlocked_old = wh.folders.staging / "never-locked"
    unlocked_old.mkdir()
    _age(unlocked_old, HOUR)
    unlocked_new = wh.folders.staging / "just-made"
    unlocked_new.mkdir()
    being_set_up = wh.folders.staging / ".import-being-set-up"
    being_set_up.mkdir()
    (being_set_up / ".lock").touch()
    with wh.begin_import() as live:
        live.add(table(range(3)))
        assert wh.vacuum(grace_seconds=600).staging == 2
        assert live.folder.exists() and unlocked_new.exists() and being_set_up.exists()
        assert not dead.exists() and not unlocked_old.exists()
        assert live.commit().new == 3


def test_a_commit_vacuums_first(tmp_path: Path) -> None:
    wh = Warehouse.create(tmp_path / "w", grace_seconds=0)
    load(wh, table(range(10)))
    orphan = _orphan(wh, "part-orphan.parquet")
    _age(orphan, 1)
    load(wh, table(range(10, 20)))
    assert not orphan.exists()
    assert scan_counts(wh) == (20, 20)
