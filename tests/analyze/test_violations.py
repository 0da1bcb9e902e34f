"""`violations`: verified cases by type, platform, perpetrator, outcome and month, and the
escalations' success rate per platform."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from typing import Any

import pytest

os.environ.setdefault("MARSAD_DATA_KEY", "11" * 32)

from marsad.analyze.base import AnalysisError, Context
from marsad.analyze.violations import ViolationsAnalysis
from tests.analyze.conftest import params

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def term(kind: str, key: str) -> Any:
    from marsad.web.cases.models import Term

    return Term.objects.get(kind=kind, key=key)


def case(
    state: str,
    kind: str,
    platform: str,
    when: str,
    *,
    perpetrator: str | None = None,
    outcome: str = "",
    language: str = "en",
) -> Any:
    from marsad.web.cases import actions
    from marsad.web.cases.models import Case

    report = actions.NewReport(
        term("violation_type", kind),
        "text",
        term("platform", platform),
        consent=True,
        language=language,
    )
    made = actions.submit_report(report, "pass phrase")
    at = datetime.fromisoformat(when).replace(tzinfo=UTC)
    verified = at if state in ("verified", "escalated", "outcome", "closed") else None
    Case.objects.filter(pk=made.pk).update(
        state=state,
        received_at=at,
        verified_at=verified,
        outcome=outcome,
        perpetrator=term("perpetrator", perpetrator) if perpetrator else None,
    )
    return made


def escalation(of: Any, platform: str, sent: str, replied: str | None, outcome: str) -> None:
    from marsad.web.cases.models import Escalation

    Escalation.objects.create(
        case=of,
        platform=term("platform", platform),
        channel="web_form",
        sent_on=date.fromisoformat(sent),
        replied_on=date.fromisoformat(replied) if replied else None,
        outcome=outcome,
    )


def fill() -> None:
    c1 = case(
        "verified",
        "content_removal",
        "facebook",
        "2026-01-05",
        perpetrator="platform_company",
        language="ar",
    )
    c2 = case(
        "escalated", "content_removal", "instagram", "2026-01-06", perpetrator="platform_company"
    )
    c3 = case(
        "outcome",
        "account_suspension",
        "instagram",
        "2026-02-07",
        perpetrator="state_authority",
        outcome="restored",
    )
    c4 = case("closed", "account_suspension", "instagram", "2026-02-08", outcome="no_response")
    c5 = case("received", "hacking", "x", "2026-03-01")  # not verified: never counted
    case("verified", "hate_speech", "x", "2025-12-20")  # before the period
    escalation(c2, "instagram", "2026-01-15", "2026-01-20", "restored")
    escalation(c3, "instagram", "2026-02-10", None, "partially_restored")
    escalation(c4, "instagram", "2026-02-11", None, "no_response")  # not answered
    escalation(c3, "facebook", "2026-02-12", "2026-02-20", "removed")
    escalation(c1, "facebook", "2025-12-30", "2026-01-02", "restored")  # sent before the period
    escalation(c5, "x", "2026-03-02", "2026-03-03", "restored")  # of an uncounted case


def table(**kwargs: Any) -> list[tuple[Any, ...]]:
    result = ViolationsAnalysis().run(Context(con=None, settings=None), params("2026", **kwargs))  # type: ignore[arg-type]
    return [tuple(r.values()) for r in result.to_pylist()]


@pytest.mark.django_db
def test_verified_cases_are_counted_by_month_term_and_outcome() -> None:
    fill()
    rows = table()
    counts = [r[:5] for r in rows if r[0] != "escalation"]
    assert counts == [
        ("month", "2026-01", "2026-01", JAN, 2),
        ("month", "2026-02", "2026-02", FEB, 2),
        ("type", "content_removal", "Content removal", None, 2),
        ("type", "account_suspension", "Account suspension or deletion", None, 2),
        ("type", "content_removal", "Content removal", JAN, 2),
        ("type", "account_suspension", "Account suspension or deletion", FEB, 2),
        ("platform", "instagram", "Instagram", None, 3),
        ("platform", "facebook", "Facebook", None, 1),
        ("platform", "facebook", "Facebook", JAN, 1),
        ("platform", "instagram", "Instagram", JAN, 1),
        ("platform", "instagram", "Instagram", FEB, 2),
        ("perpetrator", "platform_company", "Platform company", None, 2),
        ("perpetrator", "state_authority", "State authority", None, 1),
        ("perpetrator", "platform_company", "Platform company", JAN, 2),
        ("perpetrator", "state_authority", "State authority", FEB, 1),
        ("outcome", "no_response", "No response", None, 1),
        ("outcome", "restored", "Restored", None, 1),
        ("outcome", "no_response", "No response", FEB, 1),
        ("outcome", "restored", "Restored", FEB, 1),
    ]


@pytest.mark.django_db
def test_escalation_success_is_restored_or_partly_restored_over_answered() -> None:
    fill()
    escalations = [r for r in table() if r[0] == "escalation"]
    assert escalations == [
        ("escalation", "instagram", "Instagram", None, None, 2, 2, 1.0),
        ("escalation", "facebook", "Facebook", None, None, 1, 0, 0.0),
    ]


@pytest.mark.django_db
def test_filters_and_term_names_apply_to_violations() -> None:
    fill()
    rows = table(langs=("ar",), options={"names": "ar"})
    assert [r[:5] for r in rows if r[0] in ("month", "type")] == [
        ("month", "2026-01", "2026-01", JAN, 1),
        ("type", "content_removal", "إزالة محتوى", None, 1),
        ("type", "content_removal", "إزالة محتوى", JAN, 1),
    ]


@pytest.mark.django_db
def test_an_unknown_name_language_is_refused() -> None:
    with pytest.raises(AnalysisError, match="names=fr"):
        table(options={"names": "fr"})


@pytest.mark.django_db
def test_the_chart_shows_cases_by_type() -> None:
    fill()
    analysis = ViolationsAnalysis()
    table = analysis.run(Context(con=None), params("2026"))  # type: ignore[arg-type]
    svg = analysis.chart(table, "ar")
    assert 'direction="rtl"' in svg and "Content removal" in svg
