"""A sliding-window limit on the public form's POSTs per client address, kept in this
process's memory only.

Nothing about the reporter is stored: an address is turned into an HMAC under a random key
made when the process starts (and never written anywhere), and only the times of that key's
recent POSTs are kept. A key whose times have all left the window is dropped by a sweeper
thread that runs while any key is held, every quarter window (or SWEEP_TICK seconds when the
window is shorter), so nothing outlives its window by more than that, whether or not anyone
posts again. A restart forgets everything.
IPv6 addresses count by their /64 network (one subscriber's block).

Behind a proxy (`MARSAD_BEHIND_PROXY=true`) the client is the last address of
X-Forwarded-For: the one the proxy itself added (earlier entries are whatever the client
sent, so they could be forged to escape the limit).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import os
import secrets
import threading
import time
from collections import deque

from django.conf import settings
from django.http import HttpRequest

from marsad.web.public import tuning

_KEY = secrets.token_bytes(32)  # made at process start, kept in memory only
_LOCK = threading.Lock()
_HITS: dict[bytes, deque[float]] = {}
_sweeper: threading.Thread | None = None  # running while _HITS holds a key
SWEEP_TICK = 0.5  # seconds between the sweeper's looks at the clock


def behind_proxy() -> bool:
    if hasattr(settings, "MARSAD_BEHIND_PROXY"):
        return bool(settings.MARSAD_BEHIND_PROXY)
    return os.environ.get("MARSAD_BEHIND_PROXY", "") == "true"


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind a proxy the address the proxy added."""
    if behind_proxy():
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return str(entries[-1])
    return str(request.META.get("REMOTE_ADDR", ""))


def _network(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed.ipv4_mapped or parsed) if parsed.version == 6 else str(parsed)


def client_key(request: HttpRequest) -> bytes:
    """The HMAC of the client's network under the process's secret key."""
    return hmac.new(_KEY, _network(client_address(request)).encode(), hashlib.sha256).digest()


def _prune(now: float, window: float) -> None:
    for key in [k for k, times in _HITS.items() if not times or times[-1] <= now - window]:
        del _HITS[key]


def _sweep() -> None:
    """Every quarter window, drop the keys whose times all left it; stop once none is held."""
    global _sweeper
    last = time.monotonic()
    while True:
        time.sleep(SWEEP_TICK)
        window, now = tuning.rate_window(), time.monotonic()
        if now - last < window / 4:
            continue
        last = now
        with _LOCK:
            _prune(now, window)
            if not _HITS:
                _sweeper = None
                return


def _ensure_sweeper() -> None:
    """Start the sweeper if none is running (call with _LOCK held)."""
    global _sweeper
    if _sweeper is None:
        _sweeper = threading.Thread(target=_sweep, name="marsad-rate-limit-sweeper", daemon=True)
        _sweeper.start()


def hit(request: HttpRequest) -> int | None:
    """Count one POST from the request's client: None if it is allowed, else the seconds to
    wait before the oldest POST in the window leaves it (the POST over the limit is not
    counted)."""
    limit, window = tuning.rate_limit(), tuning.rate_window()
    if limit is None:
        return None
    key, now = client_key(request), time.monotonic()
    with _LOCK:
        _ensure_sweeper()
        times = _HITS.setdefault(key, deque())
        while times and times[0] <= now - window:
            times.popleft()
        if len(times) >= limit:
            return max(1, math.ceil(times[0] + window - now))
        times.append(now)
    return None


def forget_all() -> None:
    """Forget every count (tests)."""
    with _LOCK:
        _HITS.clear()


def tracked() -> int:
    """How many client keys are held now."""
    with _LOCK:
        return len(_HITS)
