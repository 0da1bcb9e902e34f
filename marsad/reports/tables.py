"""Small helpers that sections use to read analysis tables and to make their CSV tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from marsad.analyze.base import Period

Row = dict[str, Any]


def records(table: pa.Table | None) -> list[Row]:
    return [] if table is None else table.to_pylist()


def to_arrow(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> pa.Table:
    """A table of `rows` with exactly `columns` (in this order), also when there are no rows."""
    data = {name: [row.get(name) for row in rows] for name in columns}
    if rows:
        return pa.table(data)
    return pa.table({name: pa.array([], pa.string()) for name in columns})


def as_date(value: Any) -> date | None:
    """A bucket or day as a date: date, datetime or ISO text ("2025-03" means its first day)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    return date.fromisoformat(text if len(text) > 7 else f"{text}-01")


def months(period: Period) -> list[date]:
    """The first day of every month that the period touches."""
    first = period.start.replace(day=1)
    found: list[date] = []
    while first < period.end:
        found.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return found


def days(period: Period) -> list[date]:
    return [date.fromordinal(n) for n in range(period.start.toordinal(), period.end.toordinal())]


def sum_by(rows: Iterable[Row], key: str, value: str) -> dict[Any, float]:
    totals: dict[Any, float] = {}
    for row in rows:
        totals[row[key]] = totals.get(row[key], 0.0) + float(row.get(value) or 0)
    return totals


def top(totals: Mapping[Any, float], n: int) -> list[tuple[Any, float]]:
    """The `n` largest items, largest first, ties by key."""
    return sorted(totals.items(), key=lambda item: (-item[1], str(item[0])))[:n]


def share(part: float, whole: float) -> float | None:
    return part / whole if whole else None
