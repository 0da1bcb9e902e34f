"""The hashtags of the period: the most used, and those that rose fastest."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pyarrow as pa

from marsad.reports import charts, i18n
from marsad.reports.base import (
    Block,
    Figure,
    Need,
    Notice,
    Paragraph,
    RenderContext,
    missing_notice,
)
from marsad.reports.blocks import Column, make_table
from marsad.reports.tables import Row, records, sum_by, to_arrow, top

MIN_RISING = 10  # posts a hashtag needs in a month to be listed as rising
# top=50 per month, so that the period's top list misses few hashtags' months
HASHTAGS = Need("hashtags.month", "hashtags", "month", 50, (("min_posts", MIN_RISING),))
SHOWN = 15
COLOUR = "#2166ac"


def hashtag(text: object) -> str:
    word = str(text)
    return word if word.startswith("#") else f"#{word}"


def rising_order(row: Row) -> tuple[float, float, str]:
    """New hashtags first (no posts the month before), then by growth, then by posts."""
    growth = row.get("growth")
    return (
        -(math.inf if growth is None else float(growth)),
        -float(row.get("posts") or 0),
        str(row.get("hashtag")),
    )


class TopHashtags:
    key = "hashtags.top"
    needs = (HASHTAGS,)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        if HASHTAGS.id not in results:
            return (missing_notice(HASHTAGS, ctx),)
        rows = records(results[HASHTAGS.id])
        counts = top(sum_by(rows, "hashtag", "posts"), SHOWN)
        authors: dict[str, int] = {}
        for row in rows:  # unique authors are counted per month: the busiest month's count
            authors[row["hashtag"]] = max(
                authors.get(row["hashtag"], 0), int(row.get("authors") or 0)
            )
        if not counts:
            return (Paragraph(ctx.t("hashtags.top_text")), Notice(ctx.t("notice.empty")))
        names = [i18n.isolate(hashtag(tag)) for tag, _ in counts]
        caption = ctx.t("caption.hashtags", n=len(counts))
        series = charts.Series(ctx.t("col.count"), tuple(n for _, n in counts), COLOUR)
        values = [i18n.fmt_int(ctx.lang, n) for _, n in counts]
        chart = charts.bar_chart(
            names, [series], values, rtl=ctx.lang in i18n.RTL_LANGS, title=caption
        )
        table_rows = [
            {"hashtag": hashtag(t), "posts": n, "authors": authors.get(t)} for t, n in counts
        ]
        data = to_arrow(table_rows, ("hashtag", "posts", "authors"))
        columns = (
            Column("hashtag", "hashtag"),
            Column("posts", "int"),
            Column("authors", "int", "col.authors_max"),
        )
        table = make_table(
            ctx,
            "hashtags",
            ctx.t("caption.hashtags_table"),
            table_rows,
            columns,
            ctx.t("source.warehouse"),
        )
        figure = Figure("hashtags", caption, chart, data, ctx.t("source.warehouse"))
        return (Paragraph(ctx.t("hashtags.top_text")), figure, table)


class RisingHashtags:
    key = "hashtags.rising"
    needs = (HASHTAGS,)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        if HASHTAGS.id not in results:
            return (missing_notice(HASHTAGS, ctx),)
        rising = [r for r in records(results[HASHTAGS.id]) if r.get("rising_rank") is not None]
        rising.sort(key=rising_order)
        rows = [r | {"hashtag": hashtag(r.get("hashtag"))} for r in rising[:SHOWN]]
        intro = Paragraph(ctx.t("hashtags.rising_text", n=MIN_RISING))
        if not rows:
            return (intro, Notice(ctx.t("notice.empty")))
        columns = (
            Column("bucket", "month", "col.month"),
            Column("hashtag", "hashtag"),
            Column("posts", "int"),
            Column("previous_posts", "int"),
            Column("growth", "growth"),
        )
        return (
            intro,
            make_table(
                ctx, "rising", ctx.t("caption.rising"), rows, columns, ctx.t("source.warehouse")
            ),
        )
