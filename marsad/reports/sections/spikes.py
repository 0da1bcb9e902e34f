"""The days incitement peaked: the daily series with its spikes ringed, and each spike beside
its top hashtags and terms and any event of the `--events` file within two days of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pyarrow as pa

from marsad.reports import charts, i18n
from marsad.reports.base import (
    Block,
    Event,
    Figure,
    Need,
    Notice,
    Paragraph,
    RenderContext,
    Table,
    missing_notice,
)
from marsad.reports.blocks import Column, make_table
from marsad.reports.sections.index import LABEL_COLOURS
from marsad.reports.tables import Row, as_date, days, months, records, to_arrow

SPIKES = Need("spikes", "spikes", "day")
INDEX_DAY = Need("index.day", "index", "day")
LABEL = "incitement"
EVENT_WINDOW = 2  # days either side of a spike in which an event is set beside it
SHOWN = 12


def daily_counts(rows: Sequence[Row], label: str) -> dict[date, float]:
    counts: dict[date, float] = {}
    for row in rows:
        day = as_date(row.get("bucket"))
        if day is not None and row.get("label") == label:
            counts[day] = counts.get(day, 0.0) + float(row.get("count") or 0)
    return counts


def events_near(day: date | None, events: Sequence[Event], lang: str) -> str:
    if day is None:
        return ""
    near = [e for e in events if abs((e.day - day).days) <= EVENT_WINDOW]
    return "; ".join(e.title(lang) for e in sorted(near, key=lambda e: e.day))


COLUMNS = (
    Column("day", "date"),
    Column("count", "int"),
    Column("expected", "num"),
    Column("hashtags", "list"),
    Column("terms", "list"),
    Column("event"),
)


def names(items: Any, field: str) -> list[str]:
    """The names in a list of structs (the spikes' top hashtags or terms)."""
    return [str(item[field]) for item in items or [] if item.get(field)]


class Spikes:
    key = "index.spikes"
    needs = (SPIKES, INDEX_DAY)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        blocks: list[Block] = [Paragraph(ctx.t("spikes.text", label=ctx.term("label", LABEL)))]
        spikes = records(results.get(SPIKES.id))
        spike_days = {as_date(r.get("day")) for r in spikes}
        if INDEX_DAY.id not in results:
            blocks.append(missing_notice(INDEX_DAY, ctx))
        elif results[INDEX_DAY.id].num_rows == 0:  # no post in the period: no chart of nothing
            blocks.append(Notice(ctx.t("notice.empty")))
        else:
            blocks.append(self._figure(results, ctx, spike_days))
        blocks.append(
            self._table(spikes, ctx) if SPIKES.id in results else missing_notice(SPIKES, ctx)
        )
        return tuple(blocks)

    def _figure(
        self, results: Mapping[str, pa.Table], ctx: RenderContext, spike_days: set[date | None]
    ) -> Figure:
        axis = days(ctx.period)
        counts = daily_counts(records(results[INDEX_DAY.id]), LABEL)
        series = charts.Series(
            ctx.term("label", LABEL), tuple(counts.get(d, 0.0) for d in axis), LABEL_COLOURS[LABEL]
        )
        marks = [i for i, d in enumerate(axis) if d in spike_days]
        labels = [
            charts.AxisLabel(
                i18n.month_name(ctx.lang, m.month, short=True),
                sum(1 for d in axis if (d.year, d.month) == (m.year, m.month)) / len(axis),
            )
            for m in months(ctx.period)
        ]
        caption = ctx.t("caption.daily", label=ctx.term("label", LABEL))
        chart = charts.line_chart(
            labels, [series], lambda v: i18n.fmt_int("en", v), title=caption, marks=marks
        )
        data = to_arrow(
            [
                {
                    "day": d.isoformat(),
                    "label": LABEL,
                    "count": counts.get(d, 0.0),
                    "spike": d in spike_days,
                }
                for d in axis
            ],
            ("day", "label", "count", "spike"),
        )
        return Figure("daily", caption, chart, data, ctx.source_posts())

    def _table(self, spikes: list[Row], ctx: RenderContext) -> Table:
        ordered = sorted(spikes, key=lambda r: -float(r.get("count") or 0))[:SHOWN]
        rows = [
            r
            | {
                "hashtags": [f"#{tag}" for tag in names(r.get("top_hashtags"), "hashtag")],
                "terms": names(r.get("top_terms"), "term"),
                "event": events_near(as_date(r.get("day")), ctx.facts.events, ctx.lang),
            }
            for r in ordered
        ]
        caption = ctx.t("caption.spikes")
        return make_table(ctx, "spikes", caption, rows, COLUMNS, ctx.source_posts())
