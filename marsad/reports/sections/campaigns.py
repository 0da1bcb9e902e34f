"""Campaigns (hashtags or keywords over a period): volume month by month and their reach."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

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
from marsad.reports.tables import Row, as_date, months, records

CAMPAIGNS = Need("campaigns", "campaigns", "month", given_only=True)
REACH = ("views", "likes", "shares")
COLUMNS = (
    Column("campaign"),
    Column("posts", "int"),
    Column("authors", "int", "col.authors_max"),
    *(Column(name, "int") for name in REACH),
    Column("platforms", "list"),
    Column("languages", "list"),
)


def _names(counts: Any) -> list[str]:
    return [str(c["name"]) for c in counts or [] if c.get("name")]


def totals(rows: list[Row]) -> list[Row]:
    """One row per campaign: posts and reach add up (empty when no post reports it); authors
    are the most in one month (unique authors cannot be added across months); platforms and
    languages in order of their posts."""
    found: dict[str, Row] = {}
    spread: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        name = str(row.get("campaign"))
        total = found.setdefault(
            name, {"campaign": name, "posts": 0, "authors": 0} | dict.fromkeys(REACH)
        )
        total["posts"] += int(row.get("posts") or 0)
        total["authors"] = max(total["authors"], int(row.get("authors") or 0))
        for field in REACH:
            if row.get(field) is not None:
                total[field] = (total[field] or 0) + int(row[field])
        for field in ("platforms", "languages"):
            counts = spread.setdefault((name, field), {})
            for item in row.get(field) or []:
                counts[item["name"]] = counts.get(item["name"], 0) + int(item["posts"] or 0)
    for (name, field), counts in spread.items():
        found[name][field] = [
            key for key, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    return list(found.values())


class Campaigns:
    key = "hashtags.campaigns"
    needs = (CAMPAIGNS,)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        intro = Paragraph(ctx.t("campaigns.text"))
        if CAMPAIGNS.id in ctx.missing:
            return (intro, missing_notice(CAMPAIGNS, ctx))
        if CAMPAIGNS.id not in results:  # no campaign was given to follow
            return (intro, Notice(ctx.t("campaigns.none")))
        rows = records(results[CAMPAIGNS.id])
        if not rows:
            return (intro, Notice(ctx.t("notice.empty")))
        summary = totals(rows)
        caption = ctx.t("caption.campaigns")
        figure = Figure(
            "campaigns",
            caption,
            self._chart(rows, summary, ctx, caption),
            results[CAMPAIGNS.id],
            ctx.t("source.warehouse"),
        )
        table = make_table(
            ctx,
            "campaigns_table",
            ctx.t("caption.campaigns_table"),
            summary,
            COLUMNS,
            ctx.t("source.warehouse"),
        )
        return (intro, figure, table)

    def _chart(self, rows: list[Row], summary: list[Row], ctx: RenderContext, caption: str) -> str:
        axis = months(ctx.period)
        volume: dict[tuple[str, date | None], float] = {}
        for row in rows:
            key = (str(row.get("campaign")), as_date(row.get("bucket")))
            volume[key] = volume.get(key, 0.0) + float(row.get("posts") or 0)
        names = [r["campaign"] for r in summary]
        series = [
            charts.Series(name, tuple(volume.get((name, m), 0.0) for m in axis), colour)
            for name, colour in zip(names, charts.colours(names), strict=True)
        ]
        labels = [
            charts.AxisLabel(i18n.month_name(ctx.lang, m.month, short=True), 1 / len(axis))
            for m in axis
        ]
        return charts.line_chart(labels, series, lambda v: i18n.fmt_int("en", v), title=caption)
