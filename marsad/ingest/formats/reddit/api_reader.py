"""Reddit API listing responses: `/r/<sub>/new.json`, `/search.json`, `/user/<name>/comments.json`
(one Listing), `/comments/<id>.json` (an array of two Listings: the submission, then the
comment tree), saved as one JSON document per file or one response per line (JSONL).

Every t3 and t1 child becomes one Item (record number: its position in the file, or the line
number in JSONL); comment trees (`replies`, "" or a Listing) are flattened depth first, parent
before its replies; `more` stubs (comments not loaded) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.fields import json_type
from marsad.ingest.formats.reddit.reader import KINDS, Thing
from marsad.ingest.jsonfile import JSON_NAMES, json_head, read_json_records

_LISTING = re.compile(rb'"kind"\s*:\s*"Listing"')
_CHILDREN = re.compile(rb'"children"\s*:\s*\[')
_BARE_THING = re.compile(rb'\[?\s*\{\s*"kind"\s*:\s*"t[13]"\s*,\s*"data"\s*:\s*\{')

Entry = Thing | str  # a thing, or the reason a part of the file is not usable


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .json/.jsonl/.ndjson file that starts with a Reddit Listing (or a bare t1/t3 thing)."""
    if not sample.name.lower().endswith(JSON_NAMES):
        return False
    head = json_head(sample.head)
    if not head.startswith((b"{", b"[")):
        return False
    if _BARE_THING.match(head):
        return True
    return bool(_LISTING.search(head) and _CHILDREN.search(head))


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per submission or comment; a Reject for what is not usable JSON."""
    return read_json_records(source, things_in)


# --- listings -----------------------------------------------------------------------------


def things_in(value: Any) -> Iterator[Entry]:
    """The submissions and comments of a parsed response (a Listing, an array of Listings,
    or a bare thing), comment trees flattened, or a reason for each unusable part."""
    for element in value if isinstance(value, list) else [value]:
        yield from _flatten([element])


def _flatten(children: list[Any]) -> Iterator[Entry]:
    """Depth first, each thing before its replies, without recursion (trees can be deep)."""
    stack: list[Iterator[Any]] = [iter(children)]
    while stack:
        child = next(stack[-1], _END)
        if child is _END:
            stack.pop()
            continue
        entry, nested = _child(child)
        if entry is not None:
            yield entry
        if nested:
            stack.append(iter(nested))


_END = object()


def _child(child: Any) -> tuple[Entry | None, list[Any]]:
    """(the thing or a reason or None, the children to read after it)."""
    if not isinstance(child, dict):
        return f"expected a Listing or a thing, found {json_type(child)}", []
    kind = child.get("kind")
    if kind == "more":
        return None, []
    if kind == "Listing":
        return _listing_children(child)
    if kind not in KINDS:
        return f"kind {kind!r} is not a Listing, a post (t3) or a comment (t1)", []
    data = child.get("data")
    if not isinstance(data, dict):
        return f"a {kind} thing whose data is {json_type(data)}, not an object", []
    return Thing(kind, data), _replies(data.get("replies"))


def _listing_children(listing: dict[str, Any]) -> tuple[Entry | None, list[Any]]:
    data = listing.get("data")
    children = data.get("children") if isinstance(data, dict) else None
    if not isinstance(children, list):
        return "a Listing without a data.children array", []
    return None, children


def _replies(replies: Any) -> list[Any]:
    """A comment's replies: "" (none) or a Listing; anything else is reported as is."""
    if replies is None or replies == "":
        return []
    return [replies]
