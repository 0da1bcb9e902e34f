"""Time buckets: a post's UTC day, and the day, ISO week (from Monday) or month it falls in."""

from __future__ import annotations

from datetime import date, timedelta

from marsad.analyze.base import GRANULARITIES, AnalysisError, Granularity

DAY_US = 86_400_000_000


def day_sql(column: str) -> str:
    """SQL: the UTC day (DATE) of TIMESTAMPTZ `column`, by arithmetic on the epoch (faster
    than a calendar function on tens of millions of rows)."""
    return f"(DATE '1970-01-01' + CAST(floor(epoch_us({column}) / {DAY_US}) AS INTEGER))"


def bucket_sql(granularity: Granularity, day_column: str) -> str:
    """SQL: the first day of the bucket holding DATE `day_column`."""
    check(granularity)
    if granularity == "day":
        return day_column
    return f"CAST(date_trunc('{granularity}', {day_column}) AS DATE)"


def check(granularity: str) -> Granularity:
    if granularity not in GRANULARITIES:
        raise AnalysisError(f"granularity {granularity!r}: expected one of {GRANULARITIES}")
    return granularity


def bucket_start(day: date, granularity: Granularity) -> date:
    if granularity == "month":
        return day.replace(day=1)
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    return day


def previous_bucket(start: date, granularity: Granularity) -> date:
    """The first day of the bucket before the one starting on `start`."""
    if granularity == "month":
        return (start - timedelta(days=1)).replace(day=1)
    return start - timedelta(days=7 if granularity == "week" else 1)
