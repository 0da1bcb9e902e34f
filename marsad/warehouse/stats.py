"""Figures for `marsad stats`: how many posts, by platform, language and month."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class WarehouseStats:
    """Post counts; each list holds (key, count) rows. Platforms and languages come most
    frequent first; months ("YYYY-MM" of created_at, UTC) in calendar order, "unknown" last."""

    total: int
    by_platform: list[tuple[str, int]]
    by_lang: list[tuple[str, int]]
    by_month: list[tuple[str, int]]


def compute_stats(con: duckdb.DuckDBPyConnection) -> WarehouseStats:
    """Stats over the `posts` view of `con`."""
    by_platform = _counts(con, "platform", "n DESC, key")
    return WarehouseStats(
        total=sum(n for _, n in by_platform),
        by_platform=by_platform,
        by_lang=_counts(con, f"coalesce(lang, '{UNKNOWN}')", "n DESC, key"),
        by_month=_counts(
            con,
            f"coalesce(strftime(created_at, '%Y-%m'), '{UNKNOWN}')",
            f"key = '{UNKNOWN}', key",
        ),
    )


def _counts(con: duckdb.DuckDBPyConnection, key_sql: str, order_sql: str) -> list[tuple[str, int]]:
    rows = con.execute(
        f"SELECT {key_sql} AS key, count(*) AS n FROM posts GROUP BY key ORDER BY {order_sql}"
    ).fetchall()
    return [(str(key), int(n)) for key, n in rows]
