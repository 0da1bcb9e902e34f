"""Telegram channels, through a stand-in for Telethon's client that yields real Telethon
messages (MTProto cannot be served locally)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from telethon.errors import ChannelPrivateError, FloodWaitError
from telethon.tl.types import (
    Channel,
    ChatPhotoEmpty,
    Message,
    MessageActionPinMessage,
    MessageService,
    PeerChannel,
)

from marsad.collect.base import CollectError
from marsad.collect.config import Collection
from marsad.collect.runner import Collector
from marsad.collect.telegram import open_client
from marsad.config import Settings
from tests.collect.conftest import Sleeps
from tests.collect.helpers import hours, saved, state

CHANNEL_ID = 1_234_567_890


def message(n: int, text: str | None = None) -> Message:
    return Message(
        id=n,
        peer_id=PeerChannel(CHANNEL_ID),
        date=hours(n),
        message=f"رسالة {n} عن حجب الإنترنت" if text is None else text,
        post=True,
        views=n * 10,
    )


class StandInClient:
    """Answers get_entity and iter_messages as Telethon's synchronous client does; raises a
    real FloodWaitError once, at message `flood_at`."""

    def __init__(self, messages: list[Any], flood_at: int | None = None) -> None:
        self.messages = sorted(messages, key=lambda m: m.id)
        self.flood_at = flood_at
        self.calls: list[dict[str, Any]] = []

    def get_entity(self, username: str) -> Channel:
        return Channel(
            id=CHANNEL_ID,
            title="قناة المرصد",
            photo=ChatPhotoEmpty(),
            date=hours(0),
            username=username,
            broadcast=True,
        )

    def iter_messages(
        self,
        entity: Any,
        limit: int | None = None,
        *,
        reverse: bool = False,
        min_id: int = 0,
        offset_date: datetime | None = None,
    ) -> Iterator[Any]:
        self.calls.append({"limit": limit, "min_id": min_id, "offset_date": offset_date})
        assert reverse, "channels are read oldest to newest"
        chosen = [
            m
            for m in self.messages
            if m.id > min_id and (offset_date is None or m.date > offset_date)
        ]
        for m in chosen[:limit]:
            if m.id == self.flood_at:
                self.flood_at = None
                raise FloodWaitError(request=None, capture=17)
            yield m


def collection(**changes: object) -> Collection:
    base = Collection(
        name="channels", source="telegram", accounts=("observatory_ch",), since=hours(10)
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def run(project: Settings, client: StandInClient, sleeps: Sleeps, c: Collection) -> Any:
    return Collector(project, environ={}, sleep=sleeps, telegram_client=client).run(c)


def test_a_channel_is_read_oldest_first_in_pages_from_since(
    project: Settings, sleeps: Sleeps
) -> None:
    client = StandInClient([message(n) for n in range(1, 261)])
    report = run(project, client, sleeps, collection())
    lines = saved(project, "channels")
    assert [line["id"] for line in lines] == list(range(11, 261))
    assert [c["min_id"] for c in client.calls] == [0, 110, 210]
    assert client.calls[0]["offset_date"] == hours(10)
    assert {c["limit"] for c in client.calls} == {100}
    assert report.pages_saved == 3
    assert (report.error, report.read, report.new) == (None, 250, 250)  # telegram.telethon.v1
    assert state(project, "channels")["streams"]["channel:observatory_ch"]["last_id"] == 260


def test_each_line_is_the_message_json_plus_its_chat(project: Settings, sleeps: Sleeps) -> None:
    run(project, StandInClient([message(20)]), sleeps, collection())
    (line,) = saved(project, "channels")
    chat = {"id": CHANNEL_ID, "username": "observatory_ch", "title": "قناة المرصد"}
    assert line == {**json.loads(message(20).to_json()), "_chat": chat}
    assert line["date"] == "2025-01-01T20:00:00+00:00"


def test_a_flood_wait_sleeps_what_telegram_asks_and_loses_nothing(
    project: Settings, sleeps: Sleeps
) -> None:
    client = StandInClient([message(n) for n in range(11, 161)], flood_at=60)
    run(project, client, sleeps, collection())
    assert sleeps == [17.0]
    ids = [line["id"] for line in saved(project, "channels")]
    assert ids == list(range(11, 161))
    assert [c["min_id"] for c in client.calls] == [0, 59, 159]


def test_until_ends_the_channel_and_a_later_run_asks_nothing(
    project: Settings, sleeps: Sleeps
) -> None:
    client = StandInClient([message(n) for n in range(1, 60)])
    run(project, client, sleeps, collection(until=hours(30)))
    assert [line["id"] for line in saved(project, "channels")] == list(range(11, 30))
    calls = len(client.calls)
    report = run(project, client, sleeps, collection(until=hours(30)))
    assert len(client.calls) == calls
    assert report.pages_fetched == 0


def test_a_later_run_goes_on_from_the_last_message(project: Settings, sleeps: Sleeps) -> None:
    client = StandInClient([message(n) for n in range(11, 21)])
    run(project, client, sleeps, collection())
    client.messages += [message(n) for n in range(21, 26)]
    report = run(project, client, sleeps, collection())
    assert client.calls[-1]["min_id"] == 20
    assert report.records_saved == 5
    assert [line["id"] for line in saved(project, "channels")] == list(range(11, 26))


def test_keywords_filter_and_service_messages_are_skipped(
    project: Settings, sleeps: Sleeps
) -> None:
    pinned = MessageService(
        id=12, peer_id=PeerChannel(CHANNEL_ID), date=hours(12), action=MessageActionPinMessage()
    )
    messages = [message(11, "SHUTDOWN now"), pinned, message(13, "طقس"), message(14, "حجب")]
    run(project, StandInClient(messages), sleeps, collection(keywords=("shutdown", "حجب")))
    assert [line["id"] for line in saved(project, "channels")] == [11, 14]
    assert state(project, "channels")["streams"]["channel:observatory_ch"]["last_id"] == 14


def test_a_private_channel_stops_the_collection_with_a_clear_error(
    project: Settings, sleeps: Sleeps
) -> None:
    class Private(StandInClient):
        def iter_messages(self, entity: Any, limit: int | None = None, **kw: Any) -> Any:
            raise ChannelPrivateError(request=None)

    report = run(project, Private([]), sleeps, collection())
    assert report.error.startswith("Telegram channel 'observatory_ch': ")
    assert "private" in report.error


def test_without_telethon_the_error_says_to_install_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "telethon", None)
    monkeypatch.setitem(sys.modules, "telethon.sync", None)
    with pytest.raises(CollectError, match=r"install marsad\[telegram\]"):
        open_client(tmp_path, {"MARSAD_TELEGRAM_API_ID": "1", "MARSAD_TELEGRAM_API_HASH": "x"})


@pytest.mark.parametrize(
    ("environ", "says"),
    [
        ({}, "MARSAD_TELEGRAM_API_ID and MARSAD_TELEGRAM_API_HASH"),
        ({"MARSAD_TELEGRAM_API_ID": "12345"}, "MARSAD_TELEGRAM_API_HASH"),
        ({"MARSAD_TELEGRAM_API_ID": "abc", "MARSAD_TELEGRAM_API_HASH": "s3cr3t"}, "a number"),
    ],
)
def test_missing_credentials_are_named_and_never_shown(
    tmp_path: Path, environ: dict[str, str], says: str
) -> None:
    with pytest.raises(CollectError) as caught:
        open_client(tmp_path, environ)
    assert says in str(caught.value)
    assert "s3cr3t" not in str(caught.value)
