"""A real import process SIGKILLed at any moment leaves the warehouse whole.

The child (tests/warehouse/child.py) stages an import over a warehouse of 3000 posts, then
commits; it prints a marker at each step. The import is either 1000 updates and 5000 new
posts (`crash`: the general path, rows rewritten into new parts) or 5000 new posts only
(`crash-fresh`: the fast path, staged files renamed into parts). The parent kills it with
SIGKILL right after a marker, or after a random delay, then checks that the warehouse opens,
shows either the old or the new content and nothing in between, and that the same import
re-run completes with no duplicates.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from marsad.warehouse import MergeResult, Warehouse
from tests.warehouse import child
from tests.warehouse.factory import table
from tests.warehouse.helpers import likes_by_id, load, scan_counts

REPO = Path(__file__).resolve().parents[2]
OLD_TOTAL = len(child.BASE_IDS)
NEW_TOTAL = len(set(child.BASE_IDS) | set(child.CRASH_IDS))
assert len(set(child.BASE_IDS) | set(child.FRESH_IDS)) == NEW_TOTAL
_RNG = random.Random(7)
RANDOM_DELAYS = [round(0.025 * k + _RNG.uniform(0.0, 0.025), 3) for k in range(5)]  # 0-125 ms


@dataclass(frozen=True, slots=True)
class Mode:
    command: str  # the child's command
    tables: Callable[[], list[pa.Table]]
    ids: range  # the posts it imports, all collected on day 1 with 2 likes
    result: MergeResult  # what it does to the base warehouse


GENERAL = Mode("crash", child.crash_tables, child.CRASH_IDS, MergeResult(5000, 1000, 0))
FRESH = Mode("crash-fresh", child.fresh_tables, child.FRESH_IDS, MergeResult(5000, 0, 0))


def _spawn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.warehouse.child", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def _kill_at_marker(root: Path, marker: str, mode: Mode = GENERAL) -> list[str]:
    process = _spawn(mode.command, str(root), marker)
    assert process.stdout is not None
    seen: list[str] = []
    try:
        for line in process.stdout:
            seen.append(line.strip())
            if seen[-1] == marker:
                break
        else:
            raise AssertionError(f"child ended before {marker!r}: {seen}")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    return seen


def _kill_after_delay(root: Path, delay: float, mode: Mode) -> list[str]:
    process = _spawn(mode.command, str(root))
    assert process.stdout is not None
    seen = [process.stdout.readline().strip()]
    assert seen == ["ready"]
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    return seen + [line.strip() for line in process.stdout]


def _base_warehouse(tmp_path: Path) -> Warehouse:
    wh = Warehouse.create(tmp_path / "warehouse")
    load(wh, table(child.BASE_IDS, day=0, likes=1))
    return wh


def _check_after_kill(root: Path, mode: Mode = GENERAL) -> int:
    """The warehouse opens and holds exactly the old or the new content; returns its total."""
    wh = Warehouse(root)
    total = wh.count()
    assert total in (OLD_TOTAL, NEW_TOTAL)
    assert scan_counts(wh) == (total, total)
    expected = dict.fromkeys(map(str, child.BASE_IDS), 1)
    if total == NEW_TOTAL:
        expected.update(dict.fromkeys(map(str, mode.ids), 2))
    assert likes_by_id(wh) == expected
    return total


def _rerun_and_check(root: Path, total_after_kill: int, mode: Mode = GENERAL) -> None:
    wh = Warehouse(root, settings=child.CRASH_SETTINGS)
    result = load(wh, *mode.tables())
    if total_after_kill == NEW_TOTAL:
        assert result == MergeResult(new=0, updated=0, duplicate=len(mode.ids))
    else:
        assert result == mode.result
    assert wh.count() == NEW_TOTAL
    assert scan_counts(wh) == (NEW_TOTAL, NEW_TOTAL)
    wh.vacuum(grace_seconds=0)
    on_disk = {p.name for p in wh.folders.posts.iterdir()} - {"_snapshot.json"}
    assert on_disk == set(wh.snapshot().files)
    assert list(wh.folders.staging.iterdir()) == []


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("staging", OLD_TOTAL),
        ("committing", OLD_TOTAL),
        ("locked", OLD_TOTAL),
        ("part-written", OLD_TOTAL),
        ("before-publish", OLD_TOTAL),
        ("published", NEW_TOTAL),
    ],
)
def test_an_import_killed_at_a_step_leaves_old_or_new_content(
    tmp_path: Path, marker: str, expected: int
) -> None:
    wh = _base_warehouse(tmp_path)
    _kill_at_marker(wh.root, marker)
    assert _check_after_kill(wh.root) == expected
    _rerun_and_check(wh.root, expected)


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("staging", OLD_TOTAL),
        ("committing", OLD_TOTAL),
        ("locked", OLD_TOTAL),
        ("part-moved", OLD_TOTAL),
        ("before-publish", OLD_TOTAL),
        ("published", NEW_TOTAL),
    ],
)
def test_a_fresh_import_killed_at_a_step_leaves_old_or_new_content(
    tmp_path: Path, marker: str, expected: int
) -> None:
    wh = _base_warehouse(tmp_path)
    seen = _kill_at_marker(wh.root, marker, FRESH)
    assert "part-written" not in seen  # the fast path: nothing was rewritten
    assert _check_after_kill(wh.root, FRESH) == expected
    _rerun_and_check(wh.root, expected, FRESH)


def test_a_staged_file_moved_but_not_published_is_invisible_then_vacuumed(
    tmp_path: Path,
) -> None:
    wh = _base_warehouse(tmp_path)
    _kill_at_marker(wh.root, "part-moved", FRESH)  # right after the first of three moves
    listed = set(wh.snapshot().files)
    unlisted = [p for p in wh.folders.posts.glob("part-*.parquet") if p.name not in listed]
    assert len(unlisted) == 1
    assert pq.read_metadata(unlisted[0]).num_rows == child.CRASH_SETTINGS.file_rows
    assert _check_after_kill(wh.root, FRESH) == OLD_TOTAL  # invisible
    first = wh.vacuum()  # the dead import's staging goes; the moved file has its grace period
    assert (first.parts, first.staging) == (0, 1) and unlisted[0].exists()
    assert wh.vacuum(grace_seconds=0).parts == 1 and not unlisted[0].exists()
    _rerun_and_check(wh.root, OLD_TOTAL, FRESH)


@pytest.mark.parametrize("mode", [GENERAL, FRESH], ids=lambda mode: mode.command)
@pytest.mark.parametrize("delay", RANDOM_DELAYS)
def test_an_import_killed_at_a_random_moment_leaves_old_or_new_content(
    tmp_path: Path, delay: float, mode: Mode
) -> None:
    wh = _base_warehouse(tmp_path)
    _kill_after_delay(wh.root, delay, mode)
    _rerun_and_check(wh.root, _check_after_kill(wh.root, mode), mode)


def test_a_second_import_waits_for_a_stuck_commit_and_then_completes(tmp_path: Path) -> None:
    wh = _base_warehouse(tmp_path)
    process = _spawn("crash", str(wh.root), "before-publish")
    assert process.stdout is not None
    try:
        while process.stdout.readline().strip() != "before-publish":
            pass
        with wh.begin_import() as txn:
            txn.add(table(range(10_000, 10_010)))
            started = time.monotonic()
            process.send_signal(signal.SIGKILL)  # the lock is released when it dies
            assert txn.commit().new == 10
        assert time.monotonic() - started < 10
    finally:
        process.kill()
        process.wait(timeout=10)
    assert wh.count() == OLD_TOTAL + 10
