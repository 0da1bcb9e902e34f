"""What every analysis shares: the period, the filters, the context it runs in, its contract.

An analysis is a small class with `key`, `title`, `description`, the output `columns` it
declares, and `run(ctx, params) -> pyarrow.Table` (DESIGN.md). It reads the posts warehouse
through `ctx.con` (DuckDB with the `posts` and `labels` views) or, for the case database, through
Django (`violations`). Results are plain Arrow tables: the CLI writes them as CSV, Parquet or JSON
and the report sections render them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, Protocol, runtime_checkable

import duckdb
import pyarrow as pa

from marsad.config import Settings
from marsad.warehouse import Warehouse

Granularity = Literal["day", "week", "month"]
GRANULARITIES: tuple[Granularity, ...] = ("day", "week", "month")


class AnalysisError(ValueError):
    """The analysis cannot run with these parameters; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open range of days [start, end) with the label the user gave it."""

    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def parse_period(text: str) -> Period:
    """`2025`, `2025-03`, `2025-Q2`, `2025-03-14` or `START..END` (inclusive end days)."""
    text = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})", text):
            year = int(m[1])
            return Period(date(year, 1, 1), date(year + 1, 1, 1), text)
        if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", text):
            first = date(int(m[1]), 3 * int(m[2]) - 2, 1)
            return Period(first, _next_month(_next_month(_next_month(first))), text.upper())
        if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            first = date(int(m[1]), int(m[2]), 1)
            return Period(first, _next_month(first), text)
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
            start, last = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if last < start:
                raise AnalysisError(f"period {text!r}: the end is before the start")
            return Period(start, last + timedelta(days=1), text)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)
            return Period(day, day + timedelta(days=1), text)
    except ValueError as error:
        raise AnalysisError(f"period {text!r}: {error}") from None
    raise AnalysisError(
        f"period {text!r}: expected YEAR, YEAR-MM, YEAR-Qn, YEAR-MM-DD or START..END"
    )


@dataclass(frozen=True, slots=True)
class Params:
    """What the user asked: the period, the filters, the time step, the model whose labels to
    read, how many top items, and analysis-specific options (`options`)."""

    period: Period | None = None
    platforms: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    granularity: Granularity = "month"
    model: str | None = None  # "key" or "key@version"; None: the newest labels present
    top: int = 20
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Context:
    """Where an analysis runs: DuckDB over the warehouse (`posts`, `labels`) and the project.

    `warehouse`, when given, is the warehouse `con` reads: analyses may then read its immutable
    files directly and keep derived tables in its cache (`marsad.analyze.daily`)."""

    con: duckdb.DuckDBPyConnection
    settings: Settings | None = None
    warehouse: Warehouse | None = None


NO_LANGUAGE = "und"  # what analyses show for a post without a language; `--lang und` selects it


def post_filter(params: Params, alias: str = "p") -> tuple[str, list[Any]]:
    """SQL `WHERE` conditions (joined with AND, "TRUE" when none) and their arguments for the
    period and the platform / language / dataset filters on the posts view under `alias`."""
    conditions: list[str] = []
    args: list[Any] = []
    if params.period is not None:
        conditions.append(f"{alias}.created_at >= ? AND {alias}.created_at < ?")
        args += [params.period.start, params.period.end]
    for column, values in (
        ("platform", params.platforms),
        ("lang", params.langs),
        ("dataset", params.datasets),
    ):
        if values:
            condition = f"{alias}.{column} IN ({', '.join('?' for _ in values)})"
            if column == "lang" and NO_LANGUAGE in values:  # shown as `und` where none is known
                condition = f"({condition} OR {alias}.lang IS NULL)"
            conditions.append(condition)
            args += list(values)
    return (" AND ".join(conditions) or "TRUE"), args


@runtime_checkable
class Analysis(Protocol):
    key: str
    title: str
    description: str
    columns: tuple[str, ...]

    def run(self, ctx: Context, params: Params) -> pa.Table: ...
