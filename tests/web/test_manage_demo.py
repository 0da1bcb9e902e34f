"""The web app's demo data (`marsad.web.demo`): a plan fixed by its seed, written through the
actions (so the audit log is real), one login per persona with a fresh password each run."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from django.contrib.auth import authenticate as authenticate_request
from django.test import RequestFactory

from marsad.web.cases.audit import verify_chain
from marsad.web.cases.models import AuditEntry, Case, Escalation
from marsad.web.cases.personas import persona_of
from marsad.web.cases.states import Persona, State
from marsad.web.cases.stats import public_stats
from marsad.web.demo import STATE_COUNTS, build_demo, describe, plan_cases

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def authenticate(username: str, password: str) -> object:
    """A login attempt as the login form makes it (the lockout backend needs the request)."""
    request = RequestFactory().post("/staff/login/")
    return authenticate_request(request, username=username, password=password)


def test_the_plan_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    assert plan_cases(7) == plan_cases(7)
    assert plan_cases(7) != plan_cases(8)


def test_the_plan_covers_every_state_language_and_many_types_and_platforms() -> None:
    plan = plan_cases()
    assert len(plan) == 60
    assert Counter(p.state for p in plan) == Counter(STATE_COUNTS)
    assert set(STATE_COUNTS) == {s.value for s in State}
    assert Counter(p.language for p in plan) == {"ar": 20, "he": 20, "en": 20}
    assert len({p.violation_type for p in plan}) >= 10
    assert len({p.platform for p in plan}) >= 6
    assert {p.outcome for p in plan if p.state in ("outcome", "closed")} >= {"restored", "removed"}


def test_the_demo_writes_every_case_through_the_actions(db: None) -> None:
    result = build_demo(seed=11, now=NOW)
    assert result.created == 60 and result.kept == 0
    states = Counter(Case.objects.values_list("state", flat=True))
    assert states == Counter(STATE_COUNTS)
    assert AuditEntry.objects.filter(action="case.submitted").count() == 60
    assert AuditEntry.objects.filter(action="case.withdrawn").count() == 4
    assert AuditEntry.objects.filter(action="case.merged").count() == 4
    assert verify_chain() == []
    escalated = Case.objects.filter(state__in=["escalated", "outcome", "closed"])
    assert Escalation.objects.count() == escalated.count() == 25
    assert Escalation.objects.filter(replied_on__isnull=False).exists()
    assert Escalation.objects.filter(replied_on__isnull=True).exists()
    assert all(e.replied_on is None or e.replied_on >= e.sent_on for e in Escalation.objects.all())
    assert Case.objects.exclude(public_summary="").exists()
    assert set(Case.objects.values_list("language", flat=True)) == {"ar", "he", "en"}


def test_the_demo_fills_the_public_statistics_over_many_months(db: None) -> None:
    build_demo(seed=11, now=NOW)
    stats = public_stats("en")
    assert stats.total == sum(
        STATE_COUNTS[s] for s in ("verified", "escalated", "outcome", "closed")
    )
    assert len(stats.by_month) >= 6
    assert {row.key for row in stats.by_outcome} >= {"restored", "removed"}


def test_every_persona_gets_a_login_with_the_printed_password(db: None) -> None:
    result = build_demo(seed=11, now=NOW)
    for persona, (username, password) in result.logins.items():
        user = authenticate(username=username, password=password)
        assert user is not None and persona_of(user) == Persona(persona)
    lines = "\n".join(describe(result))
    for _persona, (username, password) in result.logins.items():
        assert f"{username}" in lines and password in lines
    assert "created 60" in lines and result.sample_receipt in lines


def test_a_second_run_keeps_the_cases_and_changes_every_password(db: None) -> None:
    first = build_demo(seed=11, now=NOW)
    second = build_demo(seed=11, now=NOW)
    assert (second.created, second.kept) == (0, 60)
    assert Case.objects.count() == 60
    for persona, (username, password) in first.logins.items():
        assert second.logins[persona][1] != password
        assert authenticate(username=username, password=password) is None
        assert authenticate(username=username, password=second.logins[persona][1]) is not None
    assert "kept the 60 existing" in describe(second)[0]
