"""Public statistics of verified cases: by month, violation type, platform and outcome.

Only cases that a verifier verified count (state verified, escalated, outcome or closed, with a
verification time); withdrawn, rejected and duplicate cases never do. Months are months of
receipt (UTC). Nothing personal is read: only states, terms, dates and outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from marsad.web.cases.models import Case, Escalation, Term
from marsad.web.cases.states import COUNTED, Outcome


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class PublicStats:
    total: int
    by_month: list[Row] = field(default_factory=list)
    by_type: list[Row] = field(default_factory=list)
    by_platform: list[Row] = field(default_factory=list)
    by_outcome: list[Row] = field(default_factory=list)


def counted_cases() -> QuerySet[Case]:
    return Case.objects.filter(state__in=[s.value for s in COUNTED], verified_at__isnull=False)


def by_month(cases: QuerySet[Case]) -> list[Row]:
    rows = (
        cases.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return [Row(_month_key(r["month"]), _month_key(r["month"]), r["n"]) for r in rows]


def _month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def by_term(cases: QuerySet[Case], field_name: str, lang: str | None = None) -> list[Row]:
    """Counts per term of `field_name` (largest first, ties in taxonomy order); cases with no
    term are left out."""
    rows = (
        cases.exclude(**{f"{field_name}__isnull": True})
        .values(f"{field_name}_id")
        .annotate(n=Count("id"))
        .order_by("-n", f"{field_name}__position")
    )
    terms = Term.objects.in_bulk([r[f"{field_name}_id"] for r in rows])
    found = [(terms[r[f"{field_name}_id"]], r["n"]) for r in rows]
    return [Row(t.key, t.name(lang), n) for t, n in found]


def by_outcome(cases: QuerySet[Case]) -> list[Row]:
    rows = cases.exclude(outcome="").values("outcome").annotate(n=Count("id")).order_by("-n")
    return [Row(r["outcome"], str(Outcome(r["outcome"]).label), r["n"]) for r in rows]


def public_stats(lang: str | None = None) -> PublicStats:
    cases = counted_cases()
    return PublicStats(
        total=cases.count(),
        by_month=by_month(cases),
        by_type=by_term(cases, "violation_type", lang),
        by_platform=by_term(cases, "platform", lang),
        by_outcome=by_outcome(cases),
    )


def response_days(platform_key: str | None = None) -> list[int]:
    """Days each answered escalation took (of counted cases), for platform responsiveness."""
    answered = Escalation.objects.filter(replied_on__isnull=False, case__in=counted_cases())
    if platform_key:
        answered = answered.filter(platform__key=platform_key)
    return sorted(e.days_to_answer for e in answered if e.days_to_answer is not None)
