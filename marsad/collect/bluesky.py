"""Bluesky: post search (`app.bsky.feed.searchPosts`) and accounts' feeds
(`app.bsky.feed.getAuthorFeed`), through the public AppView or, logged in, the user's PDS.

Every keyword and every hashtag (searched as `#tag`) is one search stream, paged with
`sort=latest&since=&until=&limit=100&cursor=` until no cursor comes back. Every account is
one author-feed stream, paged with `cursor` until an item is older than `since`; a page is
saved when one of its items falls in the period (items are dated by the repost's time for
reposts, else the post's `indexedAt`). An open-ended collection (no `until`) collects, on
each later run, what is newer than the newest post of the previous pass.

Bluesky often refuses unauthenticated search (403), and search paging with a cursor; with
`MARSAD_BLUESKY_HANDLE` and `MARSAD_BLUESKY_APP_PASSWORD` set, marsad logs in
(`com.atproto.server.createSession` on `MARSAD_BLUESKY_PDS`, default https://bsky.social) and
sends its requests to that PDS with the session's token.

Saved lines: one response per line, exactly as returned.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import orjson

from marsad.collect.base import CollectError, Fetched, State, Stream
from marsad.collect.config import Collection, parse_moment
from marsad.collect.http import Http, HttpError

PUBLIC_APPVIEW = "https://public.api.bsky.app"
DEFAULT_PDS = "https://bsky.social"
HANDLE_ENV = "MARSAD_BLUESKY_HANDLE"
PASSWORD_ENV = "MARSAD_BLUESKY_APP_PASSWORD"
PDS_ENV = "MARSAD_BLUESKY_PDS"
PAGE_LIMIT = 100
REFUSED_SEARCH = (
    "Bluesky refused the search (HTTP {status}); it often refuses searches without a login: "
    f"set {HANDLE_ENV} and {PASSWORD_ENV} (an app password) and run again"
)


class BlueskyApi:
    """XRPC GETs, with a login session when credentials are given (renewed once expired)."""

    def __init__(self, http: Http, base: str, login: tuple[str, str] | None = None) -> None:
        self.http = http
        self.base = base.rstrip("/")
        self.login = login
        self.token: str | None = None

    @classmethod
    def for_collection(
        cls, collection: Collection, http: Http, environ: Mapping[str, str]
    ) -> BlueskyApi:
        handle, password = environ.get(HANDLE_ENV), environ.get(PASSWORD_ENV)
        if handle and password:
            base = collection.instance or environ.get(PDS_ENV) or DEFAULT_PDS
            return cls(http, base, (handle, password))
        return cls(http, collection.instance or PUBLIC_APPVIEW)

    @property
    def logged_in(self) -> bool:
        return self.login is not None

    def get(self, method: str, params: dict[str, str | int | list[str]]) -> Any:
        url = f"{self.base}/xrpc/{method}"
        if self.login and self.token is None:
            self._create_session()
        try:
            return self.http.get_json(url, params, self._headers()).data
        except HttpError as error:
            if not (self.login and "ExpiredToken" in error.body):
                raise
        self._create_session()
        return self.http.get_json(url, params, self._headers()).data

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def _create_session(self) -> None:
        assert self.login is not None
        handle, password = self.login
        url = f"{self.base}/xrpc/com.atproto.server.createSession"
        try:
            data = self.http.post_json(url, {"identifier": handle, "password": password}).data
        except HttpError as error:
            raise CollectError(
                f"Bluesky login as {handle!r} at {self.base} failed (HTTP {error.status}); "
                f"check {HANDLE_ENV} and {PASSWORD_ENV}"
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("accessJwt"), str):
            raise CollectError(f"Bluesky login at {self.base}: unexpected answer")
        self.token = data["accessJwt"]


def bluesky_streams(collection: Collection, api: BlueskyApi) -> Iterator[Stream]:
    for keyword in collection.keywords:
        yield SearchStream(collection, api, keyword)
    for tag in collection.hashtags:
        yield SearchStream(collection, api, f"#{tag}")
    for actor in collection.accounts:
        yield AuthorFeedStream(collection, api, actor)


class _PassStream:
    """A stream paged newest to oldest by cursor; `floor` is the oldest time of the pass."""

    key: str

    def __init__(self, collection: Collection, api: BlueskyApi) -> None:
        self.collection = collection
        self.api = api

    def start(self, saved: Mapping[str, Any] | None) -> State | None:
        since = _iso(self.collection.since)
        if saved is None:
            return {"cursor": None, "floor": since, "top": None, "finished": False}
        state = dict(saved)
        if not state.get("finished"):
            return state
        if self.collection.until is not None:
            return None
        floor = state.get("top") or state.get("floor") or since
        state.update(cursor=None, floor=floor, top=None, finished=False)
        return state

    def _advance(self, state: State, cursor: Any, times: list[datetime], done: bool) -> State:
        state = dict(state)
        newest = max(times, default=None)
        top = state.get("top")
        if newest is not None and (top is None or newest > parse_moment(top)):
            state["top"] = _iso(newest)
        state["cursor"] = cursor if isinstance(cursor, str) and cursor else None
        state["finished"] = done or state["cursor"] is None
        return state


class SearchStream(_PassStream):
    def __init__(self, collection: Collection, api: BlueskyApi, query: str) -> None:
        super().__init__(collection, api)
        self.query = query
        self.key = f"search:{query}"

    def fetch(self, state: State) -> Fetched:
        params: dict[str, str | int | list[str]] = {
            "q": self.query,
            "sort": "latest",
            "since": str(state["floor"]),
            "limit": PAGE_LIMIT,
        }
        if self.collection.until is not None:
            params["until"] = _iso(self.collection.until)
        if state.get("cursor"):
            params["cursor"] = str(state["cursor"])
        try:
            data = self.api.get("app.bsky.feed.searchPosts", params)
        except HttpError as error:
            if error.status in (401, 403) and not self.api.logged_in:
                raise CollectError(REFUSED_SEARCH.format(status=error.status)) from None
            raise
        posts = data.get("posts") if isinstance(data, dict) else None
        if not isinstance(posts, list):
            raise CollectError(f"searchPosts {self.query!r}: unexpected answer {str(data)[:200]}")
        times = [_post_time(post) for post in posts]
        state = self._advance(state, data.get("cursor"), times, done=not posts)
        lines = [orjson.dumps(data)] if posts else []
        return Fetched(lines, state, state["finished"])


class AuthorFeedStream(_PassStream):
    def __init__(self, collection: Collection, api: BlueskyApi, actor: str) -> None:
        super().__init__(collection, api)
        self.actor = actor
        self.key = f"author:{actor}"

    def fetch(self, state: State) -> Fetched:
        params: dict[str, str | int | list[str]] = {"actor": self.actor, "limit": PAGE_LIMIT}
        if state.get("cursor"):
            params["cursor"] = str(state["cursor"])
        try:
            data = self.api.get("app.bsky.feed.getAuthorFeed", params)
        except HttpError as error:
            if error.status == 400 and "NotFound" in error.body:
                raise CollectError(f"no Bluesky account {self.actor!r}") from None
            raise
        feed = data.get("feed") if isinstance(data, dict) else None
        if not isinstance(feed, list):
            raise CollectError(f"getAuthorFeed {self.actor!r}: unexpected answer {str(data)[:200]}")
        times = [_item_time(item) for item in feed]
        floor = parse_moment(state["floor"])
        done = not feed or times[-1] < floor
        state = self._advance(state, data.get("cursor"), times, done)
        until = self.collection.until
        keep = any(t >= floor and (until is None or t < until) for t in times)
        return Fetched([orjson.dumps(data)] if keep else [], state, state["finished"])


def _post_time(post: Any) -> datetime:
    try:
        return parse_moment(post.get("indexedAt") or post["record"]["createdAt"])
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise CollectError(f"a Bluesky post without a readable time: {str(post)[:200]}") from error


def _item_time(item: Any) -> datetime:
    reason = item.get("reason") if isinstance(item, dict) else None
    if isinstance(reason, dict) and reason.get("indexedAt"):
        try:
            return parse_moment(reason["indexedAt"])
        except ValueError:
            pass
    return _post_time(item.get("post") if isinstance(item, dict) else None)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
