"""The canonical Post record and its Arrow schema.

This module is the only contract between ingest, the warehouse and classify: importers
produce `Post` objects (through their pure `map_item`), the ingest pipeline turns batches of
them into Arrow tables with `posts_to_table`, and the warehouse stores exactly `POST_SCHEMA`.

Conventions:
- every datetime is timezone-aware UTC (naive datetimes are rejected);
- a metric the platform did not report is `None`, never 0 by guess;
- `text` is the original text exactly as published; `text_norm` is the normalised form that
  classifiers and searches use (filled by the ingest pipeline when an importer leaves it empty);
- `raw` is the original record as JSON text; Parquet stores it zstd-compressed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter

import pyarrow as pa

TIMESTAMP = pa.timestamp("us", tz="UTC")

MEDIA_TYPE = pa.struct([("type", pa.string()), ("url", pa.string())])
METRICS_TYPE = pa.struct(
    [
        ("likes", pa.int64()),
        ("shares", pa.int64()),
        ("replies", pa.int64()),
        ("quotes", pa.int64()),
        ("views", pa.int64()),
    ]
)
SOURCE_TYPE = pa.struct([("file", pa.string()), ("record", pa.int64())])

POST_SCHEMA = pa.schema(
    [
        pa.field("platform", pa.string(), nullable=False),
        pa.field("post_id", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("author_id", pa.string()),
        pa.field("author_handle", pa.string()),
        pa.field("author_name", pa.string()),
        pa.field("created_at", TIMESTAMP),
        pa.field("collected_at", TIMESTAMP, nullable=False),
        pa.field("text", pa.string()),
        pa.field("text_norm", pa.string()),
        pa.field("lang", pa.string()),
        pa.field("script", pa.string()),
        pa.field("hashtags", pa.list_(pa.string())),
        pa.field("mentions", pa.list_(pa.string())),
        pa.field("urls", pa.list_(pa.string())),
        pa.field("media", pa.list_(MEDIA_TYPE)),
        pa.field("reply_to", pa.string()),
        pa.field("quote_of", pa.string()),
        pa.field("repost_of", pa.string()),
        pa.field("conversation_id", pa.string()),
        pa.field("metrics", METRICS_TYPE),
        pa.field("source", SOURCE_TYPE),
        pa.field("dataset", pa.string()),
        pa.field("raw", pa.string()),
    ]
)

KEY_COLUMNS = ("platform", "post_id")


class PostError(ValueError):
    """A record could not become a valid Post; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class Media:
    type: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Metrics:
    """Engagement counts as the platform reported them; None means unknown."""

    likes: int | None = None
    shares: int | None = None
    replies: int | None = None
    quotes: int | None = None
    views: int | None = None


@dataclass(frozen=True, slots=True)
class Source:
    file: str
    record: int


@dataclass(slots=True)
class Post:
    platform: str
    post_id: str
    collected_at: datetime
    text: str | None = None
    url: str | None = None
    author_id: str | None = None
    author_handle: str | None = None
    author_name: str | None = None
    created_at: datetime | None = None
    text_norm: str | None = None
    lang: str | None = None
    script: str | None = None
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    reply_to: str | None = None
    quote_of: str | None = None
    repost_of: str | None = None
    conversation_id: str | None = None
    metrics: Metrics = field(default_factory=Metrics)
    source: Source | None = None
    dataset: str | None = None
    raw: str | None = None

    def __post_init__(self) -> None:
        validate_post(self)


def validate_post(post: Post) -> None:
    """Raise PostError naming the field when a Post breaks the record's rules."""
    if not post.platform:
        raise PostError("platform: empty")
    if not post.post_id:
        raise PostError("post_id: empty")
    for name in ("created_at", "collected_at"):
        value = getattr(post, name)
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise PostError(f"{name}: naive datetime {value.isoformat()}; must be timezone-aware")
    for name in ("likes", "shares", "replies", "quotes", "views"):
        value = getattr(post.metrics, name)
        if value is not None and (isinstance(value, bool) or value < 0):
            raise PostError(f"metrics.{name}: {value!r} is not a count")


COLUMN_NAMES: tuple[str, ...] = tuple(POST_SCHEMA.names)
_POST_FIELDS = {f.name for f in fields(Post)}
assert set(COLUMN_NAMES) == _POST_FIELDS, "Post and POST_SCHEMA must have the same fields"


_METRIC_NAMES = tuple(f.name for f in METRICS_TYPE)


def _plain_column(posts: Sequence[Post], name: str, kind: pa.DataType) -> pa.Array:
    """A column copied as it is; pyarrow turns aware datetimes into UTC instants."""
    return pa.array(list(map(attrgetter(name), posts)), type=kind)


def _metrics_column(posts: Sequence[Post]) -> pa.Array:
    children = [
        pa.array(list(map(attrgetter(f"metrics.{name}"), posts)), type=pa.int64())
        for name in _METRIC_NAMES
    ]
    return pa.StructArray.from_arrays(children, fields=list(METRICS_TYPE))


def _media_column(posts: Sequence[Post]) -> pa.Array:
    values = [[{"type": m.type, "url": m.url} for m in p.media] if p.media else [] for p in posts]
    return pa.array(values, type=pa.list_(MEDIA_TYPE))


def _source_column(posts: Sequence[Post]) -> pa.Array:
    values = [
        None if p.source is None else {"file": p.source.file, "record": p.source.record}
        for p in posts
    ]
    return pa.array(values, type=SOURCE_TYPE)


def posts_to_table(posts: Sequence[Post]) -> pa.Table:
    """An Arrow table with exactly POST_SCHEMA, one row per post, in order."""
    builders = {"media": _media_column, "metrics": _metrics_column, "source": _source_column}
    columns = [
        builders[f.name](posts) if f.name in builders else _plain_column(posts, f.name, f.type)
        for f in POST_SCHEMA
    ]
    return pa.Table.from_arrays(columns, schema=POST_SCHEMA)


def table_to_posts(table: pa.Table) -> Iterable[Post]:
    """Posts back from a table with POST_SCHEMA (for tests and small tools, not hot paths)."""
    for row in table.select(list(COLUMN_NAMES)).to_pylist():
        row["media"] = [Media(**m) for m in row["media"] or []]
        row["metrics"] = Metrics(**(row["metrics"] or {}))
        row["source"] = Source(**row["source"]) if row["source"] else None
        for name in ("hashtags", "mentions", "urls"):
            row[name] = row[name] or []
        yield Post(**row)
