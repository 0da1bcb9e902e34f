"""Capture a web page into a WARC file kept as evidence.

The page is fetched with httpx (only http and https; redirects followed one hop at a time, at
most `MAX_REDIRECTS`), within `MARSAD_CAPTURE_TIMEOUT` seconds in all and
`MARSAD_MAX_UPLOAD_BYTES` of response bodies. Every request and response goes into a gzip'd
WARC (warcio): target URI, WARC-Date, the address connected to, payload and block digests. The
body is kept as sent (compressed if the server compressed it); HTTP/1.1 chunking is undone, so
the `Transfer-Encoding` header is left out.

Only public addresses are fetched: a name that resolves to a loopback, private, link-local or
otherwise non-public address is refused when the connection is made (so a redirect or a DNS
answer cannot lead marsad into the organisation's own network), unless the Django setting
`MARSAD_CAPTURE_ALLOW_PRIVATE` is true (the tests do this to reach their local server).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import httpcore
import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.web.cases.models import Case
from marsad.web.evidence import actions, storage
from marsad.web.evidence.errors import CaptureError
from marsad.web.evidence.models import Evidence, EvidenceKind
from marsad.web.evidence.sniff import sniff

MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 20.0
URL_MAX = 2000
USER_AGENT = "Mozilla/5.0 (compatible; marsad evidence capture)"
DROPPED_HEADERS = {"transfer-encoding"}


class AddressRefused(Exception):
    """The host resolves to an address that captures may not reach (not an httpcore error, so
    httpx passes it through unchanged)."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class GuardedBackend(httpcore.SyncBackend):
    """Connects only to vetted addresses, and remembers which one each host got."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self.addresses: dict[str, str] = {}

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        last: httpcore.ConnectError | None = None
        for address in self._vetted(host, port):
            try:
                stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as error:
                last = error
                continue
            self.addresses[host] = address
            return stream
        raise last or httpcore.ConnectError(f"{host} has no address")

    def _vetted(self, host: str, port: int) -> list[str]:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise httpcore.ConnectError(f"{host} could not be resolved: {error.strerror}") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        refused = [a for a in addresses if not is_public(a)]
        if refused and not self.allow_private:
            raise AddressRefused(
                _("%(host)s resolves to %(address)s, which is not a public address")
                % {"host": host, "address": refused[0]}
            )
        return addresses


class GuardedTransport(httpx.HTTPTransport):
    def __init__(self, backend: GuardedBackend) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=backend,
        )


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and its response, as sent and received."""

    url: str
    request_line: str
    request_headers: list[tuple[str, str]]
    http_version: str
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    body: bytes
    address: str | None

    @property
    def location(self) -> str | None:
        if not 300 <= self.status < 400:
            return None
        return next((v for k, v in self.response_headers if k.lower() == "location"), None)


@dataclass(slots=True)
class Budget:
    """What is left of the capture's time and bytes."""

    deadline: float
    timeout: float
    bytes_left: int

    def take(self, url: str, count: int) -> None:
        self.bytes_left -= count
        if self.bytes_left < 0:
            limit = storage.too_large_message(int(settings.MARSAD_MAX_UPLOAD_BYTES))
            raise CaptureError(url, _("the response was refused: %(why)s") % {"why": limit})
        if time.monotonic() > self.deadline:
            raise CaptureError(url, _("timed out after %(s)s seconds") % {"s": self.timeout})


def capture_timeout() -> float:
    return float(getattr(settings, "MARSAD_CAPTURE_TIMEOUT", DEFAULT_TIMEOUT))


def allow_private() -> bool:
    return bool(getattr(settings, "MARSAD_CAPTURE_ALLOW_PRIVATE", False))


def checked_url(url: str) -> httpx.URL:
    """The URL to capture, or CaptureError if it is not a plain http(s) address."""
    url = url.strip()
    if len(url) > URL_MAX:
        raise CaptureError(url[:80] + "…", _("the address is too long"))
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as error:
        raise CaptureError(url, _("not a valid address (%(e)s)") % {"e": error}) from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise CaptureError(url, _("only http and https addresses can be captured"))
    return parsed


@contextmanager
def _network_errors(url: str, budget: Budget) -> Iterator[None]:
    try:
        yield
    except AddressRefused as error:
        raise CaptureError(url, str(error)) from None
    except httpx.TimeoutException:
        reason = _("timed out after %(s)s seconds") % {"s": budget.timeout}
        raise CaptureError(url, reason) from None
    except httpx.ConnectError as error:
        reason = _("could not connect: %(e)s") % {"e": str(error) or _("refused")}
        raise CaptureError(url, reason) from None
    except httpx.HTTPError as error:
        reason = str(error) or type(error).__name__
        raise CaptureError(url, _("the request failed: %(e)s") % {"e": reason}) from None


def _headers(pairs: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in pairs]


def _read_body(response: httpx.Response, url: str, budget: Budget) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > budget.bytes_left:
        budget.take(url, int(declared))  # refused before reading the body
    parts: list[bytes] = []
    for chunk in response.iter_raw(storage.CHUNK):
        budget.take(url, len(chunk))
        parts.append(chunk)
    return b"".join(parts)


def _exchange(
    client: httpx.Client, backend: GuardedBackend, url: httpx.URL, budget: Budget
) -> Exchange:
    request = client.build_request("GET", url)
    with _network_errors(str(url), budget):
        response = client.send(request, stream=True)
        try:
            body = _read_body(response, str(url), budget)
        finally:
            response.close()
    return Exchange(
        url=str(url),
        request_line=f"GET {url.raw_path.decode('ascii')} HTTP/1.1",
        request_headers=_headers(request.headers.raw),
        http_version=response.http_version,
        status=response.status_code,
        reason=response.reason_phrase,
        response_headers=_headers(response.headers.raw),
        body=body,
        address=backend.addresses.get(url.host),
    )


def fetch(url: httpx.URL) -> list[Exchange]:
    """GET `url`, following redirects one hop at a time; every hop is kept."""
    timeout = capture_timeout()
    budget = Budget(time.monotonic() + timeout, timeout, int(settings.MARSAD_MAX_UPLOAD_BYTES))
    backend = GuardedBackend(allow_private())
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    exchanges: list[Exchange] = []
    with httpx.Client(
        transport=GuardedTransport(backend), timeout=timeout, headers=headers, trust_env=False
    ) as client:
        while True:
            exchanges.append(_exchange(client, backend, url, budget))
            location = exchanges[-1].location
            if location is None:
                return exchanges
            if len(exchanges) > MAX_REDIRECTS:
                raise CaptureError(str(url), _("too many redirects"))
            url = checked_url(str(url.join(location)))


def _record_pair(writer: WARCWriter, exchange: Exchange) -> None:
    kept = [(k, v) for k, v in exchange.response_headers if k.lower() not in DROPPED_HEADERS]
    status = StatusAndHeaders(
        f"{exchange.status} {exchange.reason}".strip(), kept, protocol=exchange.http_version
    )
    extra = {"WARC-IP-Address": exchange.address} if exchange.address else {}
    response = writer.create_warc_record(
        exchange.url,
        "response",
        payload=BytesIO(exchange.body),
        length=len(exchange.body),
        http_headers=status,
        warc_headers_dict=extra,
    )
    request_head = StatusAndHeaders(
        exchange.request_line, exchange.request_headers, is_http_request=True
    )
    request = writer.create_warc_record(
        exchange.url, "request", payload=BytesIO(b""), length=0, http_headers=request_head
    )
    writer.write_request_response_pair(request, response)


def write_warc(exchanges: list[Exchange]) -> bytes:
    """A gzip'd WARC: a warcinfo record, then each request and its response."""
    out = BytesIO()
    writer = WARCWriter(out, gzip=True)
    info = {"software": "marsad", "format": "WARC File Format 1.0"}
    writer.write_record(writer.create_warcinfo_record("capture.warc.gz", info))
    for exchange in exchanges:
        _record_pair(writer, exchange)
    return out.getvalue()


def capture_url(case: Case, url: str, actor: Any, description: str = "") -> Evidence:
    """Fetch `url` into a WARC and keep it as evidence of `case` (kind URL_CAPTURE); audits
    `evidence.captured` with the statuses of each hop. Raises CaptureError on network errors,
    refused addresses, timeouts and oversized responses."""
    actions.require_evidence_worker(actor)
    description = actions.clean_description(description)
    target = checked_url(url)
    captured_at = timezone.now()
    exchanges = fetch(target)
    warc = write_warc(exchanges)
    arrival = actions.Arrival(
        data=warc,
        media_type=sniff(warc),
        kind=EvidenceKind.URL_CAPTURE,
        description=description,
        source_url=str(target),
        captured_at=captured_at,
        http_status=exchanges[-1].status,
    )
    statuses = [e.status for e in exchanges]
    return actions.store_arrival(case, arrival, actor, "evidence.captured", statuses=statuses)
