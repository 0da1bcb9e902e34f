"""SQL injection and odd query values: queue filters, the status login and the API's query
parameters with quotes, comment markers, LIKE wildcards (`%`, `_`), backslashes and NULs are
answered 200 or refused (400, 422), never 500, and never give more rows than the caller may see.
Values of the wrong type are refused by the API with 422."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from marsad.web.api.auth import create_token
from marsad.web.cases import actions
from marsad.web.cases.actions import EscalationInput
from marsad.web.cases.models import Case
from marsad.web.cases.states import State
from marsad.web.staff.queue import receipt_letters

from ..conftest import PASSPHRASE
from .hostile import SQL

INJECTIONS = [*SQL, "\x00", "a\x00' OR 1=1 --", "%%", "__", "*", "[a-z]%"]
ClientFor = Callable[[User | None], Client]


def _bearer(user: User) -> Client:
    _, token = create_token(user.username, "tests")
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def escalated(filed_case: Case, documenter: User, verifier: User, term: Any) -> Case:
    case = actions.transition(filed_case, State.TRIAGED, documenter)
    case = actions.transition(case, State.DOCUMENTED, documenter)
    case = actions.transition(case, State.VERIFIED, verifier, reason="confirmed")
    sent = timezone.now().date() - timedelta(days=3)
    actions.record_escalation(
        case, EscalationInput(term("platform", "instagram"), "trusted_partner", sent, "X"), verifier
    )
    return case


@pytest.mark.parametrize("value", INJECTIONS)
def test_an_injected_receipt_search_finds_nothing_in_the_queue(
    filed_case: Case, documenter: User, client_for: ClientFor, value: str
) -> None:
    response = client_for(documenter).get("/staff/", {"receipt": value})
    assert response.status_code == 200
    # no letter or digit typed: no search; a NUL: the filter is refused beside its field.
    # Otherwise the letters typed are searched as a plain substring of the code, so the case
    # is listed exactly when its code holds them (a random code may hold "AZ" of "[a-z]%").
    letters = receipt_letters(value)
    if letters and "\x00" not in value:
        listed = filed_case.receipt_code in response.content.decode()
        assert listed == (letters in filed_case.receipt_code.replace("-", ""))


@pytest.mark.parametrize(
    "param", ["state", "violation_type", "platform", "assignee", "received_from", "page"]
)
@pytest.mark.parametrize("value", INJECTIONS)
def test_injected_queue_filters_are_answered_without_an_error(
    filed_case: Case, documenter: User, client_for: ClientFor, param: str, value: str
) -> None:
    assert client_for(documenter).get("/staff/", {param: value}).status_code == 200


@pytest.mark.parametrize("value", INJECTIONS)
def test_an_injected_receipt_code_opens_no_report(filed_case: Case, value: str) -> None:
    client = Client()
    for passphrase in (value, PASSPHRASE):
        response = client.post("/report/status/", {"receipt_code": value, "passphrase": passphrase})
        assert response.status_code == 200  # the login page again: nothing opened
    assert "marsad_public_case" not in client.session


@pytest.mark.parametrize("param", ["state", "received_from", "received_to", "limit", "offset"])
@pytest.mark.parametrize("value", INJECTIONS)
def test_injected_case_filters_of_the_api_are_refused(
    filed_case: Case, documenter: User, param: str, value: str
) -> None:
    response = _bearer(documenter).get("/api/cases", {param: value})
    assert response.status_code == 422


@pytest.mark.parametrize("value", INJECTIONS)
def test_an_injected_platform_lists_no_escalation(
    escalated: Case, verifier: User, value: str
) -> None:
    client = _bearer(verifier)
    assert client.get("/api/escalations").json()["count"] == 1
    response = client.get("/api/escalations", {"platform": value})
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json()["count"] == 0


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("received_to", "0"),
        ("received_from", "1700000000"),
        ("received_from", "2026-02-30"),
        ("limit", "0"),
        ("limit", "501"),
        ("limit", "1e3"),
        ("offset", "-1"),
        ("state", "verified' --"),
    ],
)
def test_api_values_of_the_wrong_type_are_refused_with_422(
    filed_case: Case, documenter: User, param: str, value: str
) -> None:
    assert _bearer(documenter).get("/api/cases", {param: value}).status_code == 422


def test_an_analyst_never_gets_more_rows_through_injected_filters(
    filed_case: Case, analyst: User
) -> None:
    actions.reporter_withdraw(filed_case)
    client = _bearer(analyst)
    for value in INJECTIONS:
        response = client.get("/api/cases", {"state": value})
        assert response.status_code == 422
    assert client.get("/api/cases", {"limit": 500}).json()["count"] == 0
