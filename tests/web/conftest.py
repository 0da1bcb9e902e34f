"""Web app fixtures: the personas (reporter, documenter, verifier, analyst, admin, outsider),
a taxonomy, a filed case, and a per-test evidence folder and data key.

Every staff persona has a confirmed TOTP device, as `marsad createstaff` makes, and a test
client logged in with `force_login` gets a session that has passed the two-factor code step
(`verified_force_login`); the two steps themselves are tested in test_two_factor.py."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

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


def verified_force_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """`Client.force_login(user)` of a persona fixture's user: the session is marked as having
    passed the code step with the user's device, as `django_otp.login` does after a right code.
    (A login through the real form authenticates a fresh user object, which has no device
    attached: it still has to pass the code step.)"""
    device = getattr(user, "otp_device", None)
    if device is not None and device.user_id == user.pk:
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id


user_logged_in.connect(verified_force_login, dispatch_uid="tests.web.verified_force_login")


@pytest.fixture(autouse=True)
def _public_form_defences_off(settings: Any) -> Any:
    """The public form's proof-of-work and rate limit are off for the tests not about them
    (tests/web/test_public_abuse.py turns them on), and start with nothing remembered."""
    from marsad.web.public import challenge, ratelimit

    settings.MARSAD_POW_BITS = 0
    settings.MARSAD_POW_NOJS_SECONDS = 0
    settings.MARSAD_PUBLIC_RATE_LIMIT = None
    challenge.forget_all()
    ratelimit.forget_all()
    yield
    challenge.forget_all()
    ratelimit.forget_all()


@pytest.fixture(autouse=True)
def _evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.MARSAD_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.MARSAD_EVIDENCE_DIR  # type: ignore[no-any-return]


def make_staff(username: str, persona: str | None) -> User:
    """A staff user with this persona (None: no role) and a confirmed TOTP device, attached as
    `user.otp_device` so that `force_login(user)` gives a verified session."""
    from marsad.web.cases.personas import set_persona
    from marsad.web.cases.states import Persona
    from marsad.web.staff.two_factor import new_device

    user = User.objects.create_user(username, password=PASSWORD)
    if persona is not None:
        set_persona(user, Persona(persona))
    user.otp_device = new_device(user, confirmed=True)  # type: ignore[attr-defined]
    return user


def current_code(user: User) -> str:
    """The code the user's authenticator app shows now (their confirmed TOTP device)."""
    from django_otp.oath import totp

    from marsad.web.staff.two_factor import confirmed_device

    device = confirmed_device(user)
    assert device is not None, f"{user} has no confirmed TOTP device"
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


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
