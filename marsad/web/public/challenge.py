"""The report form's proof-of-work: made and checked here, no third party involved.

A challenge is a random nonce, the difficulty in bits and the issue time, signed with the site's
secret key (Django's signing, salted for this use). The browser (static/marsad/pow.js) finds a
counter such that SHA-256(challenge + ":" + counter) starts with `bits` zero bits and sends it
with the form. The server checks the signature, the age (at most `MARSAD_POW_MAX_AGE`), the
work, and that the challenge was not used before (used nonces are kept in this process's
memory until they expire).

Without JavaScript nobody does the work: a challenge sent without it is accepted once it is at
least `MARSAD_POW_NOJS_SECONDS` old (the page says to wait that long). `MARSAD_POW_BITS=0`
turns the challenge off.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
import time
from dataclasses import dataclass
from enum import Enum

from django.core import signing

from marsad.web.public import tuning

SALT = "marsad.public.challenge"
COUNTER_MAX_DIGITS = 15
_LOCK = threading.Lock()
_USED: dict[str, float] = {}  # nonce -> when it may be forgotten (time.time())
_PRUNE_EVERY = 256
_consumed = 0


class Failure(Enum):
    INVALID = "invalid"  # missing, forged, expired, wrong work or already used
    EARLY = "early"  # sent without the work, sooner than the no-JavaScript wait


class Refused(Exception):
    """The challenge did not pass; `wait_s` says how long to wait for an EARLY one."""

    def __init__(self, failure: Failure, wait_s: int = 0) -> None:
        super().__init__(failure.value)
        self.failure = failure
        self.wait_s = wait_s


@dataclass(frozen=True, slots=True)
class Passed:
    nonce: str
    issued: float


def enabled() -> bool:
    return tuning.pow_bits() > 0


def issue() -> str:
    """A new signed challenge at the configured difficulty."""
    payload = {"n": secrets.token_urlsafe(16), "b": tuning.pow_bits(), "t": int(time.time())}
    return signing.dumps(payload, salt=SALT, compress=False)


def bits_of(token: str) -> int:
    """The difficulty a challenge asks for (0 for one that does not open)."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=tuning.pow_max_age())
    except (signing.BadSignature, ValueError):
        return 0
    return int(payload.get("b", 0)) if isinstance(payload, dict) else 0


def leading_zero_bits(digest: bytes) -> int:
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def works(token: str, counter: str, bits: int) -> bool:
    """Whether SHA-256(token:counter) starts with `bits` zero bits."""
    if not (counter.isascii() and counter.isdigit() and len(counter) <= COUNTER_MAX_DIGITS):
        return False
    digest = hashlib.sha256(f"{token}:{counter}".encode()).digest()
    return leading_zero_bits(digest) >= bits


def solve(token: str, bits: int | None = None) -> str:
    """The first counter that does the work (what pow.js does, in Python: tests and bench)."""
    bits = bits_of(token) if bits is None else bits
    counter = 0
    while not works(token, str(counter), bits):
        counter += 1
    return str(counter)


def _payload(token: str) -> tuple[str, int, float]:
    try:
        payload = signing.loads(token, salt=SALT, max_age=tuning.pow_max_age())
        nonce, bits, issued = str(payload["n"]), int(payload["b"]), float(payload["t"])
    except (signing.BadSignature, ValueError, KeyError, TypeError):
        raise Refused(Failure.INVALID) from None
    return nonce, bits, issued


def check(token: str, counter: str) -> Passed:
    """The challenge's nonce if `counter` does its work (or, without it, if the challenge is old
    enough); Refused otherwise. The challenge is not used up here: see `use`."""
    nonce, bits, issued = _payload(token)
    if is_used(nonce):
        raise Refused(Failure.INVALID)
    if bits <= 0 or (counter and works(token, counter, bits)):
        return Passed(nonce, issued)
    if counter:
        raise Refused(Failure.INVALID)
    wait = tuning.pow_nojs_seconds()
    if wait is None:
        raise Refused(Failure.INVALID)
    early = issued + wait - time.time()
    if early > 0:
        raise Refused(Failure.EARLY, max(1, math.ceil(early)))
    return Passed(nonce, issued)


def is_used(nonce: str) -> bool:
    with _LOCK:
        return _USED.get(nonce, 0.0) > time.time()


def use(passed: Passed) -> bool:
    """Use the challenge up: True the first time, False if it was used already (two sends of
    the same form at once)."""
    global _consumed
    now = time.time()
    with _LOCK:
        _consumed += 1
        if _consumed % _PRUNE_EVERY == 0:
            for nonce in [n for n, until in _USED.items() if until <= now]:
                del _USED[nonce]
        if _USED.get(passed.nonce, 0.0) > now:
            return False
        _USED[passed.nonce] = passed.issued + tuning.pow_max_age() + 60
    return True


def forget_all() -> None:
    """Forget the used challenges (tests)."""
    with _LOCK:
        _USED.clear()
