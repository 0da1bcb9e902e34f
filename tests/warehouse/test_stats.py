"""The figures `marsad stats` shows, on a warehouse small enough to count by hand."""

from __future__ import annotations

from datetime import UTC, datetime

from marsad.posts import Post, posts_to_table
from marsad.warehouse import Warehouse, WarehouseStats
from tests.warehouse.factory import post
from tests.warehouse.helpers import load


def _at(year: int, month: int, day: int = 1, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _posts() -> list[Post]:
    return [
        post(1, platform="x", lang="ar", created_at=_at(2024, 1)),
        post(2, platform="x", lang="ar", created_at=_at(2024, 1, 31, 23)),
        post(3, platform="x", lang="he", created_at=_at(2024, 2)),
        post(4, platform="x", lang=None, created_at=_at(2023, 12)),
        post(5, platform="telegram", lang="ar", created_at=_at(2024, 2)),
        post(6, platform="telegram", lang="en", created_at=None),
    ]


def test_stats_count_by_platform_language_and_month(wh: Warehouse) -> None:
    load(wh, posts_to_table(_posts()))
    load(wh, posts_to_table(_posts()[:2]))  # duplicates change nothing
    assert wh.stats() == WarehouseStats(
        total=6,
        by_platform=[("x", 4), ("telegram", 2)],
        by_lang=[("ar", 3), ("en", 1), ("he", 1), ("unknown", 1)],
        by_month=[("2023-12", 1), ("2024-01", 2), ("2024-02", 2), ("unknown", 1)],
    )


def test_stats_of_an_empty_warehouse_are_zero(wh: Warehouse) -> None:
    assert wh.stats() == WarehouseStats(total=0, by_platform=[], by_lang=[], by_month=[])
