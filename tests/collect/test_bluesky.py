"""Bluesky search and author feeds: paging, the period, login and refusals."""

from __future__ import annotations

from dataclasses import replace

import httpx
import orjson
import pytest

from marsad.collect.config import Collection
from marsad.collect.runner import Collector
from marsad.config import Settings
from tests.collect.conftest import NO_JITTER, Sleeps
from tests.collect.fakeapi import Bluesky, FakeApi, Reply, Seen, post, serving
from tests.collect.helpers import hours, saved, state

LOGIN = {
    "MARSAD_BLUESKY_HANDLE": "observer.bsky.social",
    "MARSAD_BLUESKY_APP_PASSWORD": "abcd-efgh-ijkl-mnop",
}


def run(
    project: Settings,
    client: httpx.Client,
    sleeps: Sleeps,
    c: Collection,
    environ: dict[str, str] | None = None,
) -> object:
    collector = Collector(
        project, environ=environ or {}, sleep=sleeps, http_client=client, policy=NO_JITTER
    )
    return collector.run(c)


def collection(api: FakeApi, **changes: object) -> Collection:
    base = Collection(
        name="bsky",
        source="bluesky",
        instance=api.url,
        keywords=("shutdown",),
        since=hours(10),
        until=hours(260),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def numbers(posts: list[dict]) -> list[int]:
    return [int(p["uri"].rsplit("/3k", 1)[1]) for p in posts]


@pytest.fixture()
def bluesky() -> Bluesky:
    return Bluesky([post(n) for n in range(300)])


def test_a_search_is_paged_by_cursor_and_each_response_saved_whole(
    project: Settings, client: httpx.Client, sleeps: Sleeps, bluesky: Bluesky
) -> None:
    with serving(bluesky) as api:
        report = run(project, client, sleeps, collection(api))
    responses = saved(project, "bsky")
    assert [set(r) for r in responses] == [{"posts", "cursor"}, {"posts", "cursor"}, {"posts"}]
    assert numbers([p for r in responses for p in r["posts"]]) == list(range(259, 9, -1))
    first = api.requests[0]
    assert first.path == "/xrpc/app.bsky.feed.searchPosts"
    assert (first.arg("q"), first.arg("sort"), first.arg("limit")) == ("shutdown", "latest", "100")
    assert (first.arg("since"), first.arg("until")) == (
        "2025-01-01T10:00:00Z",
        "2025-01-11T20:00:00Z",
    )
    assert [r.arg("cursor") for r in api.requests] == [None, "100", "200"]
    assert report.records_saved == 3  # type: ignore[attr-defined]
    assert (report.error, report.new) == (None, 250)  # type: ignore[attr-defined]


def test_hashtags_are_searched_as_tags(
    project: Settings, client: httpx.Client, sleeps: Sleeps
) -> None:
    bluesky = Bluesky([post(n, text=f"#غزة news {n}") for n in range(20, 25)])
    with serving(bluesky) as api:
        run(project, client, sleeps, collection(api, keywords=(), hashtags=("غزة",)))
    assert api.requests[0].arg("q") == "#غزة"
    assert numbers(saved(project, "bsky")[0]["posts"]) == [24, 23, 22, 21, 20]


def test_an_author_feed_stops_at_the_first_page_older_than_since(
    project: Settings, client: httpx.Client, sleeps: Sleeps, bluesky: Bluesky
) -> None:
    with serving(bluesky) as api:
        run(
            project,
            client,
            sleeps,
            collection(api, keywords=(), accounts=("alice.bsky.social",), since=hours(150)),
        )
    assert [r.arg("actor") for r in api.requests] == ["alice.bsky.social"] * 2
    responses = saved(project, "bsky")
    assert [set(r) for r in responses] == [{"feed", "cursor"}, {"feed", "cursor"}]
    feed = [item["post"] for r in responses for item in r["feed"]]
    assert numbers(feed) == list(range(299, 99, -1))  # whole pages, as returned


def test_author_feed_pages_wholly_newer_than_until_are_not_saved(
    project: Settings, client: httpx.Client, sleeps: Sleeps, bluesky: Bluesky
) -> None:
    with serving(bluesky) as api:
        run(
            project,
            client,
            sleeps,
            collection(
                api, keywords=(), accounts=("alice.bsky.social",), since=hours(0), until=hours(150)
            ),
        )
    assert len(api.requests) == 3
    feed = [item["post"] for r in saved(project, "bsky") for item in r["feed"]]
    assert numbers(feed) == list(range(199, -1, -1))


def test_an_unauthenticated_search_refused_says_how_to_log_in(
    project: Settings, client: httpx.Client, sleeps: Sleeps
) -> None:
    forbidden = Reply.json({"error": "Forbidden", "message": "Request forbidden"}, 403)
    with serving(lambda seen: forbidden) as api:
        report = run(project, client, sleeps, collection(api))
    assert "MARSAD_BLUESKY_HANDLE" in report.error  # type: ignore[attr-defined]
    assert "MARSAD_BLUESKY_APP_PASSWORD" in report.error  # type: ignore[attr-defined]


def test_with_credentials_it_logs_in_and_sends_the_token(
    project: Settings, client: httpx.Client, sleeps: Sleeps, bluesky: Bluesky
) -> None:
    sessions = iter(["token-1", "token-2"])

    def route(seen: Seen) -> Reply:
        if seen.path == "/xrpc/com.atproto.server.createSession":
            assert seen.method == "POST"
            assert orjson.loads(seen.body) == {
                "identifier": "observer.bsky.social",
                "password": "abcd-efgh-ijkl-mnop",
            }
            return Reply.json({"accessJwt": next(sessions), "did": "did:plc:observer"})
        if seen.arg("cursor") == "100" and seen.headers["authorization"] == "Bearer token-1":
            return Reply.json({"error": "ExpiredToken", "message": "Token has expired"}, 400)
        return bluesky(seen)

    with serving(route) as api:
        report = run(project, client, sleeps, collection(api), environ=LOGIN)
    searches = [r for r in api.requests if r.path.endswith("searchPosts")]
    assert [r.headers["authorization"] for r in searches] == [
        "Bearer token-1",
        "Bearer token-1",
        "Bearer token-2",
        "Bearer token-2",
    ]
    assert report.error is None  # type: ignore[attr-defined]
    assert len(saved(project, "bsky")) == 3
    assert "abcd-efgh" not in state(project, "bsky").__repr__()


def test_a_wrong_password_is_a_clear_error_without_the_password(
    project: Settings, client: httpx.Client, sleeps: Sleeps
) -> None:
    refused = Reply.json({"error": "AuthenticationRequired", "message": "Invalid password"}, 401)
    with serving(lambda seen: refused) as api:
        report = run(project, client, sleeps, collection(api), environ=LOGIN)
    assert "login as 'observer.bsky.social'" in report.error  # type: ignore[attr-defined]
    assert "abcd-efgh" not in report.error  # type: ignore[attr-defined]


def test_an_open_ended_search_later_asks_only_for_newer_posts(
    project: Settings, client: httpx.Client, sleeps: Sleeps
) -> None:
    bluesky = Bluesky([post(n) for n in range(10, 20)])
    with serving(bluesky) as api:
        run(project, client, sleeps, collection(api, until=None))
        first = len(api.requests)
        run(project, client, sleeps, collection(api, until=None))
    assert api.requests[0].arg("until") is None
    assert api.requests[first].arg("since") == "2025-01-01T19:00:00Z"
