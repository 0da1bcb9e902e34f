"""Logs hold no personal data: neither the server's output (`marsad serve`, gunicorn) nor Django's
loggers at DEBUG, over a report, the status page (right and wrong passphrase), a missing page,
a staff login attempt and a server error."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marsad.project import init_project
from marsad.web.cli import ACCESS_LOG_FORMAT, gunicorn_command

from . import serving
from .test_public_report import PNG, form_data

REPORTER = serving.Reporter(
    name="Rania Logcheck",
    contact="rania.logcheck@example.org",
    passphrase="quiet river under the bridge",
    description="Threats in my messages after the march, from account logwatch_123",
)
WRONG_PASSPHRASE = "a guess at the passphrase 77"
STAFF_USERNAME, STAFF_PASSWORD = "staff-guess-user", "a staff password guess 42"
CLIENT_ADDRESS = "127.0.0.2"  # the server's own banner names 127.0.0.1, where it listens
FORWARDED = "198.51.100.23"
BROWSER = "MarsadLogProbe/3.1 (distinctive-ua-log-9d2e)"
SECRETS = (
    REPORTER.name,
    REPORTER.contact,
    REPORTER.passphrase,
    REPORTER.description,
    "logwatch_123",
    WRONG_PASSPHRASE,
    STAFF_PASSWORD,
    CLIENT_ADDRESS,
    FORWARDED,
    BROWSER,
    "distinctive-ua",
)


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def test_the_access_log_format_names_no_client() -> None:
    named = ("h", "a", "f", "q", "r")  # address, browser, referrer, query, request line
    assert not any(f"%({code})s" in ACCESS_LOG_FORMAT for code in named)
    command = gunicorn_command("127.0.0.1", 8000, 1)
    assert command[command.index("--access-logformat") + 1] == ACCESS_LOG_FORMAT
    assert "--access-logfile" not in command and "--accesslog" not in command


# --- the real server ----------------------------------------------------------------------------


def drive_the_public_flow(client: Any) -> None:
    receipt = serving.file_report(client, REPORTER, serving.PNG)
    assert receipt, "the report was filed"
    wrong = {"receipt_code": receipt, "passphrase": WRONG_PASSPHRASE}
    assert "No report matches" in serving.post_form(client, "/report/status/", wrong).text
    right = {"receipt_code": receipt, "passphrase": REPORTER.passphrase}
    assert serving.post_form(client, "/report/status/", right).status_code == 302
    assert client.get("/report/status/").status_code == 200
    assert client.get("/no/such/page/").status_code == 404
    staff = {"username": STAFF_USERNAME, "password": STAFF_PASSWORD}
    assert serving.post_form(client, "/staff/login/", staff).status_code in (200, 403, 429)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The server's whole output over the flow, and its project folder."""
    project = tmp_path_factory.mktemp("logs") / "proj"
    init_project(project)
    log_path = project.parent / "server.log"
    with log_path.open("wb") as log:
        server = serving.start(project, log, workers=1)
        try:
            headers = {"User-Agent": BROWSER, "X-Forwarded-For": FORWARDED}
            with serving.browser(server, CLIENT_ADDRESS, **headers) as client:
                drive_the_public_flow(client)
        finally:
            server.stop()
    yield log_path.read_text(errors="replace"), project


def test_the_servers_output_holds_no_personal_data(served: tuple[str, Path]) -> None:
    log, _project = served
    assert "Not Found: /no/such/page/" in log, "the output was captured"
    assert leaks(log) == []


def test_the_project_folder_holds_no_address_browser_or_cleartext(
    served: tuple[str, Path],
) -> None:
    _log, project = served
    for path in (p for p in project.rglob("*") if p.is_file()):
        content = path.read_bytes()
        found = [s for s in SECRETS if s.encode() in content]
        assert found == [], f"{path} holds {found}"


# --- Django's loggers at DEBUG, in process ------------------------------------------------------


@pytest.fixture
def everything_logged(caplog: pytest.LogCaptureFixture, settings: Any) -> Iterator[Any]:
    settings.MARSAD_POW_BITS = 0
    settings.MARSAD_PUBLIC_RATE_LIMIT = None
    with caplog.at_level(logging.DEBUG):
        for name in ("django", "django.request", "django.security", "marsad", "axes"):
            caplog.set_level(logging.DEBUG, logger=name)
        yield caplog


def logged_text(caplog: pytest.LogCaptureFixture) -> str:
    """Every record as a handler would write it: message, arguments, traceback."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


def public_flow_in_process(term: Callable[[str, str], Any]) -> None:
    client = Client(REMOTE_ADDR=CLIENT_ADDRESS, HTTP_USER_AGENT=BROWSER)
    report = form_data(
        term,
        description=REPORTER.description,
        reporter_name=REPORTER.name,
        contact=REPORTER.contact,
        passphrase=REPORTER.passphrase,
        passphrase_again=REPORTER.passphrase,
        attachments=[SimpleUploadedFile("notice.png", PNG, content_type="image/png")],
    )
    assert client.post("/report/", report).status_code == 302
    from marsad.web.cases.models import Case

    code = Case.objects.get().receipt_code
    client.post("/report/status/", {"receipt_code": code, "passphrase": WRONG_PASSPHRASE})
    client.post("/report/status/", {"receipt_code": code, "passphrase": REPORTER.passphrase})
    assert client.get("/no/such/page/").status_code == 404
    client.post("/staff/login/", {"username": STAFF_USERNAME, "password": STAFF_PASSWORD})


def test_djangos_debug_logs_of_the_public_flow_hold_no_personal_data(
    db: None, term: Callable[[str, str], Any], everything_logged: pytest.LogCaptureFixture
) -> None:
    public_flow_in_process(term)
    text = logged_text(everything_logged)
    assert "Not Found: /no/such/page/" in text
    assert leaks(text) == []


def test_a_server_error_while_filing_logs_no_personal_data(
    db: None,
    term: Callable[[str, str], Any],
    everything_logged: pytest.LogCaptureFixture,
    _evidence_dir: Path,
) -> None:
    """The evidence folder cannot be made (a file is in its place): the report fails with a
    500, logged with its traceback, and still without the reporter's data."""
    _evidence_dir.parent.mkdir(parents=True, exist_ok=True)
    _evidence_dir.write_text("not a folder")
    client = Client(
        REMOTE_ADDR=CLIENT_ADDRESS, HTTP_USER_AGENT=BROWSER, raise_request_exception=False
    )
    report = form_data(
        term,
        description=REPORTER.description,
        reporter_name=REPORTER.name,
        contact=REPORTER.contact,
        attachments=[SimpleUploadedFile("notice.png", PNG, content_type="image/png")],
    )
    assert client.post("/report/", report).status_code == 500
    text = logged_text(everything_logged)
    assert "Internal Server Error: /report/" in text and "Traceback" in text
    assert leaks(text) == []
