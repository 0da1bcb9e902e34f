"""Meta Content Library exports: Facebook and Instagram posts as CSV, JSON or JSON lines.

- CSV (Content Library UI downloads, or API results saved with pandas): one post per row,
  nested fields flattened with dots ("post_owner.name", "statistics.like_count").
- JSON: an array of post objects, one API response page {"data": [...]}, or one post.
- JSON lines: one post object (or one response page) per line.

Each post becomes one Item whose raw value is the row ({column: text cell}) or the post
object as it was; `mapping.map_item` reads both through the same dotted names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from marsad.ingest.base import Item, Reject, Sample, SourceFile
from marsad.ingest.fields import json_type
from marsad.ingest.formats.crowdtangle.table import csv_rows, header_of
from marsad.ingest.jsonfile import JSON_NAMES, json_head, read_json_records

CSV_NAMES = (".csv",)
_MCL_PREFIXES = ("post_owner.", "statistics.", "surface.", "link_attachment")
_MCL_KEYS = (b'"post_owner"', b'"statistics"', b'"mcl_url"', b'"post_owner.', b'"statistics.')


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A CSV whose header has id, creation_time and Content Library columns, or JSON whose
    start has "creation_time" next to "post_owner", "statistics" or "mcl_url"."""
    name = sample.name.lower()
    if name.endswith(CSV_NAMES):
        return _mcl_header(header_of(sample.head))
    if name.endswith(JSON_NAMES):
        return _mcl_json(json_head(sample.head))
    return False


def _mcl_header(columns: list[str]) -> bool:
    if "id" not in columns or "creation_time" not in columns:
        return False
    return "mcl_url" in columns or any(c.startswith(_MCL_PREFIXES) for c in columns)


def _mcl_json(head: bytes) -> bool:
    if not head.startswith((b"{", b"[")) or b'"creation_time"' not in head:
        return False
    return any(key in head for key in _MCL_KEYS)


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile) -> Iterator[Item | Reject]:
    """One Item per post; a Reject for each row, line or document that cannot be parsed."""
    name = source.name.lower()
    if name.endswith(CSV_NAMES):
        for entry in csv_rows(source):
            yield entry if isinstance(entry, Reject) else Item(entry[0], entry[1])
    else:
        yield from read_json_records(source, posts_in)


def posts_in(value: Any) -> Iterator[dict[str, Any] | str]:
    """The post objects of a parsed JSON value (post, page {"data": [...]}, or an array of
    those), or a reason string for each part that is not a post."""
    for element in value if isinstance(value, list) else [value]:
        if not isinstance(element, dict):
            yield f"expected a post object, found {json_type(element)}"
        elif isinstance(element.get("data"), list) and "id" not in element:
            yield from _page_posts(element["data"])
        elif "id" in element:
            yield element
        else:
            yield "an object that is neither a post (no id) nor a page of posts (no data)"


def _page_posts(data: list[Any]) -> Iterator[dict[str, Any] | str]:
    for post in data:
        yield post if isinstance(post, dict) else f'"data" holds {json_type(post)}, not a post'
