"""Bluesky app view API responses (JSON / JSONL). See README.md in this folder."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.bluesky import reader
from marsad.ingest.jsonfile import LINE_NAMES
from marsad.posts import Post


class BlueskyApiFormat:
    key = "bluesky.api.v1"
    title = "Bluesky API responses: searchPosts, getAuthorFeed, getPostThread (JSON / JSONL)"
    platform = reader.PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return reader.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return reader.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return reader.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """JSONL files: every line is a response on its own."""
        return source.name.lower().endswith(LINE_NAMES)


__all__ = ["BlueskyApiFormat"]
