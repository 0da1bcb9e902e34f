"""The methodology, generated from the data: what was counted, by which model, how well that
model did on held-out test sets (from its model card), and how its errors were corrected."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from marsad.reports import i18n
from marsad.reports.base import Block, Notice, Paragraph, RenderContext, Table
from marsad.reports.blocks import Column, make_table
from marsad.reports.tables import Row

DATA_COLUMNS = (Column("dimension", "term:dimension"), Column("name"), Column("posts", "int"))
SCORE_COLUMNS = (
    Column("dataset"),
    Column("task", "term:label"),
    Column("n", "int", "col.test_rows"),
    Column("macro_f1", "score", "col.macro_f1"),
    Column("precision", "score"),
    Column("recall", "score"),
)
TASKS = ("incitement", "hate", "offensive")


def names(ctx: RenderContext, kind: str, counts: Sequence[tuple[str, int]]) -> str:
    joiner = "، " if ctx.lang == "ar" else ", "
    return (
        joiner.join(f"{ctx.term(kind, key)} ({i18n.fmt_int(ctx.lang, n)})" for key, n in counts)
        or "–"
    )


def score_rows(card: Mapping[str, Any]) -> list[Row]:
    """One row per dataset and task of the card's evaluation: test rows, macro-F1, and the
    precision and recall of the task's positive class."""
    rows: list[Row] = []
    for dataset, result in (card.get("evaluation", {}).get("datasets") or {}).items():
        tasks = dict(result.get("tasks") or {})
        if result.get("incitement"):
            tasks["incitement"] = result["incitement"]
        for task in TASKS:
            scores = tasks.get(task)
            if not scores:
                continue
            rows.append(
                {
                    "dataset": dataset,
                    "task": task,
                    "n": scores.get("n"),
                    "macro_f1": scores.get("macro_f1"),
                    "precision": (scores.get("precision") or {}).get(task),
                    "recall": (scores.get("recall") or {}).get(task),
                }
            )
    return rows


def data_rows(ctx: RenderContext) -> list[Row]:
    facts = ctx.facts
    rows: list[Row] = []
    for dimension, kind, counts in (
        ("platform", "platform", facts.platforms),
        ("lang", "lang", facts.langs),
        ("dataset", "", facts.datasets),
    ):
        rows += [
            {"dimension": dimension, "name": ctx.term(kind, key) if kind else key, "posts": n}
            for key, n in counts
        ]
    return rows


class Methodology:
    key = "methodology"
    needs = ()

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        facts = ctx.facts
        blocks: list[Block] = [
            Paragraph(
                ctx.t(
                    "methodology.data",
                    posts=i18n.fmt_int(ctx.lang, facts.posts),
                    period=ctx.period_text,
                    platforms=names(ctx, "platform", facts.platforms),
                    langs=names(ctx, "lang", facts.langs),
                )
            ),
        ]
        if facts.platform_filter:
            blocks.append(
                Paragraph(
                    ctx.t(
                        "methodology.filter",
                        platforms=", ".join(ctx.term("platform", p) for p in facts.platform_filter),
                    )
                )
            )
        blocks.append(
            make_table(
                ctx,
                "data",
                ctx.t("caption.data"),
                data_rows(ctx),
                DATA_COLUMNS,
                ctx.t("source.warehouse"),
            )
        )
        blocks += self._model(ctx)
        blocks.append(Paragraph(ctx.t("methodology.correction")))
        blocks.append(Paragraph(ctx.t("methodology.privacy")))
        blocks.append(Paragraph(ctx.t("methodology.limits")))
        return tuple(blocks)

    def _model(self, ctx: RenderContext) -> list[Block]:
        model = ctx.facts.model
        if model is None:
            return [Notice(ctx.t("methodology.no_model"))]
        blocks: list[Block] = [
            Paragraph(
                ctx.t(
                    "methodology.model",
                    model=model.key,
                    version=model.version,
                    classified=i18n.fmt_int(ctx.lang, ctx.facts.classified),
                )
            )
        ]
        if model.card is None:
            return [*blocks, Notice(ctx.t("methodology.no_card", version=model.version))]
        scores: Table = make_table(
            ctx,
            "model_scores",
            ctx.t("caption.scores"),
            score_rows(model.card),
            SCORE_COLUMNS,
            ctx.t("source.card", model=model.key, version=model.version),
        )
        return [*blocks, Paragraph(ctx.t("methodology.scores")), scores]


class CaseMethodology:
    """The methodology of the observatory: which cases count, what the rates mean, privacy."""

    key = "methodology.cases"
    needs = ()

    def build(self, results: Mapping[str, pa.Table], ctx: RenderContext) -> tuple[Block, ...]:
        cases = i18n.fmt_int(ctx.lang, ctx.facts.cases or 0)
        return (
            Paragraph(ctx.t("methodology.cases", cases=cases, period=ctx.period_text)),
            Paragraph(ctx.t("methodology.escalations")),
            Paragraph(ctx.t("methodology.case_privacy")),
        )
