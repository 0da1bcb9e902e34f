"""Mastodon: REST API statuses and the account archive's outbox. See README.md here."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.mastodon import api, outbox
from marsad.ingest.formats.mastodon.reader import PLATFORM
from marsad.ingest.jsonfile import LINE_NAMES
from marsad.posts import Post


class MastodonApiFormat:
    key = "mastodon.api.v1"
    title = "Mastodon REST API statuses (JSON / JSONL)"
    platform = PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return api.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return api.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return api.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """JSONL files: every line is a status (or a response) on its own."""
        return source.name.lower().endswith(LINE_NAMES)


class MastodonOutboxFormat:
    key = "mastodon.outbox.v1"
    title = "Mastodon account archive outbox (outbox.json)"
    platform = PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return outbox.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return outbox.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return outbox.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """Never: the outbox is one JSON document."""
        return False


__all__ = ["MastodonApiFormat", "MastodonOutboxFormat"]
