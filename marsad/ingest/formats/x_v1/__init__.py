"""X API v1.1 tweets and the X account archive. See README.md in this folder."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.x_v1 import archive, reader
from marsad.ingest.jsonfile import LINE_NAMES
from marsad.posts import Post


class XV1Format:
    key = "x.v1"
    title = "X API v1.1 tweets (JSON / JSONL)"
    platform = reader.PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return reader.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return reader.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return reader.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """JSONL files: every line is a tweet, a response or a stream notice on its own."""
        return source.name.lower().endswith(LINE_NAMES)


class XArchiveFormat:
    key = "x.archive.v1"
    title = "X account archive (data/tweets.js)"
    platform = archive.PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return archive.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return archive.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return archive.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """Never: a tweets.js file is one JavaScript assignment of one JSON array."""
        return False


__all__ = ["XArchiveFormat", "XV1Format"]
