"""Meta Content Library exports of Facebook and Instagram posts. See README.md in this folder."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.meta_mcl import mapping, reader
from marsad.ingest.jsonfile import LINE_NAMES
from marsad.posts import Post


class MetaContentLibraryFormat:
    key = "meta.mcl.v1"
    title = "Meta Content Library exports (Facebook and Instagram posts; CSV, JSON, JSONL)"
    platform = "facebook"

    def sniff(self, sample: Sample) -> bool:
        return reader.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return reader.read(source)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return mapping.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """JSON lines: every line is a post (or a page of posts) on its own."""
        return source.name.lower().endswith(LINE_NAMES)


__all__ = ["MetaContentLibraryFormat"]
