"""Staff sign-ins are staff actions: each password login, second-factor check, logout, failed
attempt and lockout writes one audit entry, and a name that is no account is never written."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from marsad.web.cases import audit
from marsad.web.cases.models import AuditEntry

from .conftest import PASSWORD, current_code

LOGIN, CODE_STEP = "/staff/login/", "/staff/login/code/"


def actions() -> list[tuple[str, str]]:
    return [(e.actor_label, e.action) for e in AuditEntry.objects.order_by("id")]


def test_a_full_sign_in_and_out_is_in_the_log(documenter: User) -> None:
    client = Client()
    client.post(LOGIN, {"username": "dina", "password": PASSWORD})
    client.post(CODE_STEP, {"code": current_code(documenter)})
    client.post("/staff/logout/")
    assert actions() == [
        ("dina", "staff.signed_in"),
        ("dina", "staff.second_factor_passed"),
        ("dina", "staff.signed_out"),
    ]
    assert audit.verify_chain() == []


def test_a_wrong_code_is_in_the_log(documenter: User) -> None:
    client = Client()
    client.post(LOGIN, {"username": "dina", "password": PASSWORD})
    wrong = "000000" if current_code(documenter) != "000000" else "111111"
    client.post(CODE_STEP, {"code": wrong})
    assert actions() == [("dina", "staff.signed_in"), ("dina", "staff.second_factor_failed")]


def test_a_wrong_password_names_the_account_only_when_it_exists(documenter: User) -> None:
    Client().post(LOGIN, {"username": "dina", "password": "not the password"})
    typed_by_mistake = "my secret password 99"
    Client().post(LOGIN, {"username": typed_by_mistake, "password": "x"})
    assert actions() == [
        ("dina", "staff.sign_in_failed"),
        ("unknown account", "staff.sign_in_failed"),
    ]
    assert typed_by_mistake not in str(list(AuditEntry.objects.values()))


def test_a_lockout_is_in_the_log(documenter: User) -> None:
    for _ in range(5):
        Client().post(LOGIN, {"username": "dina", "password": "not the password"})
    assert ("dina", "staff.locked_out") in actions()
