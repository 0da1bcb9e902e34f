"""The import-format registry: key -> "module.path:ClassName", loaded lazily and cached.

Detection tries the formats in registry order: the specific built-in formats, then formats
that outside packages add through the `marsad.formats` entry-point group (entry name = key,
value = "module:Class"), then the generic fallback formats (tabular) last. A built-in key
cannot be replaced by an entry point.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from marsad.ingest.base import Format, Sample
from marsad.registry import import_spec, spec_of, with_plugins

ENTRY_POINT_GROUP = "marsad.formats"

FORMATS: dict[str, str] = {
    "x.v2": "marsad.ingest.formats.x_v2:XV2Format",
    "telegram.desktop.v1": "marsad.ingest.formats.telegram:TelegramDesktopFormat",
    "telegram.telethon.v1": "marsad.ingest.formats.telegram:TelegramTelethonFormat",
    "reddit.api.v1": "marsad.ingest.formats.reddit:RedditApiFormat",
    "reddit.pushshift.v1": "marsad.ingest.formats.reddit:RedditPushshiftFormat",
    "youtube.v3": "marsad.ingest.formats.youtube:YouTubeV3Format",
    "tiktok.research.v2": "marsad.ingest.formats.tiktok:TikTokResearchFormat",
    "crowdtangle.v1": "marsad.ingest.formats.crowdtangle:CrowdTangleFormat",
    "meta.mcl.v1": "marsad.ingest.formats.meta_mcl:MetaContentLibraryFormat",
    "mastodon.api.v1": "marsad.ingest.formats.mastodon:MastodonApiFormat",
    "mastodon.outbox.v1": "marsad.ingest.formats.mastodon:MastodonOutboxFormat",
    "bluesky.api.v1": "marsad.ingest.formats.bluesky:BlueskyApiFormat",
    "x.v1": "marsad.ingest.formats.x_v1:XV1Format",
    "x.archive.v1": "marsad.ingest.formats.x_v1:XArchiveFormat",
    "4cat.v1": "marsad.ingest.formats.fourcat:FourCatFormat",
    "tabular.v1": "marsad.ingest.formats.tabular:TabularFormat",
}

# Formats that accept almost any CSV/JSONL-looking file: tried after every other format.
FALLBACK_KEYS: tuple[str, ...] = ("tabular.v1",)

_REQUIRED = ("key", "title", "platform", "sniff", "read", "map_item")


class FormatLoadError(ImportError):
    """A registered format could not be imported or does not follow the Format contract."""


@cache
def format_specs() -> dict[str, str]:
    """Every known format key -> "module:Class", in detection order."""
    first = {k: v for k, v in FORMATS.items() if k not in FALLBACK_KEYS}
    specs = with_plugins(first, ENTRY_POINT_GROUP)
    for key in FALLBACK_KEYS:  # last, and never replaced by a plugin
        specs.pop(key, None)
        specs[key] = FORMATS[key]
    return specs


@cache
def get_format(key: str) -> Format:
    """The format registered under `key`; KeyError listing the known keys when there is none."""
    return _load(key, spec_of(format_specs(), key, "format", "formats"))


def _load(key: str, spec: str) -> Format:
    try:
        fmt: Format = import_spec(spec)()
    except (ImportError, AttributeError, TypeError) as exc:
        raise FormatLoadError(f"format {key!r} ({spec}) could not be loaded: {exc}") from exc
    missing = [name for name in _REQUIRED if not hasattr(fmt, name)]
    if missing:
        raise FormatLoadError(f"format {key!r} ({spec}) lacks {', '.join(missing)}")
    if fmt.key != key:
        raise FormatLoadError(f"format {key!r} ({spec}) calls itself {fmt.key!r}")
    return fmt


def all_formats() -> list[Format]:
    """Every registered format, loaded, in detection order."""
    return [get_format(key) for key in format_specs()]


def detect_format(sample: Sample, options: Mapping[str, str]) -> Format | None:
    """The format forced by options["format"], else the first format whose sniff accepts
    the sample, else None."""
    if options.get("format"):
        return get_format(options["format"])
    for fmt in all_formats():
        if fmt.sniff(sample):
            return fmt
    return None


def clear_cache() -> None:
    """Forget loaded formats and entry points (for tests and long-lived processes)."""
    format_specs.cache_clear()
    get_format.cache_clear()
