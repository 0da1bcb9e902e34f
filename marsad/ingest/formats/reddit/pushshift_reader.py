"""Pushshift / Arctic Shift Reddit dumps: one submission or comment object per line (NDJSON).

Monthly dumps are named `RS_YYYY-MM` (submissions) and `RC_YYYY-MM` (comments), per-subreddit
dumps `<sub>_submissions` and `<sub>_comments`; all come as `.zst` (unwrapped by
`marsad.ingest.sources`), and also plain or `.gz`. Every line becomes one Item whose record
number is the line number; the kind (submission or comment) is told from the fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile, excerpt
from marsad.ingest.fields import json_type
from marsad.ingest.formats.reddit.reader import Thing, looks_like_record
from marsad.ingest.sources import iter_lines

NAMES = (".json", ".jsonl", ".ndjson")
_BOM = b"\xef\xbb\xbf"
_SEPARATORS = re.compile(r"[/\\!]")
# Byte-level signs of a record, for a first line longer than the sample.
_SUBMISSION_KEYS = (b'"title"', b'"selftext"')
_COMMENT_KEYS = (b'"body"', b'"link_id"')
_COMMON_KEYS = (b'"id"', b'"created_utc"', b'"subreddit"')
# Keys of tools that wrap or annotate records (4CAT): such files belong to their own format.
_WRAPPERS = ("__import_meta", "source_platform")


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .json/.jsonl/.ndjson file, or one without extension (`RC_2025-01`, `sub_comments`),
    whose first line is a Reddit submission or comment object."""
    if not _name_fits(sample.name):
        return False
    head = sample.head.removeprefix(_BOM).lstrip()
    if not head.startswith(b"{"):
        return False
    first, newline, _rest = head.partition(b"\n")
    try:
        value = orjson.loads(first)
    except orjson.JSONDecodeError:
        return not newline and _long_first_record(first)
    return looks_like_record(value) and not any(key in value for key in _WRAPPERS)


def _name_fits(name: str) -> bool:
    base = _SEPARATORS.split(name)[-1].lower()
    return base.endswith(NAMES) or ("." not in base and bool(base))


def _long_first_record(head: bytes) -> bool:
    """A first line cut by the sample's end: judged by the keys it shows."""
    if not all(key in head for key in _COMMON_KEYS) or b'"__import_meta"' in head:
        return False
    return all(k in head for k in _SUBMISSION_KEYS) or all(k in head for k in _COMMENT_KEYS)


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per line holding a JSON object; a Reject for every other line."""
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
        if isinstance(value, dict):
            yield Item(line_no, Thing(None, value))
        else:
            reason = f"expected a submission or comment object, found {json_type(value)}"
            yield Reject(source.name, line_no, reason, excerpt(line))
