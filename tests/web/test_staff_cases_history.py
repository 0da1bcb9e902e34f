"""A case's history in plain words, for case workers and (anonymised) for analysts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from marsad.web.cases import actions, audit
from marsad.web.cases.models import Case
from marsad.web.cases.states import State
from marsad.web.staff.history import case_history


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """Pages opened by earlier tests leave their language active in the thread."""
    with translation.override("en"):
        yield


def a_full_life(case: Case, documenter: User, verifier: User, term: Any) -> Case:
    """Every kind of case entry the actions write, in order."""
    actions.reporter_add_information(case, "one more link")
    actions.assign(case, documenter, documenter)
    actions.classify_case(case, documenter, perpetrator=term("perpetrator", "state_authority"))
    actions.add_staff_note(case, "spoke to Salma", documenter)
    actions.transition(case, State.TRIAGED, documenter)
    actions.transition(case, State.DOCUMENTED, documenter)
    actions.transition(case, State.VERIFIED, verifier, "Salma's screenshots match")
    actions.set_public_summary(case, "An account was suspended.", verifier)
    sent = actions.EscalationInput(term("platform", "instagram"), "email", date(2026, 3, 1))
    escalation = actions.record_escalation(case, sent, verifier)
    actions.record_reply(
        escalation, verifier, reply="ok", replied_on=date(2026, 3, 6), outcome="restored"
    )
    return Case.objects.get(pk=case.pk)


def test_every_entry_the_actions_write_reads_as_a_sentence(
    filed_case: Case, documenter: User, verifier: User, term: Any
) -> None:
    case = a_full_life(filed_case, documenter, verifier, term)
    texts = [line.text for line in case_history(case.id)]
    assert texts == [
        "Report received",
        "The reporter added information",
        "Assigned to dina",
        "Classified as: State authority",
        "Staff note added",
        "Moved from “Received” to “Triaged”",
        "Moved from “Triaged” to “Documented”",
        "Moved from “Documented” to “Verified”",
        "Public summary updated",
        "Escalated to Instagram (Email)",
        "Moved from “Verified” to “Escalated to the platform”",
        "Platform reply recorded after 5 days: Restored",
    ]
    lines = case_history(case.id)
    assert (lines[0].actor, lines[2].actor, lines[7].actor) == ("the reporter", "dina", "vera")
    assert lines[7].reason == "Salma's screenshots match"


def test_analysts_history_keeps_states_and_dates_only(
    filed_case: Case, documenter: User, verifier: User, term: Any
) -> None:
    case = a_full_life(filed_case, documenter, verifier, term)
    lines = case_history(case.id, anonymised=True)
    assert [line.text for line in lines] == [
        "Report received",
        "Moved from “Received” to “Triaged”",
        "Moved from “Triaged” to “Documented”",
        "Moved from “Documented” to “Verified”",
        "Escalated to Instagram (Email)",
        "Moved from “Verified” to “Escalated to the platform”",
        "Platform reply recorded after 5 days: Restored",
    ]
    assert {(line.actor, line.reason) for line in lines} == {("", "")}


def test_an_entry_of_an_unknown_kind_is_shown_by_its_name(filed_case: Case) -> None:
    audit.record(audit.SYSTEM, "case.archived_somewhere", case_id=filed_case.id)
    last = case_history(filed_case.id)[-1]
    assert (last.text, last.actor) == ("case.archived_somewhere", "the system")


def test_the_history_speaks_the_active_language(
    filed_case: Case, documenter: User, term: Any
) -> None:
    actions.classify_case(filed_case, documenter, platform=term("platform", "telegram"))
    with translation.override("ar"):
        assert "تيليغرام" in case_history(filed_case.id)[-1].text
