"""CrowdTangle CSV exports of Facebook and Instagram posts. See README.md in this folder."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.crowdtangle import reader
from marsad.posts import Post


class CrowdTangleFormat:
    key = "crowdtangle.v1"
    title = "CrowdTangle CSV exports (Facebook and Instagram)"
    platform = reader.PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return reader.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return reader.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return reader.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """Never: a quoted CSV field may span lines, so a part cannot start at any line."""
        return False


__all__ = ["CrowdTangleFormat"]
