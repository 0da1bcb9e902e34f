"""Rate limits, backoff and giving up, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from marsad.collect.base import CollectError
from marsad.collect.http import USER_AGENT, Http, HttpError, RetryPolicy
from tests.collect.conftest import NO_JITTER, Sleeps
from tests.collect.fakeapi import Reply, Seen, serving

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
OK = Reply.json({"ok": True})


def ok(seen: Seen) -> Reply:
    return OK


def http(client: httpx.Client, sleeps: Sleeps, policy: RetryPolicy = NO_JITTER) -> Http:
    return Http(client, policy=policy, sleep=sleeps, random=lambda: 1.0, clock=lambda: NOW)


def test_requests_name_marsad_in_their_user_agent(client: httpx.Client, sleeps: Sleeps) -> None:
    with serving(ok) as api:
        assert http(client, sleeps).get_json(api.url + "/x", {"a": "1"}).data == {"ok": True}
    assert api.requests[0].headers["user-agent"] == USER_AGENT
    assert "marsad/" in USER_AGENT
    assert sleeps == []


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": format_datetime(NOW + timedelta(seconds=42), usegmt=True)}, 42.0),
        ({"X-RateLimit-Reset": (NOW + timedelta(minutes=2)).isoformat()}, 120.0),
        ({"X-RateLimit-Reset": "2025-03-01T12:05:00.000Z"}, 300.0),
        ({"ratelimit-reset": str(int((NOW + timedelta(seconds=90)).timestamp()))}, 90.0),
        ({"Retry-After": "86400"}, 900.0),  # capped at max_wait
        ({"Retry-After": "0"}, 1.0),  # at least a second
        ({}, 2.0),  # no header: the first backoff step
    ],
)
def test_a_429_waits_what_the_server_asks_then_retries(
    client: httpx.Client, sleeps: Sleeps, headers: dict[str, str], wait: float
) -> None:
    with serving(ok) as api:
        api.push(Reply.json({"error": "Too many requests"}, 429, **headers))
        assert http(client, sleeps).get_json(api.url + "/x").data == {"ok": True}
    assert sleeps == [wait]
    assert len(api.requests) == 2


def test_server_errors_back_off_exponentially_with_jitter(client: httpx.Client) -> None:
    sleeps = Sleeps()
    policy = RetryPolicy(base_delay=2.0, jitter=0.5)
    with serving(ok) as api:
        api.push(*[Reply.json({"error": "busy"}, 503)] * 3)
        fetch = Http(client, policy=policy, sleep=sleeps, random=lambda: 0.5, clock=lambda: NOW)
        assert fetch.get_json(api.url + "/x").data == {"ok": True}
    assert sleeps == [2.5, 5.0, 10.0]  # 2, 4, 8 plus a quarter of each (0.5 * jitter 0.5)


def test_a_body_cut_off_mid_way_is_fetched_again(client: httpx.Client, sleeps: Sleeps) -> None:
    body = b'[{"id": "1", "content": "' + "ح".encode() * 500 + b'"}]'
    with serving(ok) as api:
        api.push(Reply(200, body, cut=True))
        assert http(client, sleeps).get_json(api.url + "/x").data == {"ok": True}
    assert sleeps == [2.0]


def test_a_body_that_is_not_json_is_fetched_again(client: httpx.Client, sleeps: Sleeps) -> None:
    with serving(ok) as api:
        api.push(Reply(200, b"<html>maintenance</html>"))
        assert http(client, sleeps).get_json(api.url + "/x").data == {"ok": True}
    assert sleeps == [2.0]


def test_it_gives_up_after_the_last_try_with_a_clear_error(
    client: httpx.Client, sleeps: Sleeps
) -> None:
    policy = RetryPolicy(attempts=4, jitter=0.0)
    with (
        serving(lambda seen: Reply.json({"error": "down"}, 502)) as api,
        pytest.raises(CollectError, match=r"/x: gave up after 4 tries: HTTP 502"),
    ):
        http(client, sleeps, policy).get_json(api.url + "/x")
    assert len(api.requests) == 4
    assert sleeps == [2.0, 4.0, 8.0]


def test_connection_errors_are_retried_then_reported(sleeps: Sleeps) -> None:
    with serving(ok) as api:
        url = api.url
    with (
        httpx.Client(timeout=2.0) as closed_port,
        pytest.raises(CollectError, match="gave up after 3 tries: ConnectError"),
    ):
        http(closed_port, sleeps, RetryPolicy(attempts=3, jitter=0.0)).get_json(url + "/x")
    assert sleeps == [2.0, 4.0]


def test_backoff_is_capped(client: httpx.Client) -> None:
    fetch = Http(client, policy=RetryPolicy(max_delay=10.0, jitter=0.0), sleep=Sleeps())
    assert [fetch.backoff(n) for n in (1, 2, 3, 4, 5)] == [2.0, 4.0, 8.0, 10.0, 10.0]


def test_a_client_error_stops_at_once(client: httpx.Client, sleeps: Sleeps) -> None:
    with (
        serving(lambda seen: Reply.json({"error": "Record not found"}, 404)) as api,
        pytest.raises(HttpError) as caught,
    ):
        http(client, sleeps).get_json(api.url + "/x")
    assert caught.value.status == 404
    assert "Record not found" in caught.value.body
    assert len(api.requests) == 1
    assert sleeps == []


def test_endless_429s_end_in_an_error(client: httpx.Client, sleeps: Sleeps) -> None:
    policy = RetryPolicy(rate_limited_tries=3, jitter=0.0)
    with (
        serving(lambda seen: Reply.json({}, 429, **{"Retry-After": "5"})) as api,
        pytest.raises(CollectError, match="still rate limited after 4 waits"),
    ):
        http(client, sleeps, policy).get_json(api.url + "/x")
    assert sleeps == [5.0, 5.0, 5.0]


def test_a_used_up_limit_waits_for_its_reset_before_the_next_request(
    client: httpx.Client, sleeps: Sleeps
) -> None:
    reset = (NOW + timedelta(seconds=30)).isoformat()
    with serving(ok) as api:
        api.push(Reply.json({"a": 1}, **{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}))
        fetch = http(client, sleeps)
        fetch.get_json(api.url + "/x")
        assert sleeps == []
        fetch.get_json(api.url + "/x")
    assert sleeps == [30.0]
