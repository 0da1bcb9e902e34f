"""Bluesky (AT Protocol) app view responses: sniff, read and map (`bluesky.api.v1`).

A file is one JSON document or JSON lines of documents, each a response of
`app.bsky.feed.searchPosts` (`{"posts": [PostView]}`), `app.bsky.feed.getAuthorFeed`
(`{"feed": [{"post", "reply"?, "reason"?}]}`) or `app.bsky.feed.getPostThread`
(`{"thread": threadViewPost}`, whose tree of parents and replies is flattened; deleted and
blocked posts in it are skipped), or a bare PostView or feed item, or an array of those.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, NamedTuple

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.fields import (
    JsonObject,
    as_count,
    as_iso_time,
    as_list,
    as_object,
    as_str,
    json_type,
)
from marsad.ingest.jsonfile import FOREIGN_WRAPPERS, JSON_NAMES, json_head, read_json_records
from marsad.posts import Media, Metrics, Post, PostError, Source

PLATFORM = "bluesky"
_POST_COLLECTION = "/app.bsky.feed.post/"
_FACET = "app.bsky.richtext.facet#"
_SKIPPED_NODES = ("app.bsky.feed.defs#notFoundPost", "app.bsky.feed.defs#blockedPost")
_INVALID_HANDLE = "handle.invalid"


class BskyRecord(NamedTuple):
    """A PostView and, for a feed item, the item holding it (with its reply and reason)."""

    post: JsonObject
    wrapper: JsonObject | None


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .json/.jsonl/.ndjson file whose head holds Bluesky posts (or an empty search)."""
    if not sample.name.lower().endswith(JSON_NAMES):
        return False
    head = json_head(sample.head)
    if not head.startswith((b"{", b"[")) or any(w in head for w in FOREIGN_WRAPPERS):
        return False
    if b'"at://' in head and b"app.bsky.feed.post" in head:
        return True
    return b'"hitsTotal"' in head and b'"posts"' in head


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    return read_json_records(source, posts_in)


def posts_in(value: Any) -> Iterator[BskyRecord | str]:
    """The posts of one parsed JSON value, or a reason for each part that is not usable."""
    for element in value if isinstance(value, list) else [value]:
        if not isinstance(element, dict):
            yield f"expected a response, a post or a feed item, found {json_type(element)}"
        elif "posts" in element:
            yield from _post_views(element["posts"])
        elif "feed" in element:
            yield from _feed_items(element["feed"])
        elif "thread" in element:
            yield from _thread(element["thread"])
        elif isinstance(element.get("post"), dict):
            yield BskyRecord(element["post"], element)
        elif "uri" in element and "record" in element:
            yield BskyRecord(element, None)
        else:
            yield "an object that is neither a response (posts, feed, thread) nor a post"


def _post_views(posts: Any) -> Iterator[BskyRecord | str]:
    if not isinstance(posts, list):
        yield f'"posts" is {json_type(posts)}, not a list of posts'
        return
    for post in posts:
        yield BskyRecord(post, None) if isinstance(post, dict) else f"a post is {json_type(post)}"


def _feed_items(feed: Any) -> Iterator[BskyRecord | str]:
    if not isinstance(feed, list):
        yield f'"feed" is {json_type(feed)}, not a list of feed items'
        return
    for entry in feed:
        post = entry.get("post") if isinstance(entry, dict) else None
        if isinstance(post, dict) and isinstance(entry, dict):
            yield BskyRecord(post, entry)
        else:
            yield "a feed item without a post object"


def _thread(node: Any) -> Iterator[BskyRecord | str]:
    """The thread's parents (root first), the post itself, then its replies depth first."""
    ancestors: list[Any] = []
    parent = node.get("parent") if isinstance(node, dict) else None
    while isinstance(parent, dict):
        ancestors.append(parent)
        parent = parent.get("parent")
    for ancestor in reversed(ancestors):
        yield from _node_post(ancestor)
    stack: list[Any] = [node]
    while stack:
        current = stack.pop()
        yield from _node_post(current)
        replies = current.get("replies") if isinstance(current, dict) else None
        if isinstance(replies, list):
            stack.extend(reversed(replies))


def _node_post(node: Any) -> Iterator[BskyRecord | str]:
    if not isinstance(node, dict):
        yield f"a thread node is {json_type(node)}"
    elif node.get("$type") in _SKIPPED_NODES or node.get("notFound") or node.get("blocked"):
        return
    elif isinstance(node.get("post"), dict):
        yield BskyRecord(node["post"], None)
    else:
        yield "a thread node without a post object"


# --- map_item ----------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one PostView (pure)."""
    post, wrapper = _record(item.raw)
    uri = _uri(post)
    author = as_object(post.get("author"), "author")
    did = as_str(author.get("did"), "author.did")
    handle = as_str(author.get("handle"), "author.handle")
    record = as_object(post.get("record"), "record")
    body = as_str(record.get("text"), "record.text")
    hashtags, mentions, links = _facets(record, body or "")
    quote_of, media, embed_links = _embed(
        as_object(post.get("embed"), "embed") or _record_embed(record)
    )
    reply = as_object(record.get("reply"), "record.reply")
    root = as_str(
        as_object(reply.get("root"), "record.reply.root").get("uri"), "record.reply.root.uri"
    )
    return Post(
        platform=PLATFORM,
        post_id=uri,
        collected_at=ctx.collected_at,
        text=body or None,
        url=_url(uri, handle, did),
        author_id=did,
        author_handle=handle if handle != _INVALID_HANDLE else None,
        author_name=as_str(author.get("displayName"), "author.displayName") or None,
        created_at=_created_at(record, post),
        hashtags=hashtags,
        mentions=mentions,
        urls=_unique(links + embed_links),
        media=media,
        reply_to=as_str(
            as_object(reply.get("parent"), "record.reply.parent").get("uri"), "reply.parent"
        ),
        quote_of=quote_of,
        conversation_id=root or uri,
        metrics=_metrics(post),
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=orjson.dumps(wrapper if wrapper is not None else post).decode(),
    )


def _record(raw: Any) -> BskyRecord:
    if not isinstance(raw, BskyRecord) or not isinstance(raw.post, dict):
        raise TypeError("bluesky.api.v1 items hold a BskyRecord")
    return raw


def _uri(post: JsonObject) -> str:
    uri = as_str(post.get("uri"), "uri")
    if not uri:
        raise PostError("uri: missing")
    if not uri.startswith("at://"):
        raise PostError(f"uri: {uri!r} is not an at:// URI")
    return uri


def _url(uri: str, handle: str | None, did: str | None) -> str | None:
    """https://bsky.app/profile/<handle>/post/<rkey> (the DID when the handle is invalid)."""
    who = handle if handle and handle != _INVALID_HANDLE else did
    if not who or _POST_COLLECTION not in uri:
        return None
    return f"https://bsky.app/profile/{who}/post/{uri.rsplit('/', 1)[1]}"


def _created_at(record: JsonObject, post: JsonObject) -> datetime | None:
    created = as_iso_time(record.get("createdAt"), "record.createdAt")
    return created or as_iso_time(post.get("indexedAt"), "indexedAt")


def _facets(record: JsonObject, body: str) -> tuple[list[str], list[str], list[str]]:
    """Hashtags, mentions (the handle as written in the text, else the DID) and links."""
    tags: list[str] = []
    mentions: list[str] = []
    links: list[str] = []
    encoded = body.encode("utf-8", "surrogatepass")
    for facet in as_list(record.get("facets"), "record.facets"):
        facet = as_object(facet, "record.facets[]")
        index = as_object(facet.get("index"), "record.facets[].index")
        for feature in as_list(facet.get("features"), "record.facets[].features"):
            feature = as_object(feature, "record.facets[].features[]")
            kind = (as_str(feature.get("$type"), "features[].$type") or "").removeprefix(_FACET)
            if kind == "tag":
                tags.append(as_str(feature.get("tag"), "features[].tag") or "")
            elif kind == "mention":
                did = as_str(feature.get("did"), "features[].did") or ""
                mentions.append(_written_handle(encoded, index) or did)
            elif kind == "link":
                links.append(as_str(feature.get("uri"), "features[].uri") or "")
    return [t for t in tags if t], [m for m in mentions if m], [u for u in links if u]


def _written_handle(encoded: bytes, index: JsonObject) -> str | None:
    """The handle in the text at the facet's byte range ("@name.bsky.social" -> without @)."""
    start, end = index.get("byteStart"), index.get("byteEnd")
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    try:
        written = encoded[max(start, 0) : max(end, 0)].decode("utf-8")
    except UnicodeDecodeError:
        return None
    return (written[1:].strip() or None) if written.startswith("@") else None


def _record_embed(record: JsonObject) -> JsonObject:
    return as_object(record.get("embed"), "record.embed")


def _embed(embed: JsonObject) -> tuple[str | None, list[Media], list[str]]:
    """(quoted post URI, media, link) of a post's embed, as a view or as in the record."""
    kind = (as_str(embed.get("$type"), "embed.$type") or "").removesuffix("#view")
    if kind == "app.bsky.embed.images":
        return None, _images(embed), []
    if kind == "app.bsky.embed.video":
        return None, [Media("video", as_str(embed.get("playlist"), "embed.playlist"))], []
    if kind == "app.bsky.embed.external":
        uri = as_str(as_object(embed.get("external"), "embed.external").get("uri"), "external.uri")
        return None, [], [uri] if uri else []
    if kind == "app.bsky.embed.record":
        return _quoted(as_object(embed.get("record"), "embed.record")), [], []
    if kind == "app.bsky.embed.recordWithMedia":
        outer = as_object(embed.get("record"), "embed.record")
        _, media, links = _embed(as_object(embed.get("media"), "embed.media"))
        return _quoted(as_object(outer.get("record"), "embed.record.record")), media, links
    return None, [], []


def _images(embed: JsonObject) -> list[Media]:
    media: list[Media] = []
    for image in as_list(embed.get("images"), "embed.images"):
        image = as_object(image, "embed.images[]")
        media.append(Media("image", as_str(image.get("fullsize"), "embed.images[].fullsize")))
    return media


def _quoted(record: JsonObject) -> str | None:
    """The URI of a quoted post (feed generators and lists embedded as records are not)."""
    uri = as_str(record.get("uri"), "embed.record.uri")
    return uri if uri and _POST_COLLECTION in uri else None


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _metrics(post: JsonObject) -> Metrics:
    return Metrics(
        likes=as_count(post.get("likeCount"), "likeCount"),
        shares=as_count(post.get("repostCount"), "repostCount"),
        replies=as_count(post.get("replyCount"), "replyCount"),
        quotes=as_count(post.get("quoteCount"), "quoteCount"),
    )
