"""Telegram public channels, read with Telethon and the user's own API credentials.

Every channel is one stream, read oldest to newest (`iter_messages(channel, reverse=True)`)
from `since` (`offset_date`), then from the checkpoint's last message id (`min_id`), in pages
of 100 messages, until a message is at or after `until` or the channel has nothing newer; a
later run of an open-ended collection goes on from the last id. `keywords` keep only the
messages whose text holds one of them (case-insensitive). A `FloodWaitError` makes the
stream sleep the seconds Telegram asks for, then go on from the checkpoint.

Credentials: `MARSAD_TELEGRAM_API_ID` and `MARSAD_TELEGRAM_API_HASH` (from
https://my.telegram.org), never in the config file; the login session is kept in the
project's `collect/telegram.session` (readable by its owner only). Telethon is imported
only here, only when a Telegram collection runs (the `telegram` extra).

Saved lines: one `message.to_json()` per line, plus
`"_chat": {"id": <bare channel id>, "username": "...", "title": "..."}`.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import orjson

from marsad.collect.base import CollectError, Fetched, Sleep, State, Stream
from marsad.collect.config import Collection, parse_moment

API_ID_ENV = "MARSAD_TELEGRAM_API_ID"
API_HASH_ENV = "MARSAD_TELEGRAM_API_HASH"
SESSION_NAME = "telegram.session"
PAGE_SIZE = 100
INSTALL_HINT = "Telegram collection needs Telethon: install marsad[telegram]"


class TelegramClientLike(Protocol):
    """What the collector needs of a (synchronous) Telethon client."""

    def get_entity(self, entity: str) -> Any: ...

    def iter_messages(
        self, entity: Any, limit: int | None = None, **kwargs: Any
    ) -> Iterable[Any]: ...


def telegram_streams(
    collection: Collection, client: TelegramClientLike, sleep: Sleep
) -> Iterator[Stream]:
    for channel in collection.accounts:
        yield ChannelStream(collection, client, channel, sleep)


class ChannelStream:
    def __init__(
        self,
        collection: Collection,
        client: TelegramClientLike,
        channel: str,
        sleep: Sleep,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.collection = collection
        self.client = client
        self.channel = channel
        self.sleep = sleep
        self.page_size = page_size
        self.key = f"channel:{channel}"

    def start(self, saved: Mapping[str, Any] | None) -> State | None:
        if saved is None:
            return {"last_id": 0, "chat": None, "finished": False}
        state = dict(saved)
        if state.get("finished") and state.get("reached_until"):
            return None
        state["finished"] = False
        return state

    def fetch(self, state: State) -> Fetched:
        flood_wait, rpc_error = _telethon_errors()
        try:
            return self._fetch(dict(state), flood_wait)
        except (rpc_error, ValueError, ConnectionError) as error:
            # a private or unknown channel, a banned account, a lost connection
            raise CollectError(f"Telegram channel {self.channel!r}: {error}") from error

    def _fetch(self, state: State, flood_wait: type[Any]) -> Fetched:
        if not state.get("chat"):
            try:
                state["chat"] = self._chat()
            except flood_wait as error:
                self.sleep(float(error.seconds))
                return Fetched([], state, False)
        lines: list[bytes] = []
        try:
            return self._page(state, lines)
        except flood_wait as error:
            # what was read before the error is kept (the state is past it), then the wait
            self.sleep(float(error.seconds))
            return Fetched(lines, state, False)

    def _chat(self) -> dict[str, Any]:
        entity = self.client.get_entity(self.channel)
        return {
            "id": getattr(entity, "id", None),
            "username": getattr(entity, "username", None) or self.channel,
            "title": getattr(entity, "title", None),
        }

    def _page(self, state: State, lines: list[bytes]) -> Fetched:
        """Read up to a page of messages into `lines`, moving `state` past each one."""
        kwargs: dict[str, Any] = {"reverse": True}
        if state.get("last_id"):
            kwargs["min_id"] = int(state["last_id"])
        else:
            kwargs["offset_date"] = self.collection.since
        seen = 0
        for message in self.client.iter_messages(self.channel, limit=self.page_size, **kwargs):
            if self._after_until(message):
                state.update(finished=True, reached_until=True)
                return Fetched(lines, state, True)
            seen += 1
            state["last_id"] = max(int(state.get("last_id") or 0), int(message.id))
            if self._keep(message):
                lines.append(self._line(message, state["chat"]))
        state["finished"] = seen < self.page_size
        until = self.collection.until
        if state["finished"] and until is not None and until <= datetime.now(UTC):
            state["reached_until"] = True  # nothing newer, and the period is over
        return Fetched(lines, state, state["finished"])

    def _after_until(self, message: Any) -> bool:
        until = self.collection.until
        date = getattr(message, "date", None)
        return until is not None and date is not None and parse_moment(date) >= until

    def _keep(self, message: Any) -> bool:
        text = getattr(message, "message", None)
        if text is None:  # a service message (joined, pinned, ...), not a post
            return False
        keywords = self.collection.keywords
        return not keywords or any(k.casefold() in text.casefold() for k in keywords)

    def _line(self, message: Any, chat: Mapping[str, Any]) -> bytes:
        data = json.loads(message.to_json())
        data["_chat"] = dict(chat)
        return orjson.dumps(data)


def _telethon_errors() -> tuple[type[Any], type[Any]]:
    """Telethon's FloodWaitError and RPCError (imported only when a channel is read)."""
    try:
        from telethon.errors import FloodWaitError, RPCError
    except ImportError as error:  # pragma: no cover - the default install lacks it
        raise CollectError(INSTALL_HINT) from error
    return FloodWaitError, RPCError


def open_client(project_dir: Path, environ: Mapping[str, str]) -> Any:
    """A started, synchronous Telethon client; asks for the phone number and the login code
    on the terminal the first time, then reuses the session file."""
    try:
        import telethon.sync  # noqa: F401  (makes the client's methods synchronous)
        from telethon import TelegramClient
    except ImportError as error:
        raise CollectError(f"{INSTALL_HINT} (pip install 'marsad[telegram]')") from error
    api_id, api_hash = environ.get(API_ID_ENV, ""), environ.get(API_HASH_ENV, "")
    if not api_id or not api_hash:
        raise CollectError(
            f"Telegram collection needs {API_ID_ENV} and {API_HASH_ENV} in the environment "
            "(your own API credentials from https://my.telegram.org)"
        )
    if not api_id.strip().isdigit():
        raise CollectError(f"{API_ID_ENV} must be a number")
    session = session_path(project_dir)
    session.parent.mkdir(parents=True, exist_ok=True)
    client = TelegramClient(str(session), int(api_id), api_hash.strip())
    client.start()
    with contextlib.suppress(OSError):
        os.chmod(session, 0o600)
    return client


def session_path(project_dir: Path) -> Path:
    return project_dir / "collect" / SESSION_NAME
