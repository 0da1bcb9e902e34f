"""Gathering a report's data: each analysis run its sections need, and the facts its
methodology states (posts by platform, language and dataset; the labels' model and card).

An analysis that cannot run (no labels yet, no case database, the embeddings extra missing)
does not stop the report: its sections say so in place, and the reason is returned to be shown.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from marsad.analyze import get_analysis
from marsad.analyze.base import AnalysisError, Context, Params, post_filter
from marsad.reports.base import Event, Facts, ModelInfo, Need, ReportError
from marsad.reports.build import ReportData

# What an analysis may raise when its data is not there; anything else is a bug and is raised.
NOT_AVAILABLE: tuple[type[BaseException], ...] = (
    AnalysisError,
    ImportError,
    duckdb.Error,
    OSError,
)


def not_available_errors() -> tuple[type[BaseException], ...]:
    """NOT_AVAILABLE, and the case database's errors when Django is installed and set up."""
    try:
        from django.core.exceptions import ImproperlyConfigured
        from django.db import DatabaseError
    except ImportError:
        return NOT_AVAILABLE
    return (*NOT_AVAILABLE, DatabaseError, ImproperlyConfigured)


def need_params(base: Params, need: Need, given: Mapping[str, Any]) -> Params:
    """The parameters of one need: the report's period and filters, the need's granularity,
    top and options, and the options the user gave for that analysis."""
    return replace(
        base,
        granularity=need.granularity,
        top=need.top or base.top,
        options={**dict(need.options), **given},
    )


def run_needs(
    needs: Iterable[Need],
    ctx: Context,
    base: Params,
    given: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[dict[str, pa.Table], dict[str, str]]:
    """Each need's table by id, and for each need that could not run, the reason. `given`
    maps an analysis key to options the user gave for it (e.g. campaigns=FILE)."""
    given = given or {}
    results: dict[str, pa.Table] = {}
    missing: dict[str, str] = {}
    errors = not_available_errors()
    for need in needs:
        if need.given_only and need.analysis not in given:
            continue
        try:
            analysis = get_analysis(need.analysis)
        except KeyError as error:
            missing[need.id] = str(error.args[0])
            continue
        try:
            params = need_params(base, need, given.get(need.analysis, {}))
            results[need.id] = analysis.run(ctx, params)
        except errors as error:
            missing[need.id] = str(error)
    return results, missing


def _counts(ctx: Context, params: Params, column: str) -> tuple[tuple[str, int], ...]:
    where, args = post_filter(params)
    found = ctx.con.execute(
        f"SELECT coalesce(p.{column}, 'und'), count(*) FROM posts p WHERE {where} "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
        args,
    ).fetchall()
    return tuple((str(key), int(n)) for key, n in found)


def model_info(ctx: Context, params: Params) -> ModelInfo | None:
    """The model whose labels the analyses read, with its card when it is found."""
    from marsad.analyze.cards import find_card
    from marsad.analyze.labels import choose_labels

    try:
        source = choose_labels(ctx, params.model)
    except AnalysisError:
        return None
    card = find_card(source, ctx.settings, None)
    return ModelInfo(source.model, source.version, card.data if card else None)


def classified_posts(results: dict[str, pa.Table]) -> int:
    """Posts labelled by the model, from the monthly index (0 when it did not run)."""
    table = results.get("index.month")
    if table is None:
        return 0
    seen: dict[tuple[Any, ...], int] = {}
    for row in table.select(["bucket", "platform", "lang", "classified"]).to_pylist():
        seen[(row["bucket"], row["platform"], row["lang"])] = int(row["classified"] or 0)
    return sum(seen.values())


def verified_cases(results: dict[str, pa.Table]) -> int | None:
    table = results.get("violations")
    if table is None:
        return None
    rows = [r for r in table.to_pylist() if r.get("dimension") == "month"]
    return sum(int(r.get("cases") or 0) for r in rows)


def gather(
    needs: Sequence[Need],
    ctx: Context,
    params: Params,
    events: Sequence[Event] = (),
    given: Mapping[str, Mapping[str, Any]] | None = None,
) -> ReportData:
    """Run the needs and collect the facts of the posts the report covers."""
    results, missing = run_needs(needs, ctx, params, given)
    platforms = _counts(ctx, params, "platform")
    facts = Facts(
        posts=sum(n for _, n in platforms),
        classified=classified_posts(results),
        platforms=platforms,
        langs=_counts(ctx, params, "lang"),
        datasets=_counts(ctx, params, "dataset"),
        platform_filter=params.platforms,
        model=model_info(ctx, params),
        cases=verified_cases(results),
        events=tuple(events),
    )
    return ReportData(results, missing, facts)


def read_events(path: Path) -> list[Event]:
    """Events from a TOML file of `[[event]]` tables: `date` and `title` (and `title_ar`,
    `title_he` for the other languages)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ReportError(f"{path}: cannot read the events file: {error}") from None
    events: list[Event] = []
    for number, item in enumerate(data.get("event", []), start=1):
        day, title = item.get("date"), item.get("title")
        if not isinstance(day, date) or not isinstance(title, str):
            raise ReportError(
                f"{path}: event {number} needs a `date` (like 2025-03-18) and a `title`"
            )
        titles = {"en": title} | {
            lang: item[f"title_{lang}"] for lang in ("ar", "he") if f"title_{lang}" in item
        }
        events.append(Event(day, titles))
    return events
