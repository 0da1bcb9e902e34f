"""Zeeschuimer captures and 4CAT's NDJSON download of them, one item per line.

Two line shapes hold the same captured item:
- Zeeschuimer's own export (`zeeschuimer-export-tiktok.com-<date>.ndjson`), also what 4CAT
  imports: `{"nav_index", "item_id", "timestamp_collected", "source_platform",
  "source_platform_url", "source_url", "user_agent", "data": {...item...}, "id"}`;
- 4CAT's NDJSON download of such a dataset: the item's own keys, with that envelope (less
  `data`) under `"__import_meta"`.

`source_platform` says which Zeeschuimer module captured the item ("tiktok.com",
"instagram.com", "tiktok-comments", "x.com", ...). TikTok and Instagram posts are mapped
(see `zeeschuimer`); a line from any other module is a Reject naming it, not a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile, excerpt
from marsad.ingest.fields import JsonObject, json_type
from marsad.ingest.formats.fourcat import zeeschuimer
from marsad.ingest.formats.fourcat.reader import LINE_NAMES
from marsad.ingest.jsonfile import json_head
from marsad.ingest.sources import iter_lines
from marsad.posts import Post, Source

# Zeeschuimer module (source_platform) -> the platform of the posts mapped from it.
SUPPORTED: dict[str, str] = {"tiktok.com": "tiktok", "instagram.com": "instagram"}
MAPPERS: dict[str, Callable[[JsonObject], dict[str, Any]]] = {
    "tiktok": zeeschuimer.tiktok_fields,
    "instagram": zeeschuimer.instagram_fields,
}
META = "__import_meta"


class ZsRecord(NamedTuple):
    """One captured item, the platform it is mapped as, and the whole line (for `raw`)."""

    platform: str
    item: JsonObject
    line: JsonObject


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .ndjson/.jsonl file whose first line is a Zeeschuimer envelope or a 4CAT item with
    `__import_meta` (a first line longer than the sample is judged by its key names)."""
    if not sample.name.lower().endswith(LINE_NAMES):
        return False
    first = json_head(sample.head).split(b"\n", 1)[0]
    if not first.startswith(b"{"):
        return False
    try:
        return is_captured_item(orjson.loads(first))
    except orjson.JSONDecodeError:
        return b'"source_platform"' in first and (b'"item_id"' in first or META.encode() in first)


def is_captured_item(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    if "source_platform" in value and "item_id" in value and "data" in value:
        return True
    meta = value.get(META)
    return isinstance(meta, dict) and "source_platform" in meta


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile) -> Iterator[Item | Reject]:
    """One Item per supported captured item; a Reject per other line, naming why."""
    for entry in iter_lines(source):
        if isinstance(entry, Reject):
            yield entry
        else:
            yield line_entry(source.name, *entry)


def line_entry(name: str, line_no: int, line: bytes) -> Item | Reject:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return Reject(name, line_no, f"malformed JSON in line {line_no}: {exc}", excerpt(line))
    found = unwrap(value)
    if isinstance(found, str):
        return Reject(name, line_no, found, excerpt(line))
    module, item = found
    platform = SUPPORTED.get(module.strip().lower().removeprefix("www."))
    if platform is None:
        supported = ", ".join(SUPPORTED)
        reason = f"4CAT NDJSON from {module!r} is not supported yet (supported: {supported})"
        return Reject(name, line_no, reason, excerpt(line))
    return Item(line_no, ZsRecord(platform, item, value))


def unwrap(value: Any) -> tuple[str, JsonObject] | str:
    """(source_platform, item) of a line, or the reason it holds no captured item."""
    if not isinstance(value, dict):
        return f"expected a captured item (an object), found {json_type(value)}"
    if "data" in value and "source_platform" in value:
        module, item = value["source_platform"], value["data"]
    elif isinstance(value.get(META), dict):
        module, item = value[META].get("source_platform"), _without_meta(value)
    else:
        return "not a Zeeschuimer item: no source_platform and data, no __import_meta"
    if not isinstance(module, str) or not module:
        return f"source_platform: {module!r} is not a platform name"
    if not isinstance(item, dict):
        return f'"data" is {json_type(item)}, not an item object'
    return module, item


def _without_meta(value: JsonObject) -> JsonObject:
    return {key: item for key, item in value.items() if key != META}


# --- map_item ----------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one captured item (pure)."""
    record = _record(item.raw)
    fields = MAPPERS[record.platform](record.item)
    return Post(
        platform=record.platform,
        collected_at=ctx.collected_at,
        source=Source(ctx.file, item.record),
        dataset=ctx.dataset,
        raw=orjson.dumps(record.line).decode(),
        **fields,
    )


def _record(raw: Any) -> ZsRecord:
    if not isinstance(raw, tuple) or len(raw) != 3 or raw[0] not in MAPPERS:
        raise TypeError("4cat NDJSON items hold (platform, item, line)")
    platform, item, line = raw
    if not isinstance(item, dict) or not isinstance(line, dict):
        raise TypeError("4cat NDJSON items hold (platform, item object, line object)")
    return ZsRecord(platform, item, line)
