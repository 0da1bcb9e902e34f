"""Browser tests: the real web app, as `marsad serve` runs it (gunicorn, production settings),
driven by Debian's chromium through Playwright.

One server runs for the whole test session, on a free loopback port, over a fresh project made
with `marsad init` and one staff login per persona made with `marsad createstaff`. It starts
without the test process's MARSAD_* variables, so it uses that project's own SQLite database,
data key and secret key (also when the other web tests run on PostgreSQL). On loopback,
`marsad serve` lets the session and CSRF cookies travel over plain http.
"""

from __future__ import annotations

import base64
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
STAFF_PASSWORD = "a long browser-test password 7"
STAFF = {"documenter": "dina", "verifier": "vera", "analyst": "adam", "admin": "amal"}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000
BROWSER_POW_BITS = 12  # the live server's proof-of-work (tests/web/browser/test_report_form.py)
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "web"

NewPage = Callable[..., Page]


@dataclass(frozen=True)
class LiveSite:
    url: str
    project: Path
    usernames: dict[str, str]  # persona -> username
    keys: dict[str, bytes]  # persona -> the TOTP key `marsad createstaff` printed as a URI

    def login(self, persona: str) -> tuple[str, str, bytes]:
        """The username, password and authenticator key of the persona's staff login."""
        return self.usernames[persona], STAFF_PASSWORD, self.keys[persona]


def enrolment_key(log: Path) -> bytes:
    """The TOTP key of the otpauth:// URI that `marsad createstaff` printed."""
    found = re.search(r"^otpauth://totp/\S+$", log.read_text(), re.MULTILINE)
    assert found is not None, f"no enrolment URI in {log}"
    secret = parse_qs(urlsplit(found.group()).query)["secret"][0]
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def child_environment() -> dict[str, str]:
    """This process's environment without the variables that would point the server at another
    project, database or key; the public form's defences eased for the many reports the tests
    file from one address: no rate limit, a small proof-of-work, no wait without JavaScript."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    return kept | {
        "MARSAD_PUBLIC_RATE_LIMIT": "off",
        "MARSAD_POW_BITS": str(BROWSER_POW_BITS),
        "MARSAD_POW_NOJS_SECONDS": "0",
    }


def start_marsad(*args: str, output: Path) -> subprocess.Popen[bytes]:
    with output.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "marsad", *args],
            env=child_environment(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def finish(process: subprocess.Popen[bytes], output: Path) -> None:
    if process.wait(timeout=120) != 0:
        log = output.read_text()
        raise AssertionError(f"marsad {output.stem} failed ({process.returncode}):\n{log}")


def marsad(*args: str, output: Path) -> None:
    finish(start_marsad(*args, output=output), output)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answering(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"marsad serve stopped ({server.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(url + "/report/", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"marsad serve did not answer on {url} within 90 s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: `make system-packages` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def live_site(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """`marsad serve` on a fresh project with a staff login per persona, stopped at the end.

    The first `createstaff` makes the database's tables; the other logins are made while the
    server starts."""
    folder = tmp_path_factory.mktemp("browser")
    project = folder / "observatory"
    marsad("init", str(project), output=folder / "init.log")
    first, *rest = STAFF
    finish(*create_staff(project, first, folder))
    others = [create_staff(project, persona, folder) for persona in rest]
    port = free_port()
    server = start_marsad(*serve_args(project, port), output=folder / "serve.log")
    url = f"http://127.0.0.1:{port}"
    try:
        for process, output in others:
            finish(process, output)
        wait_until_answering(url, server, folder / "serve.log")
        keys = {p: enrolment_key(folder / f"createstaff-{p}.log") for p in STAFF}
        yield LiveSite(url, project, dict(STAFF), keys)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def create_staff(project: Path, persona: str, folder: Path) -> tuple[subprocess.Popen[bytes], Path]:
    output = folder / f"createstaff-{persona}.log"
    args = ["createstaff", "--project", str(project), "--persona", persona]
    args += ["--username", STAFF[persona], "--password", STAFF_PASSWORD]
    return start_marsad(*args, output=output), output


def serve_args(project: Path, port: int) -> list[str]:
    where = ["--host", "127.0.0.1", "--port", str(port)]
    return ["serve", "--project", str(project), *where, "--workers", "2"]


@pytest.fixture
def new_page(
    browser: Browser, live_site: LiveSite, request: pytest.FixtureRequest
) -> Iterator[NewPage]:
    """`new_page(lang, viewport=..., javascript=True)`: a page in a browser context of its own
    (its own cookies: one visitor), whose browser asks for `lang` (navigator.language and
    Accept-Language); closed after the test. When the test fails, each page's screenshot is
    kept in test-artifacts/web/failed/."""
    contexts: list[BrowserContext] = []

    def make(
        lang: str = "en", *, viewport: ViewportSize | None = None, javascript: bool = True
    ) -> Page:
        context = browser.new_context(
            base_url=live_site.url,
            locale=lang,
            extra_http_headers={"Accept-Language": lang},
            viewport=viewport or DESKTOP,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    if getattr(request.node, "failed_call", False):
        keep_pages(contexts, request.node.name)
    for context in contexts:
        context.close()


def keep_pages(contexts: list[BrowserContext], test: str) -> None:
    folder = ARTIFACTS / "failed"
    folder.mkdir(parents=True, exist_ok=True)
    pages = [page for context in contexts for page in context.pages]
    for number, page in enumerate(pages, start=1):
        page.screenshot(path=folder / f"{test}-{number}.png", full_page=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Marks a test whose body failed, for `new_page` to keep its pages."""
    report = yield
    if report.when == "call" and report.failed:
        item.failed_call = True  # type: ignore[attr-defined]
    return report
