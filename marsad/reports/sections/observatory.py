"""The observatory: verified violation cases by type, platform, perpetrator, outcome and month,
and how the platforms answered escalations. Only verified cases count; nothing personal is read.

They read the `violations` analysis: rows of (`dimension`, `key`, `month`, `cases`) for the
dimensions type, platform, perpetrator and outcome (`month` empty: the whole period), cases per
`month`, and `escalation` rows per platform with `answered`, `successful` and `success_rate`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

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
    missing_notice,
)
from marsad.reports.blocks import Column, make_table
from marsad.reports.tables import Row, as_date, months, records, share, to_arrow

VIOLATIONS = Need("violations", "violations", "month")
COLOUR = "#762a83"


def rows_of(results: Mapping[str, pa.Table], dimension: str) -> list[Row]:
    """The rows of one dimension over the whole period (months only for `month`)."""
    return [
        r
        for r in records(results.get(VIOLATIONS.id))
        if r.get("dimension") == dimension and (dimension == "month" or r.get("month") is None)
    ]


class Summary:
    key = "observatory.summary"
    needs = (VIOLATIONS,)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        if VIOLATIONS.id not in results:
            return (missing_notice(VIOLATIONS, ctx),)
        cases = sum(int(r.get("cases") or 0) for r in rows_of(results, "month"))
        escalations = rows_of(results, "escalation")
        answered = sum(int(r.get("answered") or 0) for r in escalations)
        successful = sum(int(r.get("successful") or 0) for r in escalations)
        intro = Paragraph(
            ctx.t(
                "observatory.summary_text",
                cases=i18n.fmt_int(ctx.lang, cases),
                period=ctx.period_text,
            )
        )
        if not cases:
            return (intro, Notice(ctx.t("observatory.none")))
        items = (
            KeyFigure(ctx.t("col.cases"), i18n.fmt_int(ctx.lang, cases)),
            KeyFigure(ctx.t("col.answered"), i18n.fmt_int(ctx.lang, answered)),
            KeyFigure(ctx.t("col.successful"), i18n.fmt_int(ctx.lang, successful)),
            KeyFigure(
                ctx.t("col.success_rate"),
                i18n.fmt_pct(ctx.lang, share(successful, answered)),
                ctx.t("observatory.success_note"),
            ),
        )
        return (intro, KeyFigures(items))


class Monthly:
    key = "observatory.monthly"
    needs = (VIOLATIONS,)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        if VIOLATIONS.id not in results:
            return (missing_notice(VIOLATIONS, ctx),)
        counts = {
            as_date(r.get("key")): float(r.get("cases") or 0) for r in rows_of(results, "month")
        }
        if not counts:
            return (Notice(ctx.t("observatory.none")),)
        axis = months(ctx.period)
        caption = ctx.t("caption.cases_monthly")
        series = charts.Series(ctx.t("col.cases"), tuple(counts.get(m, 0.0) for m in axis), COLOUR)
        labels = [
            charts.AxisLabel(i18n.month_name(ctx.lang, m.month, short=True), 1 / len(axis))
            for m in axis
        ]
        chart = charts.line_chart(labels, [series], lambda v: i18n.fmt_int("en", v), title=caption)
        data = to_arrow(
            [{"month": m.isoformat()[:7], "cases": counts.get(m, 0.0)} for m in axis],
            ("month", "cases"),
        )
        return (Figure("cases_monthly", caption, chart, data, ctx.source_cases()),)


class CaseBreakdown:
    """Verified cases by one term of the case (type, platform, perpetrator, outcome)."""

    key = "observatory.breakdown"
    dimension = "type"
    kind = "violation_type"
    needs = (VIOLATIONS,)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        if VIOLATIONS.id not in results:
            return (missing_notice(VIOLATIONS, ctx),)
        rows = sorted(
            rows_of(results, self.dimension),
            key=lambda r: (-(r.get("cases") or 0), str(r.get("key"))),
        )
        if not rows:
            return (Notice(ctx.t("observatory.none")),)
        total = sum(int(r.get("cases") or 0) for r in rows)
        rows = [r | {"share": share(int(r.get("cases") or 0), total)} for r in rows]
        caption = ctx.t(f"caption.cases_{self.dimension}")
        series = charts.Series(
            ctx.t("col.cases"), tuple(float(r.get("cases") or 0) for r in rows), COLOUR
        )
        values = [i18n.fmt_int(ctx.lang, r.get("cases")) for r in rows]
        names = [ctx.term(self.kind, r.get("key")) for r in rows]
        chart = charts.bar_chart(
            names, [series], values, rtl=ctx.lang in i18n.RTL_LANGS, title=caption
        )
        columns = (
            Column("key", f"term:{self.kind}", f"col.{self.dimension}"),
            Column("cases", "int"),
            Column("share", "pct"),
        )
        table = make_table(
            ctx,
            f"cases_{self.dimension}_table",
            ctx.t(f"caption.cases_{self.dimension}_table"),
            rows,
            columns,
            ctx.source_cases(),
        )
        return (
            Figure(f"cases_{self.dimension}", caption, chart, table.data, ctx.source_cases()),
            table,
        )


class Types(CaseBreakdown):
    key = "observatory.types"
    dimension = "type"
    kind = "violation_type"


class Platforms(CaseBreakdown):
    key = "observatory.platforms"
    dimension = "platform"
    kind = "platform"


class Perpetrators(CaseBreakdown):
    key = "observatory.perpetrators"
    dimension = "perpetrator"
    kind = "perpetrator"


class Outcomes(CaseBreakdown):
    key = "observatory.outcomes"
    dimension = "outcome"
    kind = "outcome"


ESCALATION_COLUMNS = (
    Column("key", "term:platform", "col.platform"),
    Column("answered", "int"),
    Column("successful", "int"),
    Column("success_rate", "pct"),
)


class Escalation:
    """How each platform answered the cases escalated to it."""

    key = "observatory.escalation"
    needs = (VIOLATIONS,)

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        if VIOLATIONS.id not in results:
            return (missing_notice(VIOLATIONS, ctx),)
        rows = sorted(
            rows_of(results, "escalation"),
            key=lambda r: (-(r.get("answered") or 0), str(r.get("key"))),
        )
        intro = Paragraph(ctx.t("observatory.escalation_text"))
        if not rows:
            return (intro, Notice(ctx.t("observatory.no_escalations")))
        caption = ctx.t("caption.escalation")
        return (
            intro,
            make_table(ctx, "escalation", caption, rows, ESCALATION_COLUMNS, ctx.source_cases()),
        )
