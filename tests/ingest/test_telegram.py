"""The Telegram formats: Telegram Desktop result.json and Telethon message lines.

The fixtures are written by tests/ingest/make_telegram_fixtures.py (Telethon ones from real
telethon.tl.types.Message objects)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telethon.tl import types as tl

from marsad.config import Settings
from marsad.ingest.base import Item, Reject, Sample
from marsad.ingest.formats.telegram import TelegramDesktopFormat, TelegramTelethonFormat
from marsad.ingest.formats.telegram.desktop import Chat, DesktopRecord
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.posts import Media, Metrics, Post, PostError, Source, posts_to_table
from marsad.warehouse import Warehouse
from tests.ingest.helpers import (
    COLLECTED,
    JSON_VALUES,
    Bench,
    assert_maps_or_raises_record_error,
)

FIXTURES = Path(__file__).parent / "fixtures"
DESKTOP = FIXTURES / "telegram_desktop"
TELETHON = FIXTURES / "telegram_telethon"
DESKTOP_FMT = TelegramDesktopFormat()
TELETHON_FMT = TelegramTelethonFormat()
Format = TelegramDesktopFormat | TelegramTelethonFormat


BENCH = Bench(DESKTOP_FMT, name="f.json")
ctx, memory_source = BENCH.ctx, BENCH.memory_source
read_all, fixture_posts = BENCH.read_all_as, BENCH.fixture_posts_as


def fixture_lines(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (TELETHON / name).read_text().splitlines()]


def desktop_post(message: dict[str, Any], chat: Chat | None = None, **options: str) -> Post:
    chat = chat or Chat(1745678901, "قناة", "public_channel")
    return BENCH.map_raw(DesktopRecord(message, chat), options=options)


def telethon_post(message: dict[str, Any]) -> Post:
    return BENCH.using(TELETHON_FMT).map_raw(message, "m.jsonl")


def channel_json(*messages: Any, chat_id: Any = 1745678901) -> bytes:
    chat = {"name": "قناة", "type": "public_channel", "id": chat_id, "messages": list(messages)}
    return json.dumps(chat, ensure_ascii=False, indent=1).encode()


def message(number: int, text: Any = "نص", **fields: Any) -> dict[str, Any]:
    return {"id": number, "type": "message", "date_unixtime": "1740909600", "text": text, **fields}


# --- Telegram Desktop: fixtures, field by field ------------------------------------------


def test_it_maps_an_arabic_channel_post_with_formatted_text_field_by_field() -> None:
    post = fixture_posts(DESKTOP_FMT, DESKTOP / "channel_result.json")["1745678901/2"]
    original = json.loads((DESKTOP / "channel_result.json").read_text())["messages"][1]
    assert post == Post(
        platform="telegram",
        post_id="1745678901/2",
        collected_at=COLLECTED,
        text="انقطاع الإنترنت في ثلاث مدن منذ الصباح #قطع_الإنترنت\n"
        "التقرير: https://marsad-hajb.example/r/7",
        url=None,
        author_id="1745678901",
        author_handle=None,
        author_name="مرصد الحجب",
        created_at=datetime(2025, 3, 2, 10, 0, tzinfo=UTC),
        text_norm=None,
        lang=None,
        script=None,
        hashtags=["قطع_الإنترنت"],
        mentions=[],
        urls=["https://marsad-hajb.example/r/7"],
        media=[Media("photo", None)],
        reply_to=None,
        quote_of=None,
        repost_of=None,
        conversation_id=None,
        metrics=Metrics(likes=71),
        source=Source(str(DESKTOP / "channel_result.json"), 2),
        dataset="test-set",
        raw=post.raw,
    )
    assert orjson.loads(post.raw or "") == original


def test_the_local_date_is_ignored_when_date_unixtime_is_there() -> None:
    post = fixture_posts(DESKTOP_FMT, DESKTOP / "channel_result.json")["1745678901/2"]
    raw = orjson.loads(post.raw or "")
    assert raw["date"] == "2025-03-02T12:00:00"  # the exporting machine was at UTC+2
    assert post.created_at == datetime(2025, 3, 2, 10, 0, tzinfo=UTC)


def test_a_forwarded_hebrew_message_has_no_repost_id_and_no_reactions_means_no_likes() -> None:
    post = fixture_posts(DESKTOP_FMT, DESKTOP / "channel_result.json")["1745678901/3"]
    assert post.text == "הפוסט שלנו על ההפגנה הוסר מפייסבוק בלי הסבר"
    assert post.repost_of is None
    assert orjson.loads(post.raw or "")["forwarded_from"] == "חדשות הרשת"
    assert post.metrics == Metrics()
    assert (post.hashtags, post.mentions, post.urls, post.media) == ([], [], [], [])
    assert post.created_at == datetime(2025, 3, 2, 14, 30, tzinfo=UTC)


def test_an_english_reply_with_a_text_link_a_mention_and_a_video() -> None:
    post = fixture_posts(DESKTOP_FMT, DESKTOP / "channel_result.json")["1745678901/4"]
    assert post.text == "Our weekly summary of removed posts is out, thanks @open_net_lab"
    assert post.reply_to == "1745678901/2"
    assert post.urls == ["https://marsad-hajb.example/w/11"]
    assert post.mentions == ["open_net_lab"]
    assert post.media == [Media("video")]
    assert post.source is not None and post.source.record == 4


def test_service_messages_are_skipped_and_keep_their_position() -> None:
    posts = fixture_posts(DESKTOP_FMT, DESKTOP / "channel_result.json")
    assert list(posts) == ["1745678901/2", "1745678901/3", "1745678901/4"]
    assert [p.source.record for p in posts.values() if p.source] == [2, 3, 4]


def test_it_maps_a_group_message_of_an_account_export_field_by_field() -> None:
    path = DESKTOP / "account_result.json"
    post = fixture_posts(DESKTOP_FMT, path)["1923456780/89"]
    assert post == Post(
        platform="telegram",
        post_id="1923456780/89",
        collected_at=COLLECTED,
        text="Appeal through the form first, then write to @appeals_desk_demo #AccountSuspended",
        url=None,
        author_id="7098765432",
        author_handle=None,
        author_name="Helpdesk volunteer",
        created_at=datetime(2025, 3, 10, 19, 10, tzinfo=UTC),
        hashtags=["AccountSuspended"],
        mentions=["appeals_desk_demo"],
        urls=[],
        media=[],
        reply_to="1923456780/88",
        metrics=Metrics(likes=4),
        source=Source(str(path), 2),
        dataset="test-set",
        raw=post.raw,
    )
    assert orjson.loads(post.raw or "")["from_id"] == "user7098765432"


def test_an_account_export_reads_chats_and_left_chats() -> None:
    posts = fixture_posts(DESKTOP_FMT, DESKTOP / "account_result.json")
    assert list(posts) == ["1923456780/88", "1923456780/89", "1667788990/1201"]
    arabizi = posts["1923456780/88"]
    assert (arabizi.author_id, arabizi.author_name) == ("7012345678", "Noor")
    assert arabizi.text is not None and arabizi.text.startswith("hesabi on insta et3ala2")
    voice = posts["1667788990/1201"]
    assert (voice.text, voice.media) == (None, [Media("voice_message")])
    assert (voice.author_id, voice.author_name) == ("1667788990", "ערוץ חדשות הצפון")
    assert voice.source is not None and voice.source.record == 4


# --- Telegram Desktop: map_item details --------------------------------------------------


def test_an_old_export_without_unixtime_reads_date_in_the_timezone_option() -> None:
    old = {"id": 5, "type": "message", "date": "2025-03-02T12:00:00", "text": "t"}
    assert desktop_post(old).created_at == datetime(2025, 3, 2, 12, 0, tzinfo=UTC)
    post = desktop_post(old, timezone="Asia/Jerusalem")
    assert post.created_at == datetime(2025, 3, 2, 10, 0, tzinfo=UTC)


def test_an_unknown_timezone_option_names_the_option() -> None:
    old = {"id": 5, "type": "message", "date": "2025-03-02T12:00:00", "text": "t"}
    with pytest.raises(PostError, match="timezone: unknown time zone 'Mars/Olympus'"):
        desktop_post(old, timezone="Mars/Olympus")


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"id": None}, "id: missing"),
        ({"id": "seven"}, "id: 'seven' is not an id"),
        ({"date_unixtime": "yesterday"}, "date_unixtime: 'yesterday' is not a Unix time"),
        ({"date_unixtime": str(10**20)}, "date_unixtime: .* is out of range"),
        ({"date_unixtime": None, "date": "2025-13-45T00:00:00"}, "date: cannot parse"),
        ({"text": 42}, "text: expected an array, found a number"),
        ({"text": ["ok", {"type": "bold", "text": 7}]}, r"text\[\]\.text: 7 is not text"),
        ({"reactions": [{"count": "12"}]}, r"reactions\[\]\.count: '12' is not a count"),
        ({"reactions": {"count": 1}}, "reactions: expected an array"),
        ({"from_id": "userX"}, "from_id: 'userX' is not an id"),
        ({"reply_to_message_id": -3}, "reply_to_message_id: -3 is not an id"),
    ],
)
def test_bad_fields_are_post_errors_naming_the_field(fields: dict[str, Any], error: str) -> None:
    with pytest.raises(PostError, match=error):
        desktop_post(message(5, **fields))


def test_a_chat_without_id_is_a_post_error() -> None:
    with pytest.raises(PostError, match="chat id: missing"):
        desktop_post(message(5), Chat(None, "x", "public_channel"))


def test_a_reply_to_another_chat_uses_that_chats_id() -> None:
    post = desktop_post(message(5, reply_to_message_id=9, reply_to_peer_id="channel42"))
    assert post.reply_to == "42/9"


def test_a_channel_post_without_sender_is_the_channels() -> None:
    post = desktop_post(message(5), Chat(77, "قناة الأخبار", "private_channel"))
    assert (post.author_id, post.author_name) == ("77", "قناة الأخبار")


# --- Telegram Desktop: bad input -----------------------------------------------------------


def test_a_truncated_export_keeps_the_messages_before_the_cut_and_names_the_line() -> None:
    data = (DESKTOP / "channel_result.json").read_bytes()
    cut = data.index(b'"id": 4,')  # inside message 3's successor: 2 and 3 are whole
    posts, rejects = read_all(DESKTOP_FMT, memory_source(data[:cut], "cut.json"))
    assert [(p.post_id, p.source.record if p.source else 0) for p in posts] == [
        ("1745678901/2", 2),
        ("1745678901/3", 3),
    ]
    whole = fixture_posts(DESKTOP_FMT, DESKTOP / "channel_result.json")["1745678901/2"]
    assert posts[0] == replace(whole, source=Source("cut.json", 2))
    (reject,) = rejects
    assert reject.file == "cut.json"
    assert reject.record == data[:cut].count(b"\n") + 1  # the line of the cut
    assert reject.reason.startswith(f"malformed or truncated JSON document (line {reject.record})")


def test_a_truncated_account_export_keeps_the_chats_before_the_cut() -> None:
    data = (DESKTOP / "account_result.json").read_bytes()
    cut = data.index(b'"name": "\xd7\xa2')  # the left channel's header is cut
    posts, rejects = read_all(DESKTOP_FMT, memory_source(data[:cut], "cut.json"))
    assert [p.post_id for p in posts] == ["1923456780/88", "1923456780/89"]
    assert len(rejects) == 1 and "truncated" in rejects[0].reason


def test_a_damaged_export_with_values_json_cannot_hold_gives_rejects_not_crashes() -> None:
    data = (
        b'{"name": "x", "type": "public_channel", "id": 5, "messages": ["\\ud800", '
        b'{"id": 1, "text": "\\udc00"}, {"id": 2, "text": "ok"}, {"id": '
    )
    context = ctx("d.json")
    entries = list(DESKTOP_FMT.read(memory_source(data, "d.json"), context))
    assert [e.record for e in entries] == [1, 2, 3, 1]
    assert isinstance(entries[0], Reject) and "found a string" in entries[0].reason
    assert isinstance(entries[1], Item) and isinstance(entries[2], Item)
    with pytest.raises(PostError, match="raw: cannot write the record as JSON"):
        DESKTOP_FMT.map_item(entries[1], context)
    assert DESKTOP_FMT.map_item(entries[2], context).post_id == "5/2"


def test_a_cut_inside_the_chat_header_keeps_nothing() -> None:
    data = (DESKTOP / "channel_result.json").read_bytes()[:40]
    posts, rejects = read_all(DESKTOP_FMT, memory_source(data, "cut.json"))
    assert (posts, len(rejects)) == ([], 1)


def test_bad_messages_are_rejected_and_the_good_ones_around_kept() -> None:
    data = channel_json(message(1), "not a message", {"id": 3, "type": "unsupported"}, message(4))
    posts, rejects = read_all(DESKTOP_FMT, memory_source(data, "mixed.json"))
    assert [(p.post_id, p.source.record if p.source else 0) for p in posts] == [
        ("1745678901/1", 1),
        ("1745678901/4", 4),
    ]
    assert [(r.file, r.record, r.reason) for r in rejects] == [
        ("mixed.json", 2, "expected a message object, found a string"),
        ("mixed.json", 3, "message type 'unsupported' is not imported"),
    ]


def test_an_account_export_with_a_broken_chat_keeps_the_other_chats() -> None:
    account = {
        "about": "Here is the data you requested.",
        "chats": {"about": "", "list": [{"name": "x", "id": 1, "messages": 5}, "nope"]},
        "left_chats": {"about": "", "list": [json.loads(channel_json(message(9)))]},
    }
    posts, rejects = read_all(DESKTOP_FMT, memory_source(orjson.dumps(account), "a.json"))
    assert [p.post_id for p in posts] == ["1745678901/9"]
    assert [r.reason for r in rejects] == [
        "chats.list[1] ('x'): \"messages\" is a number, not a list",
        "chats.list[2] is a string, not a chat object",
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"[1, 2]", "expected a Telegram export object, found an array"),
        (b'{"name": "x"}', "an object with no messages, chats or left_chats"),
        (b'{"about": "x", "chats": []}', '"chats" has no "list" of chats'),
    ],
)
def test_documents_that_are_not_exports_are_rejected(data: bytes, reason: str) -> None:
    posts, rejects = read_all(DESKTOP_FMT, memory_source(data, "r.json"))
    assert posts == []
    assert [(r.record, r.reason[: len(reason)]) for r in rejects] == [(None, reason)]


def test_an_empty_desktop_file_gives_nothing() -> None:
    assert read_all(DESKTOP_FMT, memory_source(b" \n", "result.json")) == ([], [])


# --- Telethon: fixtures, field by field ----------------------------------------------------


def test_it_maps_an_arabic_channel_post_from_the_collector_field_by_field() -> None:
    path = TELETHON / "channel_messages.jsonl"
    post = fixture_posts(TELETHON_FMT, path)["1734567890/4521"]
    assert post == Post(
        platform="telegram",
        post_id="1734567890/4521",
        collected_at=COLLECTED,
        text="تم حجب موقع الأخبار المستقلة اليوم #حجب_المواقع التفاصيل: https://raqib.example/r/12",
        url="https://t.me/raqib_net_demo/4521",
        author_id="1734567890",
        author_handle="raqib_net_demo",
        author_name="رقيب الشبكة",
        created_at=datetime(2025, 3, 3, 8, 15, tzinfo=UTC),
        text_norm=None,
        lang=None,
        script=None,
        hashtags=["حجب_المواقع"],
        mentions=[],
        urls=["https://raqib.example/r/12"],
        media=[Media("photo", None)],
        reply_to=None,
        quote_of=None,
        repost_of=None,
        conversation_id=None,
        metrics=Metrics(likes=506, shares=340, replies=27, quotes=None, views=18250),
        source=Source(str(path), 1),
        dataset="test-set",
        raw=post.raw,
    )
    assert orjson.loads(post.raw or "") == fixture_lines("channel_messages.jsonl")[0]


def test_it_maps_a_forwarded_channel_message() -> None:
    post = fixture_posts(TELETHON_FMT, TELETHON / "channel_messages.jsonl")["1734567890/4522"]
    assert post.repost_of == "1698765432/877"
    assert post.text == "החשבון של @hofesh_bareshet הושעה בלי הסבר #צנזורה"
    assert post.mentions == ["hofesh_bareshet"]
    assert post.hashtags == ["צנזורה"]
    assert post.metrics == Metrics(likes=None, shares=12, replies=None, views=5120)
    assert post.created_at == datetime(2025, 3, 4, 17, 40, tzinfo=UTC)
    assert post.source is not None and post.source.record == 2


def test_an_edited_post_keeps_its_first_date_and_a_line_without_chat_has_no_link() -> None:
    post = fixture_posts(TELETHON_FMT, TELETHON / "channel_messages.jsonl")["1734567890/4523"]
    assert post.created_at == datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
    assert orjson.loads(post.raw or "")["edit_date"] == "2025-03-05T09:30:00+00:00"
    assert (post.url, post.author_id, post.author_handle, post.author_name) == (
        None,
        "1734567890",
        None,
        None,
    )
    assert post.urls == ["https://raqib.example/shutdown"]
    assert post.media == [Media("video")]
    assert post.metrics == Metrics(shares=0, views=2210)
    assert post.source is not None and post.source.record == 4


def test_service_lines_are_skipped_and_records_are_line_numbers() -> None:
    posts = fixture_posts(TELETHON_FMT, TELETHON / "channel_messages.jsonl")
    assert [p.source.record for p in posts.values() if p.source] == [1, 2, 4]


def test_it_maps_to_dict_lines_of_a_group_field_by_field() -> None:
    path = TELETHON / "group_to_dict.jsonl"
    posts = fixture_posts(TELETHON_FMT, path)
    first = posts["1812345678/310"]
    assert first == Post(
        platform="telegram",
        post_id="1812345678/310",
        collected_at=COLLECTED,
        text="wallah el net maqtou3 3ndna men imbareh #shutdown",
        url=None,
        author_id="6012345678",
        author_handle=None,
        author_name=None,
        created_at=datetime(2025, 3, 6, 21, 5, tzinfo=UTC),
        hashtags=["shutdown"],
        reply_to="1812345678/305",
        conversation_id="1812345678/300",
        metrics=Metrics(likes=3),
        source=Source(str(path), 1),
        dataset="test-set",
        raw=post_raw(first),
    )
    second = posts["1812345678/311"]
    assert (second.reply_to, second.conversation_id) == ("1812345678/310", None)
    assert second.media == [Media("voice_message")]
    assert second.metrics == Metrics()


def post_raw(post: Post) -> str:
    assert post.raw is not None
    assert orjson.loads(post.raw)["_"] == "Message"
    return post.raw


# --- Telethon: map_item details ------------------------------------------------------------


def built(**fields: Any) -> dict[str, Any]:
    """A Message as to_json() writes it, with `fields` replaced after writing."""
    message = tl.Message(id=7, peer_id=tl.PeerChannel(99), date=datetime(2025, 5, 1, tzinfo=UTC))
    return {**json.loads(message.to_json()), **fields}


def test_entity_offsets_count_utf16_units_like_telegram() -> None:
    text = "🔥🔥 الحساب محظور #حرية_التعبير @raqib_demo"
    message = tl.Message(
        id=7,
        peer_id=tl.PeerChannel(99),
        date=datetime(2025, 5, 1, tzinfo=UTC),
        message=text,
        entities=[
            tl.MessageEntityHashtag(offset=18, length=13),
            tl.MessageEntityMention(offset=32, length=11),
        ],
    )
    post = telethon_post(json.loads(message.to_json()))
    assert (post.hashtags, post.mentions) == (["حرية_التعبير"], ["raqib_demo"])


@pytest.mark.parametrize(
    ("peer", "expected"),
    [
        ({"_": "PeerChannel", "channel_id": 99}, "99/7"),
        ({"_": "PeerChat", "chat_id": 12}, "12/7"),
        ({"_": "PeerUser", "user_id": 5}, "5/7"),
    ],
)
def test_the_chat_id_comes_from_any_kind_of_peer(peer: dict[str, Any], expected: str) -> None:
    assert telethon_post(built(peer_id=peer)).post_id == expected


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"id": None}, "id: missing"),
        ({"peer_id": None}, "peer_id: missing"),
        ({"peer_id": {"_": "PeerSomething", "x": 1}}, "peer_id: 'PeerSomething' is not a Peer"),
        ({"date": "the first of May"}, "date: cannot parse 'the first of May'"),
        ({"date": True}, "date: True is not a date"),
        ({"views": "1.2K"}, "views: '1.2K' is not a count"),
        ({"forwards": -1}, "forwards: -1 is not a count"),
        ({"replies": {"replies": 2.5}}, r"replies\.replies: 2\.5 is not a count"),
        ({"reactions": {"results": [{"count": None}, 5]}}, r"reactions\.results\[\]: expected"),
        ({"message": ["a"]}, r"message: \['a'\] is not text"),
        ({"entities": [{"_": "MessageEntityUrl", "offset": "0"}]}, r"entities\[\]\.offset"),
        ({"_chat": "somechannel"}, "_chat: expected an object, found a string"),
    ],
)
def test_bad_telethon_fields_are_post_errors_naming_the_field(
    fields: dict[str, Any], error: str
) -> None:
    with pytest.raises(PostError, match=error):
        telethon_post(built(**fields))


def test_a_to_dict_date_with_a_space_and_an_offset_is_utc() -> None:
    post = telethon_post(built(date="2025-05-01 12:30:00+03:00"))
    assert post.created_at == datetime(2025, 5, 1, 9, 30, tzinfo=UTC)


def test_a_reply_to_a_story_is_not_a_reply() -> None:
    story = {"_": "MessageReplyStoryHeader", "peer": {"_": "PeerUser", "user_id": 1}, "story_id": 3}
    assert telethon_post(built(reply_to=story)).reply_to is None


def test_a_forward_from_a_user_has_no_repost_id() -> None:
    header = {"_": "MessageFwdHeader", "from_id": {"_": "PeerUser", "user_id": 4}}
    assert telethon_post(built(fwd_from=header)).repost_of is None


def test_a_sender_in_a_group_is_not_given_the_groups_handle() -> None:
    chat = {"id": 99, "username": "the_group", "title": "The Group"}
    post = telethon_post(built(from_id={"_": "PeerUser", "user_id": 5}, _chat=chat))
    assert (post.author_id, post.author_handle, post.author_name) == ("5", None, None)
    assert post.url == "https://t.me/the_group/7"


# --- Telethon: layouts and bad input -------------------------------------------------------


def test_a_malformed_line_is_rejected_and_the_good_lines_kept() -> None:
    lines = (TELETHON / "group_to_dict.jsonl").read_bytes().splitlines(keepends=True)
    data = lines[0] + b'{"_": "Message", "id": 5, "peer_\n' + b"[1, 2]\n" + lines[1]
    posts, rejects = read_all(TELETHON_FMT, memory_source(data, "mixed.jsonl"))
    assert [p.source.record for p in posts if p.source] == [1, 4]
    assert [(r.file, r.record) for r in rejects] == [("mixed.jsonl", 2), ("mixed.jsonl", 3)]
    assert rejects[0].reason.startswith("malformed JSON in line 2")
    assert rejects[1].reason == "expected a Telethon message object, found an array"


def test_a_truncated_file_keeps_the_complete_lines() -> None:
    data = (TELETHON / "channel_messages.jsonl").read_bytes()
    posts, rejects = read_all(TELETHON_FMT, memory_source(data[:-200], "cut.jsonl"))
    assert [p.post_id for p in posts] == ["1734567890/4521", "1734567890/4522"]
    (reject,) = rejects
    assert (reject.record, reject.reason[:22]) == (4, "malformed JSON in line")


def test_an_object_that_is_not_a_message_is_rejected_naming_its_type() -> None:
    data = b'{"_": "Channel", "id": 5}\n{"_": "MessageEmpty", "id": 6}\n'
    posts, rejects = read_all(TELETHON_FMT, memory_source(data, "m.jsonl"))
    assert posts == []
    assert [(r.record, r.reason) for r in rejects] == [
        (1, "not a Telethon Message (\"_\" is 'Channel')")
    ]


def test_a_json_array_of_messages_is_read_by_position() -> None:
    values = fixture_lines("group_to_dict.jsonl")
    posts, rejects = read_all(TELETHON_FMT, memory_source(orjson.dumps(values), "dump.json"))
    assert rejects == []
    assert [(p.post_id, p.source.record if p.source else 0) for p in posts] == [
        ("1812345678/310", 1),
        ("1812345678/311", 2),
    ]


def test_a_truncated_json_array_is_one_reject() -> None:
    data = orjson.dumps(fixture_lines("group_to_dict.jsonl"))[:-40]
    posts, rejects = read_all(TELETHON_FMT, memory_source(data, "dump.json"))
    assert posts == []
    assert [r.reason[:35] for r in rejects] == ["malformed or truncated JSON documen"]


def test_jsonl_files_are_splittable_and_json_files_are_not() -> None:
    assert TELETHON_FMT.splittable(memory_source(b"", "a.jsonl"))
    assert TELETHON_FMT.splittable(memory_source(b"", "a.NDJSON"))
    assert not TELETHON_FMT.splittable(memory_source(b"", "a.json"))
    assert not DESKTOP_FMT.splittable(memory_source(b"", "result.json"))


# --- both formats: the shared id convention, sniffing, the pipeline --------------------------


def test_the_same_channel_message_gets_the_same_ids_in_both_formats() -> None:
    desktop = desktop_post(message(4521, reply_to_message_id=4500), Chat(1734567890, "c", None))
    telethon = telethon_post(
        built(
            id=4521,
            peer_id={"_": "PeerChannel", "channel_id": 1734567890},
            reply_to={"_": "MessageReplyHeader", "reply_to_msg_id": 4500},
        )
    )
    assert (desktop.post_id, desktop.reply_to) == (telethon.post_id, telethon.reply_to)


@pytest.mark.parametrize("path", sorted(DESKTOP.iterdir()), ids=lambda p: p.name)
def test_desktop_sniff_accepts_its_fixtures_and_telethon_sniff_refuses_them(path: Path) -> None:
    sample = Sample(path.name, path.read_bytes())
    assert DESKTOP_FMT.sniff(sample)
    assert not TELETHON_FMT.sniff(sample)


@pytest.mark.parametrize("path", sorted(TELETHON.iterdir()), ids=lambda p: p.name)
def test_telethon_sniff_accepts_its_fixtures_and_desktop_sniff_refuses_them(path: Path) -> None:
    sample = Sample(path.name, path.read_bytes())
    assert TELETHON_FMT.sniff(sample)
    assert not DESKTOP_FMT.sniff(sample)
    assert TELETHON_FMT.sniff(Sample("dump.json", path.read_bytes()))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("result.txt", (DESKTOP / "channel_result.json").read_bytes()),
        ("rows.json", b'[{"id": 1, "text": "hi", "type": "message"}]'),
        ("chat.json", b'{"name": "x", "messages": []}'),
        ("config.json", b'{"about": "settings", "theme": "dark"}'),
        ("rows.jsonl", b'{"id": 1, "message": "hi", "date": "2025-03-01"}\n'),
        ("rows.jsonl", b'{"_": "Channel", "id": 1, "peer_id": 2}\n'),
        ("tweets.jsonl", (FIXTURES / "x_v2" / "tweets_bare.jsonl").read_bytes()),
        ("page.json", (FIXTURES / "x_v2" / "search_recent_ar.json").read_bytes()),
        ("empty.jsonl", b""),
    ],
)
def test_sniff_refuses_what_is_not_telegram(name: str, head: bytes) -> None:
    assert not DESKTOP_FMT.sniff(Sample(name, head))
    assert not TELETHON_FMT.sniff(Sample(name, head))


def test_desktop_sniff_accepts_an_account_export_without_personal_information() -> None:
    head = b'{\n "about": "Here is the data you requested.",\n "chats": {\n  "about": "x"'
    assert DESKTOP_FMT.sniff(Sample("result.json", head))


def test_the_pipeline_detects_and_imports_both_formats(project: Settings) -> None:
    summary = ingest([DESKTOP, TELETHON], project, IngestOptions(dataset="tg"))
    assert summary.formats == {"telegram.desktop.v1": 2, "telegram.telethon.v1": 2}
    assert (summary.read, summary.new, summary.rejected) == (11, 11, 0)
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute(
        "SELECT post_id, lang, metrics.likes, url FROM posts WHERE platform = 'telegram' "
        "AND post_id IN ('1745678901/2', '1734567890/4522', '1812345678/311') ORDER BY post_id"
    ).fetchall()
    assert rows == [
        ("1734567890/4522", "he", None, "https://t.me/raqib_net_demo/4522"),
        ("1745678901/2", "ar", 71, None),
        ("1812345678/311", "en", None, None),
    ]


def test_the_pipeline_reports_bad_telegram_records_with_file_record_and_reason(
    project: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(channel_json(message(1), message(2, date_unixtime="soon"), message(3)))
    summary = ingest([path], project, IngestOptions())
    assert (summary.read, summary.new, summary.rejected) == (3, 2, 1)
    assert summary.rejects_file is not None
    (reject,) = [orjson.loads(line) for line in summary.rejects_file.read_bytes().splitlines()]
    assert (reject["file"], reject["record"]) == (str(path), 2)
    assert "date_unixtime: 'soon' is not a Unix time" in reject["reason"]


def test_every_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [
        post
        for fmt, folder in ((DESKTOP_FMT, DESKTOP), (TELETHON_FMT, TELETHON))
        for path in sorted(folder.iterdir())
        for post in fixture_posts(fmt, path).values()
    ]
    assert len(posts) == 11
    assert posts_to_table(posts).num_rows == 11


# --- robustness: mutated values ------------------------------------------------------------


DESKTOP_ITEMS = BENCH.items(DESKTOP)
TELETHON_ITEMS = BENCH.using(TELETHON_FMT).items(TELETHON)
DESKTOP_FIELDS = [
    "id", "type", "date", "date_unixtime", "from", "from_id", "text", "text_entities",
    "reply_to_message_id", "reply_to_peer_id", "reactions", "media_type", "photo", "file",
]  # fmt: skip
TELETHON_FIELDS = [
    "id", "peer_id", "date", "message", "from_id", "fwd_from", "reply_to", "media",
    "entities", "views", "forwards", "replies", "reactions", "_chat",
]  # fmt: skip


@settings(max_examples=150)
@given(
    item=st.sampled_from(DESKTOP_ITEMS),
    changes=st.dictionaries(st.sampled_from(DESKTOP_FIELDS), JSON_VALUES, min_size=1, max_size=3),
    chat=st.tuples(JSON_VALUES, JSON_VALUES, JSON_VALUES),
)
def test_value_mutated_desktop_messages_map_or_raise_record_errors(
    item: Item, changes: dict[str, Any], chat: tuple[Any, Any, Any]
) -> None:
    message, real_chat = item.raw
    for record in (DesktopRecord({**message, **changes}, real_chat), (message, Chat(*chat))):
        assert_maps_or_raises_record_error(DESKTOP_FMT, Item(item.record, record), ctx())


@settings(max_examples=150)
@given(
    item=st.sampled_from(TELETHON_ITEMS),
    changes=st.dictionaries(st.sampled_from(TELETHON_FIELDS), JSON_VALUES, min_size=1, max_size=3),
)
def test_value_mutated_telethon_messages_map_or_raise_record_errors(
    item: Item, changes: dict[str, Any]
) -> None:
    mutated = Item(item.record, {**item.raw, **changes})
    assert_maps_or_raises_record_error(TELETHON_FMT, mutated, ctx())
