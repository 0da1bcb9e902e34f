"""Small invented posts for the warehouse tests (also imported by their child processes)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pyarrow as pa

from marsad.posts import Metrics, Post, posts_to_table

DAY0 = datetime(2024, 3, 1, tzinfo=UTC)
CREATED = datetime(2024, 2, 1, 12, tzinfo=UTC)


def post(
    post_id: int | str,
    *,
    platform: str = "x",
    day: int = 0,
    likes: int | None = 0,
    lang: str | None = "ar",
    created_at: datetime | None = CREATED,
    text: str | None = None,
) -> Post:
    """A post collected `day` days after DAY0, with `likes` as its metrics."""
    return Post(
        platform=platform,
        post_id=str(post_id),
        collected_at=DAY0 + timedelta(days=day),
        created_at=created_at,
        text=text if text is not None else f"post {post_id} on day {day}",
        lang=lang,
        metrics=Metrics(likes=likes, views=None if likes is None else likes * 10),
        hashtags=["حرية"],
    )


def table(ids: Iterable[int], *, platform: str = "x", day: int = 0, likes: int = 0) -> pa.Table:
    """One post per id, all collected on the same day with the same likes."""
    return posts_to_table([post(i, platform=platform, day=day, likes=likes) for i in ids])
