"""Telegram: Telegram Desktop JSON exports and Telethon messages. See README.md here."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.telegram import desktop, telethon_json
from marsad.ingest.formats.telegram.reader import PLATFORM
from marsad.posts import Post


class TelegramDesktopFormat:
    key = "telegram.desktop.v1"
    title = "Telegram Desktop export, machine-readable JSON (result.json)"
    platform = PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return desktop.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return desktop.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return desktop.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """Never: the export is one JSON document."""
        return False


class TelegramTelethonFormat:
    key = "telegram.telethon.v1"
    title = "Telethon messages, one Message.to_json() per line (JSONL)"
    platform = PLATFORM

    def sniff(self, sample: Sample) -> bool:
        return telethon_json.sniff(sample)

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        return telethon_json.read(source, ctx)

    def map_item(self, item: Item, ctx: Context) -> Post:
        return telethon_json.map_item(item, ctx)

    def splittable(self, source: SourceFile) -> bool:
        """JSONL files: every line is one message on its own."""
        return source.name.lower().endswith(telethon_json.LINE_NAMES)


__all__ = ["TelegramDesktopFormat", "TelegramTelethonFormat"]
