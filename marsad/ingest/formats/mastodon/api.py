"""Mastodon REST API statuses (`mastodon.api.v1`): sniff, read and map.

A file is one JSON document (an array of statuses from a timeline, a single status, or a
`/api/v2/search` result) or JSON lines of statuses (marsad's collector: one status a line with
an added `"_instance"` key naming the server it came from). A boost's boosted status and a
quote's quoted status, embedded whole, become posts of their own after the status holding them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
from marsad.ingest.formats.mastodon import html
from marsad.ingest.formats.mastodon.reader import PLATFORM, actor_of, full_acct, host
from marsad.ingest.jsonfile import FOREIGN_WRAPPERS, JSON_NAMES, json_head, read_json_records
from marsad.posts import Media, Metrics, Post, PostError, Source

_SEARCH_KEYS = ("accounts", "hashtags")
_STATUS_MARKERS = (b'"acct"', b'"uri"', b'"favourites_count"', b'"reblogs_count"')
_MAX_NESTING = 4


class StatusRecord(NamedTuple):
    """One status, the server it was fetched from (if known) and its parent's URI when the
    parent came in the same response."""

    status: JsonObject
    instance: str | None
    parent_uri: str | None


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .json/.jsonl/.ndjson file whose head holds Mastodon statuses or a search result."""
    if not sample.name.lower().endswith(JSON_NAMES):
        return False
    head = json_head(sample.head)
    if not head.startswith((b"{", b"[")) or any(w in head for w in FOREIGN_WRAPPERS):
        return False
    if all(marker in head for marker in _STATUS_MARKERS):
        return True
    return head.startswith(b"{") and all(
        b'"%s"' % key.encode() in head for key in ("statuses", *_SEARCH_KEYS)
    )


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    return read_json_records(source, records_in)


def records_in(value: Any) -> Iterator[StatusRecord | str]:
    """The statuses of one parsed JSON value, each with its server and parent's URI."""
    found = list(_statuses(value))
    statuses = [s for s in found if isinstance(s, tuple)]
    uris = _uris_by_id(s for s, _ in statuses)
    for entry in found:
        if isinstance(entry, str):
            yield entry
        else:
            status, instance = entry
            yield StatusRecord(status, instance, _parent_uri(status, uris))


def _statuses(value: Any) -> Iterator[tuple[JsonObject, str | None] | str]:
    value = _unwrapped(value)
    if isinstance(value, str):
        yield value
        return
    for element in value if isinstance(value, list) else [value]:
        if not isinstance(element, dict):
            yield f"expected a status object, found {json_type(element)}"
        elif "uri" not in element and "account" not in element:
            yield "an object that is not a Mastodon status (no uri, no account)"
        else:
            instance = element.get("_instance")
            yield from _with_embedded(element, instance if isinstance(instance, str) else None)


def _unwrapped(value: Any) -> Any:
    """The statuses of a search result or of a thread context (`ancestors`, `descendants`);
    any other value as it is; a reason string when those lists are not lists."""
    if not isinstance(value, dict):
        return value
    if "statuses" in value and any(k in value for k in _SEARCH_KEYS):
        keys: tuple[str, ...] = ("statuses",)
    elif "ancestors" in value or "descendants" in value:
        keys = ("ancestors", "descendants")
    else:
        return value
    lists = [value.get(key) or [] for key in keys]
    for key, found in zip(keys, lists, strict=True):
        if not isinstance(found, list):
            return f'"{key}" is {json_type(found)}, not a list of statuses'
    return [status for found in lists for status in found]


def _with_embedded(
    status: JsonObject, instance: str | None
) -> Iterator[tuple[JsonObject, str | None]]:
    """The status, then the statuses embedded in it: the boosted one, the quoted one."""
    for _ in range(_MAX_NESTING):
        yield status, instance
        inner = _embedded(status)
        if inner is None:
            return
        status = inner


def _embedded(status: JsonObject) -> JsonObject | None:
    reblog = status.get("reblog")
    if isinstance(reblog, dict):
        return reblog
    quote = status.get("quote")
    quoted = quote.get("quoted_status") if isinstance(quote, dict) else None
    return quoted if isinstance(quoted, dict) else None


def _uris_by_id(statuses: Iterator[JsonObject]) -> dict[str, str]:
    """Local status id -> URI, for the statuses of one response (ids are per server)."""
    uris: dict[str, str] = {}
    for status in statuses:
        local_id, uri = status.get("id"), status.get("uri")
        if isinstance(local_id, str) and isinstance(uri, str):
            uris.setdefault(local_id, uri)
    return uris


def _parent_uri(status: JsonObject, uris: Mapping[str, str]) -> str | None:
    parent = status.get("in_reply_to_id")
    return uris.get(parent) if isinstance(parent, str) else None


# --- map_item ----------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one status (pure)."""
    status, instance, parent_uri = _record(item.raw)
    uri = as_str(status.get("uri"), "uri")
    if not uri:
        raise PostError("uri: missing")
    account = as_object(status.get("account"), "account")
    server = host(instance, "_instance")
    body, links = _body(status)
    return Post(
        platform=PLATFORM,
        post_id=uri,
        collected_at=ctx.collected_at,
        text=body,
        url=as_str(status.get("url"), "url"),
        author_id=_author_id(account, uri),
        author_handle=_handle(account, server, uri),
        author_name=as_str(account.get("display_name"), "account.display_name") or None,
        created_at=as_iso_time(status.get("created_at"), "created_at"),
        hashtags=_names(status, "tags", "name"),
        mentions=_mentions(status, server),
        urls=_urls(links, as_object(status.get("card"), "card")),
        media=_media(status),
        reply_to=parent_uri,
        quote_of=_quoted_uri(status),
        repost_of=as_str(as_object(status.get("reblog"), "reblog").get("uri"), "reblog.uri"),
        metrics=_metrics(status),
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=orjson.dumps(status).decode(),
    )


def _record(raw: Any) -> StatusRecord:
    if not isinstance(raw, StatusRecord) or not isinstance(raw.status, dict):
        raise TypeError("mastodon.api.v1 items hold a StatusRecord")
    return raw


def _body(status: JsonObject) -> tuple[str | None, list[str]]:
    """The text: the content warning (spoiler_text), a blank line, then the content."""
    content, links = html.to_text(as_str(status.get("content"), "content") or "")
    warning = (as_str(status.get("spoiler_text"), "spoiler_text") or "").strip()
    body = f"{warning}\n\n{content}" if warning and content else warning or content
    return body or None, links


def _author_id(account: JsonObject, uri: str) -> str | None:
    """The account's ActivityPub URI: `account.uri` (Mastodon 4.2+), else the actor part of
    the status URI (`https://host/users/name`), else the profile `account.url`."""
    return (
        as_str(account.get("uri"), "account.uri")
        or actor_of(uri)
        or as_str(account.get("url"), "account.url")
    )


def _handle(account: JsonObject, server: str | None, uri: str) -> str | None:
    """`acct` with a domain: a local account (no domain in acct) gets the server's domain,
    from `_instance`, else the host of the account's own `url`, else of the status URI."""
    acct = as_str(account.get("acct"), "account.acct")
    if not acct:
        return None
    if "@" in acct:
        return full_acct(acct, None)
    return full_acct(acct, server or _local_domain(account) or host(uri, "uri"))


def _local_domain(entity: JsonObject) -> str | None:
    """The host of an account's or mention's `url` (a local account's is on the server)."""
    return host(as_str(entity.get("url"), "url"), "url")


def _mentions(status: JsonObject, server: str | None) -> list[str]:
    found: list[str] = []
    for entry in as_list(status.get("mentions"), "mentions"):
        entry = as_object(entry, "mentions[]")
        acct = as_str(entry.get("acct"), "mentions[].acct")
        if acct:
            found.append(full_acct(acct, server or _local_domain(entry)))
    return found


def _names(status: JsonObject, key: str, name: str) -> list[str]:
    values: list[str] = []
    for entry in as_list(status.get(key), key):
        value = as_str(as_object(entry, f"{key}[]").get(name), f"{key}[].{name}")
        if value:
            values.append(value)
    return values


def _urls(links: list[str], card: JsonObject) -> list[str]:
    card_url = as_str(card.get("url"), "card.url")
    return [*links, card_url] if card_url and card_url not in links else links


def _media(status: JsonObject) -> list[Media]:
    media: list[Media] = []
    for entry in as_list(status.get("media_attachments"), "media_attachments"):
        entry = as_object(entry, "media_attachments[]")
        url = as_str(entry.get("url"), "media_attachments[].url")
        remote = as_str(entry.get("remote_url"), "media_attachments[].remote_url")
        kind = as_str(entry.get("type"), "media_attachments[].type") or "unknown"
        media.append(Media(kind, url or remote))
    return media


def _quoted_uri(status: JsonObject) -> str | None:
    """The quoted status's URI (Mastodon 4.5 quotes); a shallow quote has only a local id."""
    quote = as_object(status.get("quote"), "quote")
    return as_str(
        as_object(quote.get("quoted_status"), "quote.quoted_status").get("uri"), "quote.uri"
    )


def _metrics(status: JsonObject) -> Metrics:
    return Metrics(
        likes=as_count(status.get("favourites_count"), "favourites_count"),
        shares=as_count(status.get("reblogs_count"), "reblogs_count"),
        replies=as_count(status.get("replies_count"), "replies_count"),
        quotes=as_count(status.get("quotes_count"), "quotes_count"),
    )
