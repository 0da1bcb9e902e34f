"""The accounts that posted the most flagged posts (pseudonymised by the `accounts` analysis)."""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from marsad.reports.base import Block, Need, Notice, Paragraph, RenderContext, missing_notice
from marsad.reports.blocks import Column, make_table
from marsad.reports.tables import records

ACCOUNTS = Need("accounts", "accounts", "month")
SHOWN = 15
COLUMNS = (
    Column("account"),
    Column("platform", "term:platform"),
    Column("posts", "int"),
    Column("flagged", "int"),
    Column("flagged_share", "pct"),
)


class Accounts:
    key = "index.accounts"
    needs = (ACCOUNTS,)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        if ACCOUNTS.id not in results:
            return (missing_notice(ACCOUNTS, ctx),)
        flagged = [r for r in records(results[ACCOUNTS.id]) if r.get("ranking") == "flagged"]
        rows = sorted(flagged, key=lambda r: int(r.get("rank") or 0))[:SHOWN]
        if not rows:
            return (Paragraph(ctx.t("accounts.text")), Notice(ctx.t("notice.empty")))
        caption = ctx.t("caption.accounts", n=len(rows))
        table = make_table(ctx, "accounts", caption, rows, COLUMNS, ctx.source_posts())
        return (Paragraph(ctx.t("accounts.text")), table)
