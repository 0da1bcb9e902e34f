"""YouTube Data API v3 responses (JSON / JSONL). See README.md in this folder."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.youtube import reader
from marsad.posts import Post


class YouTubeV3Format:
    key = "youtube.v3"
    title = "YouTube Data API v3 responses: videos, comment threads, comments (JSON / JSONL)"
    platform = reader.PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return reader.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return reader.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return reader.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """JSONL files: every line is a response or a resource on its own."""
        return source.name.lower().endswith(reader.LINE_NAMES)


__all__ = ["YouTubeV3Format"]
