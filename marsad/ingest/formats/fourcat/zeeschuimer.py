"""The items Zeeschuimer captures, mapped per platform (pure functions).

Each function takes the captured item (the envelope's `data`) and returns the platform's
Post fields; `ndjson_reader.map_item` adds what every post shares (source, raw, ...).
- TikTok web items (`/api/post/item_list/`, `/api/search/...`): `id`, `desc`, `createTime`,
  `author {id, uniqueId, nickname}`, `stats {diggCount, shareCount, commentCount, playCount}`
  (`statsV2` holds the same counts as strings), `textExtra` (hashtags, mentions), `video`,
  `imagePost`, `duetInfo`.
- Instagram web items (the "item list" shape of `/api/v1/feed/...` and GraphQL `XDTMediaDict`):
  `code` (the shortcode), `taken_at`, `caption {text}`, `user {pk, username, full_name}`,
  `like_count`, `comment_count`, `play_count`, `media_type`, `image_versions2`,
  `carousel_media`.
"""

from __future__ import annotations

from typing import Any

from marsad.ingest.fields import (
    JsonObject,
    as_digits_count,
    as_id,
    as_list,
    as_object,
    as_str,
)
from marsad.ingest.formats.fourcat.reader import epoch_value
from marsad.posts import Media, Metrics, PostError

_TIKTOK_STATS = {
    "likes": "diggCount",
    "shares": "shareCount",
    "replies": "commentCount",
    "views": "playCount",
}
_INSTAGRAM_KINDS = {1: "photo", 2: "video"}
_INSTAGRAM_CAROUSEL = 8


# --- TikTok ------------------------------------------------------------------------------


def tiktok_fields(item: JsonObject) -> dict[str, Any]:
    """Post fields of a TikTok video (or photo) post as TikTok's web app receives it."""
    post_id = as_id(item.get("id"), "id")
    if not post_id:
        raise PostError("id: missing")
    author_id, handle, name = _tiktok_author(item)
    hashtags, mentions = _tiktok_entities(item)
    return {
        "post_id": post_id,
        "url": f"https://www.tiktok.com/@{handle}/video/{post_id}" if handle else None,
        "author_id": author_id,
        "author_handle": handle,
        "author_name": name,
        "text": as_str(item.get("desc"), "desc"),
        "created_at": epoch_value(item.get("createTime"), "createTime"),
        "hashtags": hashtags,
        "mentions": mentions,
        "media": _tiktok_media(item),
        "quote_of": _duet_of(item),
        "metrics": _tiktok_metrics(item),
    }


def _tiktok_author(item: JsonObject) -> tuple[str | None, str | None, str | None]:
    """(id, handle, name): `author` is an object in API responses, the handle in page JSON."""
    author = item.get("author")
    if isinstance(author, str):
        return None, author or None, as_str(item.get("nickname"), "nickname")
    author = as_object(author, "author")
    return (
        as_id(author.get("id"), "author.id"),
        as_str(author.get("uniqueId"), "author.uniqueId") or None,
        as_str(author.get("nickname"), "author.nickname"),
    )


def _tiktok_entities(item: JsonObject) -> tuple[list[str], list[str]]:
    hashtags: list[str] = []
    mentions: list[str] = []
    for extra in as_list(item.get("textExtra"), "textExtra"):
        extra = as_object(extra, "textExtra[]")
        tag = as_str(extra.get("hashtagName"), "textExtra[].hashtagName")
        user = as_str(extra.get("userUniqueId"), "textExtra[].userUniqueId")
        if tag:
            hashtags.append(tag)
        if user:
            mentions.append(user)
    return hashtags, mentions


def _tiktok_metrics(item: JsonObject) -> Metrics:
    """`stats` counts, else the same count from `statsV2` (strings)."""
    stats = as_object(item.get("stats"), "stats")
    strings = as_object(item.get("statsV2"), "statsV2")
    counts: dict[str, int | None] = {}
    for name, key in _TIKTOK_STATS.items():
        if stats.get(key) is not None:
            counts[name] = as_digits_count(stats[key], f"stats.{key}")
        else:
            counts[name] = as_digits_count(strings.get(key), f"statsV2.{key}")
    return Metrics(**counts)


def _tiktok_media(item: JsonObject) -> list[Media]:
    """The photos of a photo post, else the video (with its cover image)."""
    image_post = as_object(item.get("imagePost"), "imagePost")
    images = as_list(image_post.get("images"), "imagePost.images")
    if images:
        return [Media("photo", _image_url(image)) for image in images]
    video = as_object(item.get("video"), "video")
    return [Media("video", as_str(video.get("cover"), "video.cover") or None)] if video else []


def _image_url(image: Any) -> str | None:
    image_url = as_object(as_object(image, "imagePost.images[]").get("imageURL"), "imageURL")
    urls = as_list(image_url.get("urlList"), "imageURL.urlList")
    return as_str(urls[0], "imageURL.urlList[]") if urls else None


def _duet_of(item: JsonObject) -> str | None:
    """A duet shows another video beside its own: that video's id, like a quote."""
    duet = as_object(item.get("duetInfo"), "duetInfo")
    origin = as_id(duet.get("duetFromId"), "duetInfo.duetFromId")
    return origin if origin and origin != "0" else None


# --- Instagram -----------------------------------------------------------------------------


def instagram_fields(item: JsonObject) -> dict[str, Any]:
    """Post fields of an Instagram post in the "item list" shape of Instagram's web app."""
    if item.get("product_type") == "ad":
        raise PostError("product_type: an Instagram ad, not a post")
    code = as_str(item.get("code"), "code")
    if not code:
        graph = "shortcode" in item
        raise PostError("code: missing" + (" (GraphQL 'shortcode' items are not read)" * graph))
    user = as_object(item.get("user"), "user") or as_object(item.get("owner"), "owner")
    caption = as_object(item.get("caption"), "caption")
    return {
        "post_id": code,
        "url": f"https://www.instagram.com/p/{code}/",
        "author_id": as_id(user.get("pk"), "user.pk") or as_id(user.get("id"), "user.id"),
        "author_handle": as_str(user.get("username"), "user.username") or None,
        "author_name": as_str(user.get("full_name"), "user.full_name") or None,
        "text": as_str(caption.get("text"), "caption.text"),
        "created_at": epoch_value(item.get("taken_at"), "taken_at"),
        "media": _instagram_media(item),
        "metrics": Metrics(
            likes=as_digits_count(item.get("like_count"), "like_count"),
            replies=as_digits_count(item.get("comment_count"), "comment_count"),
            views=_instagram_views(item),
        ),
    }


def _instagram_views(item: JsonObject) -> int | None:
    plays = as_digits_count(item.get("play_count"), "play_count")
    return plays if plays is not None else as_digits_count(item.get("view_count"), "view_count")


def _instagram_media(item: JsonObject) -> list[Media]:
    if item.get("media_type") == _INSTAGRAM_CAROUSEL:
        children = as_list(item.get("carousel_media"), "carousel_media")
        return [_instagram_one(as_object(c, "carousel_media[]")) for c in children]
    return [_instagram_one(item)] if "media_type" in item else []


def _instagram_one(node: JsonObject) -> Media:
    """A photo or video with its (first, largest) image; a video's image is its cover."""
    kind = node.get("media_type")
    name = _INSTAGRAM_KINDS.get(kind, "unknown") if isinstance(kind, int) else "unknown"
    versions = as_object(node.get("image_versions2"), "image_versions2")
    candidates = as_list(versions.get("candidates"), "image_versions2.candidates")
    first = as_object(candidates[0], "image_versions2.candidates[]") if candidates else {}
    return Media(name, as_str(first.get("url"), "image_versions2.candidates[].url") or None)
