"""Any CSV/TSV or JSON-lines table with a column mapping. See README.md in this folder."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.tabular import reader
from marsad.posts import Post


class TabularFormat:
    key = "tabular.v1"
    title = "Tables: CSV / TSV / JSON lines with a column mapping"
    platform = reader.DEFAULT_PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return reader.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return reader.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return reader.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """Never: the header (CSV) or the first record (JSONL) decides the columns."""
        return False


__all__ = ["TabularFormat"]
