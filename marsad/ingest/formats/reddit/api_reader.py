"""Reddit API listing responses: `/r/<sub>/new.json`, `/search.json`, `/user/<name>/comments.json`
(one Listing), `/comments/<id>.json` (an array of two Listings: the submission, then the
comment tree), saved as one JSON document per file or one response per line (JSONL).

Every t3 and t1 child becomes one Item (record number: its position in the file, or the line
number in JSONL); comment trees (`replies`, "" or a Listing) are flattened depth first, parent
before its replies; `more` stubs (comments not loaded) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile, excerpt
from marsad.ingest.formats.reddit.reader import KINDS, Thing, json_type
from marsad.ingest.sources import READ_ERRORS, iter_lines

NAMES = (".json", ".jsonl", ".ndjson")
LINE_NAMES = (".jsonl", ".ndjson")
_BOM = b"\xef\xbb\xbf"
_LISTING = re.compile(rb'"kind"\s*:\s*"Listing"')
_CHILDREN = re.compile(rb'"children"\s*:\s*\[')
_BARE_THING = re.compile(rb'\[?\s*\{\s*"kind"\s*:\s*"t[13]"\s*,\s*"data"\s*:\s*\{')

Entry = Thing | str  # a thing, or the reason a part of the file is not usable


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .json/.jsonl/.ndjson file that starts with a Reddit Listing (or a bare t1/t3 thing)."""
    if not sample.name.lower().endswith(NAMES):
        return False
    head = sample.head.removeprefix(_BOM).lstrip()
    if not head.startswith((b"{", b"[")):
        return False
    if _BARE_THING.match(head):
        return True
    return bool(_LISTING.search(head) and _CHILDREN.search(head))


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per submission or comment; a Reject for what is not usable JSON."""
    if source.name.lower().endswith(LINE_NAMES):
        yield from _read_lines(source)
    else:
        yield from _read_document(source)


def _read_lines(source: SourceFile) -> Iterator[Item | Reject]:
    for entry in iter_lines(source):
        if isinstance(entry, Reject):
            yield entry
        else:
            yield from _line_entries(source.name, *entry)


def _line_entries(name: str, line_no: int, line: bytes) -> Iterator[Item | Reject]:
    if not line.strip():
        return
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        yield Reject(name, line_no, f"malformed JSON in line {line_no}: {exc}", excerpt(line))
        return
    for entry in things_in(value):
        yield Item(line_no, entry) if isinstance(entry, Thing) else Reject(name, line_no, entry)


def _read_document(source: SourceFile) -> Iterator[Item | Reject]:
    try:
        with source.open() as stream:
            data = stream.read().removeprefix(_BOM)
    except READ_ERRORS as exc:
        reason = f"cannot read the rest of the file: {type(exc).__name__}: {exc}"
        yield Reject(source.name, 1, reason)
        return
    if not data.strip():
        return
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        yield from _not_a_document(source.name, data, exc)
        return
    yield from _numbered(source.name, things_in(value))


def _not_a_document(name: str, data: bytes, exc: orjson.JSONDecodeError) -> Iterator[Item | Reject]:
    """Responses saved one per line in a .json file are read line by line; anything else is
    a broken (often truncated) document."""
    lines = data.splitlines()
    if len(lines) > 1 and _parses(lines[0]):
        for line_no, line in enumerate(lines, 1):
            yield from _line_entries(name, line_no, line)
        return
    reason = f"malformed or truncated JSON document (line {exc.lineno}): {exc}"
    yield Reject(name, exc.lineno, reason, excerpt(data[-200:]))


def _parses(line: bytes) -> bool:
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def _numbered(name: str, entries: Iterable[Entry]) -> Iterator[Item | Reject]:
    for number, entry in enumerate(entries, 1):
        yield Item(number, entry) if isinstance(entry, Thing) else Reject(name, number, entry)


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
