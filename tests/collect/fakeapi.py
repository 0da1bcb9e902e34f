"""A real HTTP server on 127.0.0.1 serving Mastodon- and Bluesky-shaped answers.

The answers are written by hand after the APIs' documentation: the Mastodon Status entity,
timelines paged with `max_id` / `since_id` and a `Link` header, `accounts/lookup`; Bluesky's
`app.bsky.feed.searchPosts` (`{"posts": [PostView], "cursor"}`) and `getAuthorFeed`
(`{"feed": [FeedViewPost], "cursor"}`). Scripted replies (429, 503, a body cut off) can be
queued before the normal answers, and a request can be held (the server waits) so that a
test can kill the client at that moment.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

import orjson

T0 = datetime(2025, 1, 1, tzinfo=UTC)
HOST = "mastodon.example"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    cut: bool = False  # send half the body, then close the connection

    @classmethod
    def json(cls, data: object, status: int = 200, **headers: str) -> Reply:
        return cls(status, orjson.dumps(data), dict(headers))


@dataclass(frozen=True)
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    method: str = "GET"
    body: bytes = b""

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


Route = Callable[[Seen], Reply]


class FakeApi:
    def __init__(self, route: Route) -> None:
        self.route = route
        self.requests: list[Seen] = []
        self.scripted: deque[Reply] = deque()
        self.hold_at: int | None = None  # request number (1-based) to hold
        self.released = threading.Event()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def push(self, *replies: Reply) -> None:
        """Serve these, in order, to the next requests (before the normal answers)."""
        self.scripted.extend(replies)

    def answer(self, seen: Seen) -> Reply:
        with self.lock:
            self.requests.append(seen)
            number = len(self.requests)
            scripted = self.scripted.popleft() if self.scripted else None
        if self.hold_at is not None and number >= self.hold_at:
            self.released.wait(30)
        return scripted or self.route(seen)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._serve(b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._serve(self.rfile.read(length))

            def _serve(self, body: bytes) -> None:
                parts = urlsplit(self.path)
                seen = Seen(
                    unquote(parts.path),
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.command,
                    body,
                )
                reply = api.answer(seen)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if reply.cut:
                    self.wfile.write(reply.body[: len(reply.body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> FakeApi:
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def serving(route: Route) -> Iterator[FakeApi]:
    with FakeApi(route) as api:
        yield api


# --- Mastodon ------------------------------------------------------------------------------


def status(n: int, text: str = "", tags: tuple[str, ...] = ("internet_shutdown",)) -> dict:
    """Status n, posted n hours after T0 (ids grow with time, as Mastodon's do)."""
    created = T0 + timedelta(hours=n)
    return {
        "id": str(110_000_000 + n),
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "ar",
        "uri": f"https://{HOST}/users/alice/statuses/{110_000_000 + n}",
        "url": f"https://{HOST}/@alice/{110_000_000 + n}",
        "replies_count": 0,
        "reblogs_count": n % 3,
        "favourites_count": n % 5,
        "edited_at": None,
        "content": f"<p>{text or f'منشور رقم {n} عن حجب الإنترنت'} "
        + " ".join(
            f'<a href="https://{HOST}/tags/{t}" class="mention hashtag">#<span>{t}</span></a>'
            for t in tags
        )
        + "</p>",
        "reblog": None,
        "application": None,
        "account": {
            "id": "1",
            "username": "alice",
            "acct": "alice",
            "display_name": "Alice",
            "url": f"https://{HOST}/@alice",
            "uri": f"https://{HOST}/users/alice",
        },
        "media_attachments": [],
        "mentions": [],
        "tags": [{"name": t, "url": f"https://{HOST}/tags/{t}"} for t in tags],
        "emojis": [],
        "card": None,
        "poll": None,
    }


class Mastodon:
    """Timelines over a list of statuses; every status is in the tag timelines of its tags,
    in the public timeline and in @alice's statuses."""

    def __init__(self, statuses: list[dict]) -> None:
        self.statuses = sorted(statuses, key=lambda s: int(s["id"]), reverse=True)
        self.base = ""

    def __call__(self, seen: Seen) -> Reply:
        path = seen.path
        if path == "/api/v1/accounts/lookup":
            if seen.arg("acct") in ("alice", f"alice@{HOST}"):
                return Reply.json({"id": "1", "username": "alice", "acct": "alice"})
            return Reply.json({"error": "Record not found"}, 404)
        if path.startswith("/api/v1/timelines/tag/"):
            tag = path.rsplit("/", 1)[1]
            chosen = [s for s in self.statuses if tag in [t["name"] for t in s["tags"]]]
        elif path in ("/api/v1/timelines/public", "/api/v1/accounts/1/statuses"):
            chosen = self.statuses
        else:
            return Reply.json({"error": "Not found"}, 404)
        return self.page(seen, chosen)

    def page(self, seen: Seen, chosen: list[dict]) -> Reply:
        max_id, since_id = seen.arg("max_id"), seen.arg("since_id")
        limit = int(seen.arg("limit") or 20)
        if max_id:
            chosen = [s for s in chosen if int(s["id"]) < int(max_id)]
        if since_id:
            chosen = [s for s in chosen if int(s["id"]) > int(since_id)]
        page = chosen[:limit]
        if not page:
            return Reply.json([])
        url = f"{self.base}{quote(seen.path)}"
        link = (
            f'<{url}?max_id={page[-1]["id"]}>; rel="next", <{url}?min_id={page[0]["id"]}>; '
            'rel="prev"'
        )
        return Reply.json(page, Link=link)


# --- Bluesky -------------------------------------------------------------------------------


def post(n: int, text: str = "", handle: str = "alice.bsky.social") -> dict:
    """A PostView, created n hours after T0."""
    created = (T0 + timedelta(hours=n)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    did = f"did:plc:{handle.split('.')[0]}"
    return {
        "uri": f"at://{did}/app.bsky.feed.post/3k{n:010d}",
        "cid": f"bafyrei{n:020d}",
        "author": {"did": did, "handle": handle, "displayName": handle.split(".")[0].title()},
        "record": {
            "$type": "app.bsky.feed.post",
            "text": text or f"post {n}: internet shutdown حجب",
            "createdAt": created,
            "langs": ["en"],
        },
        "replyCount": 0,
        "repostCount": n % 4,
        "likeCount": n % 7,
        "quoteCount": 0,
        "indexedAt": created,
        "labels": [],
    }


class Bluesky:
    """searchPosts (text contains q, sort=latest, since inclusive, until exclusive) and
    getAuthorFeed over a list of posts; cursors are offsets."""

    def __init__(self, posts: list[dict]) -> None:
        self.posts = sorted(posts, key=lambda p: p["indexedAt"], reverse=True)

    def __call__(self, seen: Seen) -> Reply:
        if seen.path == "/xrpc/app.bsky.feed.searchPosts":
            q = (seen.arg("q") or "").lower()
            since, until = seen.arg("since"), seen.arg("until")
            chosen = [
                p
                for p in self.posts
                if q in p["record"]["text"].lower()
                and (not since or _t(p["indexedAt"]) >= _t(since))
                and (not until or _t(p["indexedAt"]) < _t(until))
            ]
            return self.page(seen, chosen, "posts", lambda p: p)
        if seen.path == "/xrpc/app.bsky.feed.getAuthorFeed":
            actor = seen.arg("actor")
            chosen = [p for p in self.posts if p["author"]["handle"] == actor]
            if not chosen:
                return Reply.json({"error": "InvalidRequest", "message": "Profile not found"}, 400)
            return self.page(seen, chosen, "feed", lambda p: {"post": p})
        return Reply.json({"error": "MethodNotImplemented"}, 501)

    def page(self, seen: Seen, chosen: list[dict], key: str, wrap: Callable) -> Reply:
        start = int(seen.arg("cursor") or 0)
        limit = int(seen.arg("limit") or 25)
        page = chosen[start : start + limit]
        data: dict = {key: [wrap(p) for p in page]}
        if start + limit < len(chosen):
            data["cursor"] = str(start + limit)
        return Reply.json(data)


def _t(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
