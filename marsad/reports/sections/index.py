"""Sections of the incitement index: headline figures, the monthly series, platforms, languages.

They read the `index` analysis (one row per bucket x platform x language x label: `posts` in
that bucket, platform and language, how many were `classified`, the label's `count`, and the
prevalence corrected for the classifier's error, `adjusted_share` with `ci_low`/`ci_high`).
Rows are pooled here over the dimensions a part does not show: counts add up. With the model's
card at hand, the corrected shares of a pooled group are computed again from its pooled counts
(adjusted classify-and-count with its bootstrap interval, `marsad.analyze.acc`), once per
confusion matrix the cells used (a language's, or that of all test sets), and those few
estimates are averaged weighted by their classified posts, bounds too. Averaging the bounds of
many small cells instead would give intervals far wider than the pooled data warrant; that is
done only without the card.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from marsad.analyze.acc import Corrector, card_confusions
from marsad.classify.labels import LABELS
from marsad.reports import charts, i18n
from marsad.reports.base import (
    Block,
    Figure,
    KeyFigure,
    KeyFigures,
    Need,
    Notice,
    Paragraph,
    RenderContext,
    Table,
    missing_notice,
)
from marsad.reports.tables import Row, as_date, months, records, share, to_arrow

HARMFUL = ("incitement", "hate", "offensive")
LABEL_COLOURS = {"incitement": "#b2182b", "hate": "#e08214", "offensive": "#fdb863"}
INDEX_MONTH = Need("index.month", "index", "month")
BASE_KEYS = ("bucket", "platform", "lang")


@dataclass(slots=True)
class Pooled:
    """Counts and corrected shares of one group of index rows."""

    posts: int = 0
    classified: int = 0
    count: dict[str, int] = field(default_factory=dict)
    weighted: dict[str, list[float]] = field(
        default_factory=dict
    )  # label -> [w*adj, w*lo, w*hi, w]
    fix: Corrector | None = None
    by_matrix: dict[str, list[int]] = field(default_factory=dict)  # correction -> LABELS counts
    _estimates: dict[str, tuple[float, float, float]] | None = None

    def raw(self, label: str) -> float | None:
        return share(self.count.get(label, 0), self.posts)

    def adjusted(self, label: str) -> tuple[float, float, float] | None:
        if self.fix is not None and self.by_matrix:
            return self._pooled_estimates().get(label)
        sums = self.weighted.get(label)
        if not sums or not sums[3]:
            return None
        return sums[0] / sums[3], sums[1] / sums[3], sums[2] / sums[3]

    def _pooled_estimates(self) -> dict[str, tuple[float, float, float]]:
        """Each label's estimate from the pooled counts of each confusion matrix used,
        averaged weighted by the classified posts of each."""
        if self._estimates is None and self.fix is not None:
            sums = {label: [0.0, 0.0, 0.0] for label in LABELS}
            total = 0
            for matrix, counts in sorted(self.by_matrix.items()):
                estimate = self.fix.estimate(matrix, counts, f"pooled\x00{matrix}\x00{counts}")
                if estimate is None:
                    continue
                weight, total = sum(counts), total + sum(counts)
                for i, label in enumerate(LABELS):
                    parts = (estimate.shares[i], estimate.low[i], estimate.high[i])
                    for j, value in enumerate(parts):
                        sums[label][j] += weight * float(value)
            self._estimates = (
                {label: (s[0] / total, s[1] / total, s[2] / total) for label, s in sums.items()}
                if total
                else {}
            )
        return self._estimates or {}


def _add(pooled: Pooled, row: Row, seen: set[tuple[Any, ...]]) -> None:
    base = tuple(row.get(k) for k in BASE_KEYS)
    if base not in seen:
        seen.add(base)
        pooled.posts += int(row.get("posts") or 0)
        pooled.classified += int(row.get("classified") or 0)
    label = row.get("label")
    if label is None:
        return
    pooled.count[label] = pooled.count.get(label, 0) + int(row.get("count") or 0)
    if (matrix := row.get("correction")) and label in LABELS:
        counts = pooled.by_matrix.setdefault(str(matrix), [0] * len(LABELS))
        counts[LABELS.index(label)] += int(row.get("count") or 0)
    adjusted, weight = row.get("adjusted_share"), float(row.get("classified") or 0)
    if adjusted is not None and weight:
        sums = pooled.weighted.setdefault(label, [0.0, 0.0, 0.0, 0.0])
        low, high = row.get("ci_low", adjusted), row.get("ci_high", adjusted)
        for i, value in enumerate((adjusted, low, high, 1.0)):
            sums[i] += weight * float(value if value is not None else adjusted)


def corrector_of(ctx: RenderContext) -> Corrector | None:
    """The error correction of the report's model, from its card (None without one)."""
    model = ctx.facts.model
    confusions = card_confusions(model.card) if model is not None and model.card else {}
    return Corrector(confusions) if confusions else None


def pool(
    rows: Iterable[Row], by: Sequence[str], fix: Corrector | None = None
) -> dict[tuple[Any, ...], Pooled]:
    """Index rows pooled per value of the `by` columns (all rows together for `by=()`);
    with `fix`, corrected shares are computed from the pooled counts (see the module doc)."""
    groups: dict[tuple[Any, ...], Pooled] = {}
    seen: dict[tuple[Any, ...], set[tuple[Any, ...]]] = {}
    for row in rows:
        key = tuple(row.get(k) for k in by)
        _add(groups.setdefault(key, Pooled(fix=fix)), row, seen.setdefault(key, set()))
    return groups


def pooled_rows(groups: Mapping[tuple[Any, ...], Pooled], by: Sequence[str]) -> list[Row]:
    """The pooled groups in long form (one row per group and label), for the CSV export."""
    out: list[Row] = []
    for key, pooled in groups.items():
        for label in HARMFUL:
            adjusted = pooled.adjusted(label)
            row: Row = dict(zip(by, (str(k) if k is not None else None for k in key), strict=True))
            row |= {"label": label, "posts": pooled.posts, "classified": pooled.classified}
            row |= {"count": pooled.count.get(label, 0), "share": pooled.raw(label)}
            row |= dict(
                zip(("adjusted_share", "ci_low", "ci_high"), adjusted or (None,) * 3, strict=True)
            )
            out.append(row)
    return out


POOLED_COLUMNS = (
    "label",
    "posts",
    "classified",
    "count",
    "share",
    "adjusted_share",
    "ci_low",
    "ci_high",
)


def adjusted_text(ctx: RenderContext, pooled: Pooled, label: str) -> str:
    adjusted = pooled.adjusted(label)
    if adjusted is None:
        return "–"
    value, low, high = (i18n.fmt_pct(ctx.lang, x) for x in adjusted)
    return ctx.t("format.estimate", value=value, low=low, high=high)


class Headline:
    """The period's totals: posts, and the share of each harmful label, raw and corrected."""

    key = "index.headline"
    needs = (INDEX_MONTH,)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        if INDEX_MONTH.id not in results:
            return (missing_notice(INDEX_MONTH, ctx),)
        total = pool(records(results[INDEX_MONTH.id]), (), corrector_of(ctx)).get((), Pooled())
        items = [KeyFigure(ctx.t("col.posts"), i18n.fmt_int(ctx.lang, total.posts))]
        items += [
            KeyFigure(
                ctx.term("label", label),
                i18n.fmt_pct(ctx.lang, total.raw(label)),
                ctx.t("index.adjusted_note", estimate=adjusted_text(ctx, total, label)),
            )
            for label in HARMFUL
        ]
        headers = (
            ctx.t("col.label"),
            ctx.t("col.count"),
            ctx.t("col.share"),
            ctx.t("col.adjusted"),
        )
        rows = tuple(
            (
                ctx.term("label", label),
                i18n.fmt_int(ctx.lang, total.count.get(label, 0)),
                i18n.fmt_pct(ctx.lang, total.raw(label)),
                adjusted_text(ctx, total, label),
            )
            for label in HARMFUL
        )
        data = to_arrow(pooled_rows({(): total}, ()), POOLED_COLUMNS)
        table = Table(
            "headline",
            ctx.t("caption.headline"),
            headers,
            rows,
            data,
            ctx.source_posts(),
            (False, True, True, True),
        )
        intro = ctx.t(
            "index.headline_text",
            posts=i18n.fmt_int(ctx.lang, total.posts),
            classified=i18n.fmt_int(ctx.lang, total.classified),
            period=ctx.period_text,
        )
        if not total.posts:
            return (Paragraph(intro), Notice(ctx.t("notice.empty")))
        return (Paragraph(intro), KeyFigures(tuple(items)), table)


class Monthly:
    """The share of posts per harmful label, month by month."""

    key = "index.monthly"
    needs = (INDEX_MONTH,)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        if INDEX_MONTH.id not in results:
            return (missing_notice(INDEX_MONTH, ctx),)
        rows = [r | {"month": as_date(r.get("bucket"))} for r in records(results[INDEX_MONTH.id])]
        groups = pool(rows, ("month",), corrector_of(ctx))
        if not groups:
            return (Paragraph(ctx.t("index.monthly_text")), Notice(ctx.t("notice.empty")))
        axis = months(ctx.period)
        series = [
            charts.Series(
                ctx.term("label", label),
                tuple(groups[(m,)].raw(label) if (m,) in groups else None for m in axis),
                LABEL_COLOURS[label],
            )
            for label in HARMFUL
        ]
        labels = [
            charts.AxisLabel(i18n.month_name(ctx.lang, m.month, short=True), 1 / len(axis))
            for m in axis
        ]
        caption = ctx.t("caption.monthly")
        chart = charts.line_chart(
            labels,
            series,
            lambda v: i18n.fmt_pct("en", v, 0 if v >= 0.01 or v == 0 else 1),
            title=caption,
        )
        ordered = {(m,): groups[(m,)] for m in axis if (m,) in groups}
        data = to_arrow(pooled_rows(ordered, ("month",)), ("month", *POOLED_COLUMNS))
        table = self._table(ctx, ordered, data)
        return (
            Paragraph(ctx.t("index.monthly_text")),
            Figure("monthly", caption, chart, data, ctx.source_posts()),
            table,
        )

    def _table(
        self, ctx: RenderContext, groups: Mapping[tuple[Any, ...], Pooled], data: pa.Table
    ) -> Table:
        headers = (
            ctx.t("col.month"),
            ctx.t("col.posts"),
            *(ctx.term("label", label) for label in HARMFUL),
        )
        rows = tuple(
            (
                i18n.fmt_month(ctx.lang, key[0]),
                i18n.fmt_int(ctx.lang, pooled.posts),
                *(
                    ctx.t(
                        "format.count_share",
                        count=i18n.fmt_int(ctx.lang, pooled.count.get(label, 0)),
                        share=i18n.fmt_pct(ctx.lang, pooled.raw(label)),
                    )
                    for label in HARMFUL
                ),
            )
            for key, pooled in groups.items()
        )
        return Table(
            "monthly",
            ctx.t("caption.monthly_table"),
            headers,
            rows,
            data,
            ctx.source_posts(),
            (False, True, True, True, True),
        )


class Breakdown:
    """Harmful shares by one dimension of the index (platform or language)."""

    key = "index.breakdown"
    column = "platform"
    kind = "platform"
    needs = (INDEX_MONTH,)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        if INDEX_MONTH.id not in results:
            return (missing_notice(INDEX_MONTH, ctx),)
        groups = pool(records(results[INDEX_MONTH.id]), (self.column,), corrector_of(ctx))
        ordered = dict(sorted(groups.items(), key=lambda item: (-item[1].posts, str(item[0][0]))))
        if not ordered:
            return (Notice(ctx.t("notice.empty")),)
        names = [ctx.term(self.kind, key[0]) for key in ordered]
        series = [
            charts.Series(
                ctx.term("label", label),
                tuple(p.raw(label) for p in ordered.values()),
                LABEL_COLOURS[label],
            )
            for label in HARMFUL
        ]
        totals = [sum(p.raw(label) or 0.0 for label in HARMFUL) for p in ordered.values()]
        caption = ctx.t(f"caption.{self.kind}")
        chart = charts.bar_chart(
            names,
            series,
            [i18n.fmt_pct(ctx.lang, t) for t in totals],
            rtl=ctx.lang in i18n.RTL_LANGS,
            title=caption,
        )
        data = to_arrow(pooled_rows(ordered, (self.column,)), (self.column, *POOLED_COLUMNS))
        figure = Figure(self.kind, caption, chart, data, ctx.source_posts())
        return (
            Paragraph(ctx.t(f"index.{self.kind}_text")),
            figure,
            self._table(ctx, names, ordered, data),
        )

    def _table(
        self,
        ctx: RenderContext,
        names: list[str],
        groups: Mapping[tuple[Any, ...], Pooled],
        data: pa.Table,
    ) -> Table:
        headers = (
            ctx.t(f"col.{self.kind}"),
            ctx.t("col.posts"),
            *(ctx.term("label", label) for label in HARMFUL),
        )
        rows = tuple(
            (
                name,
                i18n.fmt_int(ctx.lang, pooled.posts),
                *(adjusted_text(ctx, pooled, label) for label in HARMFUL),
            )
            for name, pooled in zip(names, groups.values(), strict=True)
        )
        caption = ctx.t(f"caption.{self.kind}_table")
        return Table(
            f"{self.kind}_table",
            caption,
            headers,
            rows,
            data,
            ctx.source_posts(),
            (False, True, True, True, True),
        )


class Platforms(Breakdown):
    key = "index.platforms"
    column = "platform"
    kind = "platform"


class Languages(Breakdown):
    key = "index.languages"
    column = "lang"
    kind = "lang"
