"""`hashtags`: the top hashtags of each time bucket and the ones rising fastest.

Hashtags are compared case-folded (`#Gaza` and `#gaza` are one). A post counts once per
hashtag it uses (importers keep each hashtag once per post; a post writing one hashtag in two
different cases counts for each). For each bucket: `posts` with the hashtag, distinct
`authors`, `previous_posts` in the bucket before (the one before the period's first bucket
included), `growth` = (posts - previous) / previous (empty when the hashtag was absent
before), `rank` among the bucket's hashtags by posts, and `rising_rank` by growth among the
hashtags with at least `min_posts` posts (new ones first, by posts). A row is listed when
either rank is within `--top`.

`--option network=FILE.gexf|.graphml` also writes the co-hashtag network of the whole period
(`marsad.analyze.network`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from marsad.analyze import options
from marsad.analyze.base import Context, Params, Period, post_filter
from marsad.analyze.buckets import bucket_sql, bucket_start, check, day_sql, previous_bucket
from marsad.analyze.sql import arrow

SCHEMA = pa.schema(
    [
        ("bucket", pa.date32()),
        ("hashtag", pa.string()),
        ("posts", pa.int64()),
        ("authors", pa.int64()),
        ("previous_posts", pa.int64()),
        ("growth", pa.float64()),
        ("rank", pa.int64()),
        ("rising_rank", pa.int64()),
    ]
)
OPTIONS = {
    "min_posts": "fewest posts for a hashtag to count as rising (default 10)",
    "network": "also write the co-hashtag network to FILE.gexf or FILE.graphml",
    "network_size": "most hashtags in the network (default 200)",
    "seed": "seed of the community detection (default 0)",
}

STEP = {"day": "INTERVAL 1 DAY", "week": "INTERVAL 7 DAY", "month": "INTERVAL 1 MONTH"}


def tags_sql(params: Params, skip: tuple[date, date] | None = None) -> tuple[str, list[Any]]:
    """SQL of one row per hashtag of each post: bucket, author, case-folded hashtag (folded
    after unnesting: far cheaper than per-post list functions on millions of posts). Posts of
    the days `skip` = (from, before) are left out."""
    where, args = post_filter(params)
    day = day_sql("p.created_at")
    if skip is not None:
        where += f" AND NOT ({day} >= DATE '{skip[0].isoformat()}'"
        where += f" AND {day} < DATE '{skip[1].isoformat()}')"
    bucket = bucket_sql(check(params.granularity), day)
    return (
        f"""SELECT bucket, author_id, lower(tag) AS hashtag FROM (
                SELECT {bucket} AS bucket, p.author_id, unnest(p.hashtags) AS tag
                FROM posts p
                WHERE p.created_at IS NOT NULL AND len(p.hashtags) > 0 AND {where}
            )""",
        args,
    )


def ranking_sql(tags: str, granularity: str, min_posts: int, first: date, top: int) -> str:
    """SQL ranking the hashtags of `tags` (numbers and dates are typed, so inlined)."""
    step = STEP[check(granularity)]
    return f"""
    WITH tags AS MATERIALIZED ({tags}),
    counts AS (SELECT bucket, hashtag, count(*) AS posts FROM tags GROUP BY ALL),
    compared AS (
        SELECT c.bucket, c.hashtag, c.posts, coalesce(b.posts, 0) AS previous_posts,
               CASE WHEN b.posts IS NULL THEN NULL
                    ELSE (c.posts - b.posts) / b.posts::DOUBLE END AS growth
        FROM counts c LEFT JOIN counts b
          ON b.hashtag = c.hashtag AND b.bucket = CAST(c.bucket - {step} AS DATE)
    ),
    ranked AS (
        SELECT *,
               row_number() OVER (PARTITION BY bucket ORDER BY posts DESC, hashtag) AS rank,
               CASE WHEN posts >= {int(min_posts)} THEN row_number() OVER (
                   PARTITION BY bucket, posts >= {int(min_posts)}
                   ORDER BY growth IS NOT NULL, growth DESC, posts DESC, hashtag) END
                   AS rising_rank
        FROM compared
    ),
    chosen AS (
        SELECT * FROM ranked
        WHERE bucket >= DATE '{first.isoformat()}'
          AND (rank <= {int(top)} OR rising_rank <= {int(top)})
    ),
    authors AS (
        SELECT bucket, hashtag, count(DISTINCT author_id) AS authors
        FROM tags SEMI JOIN chosen USING (bucket, hashtag) GROUP BY ALL
    )
    SELECT c.bucket, c.hashtag, c.posts, a.authors, c.previous_posts, c.growth, c.rank,
           c.rising_rank
    FROM chosen c JOIN authors a USING (bucket, hashtag)
    ORDER BY c.bucket, c.rank
    """


def with_previous_bucket(params: Params) -> tuple[Params, date, tuple[date, date] | None]:
    """`params` with the period reaching back one bucket (for the first bucket's growth), the
    first bucket to report, and the days between that bucket's start and the period's, which
    belong to neither (a period that starts inside a bucket: its first bucket counts only the
    period's own days)."""
    period = params.period
    if period is None:
        return params, date.min, None
    first = bucket_start(period.start, params.granularity)
    wider = Period(previous_bucket(first, params.granularity), period.end, period.label)
    skip = (first, period.start) if first < period.start else None
    return replace(params, period=wider), first, skip


def run_ranking(ctx: Context, params: Params) -> pa.Table:
    wider, first, skip = with_previous_bucket(params)
    tags, args = tags_sql(wider, skip)
    min_posts = options.integer(params, "min_posts", 10, minimum=1)
    query = ranking_sql(tags, params.granularity, min_posts, first, params.top)
    return arrow(ctx.con, query, args).cast(SCHEMA)


class HashtagsAnalysis:
    key = "hashtags"
    title = "Top and rising hashtags"
    description = (
        "The most used hashtags of each period and those growing fastest against the period "
        "before; optionally the co-hashtag network with its communities, for Gephi."
    )
    columns: tuple[str, ...] = tuple(SCHEMA.names)
    option_help = OPTIONS

    def run(self, ctx: Context, params: Params) -> pa.Table:
        options.check_known(params, OPTIONS, self.key)
        network = options.text(params, "network")
        table = run_ranking(ctx, params)
        if network:
            from marsad.analyze.network import write_network

            write_network(ctx, params, Path(network))
        return table

    def chart(self, table: pa.Table, lang: str) -> str:
        from marsad.analyze.charts import bar_chart

        totals: dict[str, int] = {}
        for row in table.to_pylist():
            totals[row["hashtag"]] = totals.get(row["hashtag"], 0) + int(row["posts"])
        top = sorted(totals, key=lambda tag: (-totals[tag], tag))[:15]
        return bar_chart(
            [f"#{t}" for t in top], {"posts": [totals[t] for t in top]}, self.title, lang
        )
