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

import orjson

from marsad.ingest.base import Item, Reject, Sample, SourceFile, excerpt
from marsad.ingest.formats.crowdtangle.table import csv_rows, header_of
from marsad.ingest.sources import READ_ERRORS, iter_lines

CSV_NAMES = (".csv",)
JSON_NAMES = (".json", ".jsonl", ".ndjson")
LINE_NAMES = (".jsonl", ".ndjson")
_BOM = b"\xef\xbb\xbf"
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
        return _mcl_json(sample.head.removeprefix(_BOM).lstrip())
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
    elif name.endswith(LINE_NAMES):
        yield from _read_lines(source)
    else:
        yield from _read_document(source)


def _read_lines(source: SourceFile) -> Iterator[Item | Reject]:
    for entry in iter_lines(source):
        if isinstance(entry, Reject):
            yield entry
            continue
        line_no, line = entry
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            reason = f"malformed JSON in line {line_no}: {exc}"
            yield Reject(source.name, line_no, reason, excerpt(line))
            continue
        for post in posts_in(value):
            yield (
                Item(line_no, post)
                if isinstance(post, dict)
                else Reject(source.name, line_no, post, excerpt(line))
            )


def _read_document(source: SourceFile) -> Iterator[Item | Reject]:
    try:
        with source.open() as stream:
            data = stream.read().removeprefix(_BOM)
    except READ_ERRORS as exc:
        yield Reject(source.name, 1, f"cannot read the file: {type(exc).__name__}: {exc}")
        return
    if not data.strip():
        return
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        reason = f"malformed or truncated JSON document (line {exc.lineno}): {exc}"
        yield Reject(source.name, exc.lineno, reason, excerpt(data[-200:]))
        return
    for number, post in enumerate(posts_in(value), 1):
        yield Item(number, post) if isinstance(post, dict) else Reject(source.name, number, post)


def posts_in(value: Any) -> Iterator[dict[str, Any] | str]:
    """The post objects of a parsed JSON value (post, page {"data": [...]}, or an array of
    those), or a reason string for each part that is not a post."""
    for element in value if isinstance(value, list) else [value]:
        if not isinstance(element, dict):
            yield f"expected a post object, found {_json_type(element)}"
        elif isinstance(element.get("data"), list) and "id" not in element:
            yield from _page_posts(element["data"])
        elif "id" in element:
            yield element
        else:
            yield "an object that is neither a post (no id) nor a page of posts (no data)"


def _page_posts(data: list[Any]) -> Iterator[dict[str, Any] | str]:
    for post in data:
        yield post if isinstance(post, dict) else f'"data" holds {_json_type(post)}, not a post'


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    return names.get(type(value), "null" if value is None else "a number")
