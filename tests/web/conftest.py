"""Web app fixtures: the personas (reporter, documenter, verifier, analyst, admin, outsider),
a taxonomy, a filed case, and a per-test evidence folder and data key."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

# The data key of the tests (the real one comes from the project's key file).
os.environ.setdefault("MARSAD_DATA_KEY", "11" * 32)

PASSWORD = "a long test password 42"
PASSPHRASE = "olive tree by the well"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any, request: pytest.FixtureRequest) -> None:
    """Argon2 is slow by design; tests not about hashing use a fast hasher."""
    if "real_hasher" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_between_tests() -> Any:
    """Django's locale middleware leaves the last request's language active in the thread:
    every test starts (and ends) in English so one test's Arabic page does not leak."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Pages cache what they compute (the dashboard's statistics): no test sees another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.MARSAD_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.MARSAD_EVIDENCE_DIR  # type: ignore[no-any-return]


def make_staff(username: str, persona: str | None) -> User:
    from marsad.web.cases.personas import set_persona
    from marsad.web.cases.states import Persona

    user = User.objects.create_user(username, password=PASSWORD)
    if persona is not None:
        set_persona(user, Persona(persona))
    return user


@pytest.fixture
def documenter(db: None) -> User:
    return make_staff("dina", "documenter")


@pytest.fixture
def verifier(db: None) -> User:
    return make_staff("vera", "verifier")


@pytest.fixture
def analyst(db: None) -> User:
    return make_staff("adam", "analyst")


@pytest.fixture
def admin(db: None) -> User:
    return make_staff("amal", "admin")


@pytest.fixture
def outsider(db: None) -> User:
    """Logged-in account with no persona: sees no staff page."""
    return make_staff("olaf", None)


@pytest.fixture
def client_for() -> Callable[[User | None], Client]:
    """A test client logged in as `user` (anonymous for None)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def term(db: None) -> Callable[[str, str], Any]:
    from marsad.web.cases.models import Term

    def get(kind: str, key: str) -> Term:
        return Term.objects.get(kind=kind, key=key)

    return get


@pytest.fixture
def filed_case(db: None, term: Callable[[str, str], Any]) -> Any:
    """A report filed in Arabic by the public form's action, as a reporter would."""
    from marsad.web.cases.actions import NewReport, submit_report

    report = NewReport(
        violation_type=term("violation_type", "account_suspension"),
        platform=term("platform", "instagram"),
        description="تم تعليق حسابي بعد نشر صور الهدم في القرية",
        links="https://www.instagram.com/p/Cx1example/",
        language="ar",
        wants_contact=True,
        contact_method="signal",
        contact="+970 59 000 0000",
        reporter_name="سلمى",
        consent=True,
    )
    return submit_report(report, PASSPHRASE)
