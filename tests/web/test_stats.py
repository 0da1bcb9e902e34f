"""Public statistics count verified cases only, by month, type, platform and outcome."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marsad.web.cases import actions
from marsad.web.cases.models import Case
from marsad.web.cases.stats import Row, public_stats


def _case(term: Any, state: str, kind: str, platform: str, month: int, outcome: str = "") -> Case:
    case = actions.submit_report(
        actions.NewReport(
            term("violation_type", kind), "text", term("platform", platform), consent=True
        ),
        "pass phrase",
    )
    at = datetime(2026, month, 10, tzinfo=UTC)
    verified = at if state in ("verified", "escalated", "outcome", "closed") else None
    Case.objects.filter(pk=case.pk).update(
        state=state, received_at=at, verified_at=verified, outcome=outcome
    )
    return case


def test_only_verified_cases_are_counted(db: None, term: Any) -> None:
    _case(term, "verified", "content_removal", "facebook", 1)
    _case(term, "escalated", "content_removal", "instagram", 1)
    _case(term, "outcome", "account_suspension", "instagram", 2, "restored")
    _case(term, "closed", "account_suspension", "instagram", 2, "no_response")
    for state in ("received", "triaged", "documented", "rejected", "duplicate", "withdrawn"):
        _case(term, state, "hacking", "x", 3)
    stats = public_stats("en")
    assert stats.total == 4
    assert stats.by_month == [Row("2026-01", "2026-01", 2), Row("2026-02", "2026-02", 2)]
    assert [(r.key, r.count) for r in stats.by_type] == [
        ("content_removal", 2),
        ("account_suspension", 2),
    ]
    assert [(r.key, r.count) for r in stats.by_platform] == [("instagram", 3), ("facebook", 1)]
    assert sorted((r.key, r.count) for r in stats.by_outcome) == [
        ("no_response", 1),
        ("restored", 1),
    ]


def test_term_names_follow_the_language(db: None, term: Any) -> None:
    _case(term, "verified", "hate_speech", "telegram", 5)
    assert public_stats("ar").by_type[0].label == "خطاب كراهية"
    assert public_stats("he").by_platform[0].label == "טלגרם"
