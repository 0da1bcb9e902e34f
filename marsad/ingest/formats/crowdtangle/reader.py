"""CrowdTangle CSV exports (Historical Data, saved searches, lists) of Facebook and Instagram.

The file is one CSV table with a header row. Each data row becomes one Item whose raw value is
the row as {column: text cell}; its record number is the line the row starts on. Whether a row
is a Facebook or an Instagram post is told by its URL (else by the file's columns).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.formats.crowdtangle.table import (
    Row,
    cell,
    count,
    csv_rows,
    header_of,
    raw_json,
    text_row,
)
from marsad.ingest.formats.tabular.reader import zone_for
from marsad.posts import Media, Metrics, Post, PostError, Source

PLATFORM = "facebook"
NAMES = (".csv",)
FACEBOOK_COLUMNS = frozenset({"Facebook Id", "Likes at Posting", "Message"})
INSTAGRAM_COLUMNS = frozenset({"Account", "User Name", "Followers at Posting", "Photo"})
DATE_COLUMNS = ("Post Created", "Created")  # "Created": exports made before 2021
REACTIONS = ("Likes", "Love", "Wow", "Haha", "Sad", "Angry", "Care")

# Zone abbreviations CrowdTangle writes (tz database names of the dashboard's zone), in hours.
# IST is read as Israel Standard Time (Asia/Jerusalem), not India: set the timezone option
# to a numeric offset when the dashboard used another zone with that abbreviation.
ZONES: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2,
    "EET": 2, "EEST": 3, "IST": 2, "IDT": 3, "MSK": 3, "EST": -5, "EDT": -4, "CST": -6,
    "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8,
    "HST": -10, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "SAST": 2, "WAT": 1, "CAT": 2,
    "EAT": 3, "PKT": 5, "WIB": 7,
}  # fmt: skip
_CREATED = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}:[0-9]{2}(?::[0-9]{2})?)(?:[ \t]*(\S+))?"
)
_OFFSET = re.compile(r"(?:UTC|GMT)?([+-])([0-9]{1,2})(?::?([0-9]{2}))?")
_VIDEO_TYPES = ("video", "reel", "igtv")
_FB_POST_PATHS = ("posts", "videos", "permalink", "photos", "reel", "reels", "watch")
_IG_POST_PATHS = ("p", "reel", "reels", "tv")
_POST_TOKEN = re.compile(r"[0-9]+|pfbid[0-9A-Za-z]+")
_SHORTCODE = re.compile(r"[A-Za-z0-9_-]+")


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .csv file whose header row has CrowdTangle's Facebook or Instagram columns."""
    if not sample.name.lower().endswith(NAMES):
        return False
    columns = set(header_of(sample.head))
    if "URL" not in columns or "Type" not in columns:
        return False
    if not any(date in columns for date in DATE_COLUMNS):
        return False
    return FACEBOOK_COLUMNS.issubset(columns) or INSTAGRAM_COLUMNS.issubset(columns)


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per data row; a Reject for each row that is not readable CSV."""
    for entry in csv_rows(source):
        yield entry if isinstance(entry, Reject) else Item(entry[0], entry[1])


# --- map_item ----------------------------------------------------------------------------


class _Common(NamedTuple):
    """What every Post of a row gets, whatever its platform."""

    platform: str
    url: str | None
    created_at: datetime
    collected_at: datetime
    source: Source
    dataset: str | None
    raw: str


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one CrowdTangle row (pure)."""
    row = text_row(item.raw, "crowdtangle.v1")
    url = cell(row, "URL")
    platform = platform_of(row, url)
    common = _Common(
        platform,
        url,
        created_at(row, ctx.options),
        ctx.collected_at,
        Source(ctx.file, item.record),
        ctx.dataset,
        raw_json(row),
    )
    return _instagram_post(row, common) if platform == "instagram" else _facebook_post(row, common)


def platform_of(row: Row, url: str | None) -> str:
    """ "instagram" or "facebook": from the post's URL, else from the row's columns."""
    host = (urlsplit(url).hostname or "") if url else ""
    if host == "instagram.com" or host.endswith(".instagram.com"):
        return "instagram"
    if host == "facebook.com" or host.endswith(".facebook.com") or host == "fb.com":
        return "facebook"
    if "Account" in row and "Facebook Id" not in row:
        return "instagram"
    return "facebook"


def _facebook_post(row: Row, common: _Common) -> Post:
    owner = cell(row, "Facebook Id")
    post_type = (cell(row, "Type") or "").lower()
    link = cell(row, "Final Link") or cell(row, "Link")
    return Post(
        platform=common.platform,
        post_id=facebook_post_id(common.url, owner),
        collected_at=common.collected_at,
        text=_text(row, "Message"),
        url=common.url,
        author_id=owner,
        author_handle=_handle(cell(row, "User Name")),
        author_name=cell(row, "Page Name") or cell(row, "Group Name"),
        created_at=common.created_at,
        urls=[link] if link and post_type == "link" else [],
        media=_facebook_media(post_type, cell(row, "Link")),
        metrics=Metrics(
            likes=_reactions(row),
            shares=count(row, "Shares"),
            replies=count(row, "Comments"),
            views=count(row, "Post Views") if _is_video(post_type) else None,
        ),
        source=common.source,
        dataset=common.dataset,
        raw=common.raw,
    )


def _instagram_post(row: Row, common: _Common) -> Post:
    post_type = (cell(row, "Type") or "").lower()
    return Post(
        platform=common.platform,
        post_id=instagram_post_id(common.url),
        collected_at=common.collected_at,
        text=_text(row, "Description") or _text(row, "Title"),
        url=common.url,
        author_handle=_handle(cell(row, "User Name")),
        author_name=cell(row, "Account"),
        created_at=common.created_at,
        media=_instagram_media(post_type, cell(row, "Photo")),
        metrics=Metrics(
            likes=count(row, "Likes"),
            replies=count(row, "Comments"),
            views=count(row, "Views") if _is_video(post_type) else None,
        ),
        source=common.source,
        dataset=common.dataset,
        raw=common.raw,
    )


def _text(row: Row, column: str) -> str | None:
    """The cell exactly as published (not stripped), None when it is empty."""
    value = row.get(column)
    return value if value and value.strip() else None


def _handle(value: str | None) -> str | None:
    return value.lstrip("@") or None if value else None


def _reactions(row: Row) -> int | None:
    """Every reaction (Like, Love, Wow, Haha, Sad, Angry, Care) together; None when the row
    has no reaction counts at all."""
    counts = [count(row, column) for column in REACTIONS]
    given = [c for c in counts if c is not None]
    return sum(given) if given else None


def _is_video(post_type: str) -> bool:
    return any(kind in post_type for kind in _VIDEO_TYPES)


def _facebook_media(post_type: str, link: str | None) -> list[Media]:
    if post_type in ("photo", "album"):
        return [Media("photo", link)]
    if _is_video(post_type) or post_type == "youtube":
        return [Media("video", link)]
    return []


def _instagram_media(post_type: str, photo: str | None) -> list[Media]:
    if not post_type:
        return [Media("photo", photo)] if photo else []
    kind = "video" if _is_video(post_type) else "album" if post_type == "album" else "photo"
    return [Media(kind, photo)]


# --- ids ---------------------------------------------------------------------------------


def facebook_post_id(url: str | None, owner: str | None) -> str:
    """The Graph API id "<page or group id>_<post id>" from the post's URL."""
    if not url:
        raise PostError("URL: empty; the post id is taken from it")
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    token, url_owner = _url_post_token(segments, parse_qs(parts.query))
    owner = owner if owner and _digits(owner) else url_owner
    if not token:
        raise PostError(f"URL: no post id in {url!r}")
    if not owner:
        raise PostError(f"Facebook Id: missing, and no numeric page id in URL {url!r}")
    return f"{owner}_{token}"


def _url_post_token(
    segments: list[str], query: Mapping[str, list[str]]
) -> tuple[str | None, str | None]:
    """(post id, numeric owner id or None) from a facebook.com path and query."""
    if "story_fbid" in query:  # permalink.php?story_fbid=<post>&id=<page>
        page = query.get("id", [""])[0]
        return _token(query["story_fbid"][0]), page if _digits(page) else None
    if segments and segments[0] == "groups" and len(segments) > 1:
        segments = segments[1:]
    owner = segments[0] if segments and _digits(segments[0]) else None
    for at, segment in enumerate(segments[:-1]):
        if segment in _FB_POST_PATHS:
            tokens = [t for t in segments[at + 1 :] if _token(t)]
            return (tokens[-1] if tokens else None), owner
    return None, owner


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _token(text: str) -> str | None:
    return text if _POST_TOKEN.fullmatch(text) else None


def instagram_post_id(url: str | None) -> str:
    """The shortcode of https://www.instagram.com/p/<shortcode>/ (also /reel/, /tv/)."""
    if not url:
        raise PostError("URL: empty; the post id is taken from it")
    segments = [s for s in urlsplit(url).path.split("/") if s]
    for at, segment in enumerate(segments[:-1]):
        if segment in _IG_POST_PATHS and _SHORTCODE.fullmatch(segments[at + 1]):
            return segments[at + 1]
    raise PostError(f"URL: no Instagram shortcode in {url!r}")


# --- dates -------------------------------------------------------------------------------


def created_at(row: Row, options: Mapping[str, str]) -> datetime:
    """ "Post Created" ("2025-03-01 14:22:05 EST") as UTC; PostError naming the column."""
    column = next((c for c in DATE_COLUMNS if c in row), DATE_COLUMNS[0])
    value = cell(row, column)
    if value is None:
        raise PostError(f"{column}: empty")
    match = _CREATED.fullmatch(value)
    if not match:
        raise PostError(f"{column}: cannot read {value!r} as a date")
    try:
        local = datetime.fromisoformat(f"{match[1]}T{match[2]}")
        zone = _zone(match[3], options, column, value)
        return local.replace(tzinfo=zone).astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise PostError(f"{column}: cannot read {value!r} as a date ({exc})") from None


def _zone(name: str | None, options: Mapping[str, str], column: str, value: str) -> tzinfo:
    if name is None:
        if options.get("timezone"):
            return zone_for(options["timezone"])
        raise PostError(f"{column}: {value!r} has no time zone; set the timezone option")
    hours = ZONES.get(name.upper())
    if hours is not None:
        return timezone(timedelta(hours=hours))
    offset = _OFFSET.fullmatch(name.upper())
    if offset is None:
        raise PostError(f"{column}: unknown time zone {name!r} in {value!r}")
    sign = -1 if offset[1] == "-" else 1
    delta = timedelta(hours=int(offset[2]), minutes=int(offset[3] or 0))
    return timezone(sign * delta)
