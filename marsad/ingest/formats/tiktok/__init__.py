"""TikTok Research API responses (JSON / JSONL). See README.md in this folder."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.tiktok import reader
from marsad.posts import Post


class TikTokResearchFormat:
    key = "tiktok.research.v2"
    title = "TikTok Research API v2 responses: videos and comments (JSON / JSONL)"
    platform = reader.PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return reader.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return reader.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return reader.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """JSONL files: every line is a response, a video or a comment on its own."""
        return source.name.lower().endswith(reader.LINE_NAMES)


__all__ = ["TikTokResearchFormat"]
