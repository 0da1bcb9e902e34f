"""HTTP for the collectors: JSON GETs with rate-limit waits, backoff and a bounded number of
tries.

- 429: wait what `Retry-After` says (seconds or an HTTP date), else until `X-RateLimit-Reset`
  (Mastodon: an ISO time) or `ratelimit-reset` (Bluesky: Unix seconds), capped at
  `RetryPolicy.max_wait`; after a response that leaves no requests (`X-RateLimit-Remaining`
  or `ratelimit-remaining` 0) the same wait comes before the next request.
- 5xx, connection errors, timeouts and bodies cut off or not JSON: exponential backoff with
  jitter, at most `RetryPolicy.attempts` tries, then `CollectError`.
- other 4xx: `HttpError` at once (the caller may know what it means).

`sleep`, `random` and `clock` are injectable so that tests do not wait and can check the waits.
"""

from __future__ import annotations

import json
import random as random_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from marsad import __version__
from marsad.collect.base import CollectError, Sleep

USER_AGENT = f"marsad/{__version__} (digital-rights observatory; research collection)"
RESET_HEADERS = ("x-ratelimit-reset", "ratelimit-reset")
REMAINING_HEADERS = ("x-ratelimit-remaining", "ratelimit-remaining")
Clock = Callable[[], datetime]
Params = Mapping[str, str | int | list[str]]


class HttpError(CollectError):
    """A 4xx answer other than 429."""

    def __init__(self, message: str, status: int, body: str) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class _Retryable(Exception):
    """A failure worth another try (5xx, a broken body)."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 5  # tries of one request on 5xx / connection errors / broken bodies
    base_delay: float = 2.0  # the first backoff; doubled at each failure
    max_delay: float = 120.0
    jitter: float = 0.5  # up to this fraction of the delay added at random
    max_wait: float = 900.0  # the longest rate-limit wait
    rate_limited_tries: int = 20  # 429 answers in a row before giving up


@dataclass(frozen=True, slots=True)
class JsonResponse:
    data: Any
    headers: httpx.Headers


def make_client(timeout: float = 30.0) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        follow_redirects=True,
    )


class Http:
    def __init__(
        self,
        client: httpx.Client,
        *,
        policy: RetryPolicy | None = None,
        sleep: Sleep,
        random: Callable[[], float] = random_module.random,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.random = random
        self.clock = clock
        self._pause = 0.0  # to wait before the next request (rate limit used up)

    def get_json(
        self, url: str, params: Params | None = None, headers: Mapping[str, str] | None = None
    ) -> JsonResponse:
        return self.request("GET", url, params=params, headers=headers)

    def post_json(
        self, url: str, body: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> JsonResponse:
        return self.request("POST", url, body=body, headers=headers)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Params | None = None,
        body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> JsonResponse:
        failures = limited = 0
        while True:
            self._wait_pause()
            try:
                response = self.client.request(
                    method, url, params=params, json=body, headers=headers
                )
                if response.status_code == 429:
                    limited += 1
                    if limited > self.policy.rate_limited_tries:
                        raise CollectError(f"{url}: still rate limited after {limited} waits")
                    self.sleep(self.rate_limit_wait(response.headers, limited))
                    continue
                return self._json(response, url)
            except (httpx.TransportError, httpx.DecodingError, _Retryable) as error:
                failures += 1
                if failures >= self.policy.attempts:
                    raise CollectError(
                        f"{url}: gave up after {failures} tries: {_reason(error)}"
                    ) from error
                self.sleep(self.backoff(failures))

    def _json(self, response: httpx.Response, url: str) -> JsonResponse:
        status = response.status_code
        if status >= 500:
            raise _Retryable(f"HTTP {status}")
        if status >= 400:
            body = response.text[:300]
            raise HttpError(f"{url}: HTTP {status}: {body}", status, body)
        try:
            data = json.loads(response.content)
        except ValueError as error:
            raise _Retryable(f"the answer is not complete JSON ({error})") from error
        if _remaining(response.headers) == 0:
            self._pause = self.rate_limit_wait(response.headers, 1)
        return JsonResponse(data, response.headers)

    def _wait_pause(self) -> None:
        if self._pause > 0:
            pause, self._pause = self._pause, 0.0
            self.sleep(pause)

    def backoff(self, failures: int) -> float:
        delay = min(self.policy.max_delay, self.policy.base_delay * 2.0 ** (failures - 1))
        return float(delay + delay * self.policy.jitter * self.random())

    def rate_limit_wait(self, headers: httpx.Headers, tries: int) -> float:
        """Seconds to wait after a 429 (or a used-up limit), capped at the policy's max_wait."""
        now = self.clock()
        wait = _retry_after(headers.get("retry-after"), now)
        for name in RESET_HEADERS:
            if wait is None:
                wait = _reset(headers.get(name), now)
        if wait is None:
            wait = self.backoff(tries)
        return min(max(wait, 1.0), self.policy.max_wait)


def _retry_after(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return (parsedate_to_datetime(value) - now).total_seconds()
    except (TypeError, ValueError):
        return None


def _reset(value: str | None, now: datetime) -> float | None:
    """A reset header: Unix seconds (Bluesky), seconds from now (small numbers, as the IETF
    RateLimit draft has it) or an ISO time (Mastodon)."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return (moment - now).total_seconds()
    return number - now.timestamp() if number > 1e9 else number


def _remaining(headers: httpx.Headers) -> int | None:
    for name in REMAINING_HEADERS:
        value = headers.get(name)
        if value is not None and value.strip().isdigit():
            return int(value)
    return None


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return f"{type(error).__name__}: {text}" if isinstance(error, httpx.HTTPError) else text
