"""X API v2 responses (JSON / JSONL). See README.md in this folder."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.x_v2 import reader
from marsad.posts import Post


class XV2Format:
    key = "x.v2"
    title = "X API v2 responses (JSON / JSONL)"
    platform = reader.PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return reader.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return reader.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return reader.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """JSONL files: every line is a page or a tweet on its own."""
        return source.name.lower().endswith(reader.LINE_NAMES)


__all__ = ["XV2Format"]
