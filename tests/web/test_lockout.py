"""Login lockout (django-axes): five wrong passwords lock a username for 30 minutes, whatever
the address they come from, with a translated page; nothing about the connection is kept."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.utils import timezone

from marsad.web.staff.lockout import key_of, unlock

from .conftest import PASSWORD

WRONG = "certainly not the password"
ADDRESS = "203.0.113.77"
BROWSER = "MarsadLockoutProbe/1.0"


def attempt(username: str, password: str, address: str = ADDRESS) -> int:
    """One try at the login form from a fresh browser at `address`: the status answered."""
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=BROWSER)
    response = client.post("/staff/login/", {"username": username, "password": password})
    return response.status_code


def test_the_fifth_wrong_password_locks_the_login_even_for_the_right_password(
    documenter: User,
) -> None:
    assert [attempt("dina", WRONG) for _ in range(4)] == [200] * 4
    assert attempt("dina", WRONG) == 429
    client = Client()
    response = client.post("/staff/login/", {"username": "dina", "password": PASSWORD})
    assert response.status_code == 429
    assert "Login locked" in response.content.decode()
    assert client.get("/staff/")["Location"].startswith("/staff/login/")


def test_the_lock_is_by_username_not_by_address(documenter: User, verifier: User) -> None:
    for number in range(5):
        attempt("dina", WRONG, address=f"198.51.100.{number}")
    assert attempt("dina", PASSWORD, address="192.0.2.200") == 429
    assert attempt("vera", PASSWORD) == 302  # another user from the same address logs in


def test_the_lock_ends_after_half_an_hour(documenter: User) -> None:
    for _ in range(5):
        attempt("dina", WRONG)
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert attempt("dina", PASSWORD) == 302


def test_a_right_password_starts_the_count_again(documenter: User) -> None:
    for _ in range(4):
        attempt("dina", WRONG)
    assert attempt("dina", PASSWORD) == 302
    assert [attempt("dina", WRONG) for _ in range(4)] == [200] * 4


def test_unknown_usernames_are_counted_and_locked_the_same_way(db: None) -> None:
    assert [attempt("nobody", WRONG) for _ in range(5)][-1] == 429


def test_the_locked_page_is_translated(documenter: User) -> None:
    for _ in range(5):
        attempt("dina", WRONG)
    client = Client()
    client.cookies["django_language"] = "ar"
    response = client.post("/staff/login/", {"username": "dina", "password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 429
    assert 'dir="rtl"' in page and "الدخول مقفل" in page


def test_the_lockout_keeps_no_address_browser_or_password(documenter: User) -> None:
    for _ in range(3):
        attempt("dina", WRONG)
    attempt("dina", PASSWORD)
    for _ in range(2):
        attempt("dina", WRONG)
    row = AccessAttempt.objects.get()
    assert (row.username, row.ip_address, row.user_agent) == (key_of("dina"), None, "")
    assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()
    stored = axes_tables_as_text()
    for secret in (ADDRESS, BROWSER, WRONG, PASSWORD):
        assert secret not in stored


def axes_tables_as_text() -> str:
    """Every row of every table of django-axes, as text."""
    tables = [t for t in connection.introspection.table_names() if t.startswith("axes_")]
    assert tables
    with connection.cursor() as cursor:
        rows = []
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows += [repr(row) for row in cursor.fetchall()]
    return "\n".join(rows)


def test_the_lockout_backend_is_asked_first() -> None:
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


def test_a_password_typed_as_the_username_is_not_kept_readable(documenter: User) -> None:
    typed = "my secret Passw0rd! in the wrong field"
    assert attempt(typed, WRONG) == 200
    stored = axes_tables_as_text()
    assert typed not in stored and "Passw0rd" not in stored
    assert AccessAttempt.objects.get().username == key_of(typed)


def test_the_keyed_name_depends_on_the_secret_key(settings: object) -> None:
    first = key_of("dina")
    settings.SECRET_KEY = "another secret key for another project, 50 characters"  # type: ignore[attr-defined]
    assert key_of("dina") != first and key_of("dina").startswith("h-")


def test_marsad_unlock_lifts_one_lockout_or_all(documenter: User, verifier: User) -> None:
    for name in ("dina", "vera"):
        for _ in range(5):
            attempt(name, WRONG)
    assert unlock("dina") == 1
    assert attempt("dina", PASSWORD) == 302
    assert attempt("vera", PASSWORD) == 429
    assert unlock(None) == 1
    assert attempt("vera", PASSWORD) == 302
