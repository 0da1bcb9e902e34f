"""The web commands as a user runs them, each in its own process on a real project:
`marsad createstaff`, `marsad manage`, `marsad token`, and `marsad serve` answering over HTTP."""

from __future__ import annotations

import base64
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from marsad.config import load_settings
from marsad.project import init_project
from marsad.web.cases.states import Persona
from marsad.web.cli import PERSONAS, bind_address, gunicorn_command, serving_environment

PASSWORD = "a long staff password 42"
DROPPED = ("MARSAD_DATABASE_URL", "MARSAD_ENV", "MARSAD_PROJECT", "MARSAD_INSECURE_COOKIES")


def environment() -> dict[str, str]:
    """This process's environment without what would point the child at another database."""
    return {k: v for k, v in os.environ.items() if k not in DROPPED}


def marsad(
    *args: str, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "marsad", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(),
        timeout=timeout,
        start_new_session=True,  # no terminal: a password prompt reads standard input
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web-cli") / "proj"
    init_project(folder)
    return folder


def staff_rows(project: Path) -> dict[str, tuple[str, str]]:
    """username -> (persona group, password hash), read from the project's SQLite file."""
    database = load_settings(project, environment()).database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as con:
        rows = con.execute(
            "SELECT u.username, g.name, u.password FROM auth_user u "
            "JOIN auth_user_groups ug ON ug.user_id = u.id JOIN auth_group g ON g.id = ug.group_id"
        ).fetchall()
    return {name: (group, password) for name, group, password in rows}


def test_the_command_offers_exactly_the_personas_of_the_web_app() -> None:
    assert tuple(p.value for p in Persona) == PERSONAS


@pytest.mark.parametrize("persona", PERSONAS)
def test_createstaff_makes_a_user_with_that_persona(project: Path, persona: str) -> None:
    username = f"cli-{persona}"
    done = marsad(
        "createstaff",
        "--project",
        str(project),
        "--persona",
        persona,
        "--username",
        username,
        "--password",
        PASSWORD,
    )
    assert done.returncode == 0, done.stderr
    assert f"Created {persona} '{username}'" in done.stdout
    group, password_hash = staff_rows(project)[username]
    assert group == persona
    assert password_hash.startswith("argon2")


def test_createstaff_refuses_a_weak_password_with_the_validators_message(project: Path) -> None:
    done = marsad(
        "createstaff",
        "--project",
        str(project),
        "--persona",
        "admin",
        "--username",
        "weak",
        "--password",
        "password",
    )
    assert done.returncode == 1
    assert "This password is too short. It must contain at least 10 characters." in done.stderr
    assert "This password is too common." in done.stderr
    assert "weak" not in staff_rows(project)


def test_createstaff_refuses_a_password_like_the_username(project: Path) -> None:
    done = marsad(
        "createstaff",
        "--project",
        str(project),
        "--persona",
        "analyst",
        "--username",
        "nadia.haddad.analyst",
        "--password",
        "nadia.haddad.analyst",
    )
    assert done.returncode == 1
    assert "too similar to the username" in done.stderr


def test_createstaff_asks_for_the_password_twice(project: Path) -> None:
    args = ["createstaff", "--project", str(project), "--persona", "verifier"]
    mismatch = marsad(*args, "--username", "typo", stdin=f"{PASSWORD}\nsomething else\n")
    assert mismatch.returncode != 0
    assert "typo" not in staff_rows(project)
    done = marsad(*args, "--username", "prompted", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    assert staff_rows(project)["prompted"][0] == "verifier"


def test_createstaff_refuses_an_existing_username(project: Path) -> None:
    args = ["createstaff", "--project", str(project), "--persona", "documenter"]
    assert marsad(*args, "--username", "twice", "--password", PASSWORD).returncode == 0
    again = marsad(*args, "--username", "twice", "--password", PASSWORD + "!")
    assert again.returncode == 1
    assert "a user named 'twice' exists already" in again.stderr


def authenticator_of(project: Path, username: str) -> list[tuple[str, int]]:
    """(key in hex, confirmed) of each TOTP device of the user, from the project's database."""
    database = load_settings(project, environment()).database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as con:
        return con.execute(
            "SELECT d.key, d.confirmed FROM otp_totp_totpdevice d "
            "JOIN auth_user u ON u.id = d.user_id WHERE u.username = ?",
            (username,),
        ).fetchall()


def enrolment_secret(stdout: str) -> str:
    """The secret of the otpauth:// URI createstaff printed, as hex."""
    found = re.search(r"^otpauth://totp/\S+$", stdout, re.MULTILINE)
    assert found is not None, stdout
    secret = parse_qs(urlsplit(found.group()).query)["secret"][0]
    return base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()


def test_createstaff_prints_the_enrolment_uri_of_a_confirmed_authenticator(project: Path) -> None:
    args = ["createstaff", "--project", str(project), "--persona", "verifier"]
    done = marsad(*args, "--username", "otp-user", "--password", PASSWORD)
    assert done.returncode == 0, done.stderr
    assert "It is a secret" in done.stdout and "authenticator app" in done.stdout
    assert authenticator_of(project, "otp-user") == [(enrolment_secret(done.stdout), 1)]


def test_createstaff_replace_gives_a_new_password_and_authenticator(project: Path) -> None:
    args = ["createstaff", "--project", str(project), "--persona", "analyst"]
    first = marsad(*args, "--username", "lost-phone", "--password", PASSWORD)
    again = marsad(*args, "--username", "lost-phone", "--password", PASSWORD + "!", "--replace")
    assert again.returncode == 0, again.stderr
    old, new = enrolment_secret(first.stdout), enrolment_secret(again.stdout)
    assert old != new
    assert authenticator_of(project, "lost-phone") == [(new, 1)]


def test_createstaff_outside_a_project_says_how_to_make_one(tmp_path: Path) -> None:
    done = marsad(
        "createstaff",
        "--project",
        str(tmp_path),
        "--persona",
        "admin",
        "--username",
        "x",
        "--password",
        PASSWORD,
    )
    assert done.returncode == 1
    assert "marsad init" in done.stderr


def test_serve_help_lists_its_options() -> None:
    done = marsad("serve", "--help")
    assert done.returncode == 0
    for flag in ("--host", "--port", "--workers", "--dev", "--project"):
        assert flag in done.stdout


def test_manage_runs_django_checks_on_the_project(project: Path) -> None:
    done = marsad("manage", "--project", str(project), "check")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_manage_passes_unknown_commands_to_django(project: Path) -> None:
    done = marsad("manage", "--project", str(project), "no_such_command")
    assert done.returncode == 1
    assert "Unknown command: 'no_such_command'" in done.stderr


def test_unlock_needs_a_name_or_all_and_says_how_many_records_it_removed(project: Path) -> None:
    args = ["--project", str(project)]
    neither = marsad("unlock", *args)
    assert neither.returncode == 2 and "give --username NAME or --all" in neither.stderr
    both = marsad("unlock", *args, "--username", "dina", "--all")
    assert both.returncode == 2
    done = marsad("unlock", *args, "--username", "nobody-locked")
    assert done.returncode == 0, done.stderr
    assert "Unlocked 'nobody-locked': 0 lockout record(s) removed" in done.stdout
    assert "every login name" in marsad("unlock", *args, "--all").stdout


def test_token_commands_make_list_and_revoke_a_token(project: Path) -> None:
    args = ["--project", str(project)]
    assert (
        marsad(
            "createstaff", *args, "--persona", "admin", "--username", "tok", "--password", PASSWORD
        ).returncode
        == 0
    )
    made = marsad("token", "create", *args, "--username", "tok", "--name", "laptop")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"marsad_[A-Za-z0-9_-]{43}", token)
    token_id = re.search(r"token (\d+) for tok", made.stdout)
    assert token_id
    listed = marsad("token", "list", *args).stdout
    assert f"{token_id.group(1)}\ttok\tlaptop\t" in listed and "active" in listed
    assert token not in listed
    revoked = marsad("token", "revoke", *args, token_id.group(1))
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert "revoked" in marsad("token", "list", *args).stdout.splitlines()[-1]
    unknown = marsad("token", "create", *args, "--username", "ghost")
    assert unknown.returncode == 1 and "no active user named 'ghost'" in unknown.stderr


def test_production_mode_allows_plain_http_cookies_only_on_loopback(project: Path) -> None:
    settings = load_settings(project)
    local = serving_environment(settings, "127.0.0.1", dev=False)
    assert local["MARSAD_ENV"] == "production" and local["MARSAD_INSECURE_COOKIES"] == "true"
    assert local["MARSAD_PROJECT"] == str(project)
    public = serving_environment(settings, "0.0.0.0", dev=False)
    assert public["MARSAD_ENV"] == "production" and "MARSAD_INSECURE_COOKIES" not in public
    dev = serving_environment(settings, "127.0.0.1", dev=True)
    assert "MARSAD_ENV" not in dev


def test_gunicorn_runs_the_wsgi_application_on_the_address_given() -> None:
    command = gunicorn_command("::1", 8100, 3)
    assert command[:4] == [sys.executable, "-m", "gunicorn", "marsad.web.wsgi:application"]
    assert command[command.index("--bind") + 1] == "[::1]:8100"
    assert command[command.index("--workers") + 1] == "3"
    assert bind_address("127.0.0.1", 80) == "127.0.0.1:80"


# --- a real server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(project: Path) -> Iterator[str]:
    """`marsad serve` on a free loopback port, stopped (SIGTERM) after the test."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "marsad",
            "serve",
            "--project",
            str(project),
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def wait_until_up(base: str, process: subprocess.Popen[bytes], limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"marsad serve stopped with {process.returncode}:\n{output}")
        try:
            httpx.get(base + "/api/stats", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"marsad serve did not answer on {base} within {limit} s")


def test_serve_answers_pages_static_files_and_the_api(project: Path, server: str) -> None:
    home = httpx.get(server + "/", timeout=10)
    assert home.status_code == 200
    assert home.headers["server"] == "gunicorn"
    stylesheet = re.search(r'href="(/static/marsad/site\.[0-9a-f]{12}\.css)"', home.text)
    assert stylesheet, "the page links the hashed stylesheet of the production storage"
    css = httpx.get(server + stylesheet.group(1), timeout=10)
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "immutable" in css.headers["cache-control"]
    assert httpx.get(server + "/api/openapi.json", timeout=10).json()["info"]["title"] == "marsad"
    assert httpx.get(server + "/api/cases", timeout=10).status_code == 401


def test_serve_in_production_mode_shows_no_debug_page(server: str) -> None:
    missing = httpx.get(server + "/no/such/page/", timeout=10)
    assert missing.status_code == 404
    assert "Traceback" not in missing.text and "URLconf" not in missing.text


def test_django_set_up_for_one_project_refuses_to_switch_to_another(
    db: None, project: Path
) -> None:
    from django.conf import settings as django_settings

    from marsad.web.boot import BootError, setup_django

    setup_django(load_settings(django_settings.PROJECT.project_dir))  # the same: nothing to do
    with pytest.raises(BootError, match="cannot switch to"):
        setup_django(load_settings(project))
