"""4CAT dataset exports (CSV) and Zeeschuimer / 4CAT NDJSON. See README.md in this folder."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.fourcat import csv_reader, ndjson_reader
from marsad.ingest.formats.fourcat.reader import CSV_NAMES, LINE_NAMES, OTHER
from marsad.posts import Post


class FourCatFormat:
    key = "4cat.v1"
    title = "4CAT datasets: CSV downloads, and Zeeschuimer / 4CAT NDJSON (TikTok, Instagram)"
    platform = OTHER  # each post's platform comes from the data (see README.md)

    def sniff(self, sample: Sample) -> bool:
        return csv_reader.sniff(sample) or ndjson_reader.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        if source.name.lower().endswith(CSV_NAMES):
            return csv_reader.read(source)
        return ndjson_reader.read(source)

    def map_item(self, item: Item, ctx: Context) -> Post:
        if isinstance(item.raw, csv_reader.CsvRecord):
            return csv_reader.map_item(item, ctx)
        return ndjson_reader.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """NDJSON: every line is one item on its own (CSV cells may span lines)."""
        return source.name.lower().endswith(LINE_NAMES)


__all__ = ["FourCatFormat"]
