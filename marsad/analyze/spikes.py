"""`spikes`: days on which posts of one label (incitement by default) rise significantly above
their baseline, each with its top posts, hashtags and terms.

The rule, for each day of the period (UTC days; the filters apply):
- the day's share of the label among classified posts is compared with its baseline: the
  median of the daily shares of the `window` days before (default 28), counting only days
  with classified posts, of which there must be at least `min_days` (default 7);
- the expected count is baseline x the day's classified posts (at least 1 post: a label
  never seen before still needs several posts to stand out);
- the day is a spike when its count is at least `min_count` (default 5) and a Poisson test
  says so: P(X >= count) < `alpha` (default 0.001) for X ~ Poisson(expected).
So a day with more posts overall needs more posts of the label to count. The `--top` most
significant spikes are listed, by day.

For each spike: its `top_posts` of the label by the classifier's score (pseudonymised id, text
truncated to `chars` characters with @mentions replaced; `posts` of them, default 5), and the
`top_hashtags` and `top_terms` (`marsad.analyze.terms`) of that day's posts of the label.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pyarrow as pa
from scipy.stats import poisson

from marsad.analyze import options
from marsad.analyze.base import AnalysisError, Context, Params, Period, post_filter
from marsad.analyze.buckets import day_sql
from marsad.analyze.daily import daily_counts
from marsad.analyze.labels import LabelSource, choose_labels, labels_relation
from marsad.analyze.pseudonyms import Pseudonyms, truncate
from marsad.analyze.sql import rows
from marsad.analyze.terms import terms_of, top_terms
from marsad.classify.labels import HARMFUL

POST = pa.struct(
    [
        ("platform", pa.string()),
        ("post", pa.string()),
        ("text", pa.string()),
        ("score", pa.float64()),
    ]
)
HASHTAG = pa.struct([("hashtag", pa.string()), ("posts", pa.int64())])
TERM = pa.struct([("term", pa.string()), ("posts", pa.int64())])
SCHEMA = pa.schema(
    [
        ("day", pa.date32()),
        ("label", pa.string()),
        ("count", pa.int64()),
        ("classified", pa.int64()),
        ("baseline_share", pa.float64()),
        ("expected", pa.float64()),
        ("ratio", pa.float64()),
        ("p_value", pa.float64()),
        ("top_posts", pa.list_(POST)),
        ("top_hashtags", pa.list_(HASHTAG)),
        ("top_terms", pa.list_(TERM)),
        ("model", pa.string()),
        ("model_version", pa.string()),
    ]
)
OPTIONS = {
    "label": "the label watched: incitement (default), hate or offensive",
    "window": "days of the baseline before each day (default 28)",
    "min_days": "fewest baseline days with classified posts (default 7)",
    "min_count": "fewest posts of the label on a spike day (default 5)",
    "alpha": "significance level of the Poisson test (default 0.001)",
    "posts": "top posts listed per spike (default 5)",
    "hashtags": "top hashtags listed per spike (default 10)",
    "terms": "top terms listed per spike (default 10)",
    "chars": "characters of each post's text shown (default 140)",
}


def watched_label(params: Params) -> str:
    label = options.text(params, "label", "incitement") or "incitement"
    if label not in HARMFUL:
        raise AnalysisError(f"--option label={label}: expected one of {', '.join(HARMFUL)}")
    return label


def daily_series(
    ctx: Context, source: LabelSource, params: Params, label: str, window: int
) -> dict[date, tuple[int, int]]:
    """Per day: (posts of `label`, classified posts), from `window` days before the period."""
    wider = params
    if params.period is not None:
        start = params.period.start - timedelta(days=window)
        wider = replace(params, period=Period(start, params.period.end, params.period.label))
    series: dict[date, list[int]] = {}
    for row in daily_counts(ctx, source, wider).to_pylist():
        if row["label"] is None:
            continue
        counts = series.setdefault(row["day"], [0, 0])
        counts[0] += row["posts"] if row["label"] == label else 0
        counts[1] += row["posts"]
    return {day: (c[0], c[1]) for day, c in series.items()}


def detect(series: dict[date, tuple[int, int]], params: Params) -> list[dict[str, Any]]:
    """The spike days of `series` by the module's rule, most significant first."""
    window = options.integer(params, "window", 28, minimum=1)
    min_days = options.integer(params, "min_days", 7, minimum=1)
    min_count = options.integer(params, "min_count", 5, minimum=1)
    alpha = options.number(params, "alpha", 0.001, 0.0, 1.0)
    if not series:
        return []
    first = params.period.start if params.period else min(series)
    last = params.period.end - timedelta(days=1) if params.period else max(series)
    found = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        count, classified = series.get(day, (0, 0))
        shares = [
            series[d][0] / series[d][1]
            for d in (day - timedelta(days=k) for k in range(1, window + 1))
            if d in series and series[d][1] > 0
        ]
        if count < min_count or len(shares) < min_days:
            continue
        baseline = statistics.median(shares)
        expected = max(baseline * classified, 1.0)
        p_value = float(poisson.sf(count - 1, expected))
        if p_value < alpha:
            found.append(
                {
                    "day": day,
                    "count": count,
                    "classified": classified,
                    "baseline_share": baseline,
                    "expected": expected,
                    "ratio": count / expected,
                    "p_value": p_value,
                }
            )
    return sorted(found, key=lambda s: (s["p_value"], s["day"]))


def day_posts(
    ctx: Context, source: LabelSource, params: Params, label: str, days: list[date]
) -> list[dict[str, Any]]:
    """The posts of `label` on `days` (with the filters): day, platform, id, texts, hashtags,
    score."""
    where, args = post_filter(replace(params, period=None))
    listed = ", ".join("?" for _ in days)
    labels = labels_relation(ctx, source, only="_spike_posts")
    query = f"""
        WITH _spike_posts AS MATERIALIZED (
            SELECT {day_sql("p.created_at")} AS day, p.platform, p.post_id, p.text, p.text_norm,
                   p.hashtags
            FROM posts p
            WHERE p.created_at IS NOT NULL AND {day_sql("p.created_at")} IN ({listed})
              AND {where}
        )
        SELECT p.*, l.score_{label} AS score
        FROM _spike_posts p JOIN {labels} l ON p.platform = l.platform AND p.post_id = l.post_id
        WHERE l.label = ?
        ORDER BY day, score DESC NULLS LAST, p.platform, p.post_id
    """
    return rows(ctx.con, query, [*days, *args, label])


def describe(posts: list[dict[str, Any]], params: Params, names: Pseudonyms) -> dict[str, Any]:
    """A spike day's top posts, hashtags and terms."""
    chars = options.integer(params, "chars", 140, minimum=10)
    top = posts[: options.integer(params, "posts", 5)]
    tags = Counter(tag for p in posts for tag in {t.lower() for t in p["hashtags"] or []})
    n_tags = options.integer(params, "hashtags", 10)
    documents = [terms_of(p["text"], p["text_norm"]) for p in posts]
    return {
        "top_posts": [
            {
                "platform": p["platform"],
                "post": names.post(p["platform"], p["post_id"]),
                "text": truncate(names.text(p["platform"], p["text"] or ""), chars),
                "score": None if p["score"] is None else float(p["score"]),
            }
            for p in top
        ],
        "top_hashtags": [
            {"hashtag": t, "posts": n}
            for t, n in sorted(tags.items(), key=lambda i: (-i[1], i[0]))[:n_tags]
        ],
        "top_terms": [
            {"term": t, "posts": n}
            for t, n in top_terms(documents, options.integer(params, "terms", 10))
        ],
    }


class SpikesAnalysis:
    key = "spikes"
    title = "Spikes above the baseline"
    description = (
        "Days on which posts of a label rise significantly above their recent baseline, "
        "with the day's top posts (pseudonymised), hashtags and terms."
    )
    columns: tuple[str, ...] = tuple(SCHEMA.names)
    option_help = OPTIONS

    def run(self, ctx: Context, params: Params) -> pa.Table:
        options.check_known(params, OPTIONS, self.key)
        label = watched_label(params)
        source = choose_labels(ctx, params.model)
        window = options.integer(params, "window", 28, minimum=1)
        spikes = detect(daily_series(ctx, source, params, label, window), params)[: params.top]
        spikes.sort(key=lambda s: s["day"])
        posts = day_posts(ctx, source, params, label, [s["day"] for s in spikes]) if spikes else []
        names = Pseudonyms(ctx.settings)
        for spike in spikes:
            spike |= describe([p for p in posts if p["day"] == spike["day"]], params, names)
            spike |= {"label": label, "model": source.model, "model_version": source.version}
        return pa.Table.from_pylist(spikes, schema=SCHEMA)

    def chart(self, table: pa.Table, lang: str) -> str:
        from marsad.analyze.charts import bar_chart

        spikes = table.to_pylist()
        days = [str(s["day"]) for s in spikes]
        series = {
            "posts": [s["count"] for s in spikes],
            "expected": [s["expected"] for s in spikes],
        }
        return bar_chart(days, series, self.title, lang, y_label="posts")
