"""Queries the warehouse tests repeat."""

from __future__ import annotations

import pyarrow as pa

from marsad.warehouse import MergeResult, Warehouse


def load(wh: Warehouse, *tables: pa.Table) -> MergeResult:
    """One import of `tables`, committed."""
    with wh.begin_import() as txn:
        for t in tables:
            txn.add(t)
        return txn.commit()


def likes_by_id(wh: Warehouse, platform: str = "x") -> dict[str, int]:
    con = wh.connect()
    rows = con.execute(
        "SELECT post_id, metrics.likes FROM posts WHERE platform = ?", [platform]
    ).fetchall()
    return {str(post_id): int(likes) for post_id, likes in rows}


def scan_counts(wh: Warehouse) -> tuple[int, int]:
    """(rows, distinct keys) as a query over the files sees them."""
    con = wh.connect()
    row = con.execute("SELECT count(*), count(DISTINCT (platform, post_id)) FROM posts").fetchone()
    assert row is not None
    return int(row[0]), int(row[1])
