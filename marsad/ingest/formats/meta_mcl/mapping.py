"""One Meta Content Library post -> one Post (pure).

A record is either a CSV row (dotted column names, text cells) or a post object from JSON
(nested objects, typed values); `flatten` turns both into {dotted name: value}.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import orjson

from marsad.ingest.base import Context, Item
from marsad.ingest.formats.crowdtangle.table import as_count, raw_json
from marsad.posts import Media, Metrics, Post, PostError, Source

ID_PREFIX = "mcl:"
MAX_DEPTH = 4
INSTAGRAM_OWNERS = frozenset({"business", "creator", "personal"})
FACEBOOK_OWNERS = frozenset({"page", "group", "event", "profile", "user"})
# Fields only Facebook posts have in the Content Library data dictionary.
FACEBOOK_ONLY = (
    "statistics.reaction_count", "statistics.share_count", "statistics.love_count",
    "statistics.care_count", "shared_post_id", "surface.id", "link_attachment.link",
    "link_attachment_fields.link", "branded_content_page_id",
)  # fmt: skip
REACTIONS = ("like", "love", "wow", "haha", "sad", "angry", "care")
MEDIA_TYPES = {"photo": "photo", "video": "video", "album": "album", "reel": "video",
               "reels": "video", "carousel": "album", "videos_and_reels": "video"}  # fmt: skip
_EPOCH = re.compile(r"[0-9]{9,10}")
_HASHTAG = re.compile(r"[^\s,\[\]'\"#]+")
_EPOCH_START = datetime(1970, 1, 1, tzinfo=UTC)

Record = dict[str, Any]


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one Content Library post (pure)."""
    if not isinstance(item.raw, dict):
        raise TypeError("meta.mcl.v1 items hold a post object or a CSV row")
    rec = flatten(item.raw)
    return Post(
        platform=platform_of(rec, ctx),
        post_id=ID_PREFIX + _required_id(rec),
        collected_at=ctx.collected_at,
        text=_text(rec.get("text")),
        url=_str(rec, "post_url"),
        author_id=_owner(rec, "id"),
        author_handle=_handle(_owner(rec, "username")),
        author_name=_owner(rec, "name"),
        created_at=created_at(rec.get("creation_time")),
        hashtags=hashtags(rec.get("hashtags")),
        urls=_links(rec),
        media=media(rec),
        repost_of=_prefixed(_str(rec, "shared_post_id")),
        metrics=metrics(rec),
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=raw_json(item.raw),
    )


# --- records -----------------------------------------------------------------------------


def flatten(value: Mapping[str, Any], prefix: str = "", depth: int = 0) -> Record:
    """Nested objects as dotted names ({"a": {"b": 1}} -> {"a.b": 1}); a "data" list of one
    object (post_owner.data in Facebook results) is read as that object. Objects nested
    deeper than MAX_DEPTH stay whole."""
    flat: Record = {}
    for key, child in value.items():
        name = f"{prefix}{key}"
        if key == "data" and isinstance(child, list) and len(child) == 1:
            child = child[0]
        if isinstance(child, dict) and depth < MAX_DEPTH:
            flat.update(flatten(child, name + ".", depth + 1))
        else:
            flat[name] = child
    return flat


def _str(rec: Record, name: str) -> str | None:
    """A text or id field (JSON numbers become their digits); None when absent or empty."""
    value = rec.get(name)
    if value is None:
        return None
    if isinstance(value, bool):
        raise PostError(f"{name}: {value!r} is not text")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if not isinstance(value, str):
        raise PostError(f"{name}: {value!r} is not text")
    return value.strip() or None


def _text(value: Any) -> str | None:
    """The post's text exactly as published; None when empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise PostError(f"text: {value!r} is not text")
    return value if value.strip() else None


def _required_id(rec: Record) -> str:
    post_id = _str(rec, "id")
    if not post_id:
        raise PostError("id: missing")
    if any(c.isspace() for c in post_id):
        raise PostError(f"id: {post_id!r} is not an id")
    return post_id


def _prefixed(value: str | None) -> str | None:
    return ID_PREFIX + value if value else None


def _owner(rec: Record, field: str) -> str | None:
    """post_owner.<field> (Instagram, CSV) or post_owner.data.<field> (Facebook results)."""
    name = f"post_owner.{field}"
    return _str(rec, name) or _str(rec, f"post_owner.data.{field}")


def _handle(value: str | None) -> str | None:
    return (value.lstrip("@") or None) if value else None


# --- platform ------------------------------------------------------------------------------


def platform_of(rec: Record, ctx: Context) -> str:
    """ "facebook" or "instagram": from post_url, the owner's type, Facebook-only fields, the
    file's name, or the platform option, in that order."""
    found = _platform_from_url(_str(rec, "post_url")) or _platform_from_owner(rec)
    if found:
        return found
    if any(name in rec for name in FACEBOOK_ONLY):
        return "facebook"
    name = ctx.file.lower().rsplit("/", 1)[-1]
    for platform in ("instagram", "facebook"):
        if platform in name:
            return platform
    option = (ctx.options.get("platform") or "").strip().lower()
    if option in ("facebook", "instagram"):
        return option
    raise PostError(
        "platform: cannot tell Facebook from Instagram (no post_url, no known "
        "post_owner.type, no Facebook-only field); set the platform option"
    )


def _platform_from_url(url: str | None) -> str | None:
    host = (urlsplit(url).hostname or "") if url else ""
    for platform in ("instagram", "facebook"):
        if host == f"{platform}.com" or host.endswith(f".{platform}.com"):
            return platform
    return None


def _platform_from_owner(rec: Record) -> str | None:
    owner_type = (_owner(rec, "type") or "").lower()
    if owner_type in INSTAGRAM_OWNERS:
        return "instagram"
    if owner_type in FACEBOOK_OWNERS:
        return "facebook"
    return None


# --- values --------------------------------------------------------------------------------


def created_at(value: Any) -> datetime | None:
    """creation_time: ISO 8601 (a time without zone is UTC) or Unix seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PostError(f"creation_time: {value!r} is not a date")
    text = str(value).strip()
    try:
        if _EPOCH.fullmatch(text):
            return _EPOCH_START + timedelta(seconds=int(text))
        parsed = datetime.fromisoformat(text)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise PostError(f"creation_time: cannot read {value!r} as a date") from None


def metrics(rec: Record) -> Metrics:
    """likes: every reaction on Facebook (reaction_count), likes on Instagram."""
    return Metrics(
        likes=_likes(rec),
        shares=_count(rec, "statistics.share_count"),
        replies=_count(rec, "statistics.comment_count"),
        views=_count(rec, "statistics.views"),
    )


def _count(rec: Record, name: str) -> int | None:
    value = rec.get(name)
    return None if value is None else as_count(value, name)


def _likes(rec: Record) -> int | None:
    total = _count(rec, "statistics.reaction_count")
    if total is not None:
        return total
    counts = [_count(rec, f"statistics.{kind}_count") for kind in REACTIONS]
    given = [c for c in counts if c is not None]
    return sum(given) if given else None


def hashtags(value: Any) -> list[str]:
    """Instagram's hashtags: a JSON array, or text ('["a", "b"]', "['a', 'b']", "#a #b")."""
    if value is None:
        return []
    if isinstance(value, str):
        return [tag for tag in _HASHTAG.findall(value) if tag]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PostError(f"hashtags: {value!r} is not a list of hashtags")
    return [v.strip().lstrip("#") for v in value if v.strip().lstrip("#")]


def _links(rec: Record) -> list[str]:
    link = _str(rec, "link_attachment.link") or _str(rec, "link_attachment_fields.link")
    return [link] if link else []


def media(rec: Record) -> list[Media]:
    """multimedia entries ({type, url}); else one entry of the post's media_type."""
    entries = _multimedia(rec.get("multimedia"))
    if entries:
        return [_one_media(entry) for entry in entries]
    kind = (_str(rec, "media_type") or _str(rec, "content_type") or "").lower()
    return [Media(MEDIA_TYPES[kind])] if kind in MEDIA_TYPES else []


def _multimedia(value: Any) -> list[Any]:
    if isinstance(value, str) and value.strip().startswith(("[", "{")):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            return []
    if isinstance(value, dict):
        value = [value]
    return value if isinstance(value, list) else []


def _one_media(entry: Any) -> Media:
    if not isinstance(entry, dict):
        raise PostError(f"multimedia: {entry!r} is not a media object")
    rec = flatten(entry)
    kind = (_str(rec, "type") or "unknown").lower()
    return Media(MEDIA_TYPES.get(kind, kind), _str(rec, "url"))
