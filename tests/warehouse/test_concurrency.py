"""Two processes read while a third imports: readers never fail and never see half an import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson

from marsad.warehouse import Warehouse
from tests.warehouse import child
from tests.warehouse.helpers import likes_by_id, scan_counts

REPO = Path(__file__).resolve().parents[2]
IMPORTS = 12


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.warehouse.child", *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _assert_whole_imports(counts: list[tuple[int, int]]) -> None:
    for rows, keys in counts:
        assert rows == keys, "a key appears twice"
        assert rows % child.WRITER_ROWS == 0, f"{rows} rows is not a whole number of imports"
    totals = [rows for rows, _ in counts]
    assert totals == sorted(totals), "a later look saw an older snapshot"


def test_readers_see_only_whole_imports_while_a_writer_commits(wh: Warehouse) -> None:
    stop = wh.root / "stop-reading"
    writer = _spawn("writer", str(wh.root), str(IMPORTS))
    reader = _spawn("reader", str(wh.root), str(stop))
    here: list[tuple[int, int]] = []
    try:
        while writer.poll() is None:
            here.append(scan_counts(wh))
    finally:
        stop.touch()
        _, writer_err = writer.communicate(timeout=60)
        reader_out, reader_err = reader.communicate(timeout=60)
    assert writer.returncode == 0, writer_err
    assert reader.returncode == 0 and reader_err == "", reader_err
    there = [(d["rows"], d["keys"]) for d in map(orjson.loads, reader_out.splitlines())]
    _assert_whole_imports(here)
    _assert_whole_imports(there)
    assert len({rows for rows, _ in here + there}) > 2, "the readers saw too few commits"
    assert wh.count() == IMPORTS * child.WRITER_ROWS
    assert scan_counts(wh) == (wh.count(), wh.count())
    likes = likes_by_id(wh)
    assert likes["0"] == 1 and likes[str(child.WRITER_ROWS * (IMPORTS - 1))] == IMPORTS - 1
