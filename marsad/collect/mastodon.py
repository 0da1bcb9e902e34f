"""Mastodon: hashtag timelines, the public (or local) timeline and accounts' statuses.

Each is one stream, paged newest to oldest with `limit=40` and `max_id` (taken from the
`Link: <...>; rel="next"` header when there is one, else the last status's id) until a status
is older than `since`. Statuses newer than `until` are skipped. An open-ended collection (no
`until`) collects, on each later run, the statuses newer than the newest one of the previous
pass (`since_id`). `keywords` keep only the statuses whose text (content, content warning or
boosted content) holds one of them, compared case-insensitively.

Saved lines: one Status per line as the API returned it, plus `"_instance": "<host>"`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import orjson

from marsad.collect.base import CollectError, Fetched, State, Stream
from marsad.collect.config import Collection, parse_moment
from marsad.collect.http import Http, HttpError

PAGE_LIMIT = 40
TAG_RE = re.compile(r"<[^>]+>")
NEXT_LINK_RE = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


def mastodon_streams(collection: Collection, http: Http) -> Iterator[Stream]:
    for tag in collection.hashtags:
        yield MastodonStream(collection, http, "tag", tag)
    if collection.public:
        yield MastodonStream(collection, http, "local" if collection.local else "public", "")
    for account in collection.accounts:
        yield MastodonStream(collection, http, "account", account)


class MastodonStream:
    def __init__(self, collection: Collection, http: Http, kind: str, value: str) -> None:
        self.collection = collection
        self.http = http
        self.kind = kind
        self.value = value
        self.key = f"{kind}:{value}" if value else kind

    def start(self, saved: Mapping[str, Any] | None) -> State | None:
        if saved is None:
            return {"max_id": None, "floor_id": None, "top_id": None, "finished": False}
        state = dict(saved)
        if not state.get("finished"):
            return state
        if self.collection.until is not None:
            return None  # the closed period is collected
        state.update(
            max_id=None,
            floor_id=state.get("top_id") or state.get("floor_id"),
            top_id=None,
            finished=False,
        )
        return state

    def fetch(self, state: State) -> Fetched:
        state = dict(state)
        url = self._url(state)
        params: dict[str, str | int | list[str]] = {"limit": PAGE_LIMIT}
        if state.get("max_id"):
            params["max_id"] = str(state["max_id"])
        if state.get("floor_id"):
            params["since_id"] = str(state["floor_id"])
        if self.kind == "local":
            params["local"] = "true"
        response = self.http.get_json(url, params)
        statuses = response.data
        if not isinstance(statuses, list) or not all(isinstance(s, dict) for s in statuses):
            raise CollectError(f"{url}: expected a list of statuses, got {str(statuses)[:200]}")
        if not statuses:
            state["finished"] = True
            return Fetched([], state, True)
        return self._page(statuses, state, response.headers.get("link"))

    def _page(self, statuses: list[dict[str, Any]], state: State, link: str | None) -> Fetched:
        c = self.collection
        lines = [
            orjson.dumps({**status, "_instance": c.host})
            for status in statuses
            if self._in_period(status) and matches(status, c.keywords)
        ]
        next_max = _next_max_id(link) or str(statuses[-1].get("id", ""))
        oldest = _created(statuses[-1])
        finished = (
            oldest < c.since or not next_max or (link is not None and _next_max_id(link) is None)
        )
        state.update(
            max_id=next_max,
            top_id=state.get("top_id") or str(statuses[0].get("id", "")),
            finished=finished,
        )
        return Fetched(lines, state, finished)

    def _in_period(self, status: Mapping[str, Any]) -> bool:
        created = _created(status)
        until = self.collection.until
        return created >= self.collection.since and (until is None or created < until)

    def _url(self, state: State) -> str:
        base = self.collection.instance + "/api/v1"
        if self.kind == "tag":
            return f"{base}/timelines/tag/{quote(self.value, safe='')}"
        if self.kind in ("public", "local"):
            return f"{base}/timelines/public"
        if not state.get("account_id"):
            state["account_id"] = self._account_id()
        return f"{base}/accounts/{quote(str(state['account_id']), safe='')}/statuses"

    def _account_id(self) -> str:
        url = self.collection.instance + "/api/v1/accounts/lookup"
        try:
            account = self.http.get_json(url, {"acct": self.value}).data
        except HttpError as error:
            if error.status == 404:
                raise CollectError(f"no account {self.value!r} on {self.collection.host}") from None
            raise
        if not isinstance(account, dict) or "id" not in account:
            raise CollectError(f"{url}: unexpected answer for {self.value!r}")
        return str(account["id"])


def matches(status: Mapping[str, Any], keywords: tuple[str, ...]) -> bool:
    """True when there are no keywords or the status's text holds one (case-insensitive)."""
    if not keywords:
        return True
    text = status_text(status).casefold()
    return any(keyword.casefold() in text for keyword in keywords)


def status_text(status: Mapping[str, Any]) -> str:
    parts = [str(status.get("spoiler_text") or ""), str(status.get("content") or "")]
    reblog = status.get("reblog")
    if isinstance(reblog, Mapping):
        parts.append(status_text(reblog))
    return html.unescape(TAG_RE.sub(" ", " ".join(parts)))


def _created(status: Mapping[str, Any]) -> datetime:
    try:
        return parse_moment(status["created_at"])
    except (KeyError, ValueError) as error:
        raise CollectError(f"status {status.get('id')!r} has no readable created_at") from error


def _next_max_id(link: str | None) -> str | None:
    if not link:
        return None
    found = NEXT_LINK_RE.search(link)
    if not found:
        return None
    values = parse_qs(urlsplit(found.group(1)).query).get("max_id")
    return values[0] if values else None
