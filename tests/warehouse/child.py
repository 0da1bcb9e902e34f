"""Child processes for the crash and concurrency tests: `python -m tests.warehouse.child ...`.

Commands:
- crash ROOT [PAUSE_AT]  stage and commit crash_tables(), printing a marker at each step and
  sleeping at PAUSE_AT so the parent can SIGKILL it right there
- crash-fresh ROOT [PAUSE_AT]  the same with fresh_tables(), only new posts: the commit takes
  the fast path, renaming the staged files into parts
- writer ROOT N          commit N imports of WRITER_ROWS new posts (and some updates)
- reader ROOT STOP       count posts until the file STOP exists; one JSON line per look
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

import marsad.warehouse.parts as parts_module
import marsad.warehouse.store as store_module
from marsad.warehouse import MergeSettings, Warehouse
from tests.warehouse.factory import table

BASE_IDS = range(0, 3000)  # stored before the crash import, day 0, 1 like
CRASH_IDS = range(2000, 8000)  # the crash import: 1000 updates, 5000 new, day 1, 2 likes
FRESH_IDS = range(3000, 8000)  # the fresh import: 5000 new posts, day 1, 2 likes
CRASH_BATCH = 500
CRASH_SETTINGS = MergeSettings(file_rows=2000)  # several part (and staged) files per commit
WRITER_ROWS = 1000
WRITER_UPDATES = 200


def crash_tables(ids: range = CRASH_IDS) -> list[pa.Table]:
    listed = list(ids)
    return [
        table(listed[i : i + CRASH_BATCH], day=1, likes=2)
        for i in range(0, len(listed), CRASH_BATCH)
    ]


def fresh_tables() -> list[pa.Table]:
    return crash_tables(FRESH_IDS)


def writer_tables(i: int) -> list[pa.Table]:
    """Import i adds ids [1000i, 1000i+1000) and updates the first 200 of import i-1."""
    fresh = table(range(WRITER_ROWS * i, WRITER_ROWS * (i + 1)), day=i, likes=i)
    if i == 0:
        return [fresh]
    start = WRITER_ROWS * (i - 1)
    return [fresh, table(range(start, start + WRITER_UPDATES), day=i, likes=i)]


def _marker(name: str, pause_at: str) -> None:
    print(name, flush=True)
    if name == pause_at:
        time.sleep(120)


def _after(func: Callable[..., Any], name: str, pause_at: str) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = func(*args, **kwargs)
        _marker(name, pause_at)
        return result

    return wrapped


def _instrument(pause_at: str) -> None:
    """Markers inside the commit: lock taken, each part written (general path) or staged file
    moved into place (fast path), snapshot published."""
    vacuum = store_module.vacuum_locked  # type: ignore[attr-defined]
    setattr(store_module, "vacuum_locked", _after(vacuum, "locked", pause_at))  # noqa: B010
    finish = parts_module._OpenPart.finish
    setattr(parts_module._OpenPart, "finish", _after(finish, "part-written", pause_at))  # noqa: B010
    adopt = parts_module._adopt
    setattr(parts_module, "_adopt", _after(adopt, "part-moved", pause_at))  # noqa: B010
    publish = store_module._publish

    def publish_with_markers(*args: Any) -> None:
        _marker("before-publish", pause_at)
        publish(*args)
        _marker("published", pause_at)

    setattr(store_module, "_publish", publish_with_markers)  # noqa: B010


def crash(root: Path, pause_at: str, tables: list[pa.Table]) -> None:
    _instrument(pause_at)
    wh = Warehouse(root, threads=1, memory_limit="500MB", settings=CRASH_SETTINGS)
    _marker("ready", pause_at)
    with wh.begin_import() as txn:
        for i, batch in enumerate(tables):
            txn.add(batch)
            if i == len(tables) // 2:
                _marker("staging", pause_at)
        _marker("committing", pause_at)
        result = txn.commit()
    _marker(f"done {result.new} {result.updated} {result.duplicate}", pause_at)


def writer(root: Path, imports: int) -> None:
    wh = Warehouse(root, threads=1, memory_limit="500MB")
    for i in range(imports):
        with wh.begin_import() as txn:
            for t in writer_tables(i):
                txn.add(t)
            txn.commit()
        print(f"committed {i}", flush=True)


def reader(root: Path, stop: Path) -> None:
    wh = Warehouse(root, threads=1, memory_limit="500MB")
    while not stop.exists():
        con = wh.connect()
        rows, keys = con.execute(
            "SELECT count(*), count(DISTINCT (platform, post_id)) FROM posts"
        ).fetchall()[0]
        con.close()
        print(orjson.dumps({"rows": rows, "keys": keys}).decode(), flush=True)


def main(argv: list[str]) -> None:
    command, root = argv[0], Path(argv[1])
    if command in ("crash", "crash-fresh"):
        tables = crash_tables() if command == "crash" else fresh_tables()
        crash(root, argv[2] if len(argv) > 2 else "", tables)
    elif command == "writer":
        writer(root, int(argv[2]))
    elif command == "reader":
        reader(root, Path(argv[2]))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
