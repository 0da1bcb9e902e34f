"""Reddit submissions (t3) and comments (t1) -> Post, shared by both Reddit formats.

The API formats and the Pushshift dumps hold the same objects: Reddit's "thing" data, with
`id` (base-36, no prefix), `created_utc`, `author`, `score`, and for submissions `title`,
`selftext`, `num_comments`, for comments `body`, `link_id`, `parent_id`. An Item's raw value is
a `Thing`: the kind when the file says it (API listings), else None (dumps: the kind is told
from the fields), and the data object.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson

from marsad.ingest.base import Context, Item
from marsad.ingest.fields import JsonObject, as_list, as_object, as_str
from marsad.posts import Media, Metrics, Post, PostError, Source

PLATFORM = "reddit"
SUBMISSION = "t3"
COMMENT = "t1"
KINDS = (SUBMISSION, COMMENT)
SITE = "https://www.reddit.com"
PLACEHOLDERS = frozenset({"", "[deleted]", "[removed]", "[ Removed by Reddit ]"})

_BASE36 = re.compile(r"[0-9a-z]{1,16}")
_FULLNAME = re.compile(r"t[13]_[0-9a-z]{1,16}")
_NUMBER = re.compile(r"\s*-?\d+(\.\d+)?\s*")
_MAX_COUNT = 2**63 - 1
_NO_AUTHOR = frozenset({"", "[deleted]", "[removed]"})
_MEDIA_HOSTS = ("https://i.redd.it/", "https://v.redd.it/", "https://preview.redd.it/")
_GALLERY_TYPES = {"Image": "photo", "AnimatedImage": "animated_gif"}


class Thing(NamedTuple):
    """One submission or comment: its kind ("t3", "t1") when the file gives it, and its data."""

    kind: str | None
    data: JsonObject


# --- the kind of a record ------------------------------------------------------------------


def kind_of(thing: Thing) -> str:
    """ "t3" or "t1": the listing's kind, else the `name` prefix, else told from the fields."""
    if thing.kind is not None:
        if thing.kind not in KINDS:
            raise PostError(f"kind: {thing.kind!r} is not a post (t3) or a comment (t1)")
        return thing.kind
    data = thing.data
    name = data.get("name")
    if isinstance(name, str) and name[:3] in ("t1_", "t3_"):
        return name[:2]
    if "body" in data or "parent_id" in data or "link_id" in data:
        return COMMENT
    if "title" in data or "selftext" in data or "num_comments" in data:
        return SUBMISSION
    raise PostError("kind: neither a submission (title, selftext) nor a comment (body, link_id)")


def looks_like_record(value: Any) -> bool:
    """A Pushshift / Arctic Shift submission or comment object (for sniffing)."""
    if not isinstance(value, dict) or "id" not in value or "created_utc" not in value:
        return False
    if "subreddit" not in value and "subreddit_id" not in value:
        return False
    if "body" in value and ("link_id" in value or "parent_id" in value):
        return True
    return "title" in value and any(k in value for k in ("selftext", "num_comments", "permalink"))


# --- map_item ------------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one submission or comment (pure)."""
    thing = _thing(item.raw)
    kind = kind_of(thing)
    data = thing.data
    bare_id = _bare_id(data, kind)
    post_id = f"{kind}_{bare_id}"
    comment = kind == COMMENT
    link_id = _fullname(data.get("link_id"), "link_id", SUBMISSION) if comment else None
    return Post(
        platform=PLATFORM,
        post_id=post_id,
        collected_at=ctx.collected_at,
        text=_comment_text(data) if comment else _submission_text(data),
        url=_url(data, bare_id, link_id, comment),
        author_id=_author_id(data),
        author_handle=_author(data),
        created_at=created_at(data.get("created_utc")),
        urls=[] if comment else _link_urls(data),
        media=[] if comment else _media(data),
        reply_to=_fullname(data.get("parent_id"), "parent_id") if comment else None,
        repost_of=None if comment else _fullname(data.get("crosspost_parent"), "crosspost_parent"),
        conversation_id=link_id if comment else post_id,
        metrics=_metrics(data, comment),
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=orjson.dumps(_without_replies(data)).decode(),
    )


def _thing(raw: Any) -> Thing:
    if not isinstance(raw, tuple) or len(raw) != 2:
        raise TypeError("reddit items hold (kind, data)")
    kind, data = raw
    if not isinstance(data, dict) or not (kind is None or isinstance(kind, str)):
        raise TypeError("reddit items hold (kind or None, data object)")
    return Thing(kind, data)


def _bare_id(data: JsonObject, kind: str) -> str:
    """The base-36 id without its kind prefix, from `id`, else from `name`."""
    value = data.get("id")
    if value is None or value == "":
        value = data.get("name")
        if value is None or value == "":
            raise PostError("id: missing")
    if not isinstance(value, str):
        raise PostError(f"id: {value!r} is not a Reddit id")
    bare = value.removeprefix(f"{kind}_")
    if not _BASE36.fullmatch(bare):
        raise PostError(f"id: {value!r} is not a Reddit id")
    return bare


def _fullname(value: Any, field: str, kind: str | None = None) -> str | None:
    """A "t1_…" / "t3_…" reference (of `kind` when given); a bare id gets `kind`'s prefix."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise PostError(f"{field}: {value!r} is not a Reddit fullname")
    if kind and _BASE36.fullmatch(value):
        return f"{kind}_{value}"
    if not _FULLNAME.fullmatch(value) or (kind and not value.startswith(f"{kind}_")):
        raise PostError(f"{field}: {value!r} is not a Reddit fullname")
    return value


def unescape(text: str) -> str:
    """Undo the escaping Reddit's JSON applies to text (&amp; &lt; &gt;, without raw_json=1)."""
    if "&" not in text:
        return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _submission_text(data: JsonObject) -> str | None:
    title = as_str(data.get("title"), "title")
    body = as_str(data.get("selftext"), "selftext")
    parts = [p for p in (title, body) if p is not None and p.strip() not in PLACEHOLDERS]
    return unescape("\n\n".join(parts)) if parts else None


def _comment_text(data: JsonObject) -> str | None:
    body = as_str(data.get("body"), "body")
    return None if body is None or body.strip() in PLACEHOLDERS else unescape(body)


def _author(data: JsonObject) -> str | None:
    author = as_str(data.get("author"), "author")
    return None if author is None or author in _NO_AUTHOR else author


def _author_id(data: JsonObject) -> str | None:
    return as_str(data.get("author_fullname"), "author_fullname") or None


def _url(data: JsonObject, bare_id: str, link_id: str | None, comment: bool) -> str | None:
    """SITE + permalink; without one (old dumps), built from the ids."""
    permalink = as_str(data.get("permalink"), "permalink")
    if permalink and permalink.startswith("/"):
        return SITE + permalink
    if permalink and permalink.startswith("https://"):
        return permalink
    if comment and not link_id:
        return None
    subreddit = as_str(data.get("subreddit"), "subreddit")
    prefix = f"{SITE}/r/{subreddit}" if subreddit else SITE
    if link_id:
        return f"{prefix}/comments/{link_id[3:]}/_/{bare_id}/"
    return f"{prefix}/comments/{bare_id}/"


def _link_urls(data: JsonObject) -> list[str]:
    """The outside link a link post points to (not Reddit's own media or pages)."""
    url = as_str(data.get("url_overridden_by_dest"), "url_overridden_by_dest") or as_str(
        data.get("url"), "url"
    )
    if data.get("is_self") is True or not url or not url.startswith(("http://", "https://")):
        return []
    if url.startswith(_MEDIA_HOSTS) or url.startswith(SITE) or _is_media_post(data):
        return []
    return [unescape(url)]


def _is_media_post(data: JsonObject) -> bool:
    return data.get("post_hint") == "image" or data.get("is_video") is True or _is_gallery(data)


def _is_gallery(data: JsonObject) -> bool:
    return data.get("is_gallery") is True


def _media(data: JsonObject) -> list[Media]:
    """A gallery's images, a Reddit-hosted video, or the image of an image post."""
    if _is_gallery(data):
        return _gallery(data)
    if data.get("is_video") is True:
        return [Media("video", _video_url(data))]
    url = as_str(data.get("url"), "url")
    if data.get("post_hint") == "image" or (url and url.startswith("https://i.redd.it/")):
        return [Media("photo", unescape(url) if url else None)]
    return []


def _video_url(data: JsonObject) -> str | None:
    media = as_object(data.get("secure_media") or data.get("media"), "media")
    video = as_object(media.get("reddit_video"), "media.reddit_video")
    return as_str(video.get("fallback_url"), "media.reddit_video.fallback_url") or as_str(
        data.get("url"), "url"
    )


def _gallery(data: JsonObject) -> list[Media]:
    metadata = as_object(data.get("media_metadata"), "media_metadata")
    gallery = as_object(data.get("gallery_data"), "gallery_data")
    order = [
        as_str(as_object(entry, "gallery_data.items[]").get("media_id"), "gallery_data.items[]")
        for entry in as_list(gallery.get("items"), "gallery_data.items")
    ]
    return [_gallery_item(metadata.get(key) if key else None) for key in order or list(metadata)]


def _gallery_item(entry: Any) -> Media:
    entry = as_object(entry, "media_metadata[]")
    kind = _GALLERY_TYPES.get(as_str(entry.get("e"), "media_metadata[].e") or "", "unknown")
    best = as_object(entry.get("s"), "media_metadata[].s")
    url = as_str(best.get("u"), "media_metadata[].s.u") or as_str(best.get("gif"), "s.gif")
    return Media(kind, unescape(url) if url else None)


def _metrics(data: JsonObject, comment: bool) -> Metrics:
    """score (net votes) as likes, when not negative; num_comments of a submission as replies."""
    score = _number(data.get("score"), "score")
    replies = None if comment else _number(data.get("num_comments"), "num_comments")
    if replies is not None and replies < 0:
        raise PostError(f"num_comments: {replies!r} is not a count")
    return Metrics(likes=score if score is not None and score >= 0 else None, replies=replies)


def created_at(value: Any) -> datetime | None:
    """Unix seconds (int, float, or a string of digits in old dumps) as an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PostError(f"created_utc: cannot parse {value!r}")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise PostError(f"created_utc: {value!r} is out of range") from None


def _without_replies(data: JsonObject) -> JsonObject:
    """The data without its nested reply listing: every reply is a post of its own."""
    if isinstance(data.get("replies"), dict):
        return {k: v for k, v in data.items() if k != "replies"}
    return data


# --- typed access to parsed JSON --------------------------------------------------------------


def _number(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= _MAX_COUNT:
        return value
    raise PostError(f"{field}: {value!r} is not a count")
