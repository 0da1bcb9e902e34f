"""The API at /api/: its OpenAPI schema, public statistics without a token, and the staff
endpoints behind bearer tokens (401 without a good token, 403 for a persona the pages refuse),
whose data match the database."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from marsad.web.api.auth import TokenError, create_token, hash_token, revoke_token
from marsad.web.api.models import ApiToken
from marsad.web.cases import actions
from marsad.web.cases.actions import EscalationInput
from marsad.web.cases.exports import case_pseudonym
from marsad.web.cases.models import AuditEntry, Case, Escalation
from marsad.web.cases.states import State

from .conftest import make_staff

STAFF_ENDPOINTS = ["/api/cases", "/api/cases/{id}", "/api/escalations"]
PERSONAL = ["سلمى", "+970 59 000 0000", "تم تعليق حسابي", "instagram.com/p/Cx1example"]


def verify(case: Case, documenter: User, verifier: User) -> Case:
    case = actions.transition(case, State.TRIAGED, documenter)
    case = actions.transition(case, State.DOCUMENTED, documenter)
    return actions.transition(case, State.VERIFIED, verifier, reason="two witnesses confirm it")


def escalate(case: Case, verifier: User, term: Callable[[str, str], Any]) -> Escalation:
    sent = timezone.now().date() - timedelta(days=9)
    data = EscalationInput(term("platform", "instagram"), "trusted_partner", sent, "IG-4471")
    return actions.record_escalation(case, data, verifier)


def bearer(user: User) -> Client:
    _, token = create_token(user.username, "tests")
    return Client(headers={"Authorization": f"Bearer {token}"})


def url(path: str, case: Case) -> str:
    return path.replace("{id}", str(case.id))


def test_the_schema_is_served_at_api_openapi_json(db: None) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {"/api/stats", "/api/cases", "/api/cases/{case_id}", "/api/escalations"} <= paths
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    assert "security" not in schema["paths"]["/api/stats"]["get"]
    assert schema["paths"]["/api/cases"]["get"]["security"] == [{"BearerToken": []}]


def test_public_statistics_need_no_token_and_count_only_verified_cases(
    filed_case: Case, documenter: User, verifier: User
) -> None:
    verify(filed_case, documenter, verifier)
    second = Case.objects.get(pk=filed_case.pk)
    second.pk, second.receipt_code = None, "SECO-NDCA-SE22"
    second.state, second.verified_at = State.RECEIVED, None
    second.save()
    response = Client().get("/api/stats")
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 1
    assert data["by_type"] == [
        {"key": "account_suspension", "label": "Account suspension or deletion", "count": 1}
    ]
    month = filed_case.received_at.strftime("%Y-%m")
    assert data["by_month"] == [{"key": month, "label": month, "count": 1}]


def test_public_statistics_speak_the_language_asked_for(
    filed_case: Case, documenter: User, verifier: User
) -> None:
    verify(filed_case, documenter, verifier)
    data = Client().get("/api/stats", {"lang": "ar"}).json()
    assert data["by_platform"][0]["label"] == "إنستغرام"
    assert data["by_type"][0]["label"] == "تعليق حساب أو حذفه"


def test_an_unknown_language_is_refused_with_422(db: None) -> None:
    response = Client().get("/api/stats", {"lang": "fr"})
    assert response.status_code == 422
    assert "detail" in response.json()


@pytest.mark.parametrize("path", STAFF_ENDPOINTS)
def test_staff_endpoints_refuse_a_request_without_a_token(filed_case: Case, path: str) -> None:
    assert Client().get(url(path, filed_case)).status_code == 401


@pytest.mark.parametrize("path", STAFF_ENDPOINTS)
@pytest.mark.parametrize(
    "header", ["Bearer marsad_not-a-real-token", "Bearer ", "Token abc", "Basic YTpi"]
)
def test_staff_endpoints_refuse_an_invalid_token(filed_case: Case, path: str, header: str) -> None:
    response = Client(headers={"Authorization": header}).get(url(path, filed_case))
    assert response.status_code == 401


@pytest.mark.parametrize("path", STAFF_ENDPOINTS)
def test_staff_endpoints_refuse_a_revoked_token(
    filed_case: Case, documenter: User, path: str
) -> None:
    row, token = create_token(documenter.username, "laptop")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert client.get(url(path, filed_case)).status_code == 200
    revoke_token(row.id)
    assert client.get(url(path, filed_case)).status_code == 401


def test_the_token_of_a_deactivated_user_opens_nothing(filed_case: Case, verifier: User) -> None:
    client = bearer(verifier)
    verifier.is_active = False
    verifier.save()
    assert client.get("/api/cases").status_code == 401


@pytest.mark.parametrize("path", STAFF_ENDPOINTS)
def test_a_user_without_a_persona_is_refused_everywhere(
    filed_case: Case, outsider: User, path: str
) -> None:
    assert bearer(outsider).get(url(path, filed_case)).status_code == 403


def test_analysts_are_refused_the_escalations_as_on_the_pages(
    filed_case: Case, analyst: User
) -> None:
    assert bearer(analyst).get("/api/escalations").status_code == 403


def test_analysts_get_one_case_anonymised_as_on_the_staff_case_page(
    filed_case: Case, analyst: User, documenter: User
) -> None:
    actions.add_staff_note(filed_case, "talked to سلمى", documenter)
    response = bearer(analyst).get(f"/api/cases/{filed_case.id}")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == filed_case.id and data["case"] == case_pseudonym(filed_case.id)
    assert "notes" not in data and "receipt_code" not in data and "evidence" not in data
    for secret in [*PERSONAL, filed_case.receipt_code]:
        assert secret not in response.content.decode()


def test_a_withdrawn_case_is_not_shown_to_analysts(filed_case: Case, analyst: User) -> None:
    actions.reporter_withdraw(filed_case)
    client = bearer(analyst)
    assert client.get(f"/api/cases/{filed_case.id}").status_code == 404
    assert client.get("/api/cases").json()["count"] == 0


@pytest.mark.parametrize("persona", ["documenter", "verifier", "admin"])
@pytest.mark.parametrize("path", STAFF_ENDPOINTS)
def test_case_workers_may_use_every_staff_endpoint(
    filed_case: Case, persona: str, path: str
) -> None:
    user = make_staff(f"api-{persona}", persona)
    assert bearer(user).get(url(path, filed_case)).status_code == 200


def test_case_workers_get_the_cases_with_their_personal_fields(
    filed_case: Case, documenter: User
) -> None:
    data = bearer(documenter).get("/api/cases").json()
    assert data["count"] == 1
    (item,) = data["items"]
    stored = Case.objects.get(pk=filed_case.pk)
    assert item["id"] == stored.id
    assert item["receipt_code"] == stored.receipt_code
    assert item["description"] == stored.description
    assert item["contact"] == "+970 59 000 0000"
    assert item["reporter_name"] == "سلمى"
    assert item["platform"] == "instagram"
    assert item["state"] == "received"


def test_reading_reporters_data_through_the_api_is_audited(
    filed_case: Case, documenter: User, analyst: User
) -> None:
    bearer(documenter).get("/api/cases?limit=10")
    bearer(documenter).get(f"/api/cases/{filed_case.id}")
    bearer(analyst).get("/api/cases")  # anonymised: nothing personal read, nothing to note
    listed = AuditEntry.objects.get(action="api.cases_read")
    assert (listed.actor_label, listed.details["rows"]) == ("dina", 1)
    one = AuditEntry.objects.get(action="api.case_read")
    assert (one.actor_label, one.case_ref) == ("dina", filed_case.id)
    assert not AuditEntry.objects.filter(actor_label="adam", action__startswith="api.").exists()


def test_staff_answers_are_not_kept_by_caches_but_public_ones_may_be(
    filed_case: Case, documenter: User
) -> None:
    cache_control = bearer(documenter).get("/api/cases")["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
    assert "no-store" not in Client().get("/api/stats").get("Cache-Control", "")


def test_analysts_get_anonymised_cases_named_by_pseudonym(filed_case: Case, analyst: User) -> None:
    response = bearer(analyst).get("/api/cases")
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["case"] == case_pseudonym(filed_case.id) and item["id"] == filed_case.id
    assert item["violation_type"] == "account_suspension"
    assert "receipt_code" not in item and "description" not in item
    text = response.content.decode()
    for secret in [*PERSONAL, filed_case.receipt_code]:
        assert secret not in text


def test_one_case_comes_with_its_notes_and_escalations(
    filed_case: Case, documenter: User, verifier: User, term: Callable[[str, str], Any]
) -> None:
    case = verify(filed_case, documenter, verifier)
    escalation = escalate(case, verifier, term)
    actions.add_staff_note(case, "called the reporter back", documenter)
    data = bearer(verifier).get(f"/api/cases/{case.id}").json()
    assert data["state"] == "escalated"
    assert [n["text"] for n in data["notes"]] == ["called the reporter back"]
    assert data["notes"][0]["author"] == documenter.username
    (sent,) = data["escalations"]
    assert sent["id"] == escalation.id
    assert sent["reference"] == "IG-4471"
    assert sent["sent_on"] == escalation.sent_on.isoformat()
    assert data["evidence"] == []


def test_an_unknown_case_is_404(db: None, verifier: User) -> None:
    assert bearer(verifier).get("/api/cases/999999").status_code == 404


def test_cases_are_filtered_by_state_and_paged(
    filed_case: Case, documenter: User, verifier: User
) -> None:
    verify(filed_case, documenter, verifier)
    other = Case.objects.get(pk=filed_case.pk)
    other.pk, other.receipt_code, other.state = None, "OTHE-RCAS-E222", State.RECEIVED
    other.save()
    client = bearer(documenter)
    verified = client.get("/api/cases", {"state": "verified"}).json()
    assert [i["id"] for i in verified["items"]] == [filed_case.id]
    page = client.get("/api/cases", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    tomorrow = (timezone.now().date() + timedelta(days=1)).isoformat()
    assert client.get("/api/cases", {"received_from": tomorrow}).json()["count"] == 0


@pytest.mark.parametrize(
    "query", [{"limit": 0}, {"limit": 501}, {"offset": -1}, {"state": "lost"}, {"limit": "x"}]
)
def test_bad_list_parameters_are_refused_with_422(
    db: None, documenter: User, query: dict[str, Any]
) -> None:
    assert bearer(documenter).get("/api/cases", query).status_code == 422


def test_escalations_list_shows_days_waiting_then_days_to_answer(
    filed_case: Case,
    documenter: User,
    verifier: User,
    term: Callable[[str, str], Any],
) -> None:
    case = verify(filed_case, documenter, verifier)
    escalation = escalate(case, verifier, term)
    client = bearer(documenter)
    (waiting,) = client.get("/api/escalations").json()["items"]
    assert waiting["case_id"] == case.id
    assert waiting["days_waiting"] == 9 and waiting["days_to_answer"] is None
    replied = escalation.sent_on + timedelta(days=4)
    actions.record_reply(
        escalation, verifier, reply="Restored.", replied_on=replied, outcome="restored"
    )
    (answered,) = client.get("/api/escalations", {"answered": "true"}).json()["items"]
    assert answered["days_to_answer"] == 4 and answered["days_waiting"] is None
    assert answered["outcome"] == "restored" and answered["reply"] == "Restored."
    assert client.get("/api/escalations", {"answered": "false"}).json()["count"] == 0
    assert client.get("/api/escalations", {"platform": "x"}).json()["count"] == 0


def test_only_the_hash_of_a_token_is_stored_and_its_use_is_noted(db: None, verifier: User) -> None:
    row, token = create_token(verifier.username, "report script")
    assert row.token_hash == hash_token(token) != token
    assert not ApiToken.objects.filter(token_hash=token).exists()
    assert row.last_used_at is None
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/escalations").status_code == 200
    assert ApiToken.objects.get(pk=row.pk).last_used_at is not None
    created = AuditEntry.objects.get(action="api.token_created")
    assert created.details == {"token": row.id, "user": "vera", "name": "report script"}
    assert token not in json.dumps(created.details)


def test_tokens_are_made_only_for_active_users(db: None, analyst: User) -> None:
    with pytest.raises(TokenError, match="no active user"):
        create_token("nobody", "x")
    analyst.is_active = False
    analyst.save()
    with pytest.raises(TokenError, match="no active user"):
        create_token(analyst.username, "x")
    with pytest.raises(TokenError, match="no token"):
        revoke_token(424242)


def test_revoking_is_audited_once(db: None, admin: User) -> None:
    row, _ = create_token(admin.username, "old")
    revoke_token(row.id)
    revoke_token(row.id)
    assert AuditEntry.objects.filter(action="api.token_revoked").count() == 1
    assert ApiToken.objects.get(pk=row.pk).revoked


def test_there_is_no_docs_page_fetching_scripts_from_a_cdn(db: None) -> None:
    assert Client().get("/api/docs").status_code == 404
