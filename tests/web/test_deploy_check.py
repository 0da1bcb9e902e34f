"""Production settings: `marsad manage check --deploy` finds nothing to warn about on a fresh
project, cookies are Secure and http is redirected to https with HSTS — except for `marsad
serve` on loopback without a TLS proxy — and sessions end after 8 hours or with the browser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from marsad.project import init_project

from .conftest import PASSWORD

SECURITY = (
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("deploy") / "observatory"
    init_project(folder)
    return folder


def production(**extra: str) -> dict[str, str]:
    """This process's environment without its MARSAD_* variables, in production mode."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    return env | {"MARSAD_ENV": "production"} | extra


def settings_of(project: Path, env: dict[str, str]) -> dict[str, object]:
    """The security settings Django reads for `project` under `env`, in a fresh process."""
    code = (
        "import json, marsad.web.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {SECURITY!r}}}))"
    )
    env = env | {"MARSAD_PROJECT": str(project)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_check_deploy_finds_no_issue_in_production(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "marsad", "manage", "--project", str(project), "check", "--deploy"],
        env=production(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stdout + done.stderr


def test_check_deploy_warns_when_cookies_may_travel_over_plain_http(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "marsad", "manage", "--project", str(project), "check", "--deploy"],
        env=production(MARSAD_INSECURE_COOKIES="true"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "security.W012" in done.stdout + done.stderr  # the check can fail


def test_production_uses_https_only(project: Path) -> None:
    assert settings_of(project, production()) == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 60 * 60,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    }


def test_serving_on_loopback_over_plain_http_drops_https_only_settings(project: Path) -> None:
    found = settings_of(project, production(MARSAD_INSECURE_COOKIES="true"))
    assert found == {
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
    }


def test_behind_a_tls_proxy_on_loopback_cookies_stay_secure(project: Path) -> None:
    env = production(MARSAD_INSECURE_COOKIES="true", MARSAD_BEHIND_PROXY="true")
    assert settings_of(project, env) == settings_of(project, production())


def test_the_session_cookie_ends_with_the_browser_and_after_eight_hours(documenter: User) -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    client = Client()
    response = client.post("/staff/login/", {"username": "dina", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"
    assert client.session.get_expiry_age() == 8 * 60 * 60
