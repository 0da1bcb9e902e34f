"""`marsad serve` as a real gunicorn subprocess on loopback, and a client that fills the public
forms as a browser does (the CSRF token and the hidden fields of the page it got)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

import httpx

from bench.web_bench import free_port

from .test_cli_web import environment

# The public form's own defences (proof-of-work, rate limit per address) are tested elsewhere;
# here many submissions come from one address as fast as they can.
UNGUARDED = {"MARSAD_POW_BITS": "0", "MARSAD_PUBLIC_RATE_LIMIT": "off"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


MARSAD_SERVE = (sys.executable, "-m", "marsad", "serve", "--project")


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str

    def kill(self) -> None:
        """SIGKILL the whole process group: the arbiter and every worker, mid-request."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def start(project: Path, log: IO[bytes], workers: int = 2, **env: str) -> Server:
    """`marsad serve` on a free loopback port, its output into `log`; returns once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [*MARSAD_SERVE, str(project), "--port", str(port), "--workers", str(workers)],
        env=environment() | UNGUARDED | env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"marsad serve stopped with {process.returncode}")
        try:
            httpx.get(server.base + "/api/stats", timeout=2)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.stop()
    raise AssertionError("marsad serve did not answer within 120 s")


class _Fields(HTMLParser):
    """A page's hidden inputs and, for each select, its first non-empty option."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.values.setdefault(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and a.get("value"):
            self.values.setdefault(self._select, a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def page_fields(html: str) -> dict[str, str]:
    parser = _Fields()
    parser.feed(html)
    return parser.values


def browser(server: Server, address: str = "127.0.0.1", **headers: str) -> httpx.Client:
    """A client connecting from `address` (any 127.x address reaches the loopback server)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=server.base, transport=transport, headers=headers, timeout=60)


def post_form(client: httpx.Client, path: str, data: dict[str, str], **kw: Any) -> httpx.Response:
    """GET the page, then POST `data` with the page's hidden fields and first choices."""
    fields = page_fields(client.get(path).text)
    return client.post(path, data=fields | data, **kw)


@dataclass(frozen=True)
class Reporter:
    name: str
    contact: str
    passphrase: str
    description: str


def report_fields(reporter: Reporter) -> dict[str, str]:
    return {
        "description": reporter.description,
        "occurred_on": "2026-03-14",
        "links": "https://www.facebook.com/story.php?id=1001",
        "wants_contact": "on",
        "contact_method": "email",
        "contact": reporter.contact,
        "reporter_name": reporter.name,
        "consent": "on",
        "passphrase": reporter.passphrase,
        "passphrase_again": reporter.passphrase,
    }


RECEIPT = re.compile(r"\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b")


def file_report(client: httpx.Client, reporter: Reporter, attachment: bytes) -> str | None:
    """Send the report with one file; the receipt code shown, or None if no receipt came."""
    files = {"attachments": ("notice.png", attachment, "image/png")}
    sent = post_form(client, "/report/", report_fields(reporter), files=files)
    if sent.status_code != 302 or not sent.headers["location"].endswith("/report/receipt/"):
        return None
    found = RECEIPT.search(client.get("/report/receipt/").text)
    return found.group(1) if found else None
