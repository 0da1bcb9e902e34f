"""The case workflow: every transition, for every persona, through the action functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from marsad.web.cases import actions
from marsad.web.cases.actions import ActionInvalid, ActionRefused
from marsad.web.cases.models import AuditEntry, Case
from marsad.web.cases.states import BY_ACTION, TRANSITIONS, Persona, State

from .conftest import PASSPHRASE, make_staff


def _case_in(case: Case, state: State) -> Case:
    Case.objects.filter(pk=case.pk).update(state=state.value, outcome="restored")
    return Case.objects.get(pk=case.pk)


PERSONAS: list[str | None] = [p.value for p in Persona] + [None]
MOVES = [m for m in TRANSITIONS if m[1] not in BY_ACTION]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("frm", "to"), MOVES, ids=[f"{a}-{b}" for a, b in MOVES])
def test_each_transition_is_allowed_exactly_to_its_personas(
    filed_case: Case, persona: str | None, frm: State, to: State
) -> None:
    user = make_staff(f"user-{persona}", persona)
    case = _case_in(filed_case, frm)
    allowed = persona is not None and Persona(persona) in TRANSITIONS[(frm, to)]
    if allowed:
        moved = actions.transition(case, to, user, reason="checked against the evidence")
        assert moved.state == to
        entry = AuditEntry.objects.filter(action="case.transition").latest("id")
        assert entry.details == {"from": frm, "to": to, "reason": "checked against the evidence"}
        assert entry.actor_label == user.username
    else:
        with pytest.raises(ActionRefused):
            actions.transition(case, to, user, reason="trying")
        assert Case.objects.get(pk=case.pk).state == frm


@pytest.mark.parametrize(
    ("frm", "to"),
    [
        (State.DOCUMENTED, State.VERIFIED),
        (State.TRIAGED, State.REJECTED),
        (State.VERIFIED, State.DOCUMENTED),
    ],
)
def test_decisions_need_a_reason(filed_case: Case, verifier: User, frm: State, to: State) -> None:
    with pytest.raises(ActionInvalid, match="reason"):
        actions.transition(_case_in(filed_case, frm), to, verifier, reason="  ")


def test_verifying_stamps_the_time_once(filed_case: Case, verifier: User) -> None:
    case = actions.transition(
        _case_in(filed_case, State.DOCUMENTED), State.VERIFIED, verifier, "ok"
    )
    first = case.verified_at
    case = actions.transition(case, State.DOCUMENTED, verifier, "needs the original link")
    case = actions.transition(case, State.VERIFIED, verifier, "link added")
    assert first is not None and case.verified_at == first


def test_a_case_is_escalated_only_by_recording_the_escalation(
    filed_case: Case, verifier: User
) -> None:
    case = _case_in(filed_case, State.VERIFIED)
    with pytest.raises(ActionInvalid, match="recording the escalation"):
        actions.transition(case, State.ESCALATED, verifier)
    assert Case.objects.get(pk=case.pk).state == State.VERIFIED


def test_outcome_needs_a_recorded_outcome(filed_case: Case, verifier: User) -> None:
    case = _case_in(filed_case, State.ESCALATED)
    Case.objects.filter(pk=case.pk).update(outcome="")
    with pytest.raises(ActionInvalid, match="outcome"):
        actions.transition(Case.objects.get(pk=case.pk), State.OUTCOME, verifier)


def test_a_duplicate_is_merged_into_its_original(
    filed_case: Case, documenter: User, term: Callable[[str, str], Any]
) -> None:
    other = actions.submit_report(
        actions.NewReport(term("violation_type", "account_suspension"), "same story", consent=True),
        "another passphrase",
    )
    merged = actions.merge_duplicate(other, filed_case, documenter, "same account, same day")
    assert (merged.state, merged.duplicate_of_id) == (State.DUPLICATE, filed_case.id)
    entry = AuditEntry.objects.get(action="case.merged")
    assert entry.details["original"] == filed_case.id
    with pytest.raises(ActionInvalid):
        actions.merge_duplicate(filed_case, merged, documenter, "loop")


def test_an_analyst_cannot_merge(filed_case: Case, analyst: User, term: Any) -> None:
    other = actions.submit_report(
        actions.NewReport(term("violation_type", "hacking"), "x", consent=True), "pass phrase 2"
    )
    with pytest.raises(ActionRefused):
        actions.merge_duplicate(other, filed_case, analyst, "same")


def test_the_receipt_code_and_passphrase_find_the_case(filed_case: Case) -> None:
    typed = filed_case.receipt_code.lower().replace("-", " ")
    assert actions.find_by_receipt(typed, PASSPHRASE) == filed_case
    assert actions.find_by_receipt(filed_case.receipt_code, "wrong passphrase") is None
    assert actions.find_by_receipt("AAAA-BBBB-CCCC", PASSPHRASE) is None


def test_the_reporter_can_add_information_then_withdraw(filed_case: Case) -> None:
    note = actions.reporter_add_information(filed_case, "they also suspended my backup account")
    assert note.from_reporter and note.author is None
    case = actions.reporter_withdraw(filed_case)
    assert case.state == State.WITHDRAWN and case.withdrawn_at is not None
    with pytest.raises(ActionInvalid):
        actions.reporter_add_information(case, "more")
    with pytest.raises(ActionInvalid):
        actions.reporter_withdraw(case)


def test_a_report_without_consent_is_refused(db: None, term: Any) -> None:
    with pytest.raises(ActionInvalid, match="consent"):
        actions.submit_report(actions.NewReport(term("violation_type", "hacking"), "x"), "p")


def test_escalation_moves_a_verified_case_and_the_reply_sets_the_outcome(
    filed_case: Case, verifier: User, term: Any
) -> None:
    from datetime import date

    case = _case_in(filed_case, State.VERIFIED)
    Case.objects.filter(pk=case.pk).update(outcome="")
    data = actions.EscalationInput(
        term("platform", "instagram"), "trusted_partner", date(2026, 3, 1), "REF-1"
    )
    escalation = actions.record_escalation(case, data, verifier)
    assert Case.objects.get(pk=case.pk).state == State.ESCALATED
    actions.record_reply(
        escalation, verifier, reply="Restored.", replied_on=date(2026, 3, 5), outcome="restored"
    )
    case = Case.objects.get(pk=case.pk)
    assert (case.outcome, escalation.days_to_answer) == ("restored", 4)
    with pytest.raises(ActionInvalid, match="before"):
        actions.record_reply(
            escalation, verifier, reply="", replied_on=date(2026, 2, 1), outcome=""
        )


def test_a_reply_is_not_recorded_on_a_withdrawn_case(
    filed_case: Case, verifier: User, term: Any
) -> None:
    from datetime import date

    case = _case_in(filed_case, State.VERIFIED)
    data = actions.EscalationInput(term("platform", "x"), "email", date(2026, 3, 1))
    escalation = actions.record_escalation(case, data, verifier)
    actions.reporter_withdraw(Case.objects.get(pk=case.pk))
    with pytest.raises(ActionInvalid, match="escalated cases only"):
        actions.record_reply(
            escalation, verifier, reply="ok", replied_on=date(2026, 3, 2), outcome="restored"
        )


def test_escalating_an_unverified_case_is_refused(
    filed_case: Case, verifier: User, term: Any
) -> None:
    from datetime import date

    data = actions.EscalationInput(term("platform", "instagram"), "email", date(2026, 3, 1))
    with pytest.raises(ActionInvalid, match="verified"):
        actions.record_escalation(filed_case, data, verifier)


def test_cases_are_assigned_to_case_workers_only(
    filed_case: Case, documenter: User, verifier: User, analyst: User
) -> None:
    assert actions.assign(filed_case, verifier, documenter).assignee == verifier
    with pytest.raises(ActionInvalid):
        actions.assign(filed_case, analyst, documenter)
    with pytest.raises(ActionRefused):
        actions.assign(filed_case, documenter, analyst)


def test_the_taxonomy_is_seeded_in_three_languages(db: None, term: Any) -> None:
    from marsad.web.cases.models import Term

    assert Term.objects.filter(kind="violation_type").count() == 12
    hate = term("violation_type", "hate_speech")
    assert (hate.name("en"), hate.name("ar"), hate.name("he")) == (
        "Hate speech",
        "خطاب كراهية",
        "דברי שנאה",
    )
    assert (
        not Term.objects.filter(name_ar="").exists()
        and not Term.objects.filter(name_he="").exists()
    )


def _second_report(term: Any) -> Case:
    report = actions.NewReport(term("violation_type", "hacking"), "the same story", consent=True)
    return actions.submit_report(report, "a second passphrase")


def test_merging_needs_a_reason_in_the_action_itself(
    filed_case: Case, documenter: User, term: Any
) -> None:
    other = _second_report(term)
    with pytest.raises(ActionInvalid, match="reason"):
        actions.merge_duplicate(other, filed_case, documenter, "  ")
    assert Case.objects.get(pk=other.pk).state == State.RECEIVED
    assert not AuditEntry.objects.filter(action="case.merged").exists()


def test_a_report_cannot_be_merged_into_a_withdrawn_one(
    filed_case: Case, documenter: User, term: Any
) -> None:
    withdrawn = actions.reporter_withdraw(filed_case)
    other = _second_report(term)
    with pytest.raises(ActionInvalid, match="withdrawn"):
        actions.merge_duplicate(other, withdrawn, documenter, "same account")
    assert Case.objects.get(pk=other.pk).state == State.RECEIVED
