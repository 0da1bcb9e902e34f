"""The escalation pages: record an escalation and the platform's reply (verifiers, admins), the
list per platform with median days to answer and share answered (documenters may look)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from marsad.web.cases import actions
from marsad.web.cases.actions import EscalationInput
from marsad.web.cases.models import AuditEntry, Case, Escalation
from marsad.web.cases.states import State
from marsad.web.staff.views_escalations import platform_summaries

from .conftest import make_staff

Maker = Callable[[User | None], Client]
TODAY = timezone.now().date


def verified(case: Case) -> Case:
    Case.objects.filter(pk=case.pk).update(state=State.VERIFIED, verified_at=timezone.now())
    return Case.objects.get(pk=case.pk)


def escalation_of(case: Case, term: Callable[[str, str], Any], **kw: Any) -> Escalation:
    data = EscalationInput(
        kw.get("platform", term("platform", "instagram")),
        "web_form",
        kw.get("sent_on", TODAY() - timedelta(days=10)),
        kw.get("reference", "REF-1"),
    )
    return actions.record_escalation(case, data, _recorder())


def _recorder() -> User:
    return User.objects.filter(username="recorder").first() or make_staff("recorder", "admin")


def form(term: Callable[[str, str], Any], **changes: Any) -> dict[str, Any]:
    data = {
        "platform": term("platform", "instagram").id,
        "channel": "trusted_partner",
        "sent_on": (TODAY() - timedelta(days=2)).isoformat(),
        "reference": "META-88213",
    }
    return data | changes


PERSONAS = ["documenter", "verifier", "analyst", "admin", "outsider"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("documenter", 403), ("verifier", 200), ("analyst", 403), ("admin", 200), ("outsider", 403)],
)
def test_the_escalation_form_opens_for_verifiers_and_admins(
    filed_case: Case, client_for: Maker, persona: str, status: int
) -> None:
    user = make_staff(persona, None if persona == "outsider" else persona)
    response = client_for(user).get(f"/staff/cases/{filed_case.id}/escalations/new/")
    assert response.status_code == status


def test_anonymous_visitors_are_sent_to_the_login_page(filed_case: Case, client_for: Maker) -> None:
    for path in [
        f"/staff/cases/{filed_case.id}/escalations/new/",
        "/staff/escalations/",
        "/staff/escalations/1/reply/",
    ]:
        response = client_for(None).get(path)
        assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_a_verifier_records_an_escalation_and_the_case_moves_to_escalated(
    filed_case: Case, verifier: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    case = verified(filed_case)
    response = client_for(verifier).post(f"/staff/cases/{case.id}/escalations/new/", form(term))
    assert response.status_code == 302
    escalation = Escalation.objects.get(case=case)
    assert escalation.reference == "META-88213"
    assert escalation.channel == "trusted_partner"
    assert escalation.created_by == verifier
    assert Case.objects.get(pk=case.pk).state == State.ESCALATED
    sent = AuditEntry.objects.get(action="escalation.sent")
    assert sent.details["escalation"] == escalation.id and sent.actor == verifier


def test_a_case_not_yet_verified_cannot_be_escalated(
    filed_case: Case, admin: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    client = client_for(admin)
    page = client.get(f"/staff/cases/{filed_case.id}/escalations/new/")
    assert "Only verified cases are escalated" in page.content.decode()
    response = client.post(f"/staff/cases/{filed_case.id}/escalations/new/", form(term))
    assert response.status_code == 400
    assert "Only verified cases are escalated" in response.content.decode()
    assert not Escalation.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"sent_on": (date.today() + timedelta(days=3)).isoformat()},
        {"sent_on": "not a date"},
        {"channel": "pigeon"},
        {"platform": "999999"},
        {"reference": "R" * 201},
    ],
)
def test_bad_escalation_input_is_shown_and_nothing_is_recorded(
    filed_case: Case,
    verifier: User,
    client_for: Maker,
    term: Callable[[str, str], Any],
    bad: dict[str, str],
) -> None:
    case = verified(filed_case)
    response = client_for(verifier).post(
        f"/staff/cases/{case.id}/escalations/new/", form(term, **bad)
    )
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not Escalation.objects.exists()
    assert Case.objects.get(pk=case.pk).state == State.VERIFIED


def test_documenters_cannot_record_an_escalation_by_posting(
    filed_case: Case, documenter: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    case = verified(filed_case)
    response = client_for(documenter).post(f"/staff/cases/{case.id}/escalations/new/", form(term))
    assert response.status_code == 403
    assert not Escalation.objects.exists()


def test_a_verifier_records_the_reply_and_the_case_takes_the_outcome(
    filed_case: Case, verifier: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    escalation = escalation_of(verified(filed_case), term)
    replied = escalation.sent_on + timedelta(days=6)
    response = client_for(verifier).post(
        f"/staff/escalations/{escalation.id}/reply/",
        {"reply": "The account is restored.", "replied_on": replied, "outcome": "restored"},
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.days_to_answer == 6
    assert escalation.outcome == "restored"
    assert Case.objects.get(pk=filed_case.pk).outcome == "restored"
    assert AuditEntry.objects.get(action="escalation.reply").details["days"] == 6


def test_a_reply_dated_before_the_escalation_is_refused(
    filed_case: Case, verifier: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    escalation = escalation_of(verified(filed_case), term)
    early = escalation.sent_on - timedelta(days=1)
    response = client_for(verifier).post(
        f"/staff/escalations/{escalation.id}/reply/",
        {"reply": "Restored.", "replied_on": early, "outcome": "restored"},
    )
    assert response.status_code == 400
    assert "cannot come before" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.replied_on is None and escalation.outcome == ""


def test_a_reply_text_needs_its_date(
    filed_case: Case, admin: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    escalation = escalation_of(verified(filed_case), term)
    response = client_for(admin).post(
        f"/staff/escalations/{escalation.id}/reply/",
        {"reply": "We looked into it.", "replied_on": "", "outcome": ""},
    )
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="escalation.reply").exists()


@pytest.mark.parametrize(("persona", "status"), [("documenter", 403), ("analyst", 403)])
def test_only_verifiers_and_admins_record_replies(
    filed_case: Case,
    client_for: Maker,
    term: Callable[[str, str], Any],
    persona: str,
    status: int,
) -> None:
    escalation = escalation_of(verified(filed_case), term)
    client = client_for(make_staff(persona, persona))
    assert client.get(f"/staff/escalations/{escalation.id}/reply/").status_code == status
    data = {"reply": "x", "replied_on": TODAY(), "outcome": "removed"}
    assert client.post(f"/staff/escalations/{escalation.id}/reply/", data).status_code == status
    escalation.refresh_from_db()
    assert escalation.outcome == ""


def test_an_unknown_escalation_is_404(db: None, verifier: User, client_for: Maker) -> None:
    assert client_for(verifier).get("/staff/escalations/999999/reply/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("documenter", 200), ("verifier", 200), ("analyst", 403), ("admin", 200), ("outsider", 403)],
)
def test_the_escalation_list_is_open_to_case_workers(
    db: None, client_for: Maker, persona: str, status: int
) -> None:
    user = make_staff(persona, None if persona == "outsider" else persona)
    assert client_for(user).get("/staff/escalations/").status_code == status


def _copy(case: Case, code: str) -> Case:
    other = Case.objects.get(pk=case.pk)
    other.pk, other.receipt_code = None, code
    other.save()
    return verified(other)


def test_the_list_groups_by_platform_with_median_days_and_share_answered(
    filed_case: Case, documenter: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    cases = [verified(filed_case), *(_copy(filed_case, f"CASE-AAAA-{i}{i}{i}{i}") for i in "234")]
    sent = TODAY() - timedelta(days=20)
    instagram = [escalation_of(c, term, sent_on=sent) for c in cases[:3]]
    for days, escalation in zip([2, 9], instagram, strict=False):
        actions.record_reply(
            escalation,
            _recorder(),
            reply="done",
            replied_on=sent + timedelta(days=days),
            outcome="removed",
        )
    escalation_of(cases[3], term, platform=term("platform", "x"), reference="X-77")
    page = client_for(documenter).get("/staff/escalations/").content.decode()
    assert page.index("Instagram") < page.index("X (Twitter)")
    assert "answered: <strong>2</strong> (67%)" in page
    assert "median days to answer: <strong>5.5</strong>" in page
    assert "waiting for 20 days" in page and "answered in 9 days" in page
    assert "waiting for 10 days" in page and "X-77" in page
    assert filed_case.receipt_code in page
    assert "Record the reply" not in page  # documenters look, they do not record


def test_platform_summaries_count_answers_and_ignore_unanswered_in_the_median(
    filed_case: Case, term: Callable[[str, str], Any]
) -> None:
    cases = [verified(filed_case), _copy(filed_case, "CASE-BBBB-2222")]
    first, _second = (escalation_of(c, term) for c in cases)
    Escalation.objects.filter(pk=first.pk).update(replied_on=first.sent_on + timedelta(days=3))
    (summary,) = platform_summaries(Escalation.objects.select_related("platform"))
    assert summary.platform.key == "instagram"
    assert (summary.count, summary.answered, summary.answer_days) == (2, 1, [3])
    assert summary.share_answered == 0.5 and summary.median_days == 3
    assert platform_summaries([]) == []
