"""4CAT dataset exports: what the CSV and the NDJSON readers share.

The format (`4cat.v1`) reads two kinds of file, each in its own module:
- `csv_reader`: a dataset downloaded from 4CAT as CSV (the columns of the datasource's
  `map_item`: `id, thread_id, body, author, timestamp, ...`);
- `ndjson_reader`: Zeeschuimer captures (`zeeschuimer-export-<platform>-<date>.ndjson`, one
  `{"item_id", "source_platform", ..., "data": {...}}` envelope per line) and 4CAT's NDJSON
  download of such a dataset (the item with its envelope under `"__import_meta"`); the items
  themselves are mapped in `zeeschuimer`.

This module holds the platform names, timestamps and CSV cells; typed access to parsed JSON
is `marsad.ingest.fields`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from marsad.ingest.fields import MAX_COUNT
from marsad.posts import PostError

OTHER = "other"
CSV_NAMES = (".csv",)
LINE_NAMES = (".ndjson", ".jsonl")

# A web domain (without "www.") -> marsad's platform value.
DOMAINS: dict[str, str] = {
    "x.com": "x",
    "twitter.com": "x",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "instagram.com": "instagram",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "reddit.com": "reddit",
    "bsky.app": "bluesky",
    "tiktok.com": "tiktok",
    "linkedin.com": "linkedin",
}
_SUBDOMAINS = ("www.", "m.", "mobile.", "old.", "vm.", "vt.")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_FORMAT_4CAT = "%Y-%m-%d %H:%M:%S"


# --- platforms ---------------------------------------------------------------------------


def platform_of_domain(domain: str) -> str | None:
    """The platform of a web domain ("www.tiktok.com" -> "tiktok"), None when unknown."""
    domain = domain.strip().lower().rstrip(".")
    for prefix in _SUBDOMAINS:
        domain = domain.removeprefix(prefix)
    return DOMAINS.get(domain)


def platform_of_url(url: str) -> str | None:
    """The platform of a link, from its domain; None for no link or an unknown site."""
    url = url.strip()
    if not url:
        return None
    try:
        host = urlsplit(url if "://" in url else f"https://{url}").hostname
    except ValueError:
        return None
    return platform_of_domain(host) if host else None


# --- times -------------------------------------------------------------------------------


def from_epoch(value: float, field: str) -> datetime:
    """Unix seconds as an aware UTC datetime; PostError naming the field when out of range."""
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise PostError(f"{field}: {value!r} is not a time") from None


def epoch_value(value: Any, field: str) -> datetime | None:
    """A JSON Unix time (number, or digits in a string as TikTok sometimes sends) in UTC."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise PostError(f"{field}: {value!r} is not a time")
    if isinstance(value, int | float):
        return from_epoch(value, field)
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        return from_epoch(float(value), field)
    raise PostError(f"{field}: {value!r} is not a time")


def epoch_cell(value: str, field: str) -> datetime | None:
    """A CSV cell of Unix seconds ("1740824430"; 4CAT writes "undefined" for none)."""
    value = value.strip()
    if not value or value == "undefined":
        return None
    if not _NUMBER.fullmatch(value):
        raise PostError(f"{field}: cannot parse {value!r} as Unix time")
    return from_epoch(float(value), field)


def date_cell(value: str, field: str) -> datetime | None:
    """A 4CAT `timestamp` cell, "YYYY-MM-DD HH:MM:SS" in UTC (ISO 8601 with a zone also)."""
    value = value.strip()
    if not value or value == "undefined":
        return None
    try:
        parsed = datetime.strptime(value, _FORMAT_4CAT)
    except ValueError:
        parsed = _iso(value, field)
    try:
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        raise PostError(f"{field}: {value!r} is out of range") from None


def _iso(value: str, field: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise PostError(f"{field}: cannot parse {value!r}") from None


# --- CSV cells ---------------------------------------------------------------------------


def count_cell(value: str, field: str) -> int | None:
    """A CSV count; empty and 4CAT's -1 ("not known") are None."""
    value = value.strip()
    if not value or value == "-1":
        return None
    if value.isascii() and value.isdigit() and int(value) <= MAX_COUNT:
        return int(value)
    raise PostError(f"{field}: {value!r} is not a count")


def list_cell(value: str, strip: str = "") -> list[str]:
    """A 4CAT list cell ("a,b,c") as its non-empty parts, `strip` characters removed."""
    parts = (part.strip().lstrip(strip) for part in value.split(","))
    return [part for part in parts if part]
