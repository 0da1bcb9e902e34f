"""Write the Telegram test fixtures (run: .venv/bin/python -m tests.ingest.make_telegram_fixtures).

Telethon fixtures are real `telethon.tl.types.Message` objects written with `to_json()` (as
the collector does, some lines with its added `"_chat"` key) or with
`json.dumps(message.to_dict(), default=str)`. Telegram Desktop fixtures are written the way
Telegram Desktop writes `result.json`: one-space indentation, UTF-8, the keys in its order.
All content is synthetic; accounts and channels are invented.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telethon.tl import types as t

FIXTURES = Path(__file__).parent / "fixtures"
NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=UTC)


# --- Telethon --------------------------------------------------------------------------------

AR_POST = "تم حجب موقع الأخبار المستقلة اليوم #حجب_المواقع التفاصيل: https://raqib.example/r/12"
HE_POST = "החשבון של @hofesh_bareshet הושעה בלי הסבר #צנזורה"
EN_POST = "Read our report on the March internet shutdown"
AR_REPLY = "wallah el net maqtou3 3ndna men imbareh #shutdown"
EN_REPLY = "Same here, mobile data is down since yesterday"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return utf16_len(text[:start]), utf16_len(part)


def photo(photo_id: int, when: datetime) -> t.MessageMediaPhoto:
    size = t.PhotoSize(type="x", w=1280, h=720, size=84211)
    return t.MessageMediaPhoto(
        photo=t.Photo(
            id=photo_id,
            access_hash=-4_611_686_018_427_387_904 + photo_id,
            file_reference=b"\x02\x00\x00\x1d\x9c",
            date=when,
            sizes=[size],
            dc_id=4,
        )
    )


def document(doc_id: int, when: datetime, mime: str, attribute: Any) -> t.MessageMediaDocument:
    return t.MessageMediaDocument(
        document=t.Document(
            id=doc_id,
            access_hash=7_000_000_000 + doc_id,
            file_reference=b"\x02\x00\x01",
            date=when,
            mime_type=mime,
            size=1_048_576,
            dc_id=4,
            attributes=[attribute],
        )
    )


def reactions(*counts: tuple[str, int]) -> t.MessageReactions:
    return t.MessageReactions(
        results=[t.ReactionCount(reaction=t.ReactionEmoji(e), count=n) for e, n in counts]
    )


def arabic_channel_post() -> t.Message:
    return t.Message(
        id=4521,
        peer_id=t.PeerChannel(1734567890),
        date=at(3, 8, 15),
        message=AR_POST,
        post=True,
        entities=[
            t.MessageEntityHashtag(*span(AR_POST, "#حجب_المواقع")),
            t.MessageEntityUrl(*span(AR_POST, "https://raqib.example/r/12")),
        ],
        media=photo(5_300_000_000_000_000_001, at(3, 8, 15)),
        views=18250,
        forwards=340,
        replies=t.MessageReplies(replies=27, replies_pts=91000, comments=True),
        reactions=reactions(("👍", 410), ("😢", 96)),
    )


def hebrew_forwarded_post() -> t.Message:
    return t.Message(
        id=4522,
        peer_id=t.PeerChannel(1734567890),
        date=at(4, 17, 40),
        message=HE_POST,
        post=True,
        fwd_from=t.MessageFwdHeader(
            date=at(4, 16, 5), from_id=t.PeerChannel(1698765432), channel_post=877
        ),
        entities=[
            t.MessageEntityMention(*span(HE_POST, "@hofesh_bareshet")),
            t.MessageEntityHashtag(*span(HE_POST, "#צנזורה")),
        ],
        views=5120,
        forwards=12,
    )


def english_edited_post() -> t.Message:
    video = t.DocumentAttributeVideo(duration=42.0, w=1280, h=720)
    return t.Message(
        id=4523,
        peer_id=t.PeerChannel(1734567890),
        date=at(5, 9, 0),
        message=EN_POST,
        post=True,
        edit_date=at(5, 9, 30),
        post_author="Desk editor",
        entities=[
            t.MessageEntityBold(0, 4),
            t.MessageEntityTextUrl(*span(EN_POST, "report"), url="https://raqib.example/shutdown"),
        ],
        media=document(6_100_000_000_000_000_001, at(5, 9, 0), "video/mp4", video),
        views=2210,
        forwards=0,
    )


def channel_service_message() -> t.MessageService:
    return t.MessageService(
        id=4524,
        peer_id=t.PeerChannel(1734567890),
        date=at(5, 10, 0),
        action=t.MessageActionPinMessage(),
        reply_to=t.MessageReplyHeader(reply_to_msg_id=4521),
    )


def group_messages() -> list[t.Message]:
    group = t.PeerChannel(1812345678)
    voice = t.DocumentAttributeAudio(duration=12, voice=True)
    return [
        t.Message(
            id=310,
            peer_id=group,
            date=at(6, 21, 5),
            message=AR_REPLY,
            from_id=t.PeerUser(6012345678),
            reply_to=t.MessageReplyHeader(reply_to_msg_id=305, reply_to_top_id=300),
            entities=[t.MessageEntityHashtag(*span(AR_REPLY, "#shutdown"))],
            reactions=reactions(("🔥", 3)),
        ),
        t.Message(
            id=311,
            peer_id=group,
            date=at(6, 21, 9),
            message=EN_REPLY,
            from_id=t.PeerUser(6087654321),
            reply_to=t.MessageReplyHeader(reply_to_msg_id=310),
            media=document(6_100_000_000_000_000_002, at(6, 21, 9), "audio/ogg", voice),
        ),
    ]


def with_chat(message: t.Message, chat: dict[str, Any]) -> str:
    """A to_json() line with the collector's "_chat" key added at the end."""
    line: str = message.to_json()
    return line[:-1] + ', "_chat": ' + json.dumps(chat) + "}"


def write_telethon() -> None:
    folder = FIXTURES / "telegram_telethon"
    folder.mkdir(parents=True, exist_ok=True)
    chat = {"id": 1734567890, "username": "raqib_net_demo", "title": "رقيب الشبكة"}
    lines = [
        with_chat(arabic_channel_post(), chat),
        with_chat(hebrew_forwarded_post(), chat),
        channel_service_message().to_json(),
        english_edited_post().to_json(),
    ]
    (folder / "channel_messages.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    dicts = [json.dumps(m.to_dict(), default=str) for m in group_messages()]
    (folder / "group_to_dict.jsonl").write_text("\n".join(dicts) + "\n", encoding="utf-8")


# --- Telegram Desktop ------------------------------------------------------------------------


def unixtime(when: datetime) -> str:
    return str(int(when.timestamp()))


def local(when: datetime) -> str:
    """The exporting machine's local time (UTC+2 here), as Desktop writes `date`."""
    return datetime.fromtimestamp(when.timestamp() + 7200, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def dates(when: datetime, edited: datetime | None = None) -> dict[str, str]:
    stamp = {"date": local(when), "date_unixtime": unixtime(when)}
    if edited:
        stamp |= {"edited": local(edited), "edited_unixtime": unixtime(edited)}
    return stamp


def channel_export() -> dict[str, Any]:
    sender = {"from": "مرصد الحجب", "from_id": "channel1745678901"}
    arabic_parts: list[Any] = [
        "انقطاع الإنترنت في ثلاث مدن منذ الصباح ",
        {"type": "hashtag", "text": "#قطع_الإنترنت"},
        "\nالتقرير: ",
        {"type": "link", "text": "https://marsad-hajb.example/r/7"},
    ]
    entities = [{"type": "plain", "text": p} if isinstance(p, str) else p for p in arabic_parts]
    english_parts: list[Any] = [
        "Our ",
        {"type": "text_link", "text": "weekly summary", "href": "https://marsad-hajb.example/w/11"},
        " of removed posts is out, thanks ",
        {"type": "mention", "text": "@open_net_lab"},
    ]
    english_entities = [
        {"type": "plain", "text": p} if isinstance(p, str) else p for p in english_parts
    ]
    messages = [
        {
            "id": 1,
            "type": "service",
            **dates(at(1, 7)),
            "actor": "مرصد الحجب",
            "actor_id": "channel1745678901",
            "action": "create_channel",
            "title": "مرصد الحجب",
            "text": "",
            "text_entities": [],
        },
        {
            "id": 2,
            "type": "message",
            **dates(at(2, 10), edited=at(2, 10, 20)),
            **sender,
            "photo": NOT_INCLUDED,
            "width": 1280,
            "height": 853,
            "text": arabic_parts,
            "text_entities": entities,
            "reactions": [
                {"type": "emoji", "count": 57, "emoji": "😢"},
                {"type": "emoji", "count": 12, "emoji": "👍"},
                {"type": "custom_emoji", "count": 2, "document_id": "5368324170671202286"},
            ],
        },
        {
            "id": 3,
            "type": "message",
            **dates(at(2, 14, 30)),
            **sender,
            "forwarded_from": "חדשות הרשת",
            "text": "הפוסט שלנו על ההפגנה הוסר מפייסבוק בלי הסבר",
            "text_entities": [
                {"type": "plain", "text": "הפוסט שלנו על ההפגנה הוסר מפייסבוק בלי הסבר"}
            ],
        },
        {
            "id": 4,
            "type": "message",
            **dates(at(3, 8, 45)),
            **sender,
            "reply_to_message_id": 2,
            "file": NOT_INCLUDED,
            "file_name": "shutdown_map.mp4",
            "file_size": 2483120,
            "thumbnail": NOT_INCLUDED,
            "media_type": "video_file",
            "mime_type": "video/mp4",
            "duration_seconds": 31,
            "width": 1280,
            "height": 720,
            "text": english_parts,
            "text_entities": english_entities,
        },
        {
            "id": 5,
            "type": "service",
            **dates(at(3, 9)),
            "actor": "مرصد الحجب",
            "actor_id": "channel1745678901",
            "action": "pin_message",
            "message_id": 4,
            "text": "",
            "text_entities": [],
        },
    ]
    return {"name": "مرصد الحجب", "type": "public_channel", "id": 1745678901, "messages": messages}


def group_chat() -> dict[str, Any]:
    return {
        "name": "Digital Rights Helpdesk",
        "type": "private_supergroup",
        "id": 1923456780,
        "messages": [
            {
                "id": 88,
                "type": "message",
                **dates(at(10, 19, 2)),
                "from": "Noor",
                "from_id": "user7012345678",
                "text": "hesabi on insta et3ala2 ba3d ma nasharet 3an el mozahra, shu a3mal?",
                "text_entities": [
                    {
                        "type": "plain",
                        "text": "hesabi on insta et3ala2 ba3d ma nasharet 3an el mozahra, "
                        "shu a3mal?",
                    }
                ],
            },
            {
                "id": 89,
                "type": "message",
                **dates(at(10, 19, 10)),
                "from": "Helpdesk volunteer",
                "from_id": "user7098765432",
                "reply_to_message_id": 88,
                "text": [
                    "Appeal through the form first, then write to ",
                    {"type": "mention", "text": "@appeals_desk_demo"},
                    " ",
                    {"type": "hashtag", "text": "#AccountSuspended"},
                ],
                "text_entities": [
                    {"type": "plain", "text": "Appeal through the form first, then write to "},
                    {"type": "mention", "text": "@appeals_desk_demo"},
                    {"type": "plain", "text": " "},
                    {"type": "hashtag", "text": "#AccountSuspended"},
                ],
                "reactions": [{"type": "emoji", "count": 4, "emoji": "🙏"}],
            },
            {
                "id": 90,
                "type": "service",
                **dates(at(10, 19, 30)),
                "actor": "Dana",
                "actor_id": "user7055555555",
                "action": "join_group_by_link",
                "inviter": "Group",
                "text": "",
                "text_entities": [],
            },
        ],
    }


def left_channel() -> dict[str, Any]:
    return {
        "name": "ערוץ חדשות הצפון",
        "type": "public_channel",
        "id": 1667788990,
        "messages": [
            {
                "id": 1201,
                "type": "message",
                **dates(at(12, 6, 0)),
                "from": "ערוץ חדשות הצפון",
                "from_id": "channel1667788990",
                "media_type": "voice_message",
                "file": NOT_INCLUDED,
                "mime_type": "audio/ogg",
                "duration_seconds": 18,
                "text": "",
                "text_entities": [],
            }
        ],
    }


def account_export() -> dict[str, Any]:
    return {
        "about": "Here is the data you requested. Remember: Telegram is ad free, "
        "doesn't sell your data and lets you export it freely.",
        "personal_information": {
            "user_id": 7000000001,
            "first_name": "Research",
            "last_name": "Account",
            "phone_number": "+000 00 000 0000",
            "username": "@rights_research_demo",
        },
        "chats": {
            "about": "This page lists all chats from this export.",
            "list": [group_chat()],
        },
        "left_chats": {
            "about": "This page lists all supergroups and channels you've left.",
            "list": [left_channel()],
        },
    }


def write_desktop() -> None:
    folder = FIXTURES / "telegram_desktop"
    folder.mkdir(parents=True, exist_ok=True)
    for name, document in (
        ("channel_result.json", channel_export()),
        ("account_result.json", account_export()),
    ):
        text = json.dumps(document, ensure_ascii=False, indent=1)
        (folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_telethon()
    write_desktop()
