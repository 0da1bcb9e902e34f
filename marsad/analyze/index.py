"""`index`: how many posts of each label, per time bucket, platform and language, with the
total volume as denominator and the prevalence corrected for the classifier's error.

For each bucket x platform x language that has posts, one row per label (LABELS order):
`posts` (all posts, classified or not), `classified` (posts with a label of the model version),
`count`, `share` = count / posts, `classified_share` = count / classified, and the adjusted
classify-and-count estimate of the label's true share among the classified posts with its
bootstrap interval (`marsad.analyze.acc`), `correction` naming the confusion matrix used (a
language, `*` for all test sets, empty when the model card was not found). Posts without a
language count under `und`. Labels carry no motive/target yet, so there is no target column.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from marsad.analyze import options
from marsad.analyze.acc import Corrector, card_confusions
from marsad.analyze.base import NO_LANGUAGE, Context, Params
from marsad.analyze.buckets import bucket_sql, check
from marsad.analyze.cards import find_card
from marsad.analyze.daily import daily_counts
from marsad.analyze.labels import LabelSource, choose_labels
from marsad.analyze.sql import rows
from marsad.classify.labels import HARMFUL, LABELS

SCHEMA = pa.schema(
    [
        ("bucket", pa.date32()),
        ("platform", pa.string()),
        ("lang", pa.string()),
        ("label", pa.string()),
        ("posts", pa.int64()),
        ("classified", pa.int64()),
        ("count", pa.int64()),
        ("share", pa.float64()),
        ("classified_share", pa.float64()),
        ("adjusted_share", pa.float64()),
        ("ci_low", pa.float64()),
        ("ci_high", pa.float64()),
        ("correction", pa.string()),
        ("model", pa.string()),
        ("model_version", pa.string()),
    ]
)
OPTIONS = {
    "card": "model folder whose model card gives the confusion matrices (default: found)",
    "bootstrap": "bootstrap replicates of the interval (default 1000)",
    "level": "confidence level of the interval (default 0.95)",
    "seed": "seed of the bootstrap (default 0)",
}


def rollup_sql(granularity: str) -> str:
    counts = ", ".join(
        f"coalesce(sum(posts) FILTER (WHERE label = '{label}'), 0) AS \"{label}\""
        for label in LABELS
    )
    return f"""
        SELECT {bucket_sql(check(granularity), "day")} AS bucket, platform,
               coalesce(lang, '{NO_LANGUAGE}') AS lang, sum(posts) AS posts,
               coalesce(sum(posts) FILTER (WHERE label IS NOT NULL), 0) AS classified, {counts}
        FROM _index_daily GROUP BY ALL ORDER BY bucket, platform, lang
    """


def bucket_counts(ctx: Context, source: LabelSource, params: Params) -> list[dict[str, Any]]:
    """One dict per bucket x platform x language: posts, classified and each label's count."""
    daily = daily_counts(ctx, source, params)
    ctx.con.register("_index_daily", daily)
    try:
        return rows(ctx.con, rollup_sql(params.granularity))
    finally:
        ctx.con.unregister("_index_daily")


def corrector(ctx: Context, source: LabelSource, params: Params) -> Corrector | None:
    """The error correction of `source`'s model, None when its card is not found."""
    replicates = options.integer(params, "bootstrap", 1000, minimum=10)
    level = options.number(params, "level", 0.95, 0.5, 0.999)
    seed = options.integer(params, "seed", 0)
    card = find_card(source, ctx.settings, options.text(params, "card"))
    confusions = card_confusions(card.data) if card else {}
    if not confusions:
        return None
    return Corrector(confusions, replicates=replicates, level=level, seed=seed)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def cell_rows(cell: dict[str, Any], fix: Corrector | None, source: LabelSource) -> list[Any]:
    """The LABELS rows of one bucket x platform x language."""
    counts = [int(cell[label]) for label in LABELS]
    key = f"{cell['bucket']}\x00{cell['platform']}\x00{cell['lang']}"
    estimate = fix.estimate(cell["lang"], counts, key) if fix else None
    rows = []
    for i, label in enumerate(LABELS):
        row = {name: cell[name] for name in ("bucket", "platform", "lang", "posts", "classified")}
        row |= {"label": label, "count": counts[i], "model": source.model}
        row["share"] = _ratio(counts[i], int(cell["posts"]))
        row["classified_share"] = _ratio(counts[i], int(cell["classified"]))
        if estimate is not None:
            row["adjusted_share"] = float(estimate.shares[i])
            row["ci_low"], row["ci_high"] = float(estimate.low[i]), float(estimate.high[i])
        row["correction"] = estimate.correction if estimate else ""
        row["model_version"] = source.version
        rows.append(row)
    return rows


class IndexAnalysis:
    key = "index"
    title = "Incitement and hate index"
    description = (
        "Posts of each label per period, platform and language, as counts and shares of all "
        "posts, with the prevalence corrected for the classifier's measured error."
    )
    columns: tuple[str, ...] = tuple(SCHEMA.names)
    option_help = OPTIONS

    def run(self, ctx: Context, params: Params) -> pa.Table:
        options.check_known(params, OPTIONS, self.key)
        source = choose_labels(ctx, params.model)
        fix = corrector(ctx, source, params)
        cells = bucket_counts(ctx, source, params)
        table = [row for cell in cells for row in cell_rows(cell, fix, source)]
        return pa.Table.from_pylist(table, schema=SCHEMA)

    def chart(self, table: pa.Table, lang: str) -> str:
        from marsad.analyze.charts import bar_chart

        totals: dict[str, dict[str, float]] = {label: {} for label in HARMFUL}
        for row in table.to_pylist():
            if row["label"] in totals:
                bucket = str(row["bucket"])
                totals[row["label"]][bucket] = totals[row["label"]].get(bucket, 0) + row["count"]
        buckets = sorted({b for values in totals.values() for b in values})
        series = {label: [totals[label].get(b, 0) for b in buckets] for label in HARMFUL}
        return bar_chart(buckets, series, self.title, lang, stacked=True, y_label="posts")
