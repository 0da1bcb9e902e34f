"""Reddit: API listing responses and Pushshift / Arctic Shift dumps. See README.md here."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.reddit import api_reader, pushshift_reader, reader
from marsad.ingest.jsonfile import LINE_NAMES
from marsad.posts import Post


class RedditApiFormat:
    key = "reddit.api.v1"
    title = "Reddit API listings (JSON / JSONL: subreddit, search, user, comment trees)"
    platform = reader.PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return api_reader.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return api_reader.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return reader.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """JSONL files: every line is a whole response."""
        return source.name.lower().endswith(LINE_NAMES)


class RedditPushshiftFormat:
    key = "reddit.pushshift.v1"
    title = "Reddit dumps from Pushshift / Arctic Shift (NDJSON, .zst)"
    platform = reader.PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return pushshift_reader.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return pushshift_reader.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return reader.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """Every dump holds one record per line."""
        return True


__all__ = ["RedditApiFormat", "RedditPushshiftFormat"]
