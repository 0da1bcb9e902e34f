"""Topics: clusters of posts, each named by its top terms, and their size."""

from __future__ import annotations

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
from marsad.reports.tables import Row, records

TOPICS = Need("topics", "topics", "month")
SHOWN = 12
COLOUR = "#1b7837"
COLUMNS = (Column("topic"), Column("terms", "list"), Column("posts", "int"))


def topic_sizes(rows: list[Row], lang: str) -> list[Row]:
    """One row per topic: its terms (in `lang` where it has some) and its posts over the
    whole period, largest first; topics are numbered from 1 as in the analysis, plus one."""
    found: dict[int, Row] = {}
    for row in rows:
        number = int(row["topic"])
        terms = row.get(f"terms_{lang}") or row.get("terms") or []
        topic = found.setdefault(number, {"topic": number + 1, "terms": terms, "posts": 0})
        topic["posts"] += int(row.get("posts") or 0)
    return sorted(found.values(), key=lambda r: (-r["posts"], r["topic"]))


def topic_name(row: Row) -> str:
    terms = row["terms"]
    words = terms if isinstance(terms, (list, tuple)) else str(terms).split(",")
    return " · ".join(str(w).strip() for w in words[:3]) or str(row["topic"])


class Topics:
    key = "hashtags.topics"
    needs = (TOPICS,)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        if TOPICS.id not in results:
            return (Paragraph(ctx.t("topics.text")), missing_notice(TOPICS, ctx))
        rows = topic_sizes(records(results[TOPICS.id]), ctx.lang)[:SHOWN]
        if not rows:
            return (Paragraph(ctx.t("topics.text")), Notice(ctx.t("notice.empty")))
        caption = ctx.t("caption.topics", n=len(rows))
        series = charts.Series(ctx.t("col.posts"), tuple(float(r["posts"]) for r in rows), COLOUR)
        values = [i18n.fmt_int(ctx.lang, r["posts"]) for r in rows]
        chart = charts.bar_chart(
            [topic_name(r) for r in rows],
            [series],
            values,
            rtl=ctx.lang in i18n.RTL_LANGS,
            title=caption,
        )
        table = make_table(
            ctx, "topics", ctx.t("caption.topics_table"), rows, COLUMNS, ctx.t("source.warehouse")
        )
        figure = Figure("topics", caption, chart, table.data, ctx.t("source.warehouse"))
        return (Paragraph(ctx.t("topics.text")), figure, table)
