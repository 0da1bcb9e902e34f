"""Mastodon timelines: paging, the period, keywords, accounts and later runs."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from marsad.collect.config import Collection
from marsad.collect.runner import Collector
from marsad.config import Settings
from tests.collect.conftest import NO_JITTER, Sleeps
from tests.collect.fakeapi import FakeApi, Mastodon, Reply, serving, status
from tests.collect.helpers import hours, page_files, saved, state


def ids(lines: list[dict]) -> list[int]:
    return [int(line["id"]) - 110_000_000 for line in lines]


def collector(project: Settings, client: httpx.Client, sleeps: Sleeps, **kw: object) -> Collector:
    return Collector(project, environ={}, sleep=sleeps, http_client=client, policy=NO_JITTER, **kw)  # type: ignore[arg-type]


def collection(api: FakeApi, **changes: object) -> Collection:
    base = Collection(
        name="shutdown",
        source="mastodon",
        instance=api.url,
        hashtags=("internet_shutdown",),
        since=hours(10),
        until=hours(90),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture()
def mastodon() -> Mastodon:
    return Mastodon([status(n) for n in range(100)])


def test_a_hashtag_is_paged_newest_to_oldest_within_the_period(
    project: Settings, client: httpx.Client, sleeps: Sleeps, mastodon: Mastodon
) -> None:
    with serving(mastodon) as api:
        mastodon.base = api.url
        report = collector(project, client, sleeps).run(collection(api))
    assert ids(saved(project, "shutdown")) == list(range(89, 9, -1))
    assert [r.path for r in api.requests] == ["/api/v1/timelines/tag/internet_shutdown"] * 3
    assert [r.arg("limit") for r in api.requests] == ["40"] * 3
    assert [r.arg("max_id") for r in api.requests] == [None, "110000060", "110000020"]
    assert (report.pages_fetched, report.pages_saved, report.records_saved) == (3, 3, 80)
    assert len(page_files(project, "shutdown")) == 3
    assert state(project, "shutdown")["streams"]["tag:internet_shutdown"]["finished"] is True


def test_every_saved_status_is_the_api_s_plus_its_instance(
    project: Settings, client: httpx.Client, sleeps: Sleeps, mastodon: Mastodon
) -> None:
    with serving(mastodon) as api:
        mastodon.base = api.url
        collector(project, client, sleeps).run(collection(api, since=hours(85)))
    lines = saved(project, "shutdown")
    host = api.url.removeprefix("http://")
    assert lines[0] == {**status(89), "_instance": host}
    assert all(line["_instance"] == host for line in lines)


def test_non_ascii_hashtags_are_sent_encoded(
    project: Settings, client: httpx.Client, sleeps: Sleeps
) -> None:
    mastodon = Mastodon([status(n, tags=("غزة",)) for n in range(20, 30)])
    with serving(mastodon) as api:
        collector(project, client, sleeps).run(collection(api, hashtags=("غزة",)))
    assert api.requests[0].path == "/api/v1/timelines/tag/غزة"
    assert ids(saved(project, "shutdown")) == list(range(29, 19, -1))


def test_without_a_link_header_the_last_id_pages_on(
    project: Settings, client: httpx.Client, sleeps: Sleeps, mastodon: Mastodon
) -> None:
    def no_link(seen):  # type: ignore[no-untyped-def]
        reply = mastodon(seen)
        reply.headers.pop("Link", None)
        return reply

    with serving(no_link) as api:
        collector(project, client, sleeps).run(collection(api))
    assert ids(saved(project, "shutdown")) == list(range(89, 9, -1))
    assert [r.arg("max_id") for r in api.requests] == [None, "110000060", "110000020"]


def test_keywords_keep_only_statuses_whose_text_holds_one(
    project: Settings, client: httpx.Client, sleeps: Sleeps
) -> None:
    statuses = [
        status(n, "SHUTDOWN in the north" if n % 2 else "قطع الكهرباء", ("news",))
        for n in range(20)
    ]
    statuses.append({**status(21, "x", ("news",)), "spoiler_text": "حجب المواقع"})
    with serving(Mastodon(statuses)) as api:
        collector(project, client, sleeps).run(
            collection(
                api, hashtags=("news",), keywords=("shutdown", "حجب"), since=hours(0), until=None
            )
        )
    assert ids(saved(project, "shutdown")) == [21, *range(19, 0, -2)]


def test_the_public_and_local_timelines_and_an_account_are_streams(
    project: Settings, client: httpx.Client, sleeps: Sleeps, mastodon: Mastodon
) -> None:
    with serving(mastodon) as api:
        mastodon.base = api.url
        collector(project, client, sleeps).run(
            collection(
                api,
                hashtags=(),
                public=True,
                local=True,
                accounts=("alice@mastodon.example",),
                since=hours(70),
            )
        )
    paths = [r.path for r in api.requests]
    assert paths[0] == "/api/v1/timelines/public"
    assert api.requests[0].arg("local") == "true"
    assert "/api/v1/accounts/lookup" in paths
    assert paths[-1] == "/api/v1/accounts/1/statuses"
    assert ids(saved(project, "shutdown")) == [*range(89, 69, -1)] * 2
    streams = state(project, "shutdown")["streams"]
    assert streams["account:alice@mastodon.example"]["account_id"] == "1"


def test_an_unknown_account_stops_the_collection_with_a_clear_error(
    project: Settings, client: httpx.Client, sleeps: Sleeps, mastodon: Mastodon
) -> None:
    with serving(mastodon) as api:
        report = collector(project, client, sleeps).run(
            collection(api, hashtags=(), accounts=("nobody",))
        )
    assert report.error is not None
    assert "no account 'nobody'" in report.error


def test_an_open_ended_collection_later_fetches_only_what_is_newer(
    project: Settings, client: httpx.Client, sleeps: Sleeps
) -> None:
    mastodon = Mastodon([status(n) for n in range(10, 50)])
    with serving(mastodon) as api:
        mastodon.base = api.url
        collector(project, client, sleeps).run(collection(api, until=None))
        first = len(api.requests)
        mastodon.statuses = sorted(
            mastodon.statuses + [status(n) for n in range(50, 55)],
            key=lambda s: int(s["id"]),
            reverse=True,
        )
        report = collector(project, client, sleeps).run(collection(api, until=None))
    assert api.requests[first].arg("since_id") == "110000049"
    assert report.records_saved == 5
    assert ids(saved(project, "shutdown")) == [*range(49, 9, -1), *range(54, 49, -1)]


def test_a_closed_period_once_collected_is_not_fetched_again(
    project: Settings, client: httpx.Client, sleeps: Sleeps, mastodon: Mastodon
) -> None:
    with serving(mastodon) as api:
        mastodon.base = api.url
        collector(project, client, sleeps).run(collection(api))
        before = len(api.requests)
        report = collector(project, client, sleeps).run(collection(api))
    assert len(api.requests) == before
    assert report.pages_fetched == 0


def test_429_and_503_on_the_way_are_waited_out(
    project: Settings, client: httpx.Client, sleeps: Sleeps, mastodon: Mastodon
) -> None:
    with serving(mastodon) as api:
        mastodon.base = api.url
        api.push(
            Reply.json({"error": "Too many requests"}, 429, **{"Retry-After": "30"}),
            Reply.json({"error": "unavailable"}, 503),
        )
        collector(project, client, sleeps).run(collection(api))
    assert sleeps == [30.0, 2.0]
    assert ids(saved(project, "shutdown")) == list(range(89, 9, -1))
