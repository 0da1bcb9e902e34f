"""Write the Telegram demo exports in marsad/demo/data/ from the synthetic generator.

Run once, then commit the outputs: `python scripts/make_telegram_demo_data.py`. Fixed seeds:
running it again rewrites the same bytes.

- telegram_desktop_result.json: a Telegram Desktop "Export chat history" of a group, as
  Telegram Desktop writes it (machine-readable JSON, one-space indentation);
- telegram_telethon_channels.jsonl: channel posts as Telethon `Message.to_json()` lines with
  the collector's `"_chat"` key.
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telethon.tl import types as tl

from marsad.demo.synth import generate_table_rows

DATA_DIR = Path(__file__).resolve().parent.parent / "marsad" / "demo" / "data"
START = datetime(2025, 1, 1, tzinfo=UTC)
ENTITY = re.compile(r"#\w+|https?://\S+|@\w+")
KINDS = {"#": "hashtag", "h": "link", "@": "mention"}
GROUP_ID = 1955500001
MEMBERS = [
    ("Rana", 7100000001), ("Yossi", 7100000002), ("Sam", 7100000003),
    ("ليلى", 7100000004), ("נועה", 7100000005), ("Karim", 7100000006),
]  # fmt: skip
CHANNEL_IDS: dict[str, int] = {}  # filled per channel name, in order of appearance: 1966600001, ...
EMOJI = ("👍", "😢", "🔥", "😡", "🙏")


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def desktop_parts(text: str) -> list[Any]:
    """`text` as Telegram Desktop writes formatted text: strings and {"type", "text"}."""
    parts: list[Any] = []
    at = 0
    for match in ENTITY.finditer(text):
        if match.start() > at:
            parts.append(text[at : match.start()])
        parts.append({"type": KINDS[match.group()[0]], "text": match.group()})
        at = match.end()
    if at < len(text):
        parts.append(text[at:])
    return parts


def desktop_message(number: int, row: dict[str, str], rng: random.Random) -> dict[str, Any]:
    when = datetime.fromisoformat(row["date"]).replace(tzinfo=UTC)
    name, user_id = MEMBERS[rng.randrange(len(MEMBERS))]
    parts = desktop_parts(row["text"])
    message: dict[str, Any] = {
        "id": number,
        "type": "message",
        "date": (when + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S"),  # local, UTC+2
        "date_unixtime": str(int(when.timestamp())),
        "from": name,
        "from_id": f"user{user_id}",
    }
    if number > 3 and rng.random() < 0.3:
        message["reply_to_message_id"] = number - 1 - rng.randrange(3)
    if rng.random() < 0.15:
        message |= {"photo": "(File not included. Change data exporting settings to download.)"}
    message["text"] = parts[0] if len(parts) == 1 and isinstance(parts[0], str) else parts
    message["text_entities"] = [
        {"type": "plain", "text": p} if isinstance(p, str) else p for p in parts
    ]
    if rng.random() < 0.5:
        message["reactions"] = [
            {"type": "emoji", "count": 1 + rng.randrange(9), "emoji": e}
            for e in rng.sample(EMOJI, 1 + rng.randrange(2))
        ]
    return message


def write_desktop(path: Path) -> int:
    rng = random.Random(2031)
    rows = generate_table_rows(30, seed=2031, platform="telegram", start=START, days=365)
    messages = [desktop_message(i, row, rng) for i, row in enumerate(rows, 2)]
    first = messages[0]["date_unixtime"]
    join = {
        "id": 1,
        "type": "service",
        "date": datetime.fromtimestamp(int(first) - 600, UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "date_unixtime": str(int(first) - 600),
        "actor": "Rana",
        "actor_id": "user7100000001",
        "action": "create_group",
        "title": "منصة الحقوق الرقمية | Digital rights desk",
        "members": ["Yossi", "Sam"],
        "text": "",
        "text_entities": [],
    }
    chat = {
        "name": "منصة الحقوق الرقمية | Digital rights desk",
        "type": "private_supergroup",
        "id": GROUP_ID,
        "messages": [join, *messages],
    }
    path.write_text(json.dumps(chat, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(messages)


def telethon_entities(text: str) -> list[Any]:
    found: list[Any] = []
    for match in ENTITY.finditer(text):
        offset, length = utf16(text[: match.start()]), utf16(match.group())
        kind = {"#": tl.MessageEntityHashtag, "@": tl.MessageEntityMention}
        found.append(kind.get(match.group()[0], tl.MessageEntityUrl)(offset, length))
    return found


def telethon_line(row: dict[str, str], rng: random.Random) -> str:
    channel = row["author"]
    channel_id = CHANNEL_IDS.setdefault(channel, 1966600001 + len(CHANNEL_IDS))
    views = 200 + rng.randrange(20_000)
    reactions = [
        tl.ReactionCount(reaction=tl.ReactionEmoji(e), count=1 + rng.randrange(views // 20))
        for e in rng.sample(EMOJI, rng.randrange(3))
    ]
    message = tl.Message(
        id=int(row["id"]),
        peer_id=tl.PeerChannel(channel_id),
        date=datetime.fromisoformat(row["date"]).replace(tzinfo=UTC),
        message=row["text"],
        post=True,
        entities=telethon_entities(row["text"]) or None,
        views=views,
        forwards=rng.randrange(views // 10),
        reactions=tl.MessageReactions(results=reactions) if reactions else None,
    )
    chat = {"id": channel_id, "username": channel, "title": channel.replace("_", " ").title()}
    line: str = message.to_json()
    return line[:-1] + ', "_chat": ' + json.dumps(chat) + "}"


def write_telethon(path: Path) -> int:
    rng = random.Random(2032)
    rows = generate_table_rows(30, seed=2032, platform="telegram", start=START, days=365)
    path.write_text("".join(telethon_line(row, rng) + "\n" for row in rows), encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    print(write_desktop(DATA_DIR / "telegram_desktop_result.json"))
    print(write_telethon(DATA_DIR / "telegram_telethon_channels.jsonl"))
