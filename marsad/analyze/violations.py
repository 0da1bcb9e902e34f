"""`violations`: verified cases of the case database by type, platform, perpetrator, outcome
and month, and the success rate of escalations per platform.

Only cases that count in public statistics are read (`marsad.web.cases.stats.counted_cases`:
verified, escalated, outcome or closed, with a verification time); nothing personal. The period
applies to the month of receipt (UTC), `--platform` to the case's platform term and `--lang` to
the language of the report; `--dataset` does not apply.

One long table, `dimension` saying what a row counts:
- `month`: cases received per month (`key` YYYY-MM);
- `type`, `platform`, `perpetrator`, `outcome`: cases per term (cases without one are left
  out), over the whole period (`month` empty) and per month;
- `escalation`: per platform, the escalations of those cases sent in the period that were
  `answered` (a reply date, or an outcome other than no response), how many of them were
  `successful` (restored or partially restored), and `success_rate` = successful / answered.
`label` is the term's name in `--option names=ar|he|en` (default en).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa

from marsad.analyze import options
from marsad.analyze.base import AnalysisError, Context, Params

SCHEMA = pa.schema(
    [
        ("dimension", pa.string()),
        ("key", pa.string()),
        ("label", pa.string()),
        ("month", pa.date32()),
        ("cases", pa.int64()),
        ("answered", pa.int64()),
        ("successful", pa.int64()),
        ("success_rate", pa.float64()),
    ]
)
OPTIONS = {"names": "language of the term names: en (default), ar or he"}
TERM_FIELDS = {
    "type": "violation_type",
    "platform": "platform",
    "perpetrator": "perpetrator",
}
SUCCESS = ("restored", "partially_restored")
ANSWERED_OUTCOMES = ("restored", "partially_restored", "removed")


def start_django(ctx: Context) -> None:
    """Set Django up for the project (or use the one already set up); AnalysisError if
    neither is possible."""
    from django.apps import apps

    if ctx.settings is not None:
        from marsad.web.boot import BootError, setup_django

        try:
            setup_django(ctx.settings)
        except BootError as error:
            raise AnalysisError(str(error)) from None
    elif not apps.ready:
        raise AnalysisError("violations reads the case database: it needs the project's settings")


def counted(params: Params) -> Any:
    from marsad.web.cases.stats import counted_cases

    cases = counted_cases()
    if params.period is not None:
        cases = cases.filter(received_at__gte=_utc(params.period.start))
        cases = cases.filter(received_at__lt=_utc(params.period.end))
    if params.platforms:
        cases = cases.filter(platform__key__in=params.platforms)
    if params.langs:
        cases = cases.filter(language__in=params.langs)
    return cases


def _utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _month(value: datetime | date) -> date:
    return date(value.year, value.month, 1)


def month_rows(cases: Any) -> list[dict[str, Any]]:
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    found = (
        cases.annotate(m=TruncMonth("received_at", tzinfo=UTC))
        .values("m")
        .annotate(n=Count("id"))
        .order_by("m")
    )
    return [
        {
            "dimension": "month",
            "key": f"{r['m']:%Y-%m}",
            "label": f"{r['m']:%Y-%m}",
            "month": _month(r["m"]),
            "cases": r["n"],
        }
        for r in found
    ]


def term_rows(cases: Any, dimension: str, names: str) -> list[dict[str, Any]]:
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from marsad.web.cases.models import Term

    field = TERM_FIELDS[dimension]
    kept = cases.exclude(**{f"{field}__isnull": True})
    totals = kept.values(f"{field}_id").annotate(n=Count("id"))
    months = (
        kept.annotate(m=TruncMonth("received_at", tzinfo=UTC))
        .values("m", f"{field}_id")
        .annotate(n=Count("id"))
    )
    terms = Term.objects.in_bulk([r[f"{field}_id"] for r in totals])
    rows: list[tuple[date | None, Any, Any]] = [(None, r[f"{field}_id"], r["n"]) for r in totals]
    rows += [(_month(r["m"]), r[f"{field}_id"], r["n"]) for r in months]
    rows.sort(key=lambda r: (r[0] or date.min, -r[2], terms[r[1]].position, terms[r[1]].key))
    return [
        {
            "dimension": dimension,
            "key": terms[t].key,
            "label": terms[t].name(names),
            "month": month,
            "cases": n,
        }
        for month, t, n in rows
    ]


def outcome_rows(cases: Any) -> list[dict[str, Any]]:
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from marsad.web.cases.states import Outcome

    kept = cases.exclude(outcome="")
    totals: list[tuple[date | None, Any, Any]] = [
        (None, r["outcome"], r["n"]) for r in kept.values("outcome").annotate(n=Count("id"))
    ]
    months = (
        kept.annotate(m=TruncMonth("received_at", tzinfo=UTC))
        .values("m", "outcome")
        .annotate(n=Count("id"))
    )
    rows = totals + [(_month(r["m"]), r["outcome"], r["n"]) for r in months]
    rows.sort(key=lambda r: (r[0] or date.min, -r[2], r[1]))
    return [
        {"dimension": "outcome", "key": o, "label": str(Outcome(o).label), "month": m, "cases": n}
        for m, o, n in rows
    ]


def escalation_rows(cases: Any, params: Params, names: str) -> list[dict[str, Any]]:
    from django.db.models import Count, Q

    from marsad.web.cases.models import Escalation, Term

    found = Escalation.objects.filter(case__in=cases)
    if params.period is not None:
        found = found.filter(sent_on__gte=params.period.start, sent_on__lt=params.period.end)
    if params.platforms:
        found = found.filter(platform__key__in=params.platforms)
    answered = Q(replied_on__isnull=False) | Q(outcome__in=ANSWERED_OUTCOMES)
    per_platform = found.values("platform_id").annotate(
        answered=Count("id", filter=answered),
        successful=Count("id", filter=answered & Q(outcome__in=SUCCESS)),
    )
    terms = Term.objects.in_bulk([r["platform_id"] for r in per_platform])
    result = [
        {
            "dimension": "escalation",
            "key": terms[r["platform_id"]].key,
            "label": terms[r["platform_id"]].name(names),
            "month": None,
            "answered": r["answered"],
            "successful": r["successful"],
            "success_rate": r["successful"] / r["answered"] if r["answered"] else None,
        }
        for r in per_platform
    ]
    return sorted(result, key=lambda r: (-r["answered"], r["key"]))


def all_rows(params: Params, names: str) -> Iterable[dict[str, Any]]:
    cases = counted(params)
    yield from month_rows(cases)
    for dimension in TERM_FIELDS:
        yield from term_rows(cases, dimension, names)
    yield from outcome_rows(cases)
    yield from escalation_rows(cases, params, names)


class ViolationsAnalysis:
    key = "violations"
    title = "Documented violations"
    description = (
        "Verified cases of the case database by violation type, platform, perpetrator, "
        "outcome and month, and the success rate of escalations per platform."
    )
    columns: tuple[str, ...] = tuple(SCHEMA.names)
    option_help = OPTIONS
    uses_warehouse = False  # reads the case database only

    def run(self, ctx: Context, params: Params) -> pa.Table:
        from django.db import DatabaseError

        options.check_known(params, OPTIONS, self.key)
        names = options.text(params, "names", "en") or "en"
        if names not in ("en", "ar", "he"):
            raise AnalysisError(f"--option names={names}: expected en, ar or he")
        start_django(ctx)
        try:
            return pa.Table.from_pylist(list(all_rows(params, names)), schema=SCHEMA)
        except DatabaseError as error:
            raise AnalysisError(
                f"the case database cannot be read ({error}); set it up with "
                "`marsad manage migrate`"
            ) from None

    def chart(self, table: pa.Table, lang: str) -> str:
        from marsad.analyze.charts import bar_chart

        types = [r for r in table.to_pylist() if r["dimension"] == "type" and r["month"] is None]
        return bar_chart(
            [r["label"] for r in types], {"cases": [r["cases"] for r in types]}, self.title, lang
        )
