"""Saving, checkpointing, importing and resuming: a run stopped at any moment loses nothing
and the warehouse never holds a post twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from marsad.collect.base import CollectError
from marsad.collect.config import Collection
from marsad.collect.http import RetryPolicy
from marsad.collect.runner import Collector
from marsad.collect.store import CollectionStore
from marsad.config import Settings
from marsad.warehouse import Warehouse
from tests.collect.conftest import NO_JITTER, Sleeps
from tests.collect.fakeapi import FakeApi, Mastodon, Reply, serving, status
from tests.collect.helpers import hours, page_files, saved, state, store

N = 200  # statuses served, all in the period; 5 full pages of 40


class Killed(BaseException):
    """Stands for the process dying at that point."""


def collection(api: FakeApi, **changes: object) -> Collection:
    base = Collection(
        name="shutdown",
        source="mastodon",
        instance=api.url,
        hashtags=("internet_shutdown",),
        since=hours(0),
        until=hours(1000),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def collector(project: Settings, client: httpx.Client, sleeps: Sleeps, **kw: Any) -> Collector:
    return Collector(project, environ={}, sleep=sleeps, http_client=client, policy=NO_JITTER, **kw)


def warehouse_posts(project: Settings) -> int:
    return Warehouse(project.warehouse_dir).count()


def saved_ids(project: Settings) -> list[str]:
    return [line["id"] for line in saved(project, "shutdown")]


@pytest.fixture()
def mastodon() -> Mastodon:
    return Mastodon([status(n) for n in range(N)])


def die_on_save(monkeypatch: pytest.MonkeyPatch, when: Any) -> None:
    """Make CollectionStore.save kill the run the first time `when(checkpoint)` holds."""
    real = CollectionStore.save
    armed = [True]

    def save(self: CollectionStore, checkpoint: Any) -> None:
        if armed[0] and when(checkpoint):
            armed[0] = False
            raise Killed
        real(self, checkpoint)

    monkeypatch.setattr(CollectionStore, "save", save)


def test_a_page_written_before_its_checkpoint_is_fetched_again_under_the_same_number(
    project: Settings,
    client: httpx.Client,
    sleeps: Sleeps,
    mastodon: Mastodon,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    die_on_save(monkeypatch, lambda c: c.pages_written == 3)
    with serving(mastodon) as api:
        mastodon.base = api.url
        with pytest.raises(Killed):
            collector(project, client, sleeps).run(collection(api))
        assert len(page_files(project, "shutdown")) == 3  # page 3 saved, not checkpointed
        assert state(project, "shutdown")["pages_written"] == 2
        monkeypatch.undo()
        collector(project, client, sleeps).run(collection(api))
    assert len(page_files(project, "shutdown")) == 5
    assert sorted(saved_ids(project)) == sorted(s["id"] for s in mastodon.statuses)
    assert [r.arg("max_id") for r in api.requests].count("110000120") == 2  # page 3, twice


def test_saved_pages_are_imported_and_marked_only_after_the_commit(
    project: Settings, client: httpx.Client, sleeps: Sleeps, mastodon: Mastodon
) -> None:
    with serving(mastodon) as api:
        mastodon.base = api.url
        report = collector(project, client, sleeps).run(collection(api, dataset="shutdown-25"))
    assert report.error is None
    assert (report.read, report.new, report.duplicate, report.rejected) == (N, N, 0, 0)
    assert report.pages_imported == 5
    assert state(project, "shutdown")["pages_imported"] == 5
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute("SELECT count(*), count(DISTINCT dataset), min(dataset) FROM posts")
    assert rows.fetchone() == (N, 1, "shutdown-25")


def test_a_pseudonymised_collection_imports_no_author_handle(
    project: Settings, client: httpx.Client, sleeps: Sleeps, mastodon: Mastodon
) -> None:
    with serving(mastodon) as api:
        mastodon.base = api.url
        report = collector(project, client, sleeps).run(collection(api, pseudonymise=True))
    assert report.error is None
    con = Warehouse(project.warehouse_dir).connect()
    handles = {row[0] for row in con.execute("SELECT author_handle FROM posts").fetchall()}
    assert len(handles) == 1
    assert not any("alice" in str(handle) for handle in handles)


def test_pages_imported_but_not_marked_count_as_duplicates_never_twice_in_the_warehouse(
    project: Settings,
    client: httpx.Client,
    sleeps: Sleeps,
    mastodon: Mastodon,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    die_on_save(monkeypatch, lambda c: c.pages_imported > 0)
    with serving(mastodon) as api:
        mastodon.base = api.url
        with pytest.raises(Killed):
            collector(project, client, sleeps).run(collection(api))
        assert warehouse_posts(project) == N  # committed, but not marked
        monkeypatch.undo()
        report = collector(project, client, sleeps).run(collection(api))
    assert (report.pages_fetched, report.read, report.new, report.duplicate) == (0, N, 0, N)
    assert warehouse_posts(project) == N


def test_max_pages_stops_the_run_and_the_next_goes_on(
    project: Settings, client: httpx.Client, sleeps: Sleeps, mastodon: Mastodon
) -> None:
    with serving(mastodon) as api:
        mastodon.base = api.url
        first = collector(project, client, sleeps, max_pages=2).run(collection(api))
        assert first.stopped_at_max_pages
        assert warehouse_posts(project) == 80
        second = collector(project, client, sleeps).run(collection(api))
    assert (first.pages_fetched, second.pages_fetched) == (2, 4)  # the last one is empty
    assert saved_ids(project) == [s["id"] for s in mastodon.statuses]
    assert warehouse_posts(project) == N


def test_an_error_stops_the_collection_and_keeps_what_was_saved(
    project: Settings, client: httpx.Client, sleeps: Sleeps, mastodon: Mastodon
) -> None:
    policy = RetryPolicy(attempts=2, jitter=0.0)
    with serving(mastodon) as api:
        mastodon.base = api.url
        calls = iter(range(1000))

        def failing(seen: Any) -> Reply:
            return mastodon(seen) if next(calls) < 2 else Reply.json({"error": "down"}, 500)

        api.route = failing
        report = Collector(
            project, environ={}, sleep=sleeps, http_client=client, policy=policy
        ).run(collection(api))
        assert report.error is not None and "gave up after 2 tries: HTTP 500" in report.error
        assert warehouse_posts(project) == 80
        api.route = mastodon
        again = collector(project, client, sleeps).run(collection(api))
    assert again.error is None
    assert warehouse_posts(project) == N


def test_one_collection_is_collected_by_one_run_at_a_time(
    project: Settings, client: httpx.Client, sleeps: Sleeps, mastodon: Mastodon
) -> None:
    with (
        serving(mastodon) as api,
        store(project, "shutdown").locked(),
        pytest.raises(CollectError, match="being collected by another"),
    ):
        collector(project, client, sleeps).run(collection(api))


CONFIG = """
[[collection]]
name = "shutdown"
source = "mastodon"
instance = "{url}"
hashtags = ["internet_shutdown"]
since = "2025-01-01"
until = "2025-03-01"
"""


def collect_process(project: Path, config: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "marsad", "collect", str(config), "--project", str(project)]
    env = {**os.environ, "MARSAD_INGEST_WORKERS": "1"}
    return subprocess.Popen(
        [*command, "--quiet"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def wait_for_requests(api: FakeApi, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while len(api.requests) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the collector never asked"
        time.sleep(0.02)


@pytest.mark.slow
def test_a_collection_killed_mid_way_resumes_and_the_warehouse_holds_each_post_once(
    project: Settings, tmp_path: Path
) -> None:
    served = [status(n) for n in range(400)]  # 10 full pages
    mastodon = Mastodon(served)
    with serving(mastodon) as api:
        mastodon.base = api.url
        config = tmp_path / "collect.toml"
        config.write_text(CONFIG.format(url=api.url), encoding="utf-8")
        for hold in (3, 7):  # killed while its 3rd, then its 7th request is answered
            api.hold_at, api.released = hold, threading.Event()
            process = collect_process(project.project_dir, config)
            wait_for_requests(api, hold, process)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            api.hold_at = None
            api.released.set()
            api.requests.clear()
        process = collect_process(project.project_dir, config)
        _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    distinct = {s["uri"] for s in served}
    assert warehouse_posts(project) == len(distinct)
    con = Warehouse(project.warehouse_dir).connect()
    (ids,) = con.execute("SELECT count(DISTINCT post_id) FROM posts").fetchone()
    assert ids == len(distinct)
    assert sorted(saved_ids(project)) == sorted(s["id"] for s in served)
