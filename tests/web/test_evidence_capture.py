"""URL capture: a page fetched from a real HTTP server on 127.0.0.1 into a WARC kept as
evidence; errors named with the URL and the reason; non-public addresses refused."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from marsad.web.cases.actions import ActionRefused
from marsad.web.cases.models import AuditEntry, Case
from marsad.web.evidence import actions
from marsad.web.evidence.capture import capture_url, is_public
from marsad.web.evidence.errors import CaptureError
from marsad.web.evidence.models import Evidence


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


PAGE = "<html><body><p>حساب محذوف — account removed</p></body></html>".encode()
BIG = 300 * 1024


class Site(BaseHTTPRequestHandler):
    """A small site: a page, errors, redirects, a slow page and large ones."""

    protocol_version = "HTTP/1.1"
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Site.hits.append(self.path)
        route = {
            "/page": lambda: self._send(200, PAGE, ("X-Evidence-Test", "yes")),
            "/gzipped": lambda: self._send(200, gzip.compress(PAGE), ("Content-Encoding", "gzip")),
            "/gone": lambda: self._send(404, b"no such post"),
            "/broken": lambda: self._send(500, b"server error"),
            "/old": lambda: self._send(302, b"", ("Location", "/page")),
            "/loop": lambda: self._send(302, b"", ("Location", "/loop")),
            "/slow": self._slow,
            "/big": lambda: self._send(200, b"x" * BIG),
            "/big-unannounced": self._big_unannounced,
        }.get(self.path, lambda: self._send(404, b"unknown"))
        route()

    def _send(self, status: int, body: bytes, *headers: tuple[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _slow(self) -> None:
        time.sleep(2)
        self._send(200, b"late")

    def _big_unannounced(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        for _ in range(BIG // 4096 + 1):
            self.wfile.write(b"y" * 4096)
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site(settings: Any) -> Iterator[str]:
    """The local site's base URL; captures may reach it (MARSAD_CAPTURE_ALLOW_PRIVATE)."""
    settings.MARSAD_CAPTURE_ALLOW_PRIVATE = True
    settings.MARSAD_CAPTURE_TIMEOUT = 5
    Site.hits.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def warc_records(item: Evidence, user: User) -> list[ArcWarcRecord]:
    data = actions.read_evidence(item, user)
    records = []
    for record in ArchiveIterator(io.BytesIO(data)):
        record.body = record.content_stream().read()  # type: ignore[attr-defined]
        records.append(record)
    return records


def responses(records: list[ArcWarcRecord]) -> list[ArcWarcRecord]:
    return [r for r in records if r.rec_type == "response"]


def sha1_digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


def test_a_page_is_captured_into_a_warc(
    site: str, filed_case: Case, documenter: User, _evidence_dir: Path
) -> None:
    url = f"{site}/page"
    item = capture_url(filed_case, url, documenter, description="the removed post")
    assert (item.kind, item.media_type) == ("url_capture", "application/warc")
    assert item.http_status == 200
    assert item.source_url == url and item.captured_at is not None
    records = warc_records(item, documenter)
    assert records[0].rec_type == "warcinfo"
    [response] = responses(records)
    assert response.rec_headers.get_header("WARC-Target-URI") == url
    assert response.rec_headers.get_header("WARC-Date").startswith(f"{item.captured_at:%Y-%m-%d}")
    assert response.rec_headers.get_header("WARC-Payload-Digest") == sha1_digest(PAGE)
    assert response.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
    assert response.http_headers.get_statuscode() == "200"
    assert response.http_headers.get_header("X-Evidence-Test") == "yes"
    assert response.body == PAGE  # type: ignore[attr-defined]
    [request] = [r for r in records if r.rec_type == "request"]
    assert request.http_headers.protocol == "GET"
    assert request.rec_headers.get_header("WARC-Concurrent-To") == response.rec_headers.get_header(
        "WARC-Record-ID"
    )


def test_the_capture_is_hashed_and_audited_without_its_address(
    site: str, filed_case: Case, documenter: User
) -> None:
    item = capture_url(filed_case, f"{site}/page", documenter)
    warc = actions.read_evidence(item, documenter)
    assert item.sha256 == hashlib.sha256(warc).hexdigest() and item.size == len(warc)
    entry = AuditEntry.objects.get(action="evidence.captured")
    assert entry.evidence_ref == item.pk and entry.actor_label == "dina"
    assert entry.details["statuses"] == [200] and entry.details["sha256"] == item.sha256
    assert site not in str(entry.details)


def test_a_compressed_page_is_kept_as_sent(site: str, filed_case: Case, verifier: User) -> None:
    item = capture_url(filed_case, f"{site}/gzipped", verifier)
    [response] = responses(warc_records(item, verifier))
    assert response.http_headers.get_header("Content-Encoding") == "gzip"
    assert response.body == PAGE  # type: ignore[attr-defined]


@pytest.mark.parametrize(("path", "status"), [("/gone", 404), ("/broken", 500)])
def test_an_error_page_is_still_captured_with_its_status(
    site: str, filed_case: Case, documenter: User, path: str, status: int
) -> None:
    item = capture_url(filed_case, site + path, documenter)
    assert item.http_status == status
    [response] = responses(warc_records(item, documenter))
    assert response.http_headers.get_statuscode() == str(status)


def test_a_redirect_is_followed_and_both_hops_recorded(
    site: str, filed_case: Case, documenter: User
) -> None:
    item = capture_url(filed_case, f"{site}/old", documenter)
    hops = responses(warc_records(item, documenter))
    assert [r.http_headers.get_statuscode() for r in hops] == ["302", "200"]
    assert [r.rec_headers.get_header("WARC-Target-URI") for r in hops] == [
        f"{site}/old",
        f"{site}/page",
    ]
    assert hops[1].body == PAGE  # type: ignore[attr-defined]
    assert item.http_status == 200 and item.source_url == f"{site}/old"
    assert AuditEntry.objects.get(action="evidence.captured").details["statuses"] == [302, 200]


def test_a_redirect_loop_is_an_error(site: str, filed_case: Case, documenter: User) -> None:
    with pytest.raises(CaptureError, match="too many redirects"):
        capture_url(filed_case, f"{site}/loop", documenter)


def test_a_timeout_is_an_error_naming_the_url(
    site: str, filed_case: Case, documenter: User, settings: Any, _evidence_dir: Path
) -> None:
    settings.MARSAD_CAPTURE_TIMEOUT = 0.5
    with pytest.raises(CaptureError, match=rf"{site}/slow: timed out after 0.5 seconds"):
        capture_url(filed_case, f"{site}/slow", documenter)
    assert not Evidence.objects.exists() and not _evidence_dir.exists()


def test_a_refused_connection_is_an_error_naming_the_url(
    filed_case: Case, documenter: User, settings: Any
) -> None:
    settings.MARSAD_CAPTURE_ALLOW_PRIVATE = True
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/post"
    with pytest.raises(CaptureError, match=rf"{url}: could not connect"):
        capture_url(filed_case, url, documenter)


@pytest.mark.parametrize("path", ["/big", "/big-unannounced"])
def test_an_oversized_response_is_refused(
    site: str, filed_case: Case, documenter: User, settings: Any, path: str
) -> None:
    settings.MARSAD_MAX_UPLOAD_BYTES = 100 * 1024
    with pytest.raises(CaptureError, match=rf"{site}{path}: .*larger than the limit"):
        capture_url(filed_case, site + path, documenter)
    assert not Evidence.objects.exists()


def test_local_addresses_are_refused_unless_allowed(
    site: str, filed_case: Case, documenter: User, settings: Any
) -> None:
    settings.MARSAD_CAPTURE_ALLOW_PRIVATE = False
    for url in (f"{site}/page", site.replace("127.0.0.1", "localhost") + "/page"):
        with pytest.raises(CaptureError, match=rf"^{url}: \S+ resolves to .* not a public"):
            capture_url(filed_case, url, documenter)
    assert Site.hits == []


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/post", "javascript:alert(1)", "http://"]
)
def test_only_http_and_https_addresses_are_captured(
    filed_case: Case, documenter: User, url: str
) -> None:
    with pytest.raises(CaptureError):
        capture_url(filed_case, url, documenter)


def test_analysts_may_not_capture(site: str, filed_case: Case, analyst: User) -> None:
    with pytest.raises(ActionRefused):
        capture_url(filed_case, f"{site}/page", analyst)
    assert Site.hits == []


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fc00::1", False),
        ("fe80::1%1", False),
        ("::ffff:127.0.0.1", False),
        ("93.184.215.14", True),
        ("2606:4700::6810:85e5", True),
    ],
)
def test_public_addresses_are_told_from_local_ones(address: str, public: bool) -> None:
    assert is_public(address) is public


def test_the_capture_form_keeps_the_page(
    site: str, filed_case: Case, verifier: User, client_for: Callable[[User | None], Client]
) -> None:
    response = client_for(verifier).post(
        reverse("staff:evidence_capture", args=[filed_case.pk]),
        {"url": f"{site}/gone", "description": "the post is gone"},
        follow=True,
    )
    assert response.status_code == 200
    item = Evidence.objects.get()
    assert (item.http_status, item.description) == (404, "the post is gone")
    assert f"#{item.pk}" in response.content.decode()


def test_the_capture_form_explains_a_failure(
    site: str,
    filed_case: Case,
    documenter: User,
    client_for: Callable[[User | None], Client],
    settings: Any,
) -> None:
    settings.MARSAD_CAPTURE_ALLOW_PRIVATE = False
    response = client_for(documenter).post(
        reverse("staff:evidence_capture", args=[filed_case.pk]), {"url": f"{site}/page"}
    )
    assert response.status_code == 400
    assert f"{site}/page" in response.content.decode() and not Evidence.objects.exists()
