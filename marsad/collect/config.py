"""The collections file of `marsad collect`: a TOML list of `[[collection]]` tables, checked.

Every problem is reported with the file, the collection and the key, like `marsad.toml`'s
settings are (see `marsad.config`). Times are UTC: a date means its midnight, `until` is
exclusive and defaults to the moment of each run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from marsad.config import ConfigError, read_toml

FORMAT_KEYS: dict[str, str] = {
    "mastodon": "mastodon.api.v1",
    "bluesky": "bluesky.api.v1",
    "telegram": "telegram.telethon.v1",
}
NAME_PATTERN = r"[a-z0-9_-]+"
COMMON_KEYS = ("name", "source", "since", "until", "dataset", "pseudonymise")
SOURCE_KEYS: dict[str, tuple[str, ...]] = {
    "mastodon": ("instance", "hashtags", "keywords", "accounts", "public", "local"),
    "bluesky": ("instance", "hashtags", "keywords", "accounts"),
    "telegram": ("accounts", "keywords"),
}


class CollectConfigError(ConfigError):
    """The collections file cannot be used; the message names file, collection and key."""


@dataclass(frozen=True, slots=True)
class Collection:
    name: str
    source: str
    since: datetime
    until: datetime | None = None
    instance: str = ""
    hashtags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    public: bool = False
    local: bool = False
    dataset: str | None = None
    pseudonymise: bool | None = None  # None: the project's ingest.pseudonymise decides

    @property
    def format_key(self) -> str:
        return FORMAT_KEYS[self.source]

    @property
    def host(self) -> str:
        """The instance's host (with its port when not the default one)."""
        return urlsplit(self.instance).netloc


def load_collections(path: Path) -> list[Collection]:
    """Every collection of the file, checked; CollectConfigError naming what is wrong."""
    try:
        document = read_toml(path)
    except ConfigError as error:
        raise CollectConfigError(str(error)) from error
    extra = sorted(set(document) - {"collection"})
    if extra:
        raise CollectConfigError(
            f"{path}: unknown top-level key {extra[0]!r}; collections are [[collection]] tables"
        )
    tables = document.get("collection")
    if not isinstance(tables, list) or not tables:
        raise CollectConfigError(f"{path}: no [[collection]] table found")
    collections = [_collection(path, index, table) for index, table in enumerate(tables, 1)]
    seen: set[str] = set()
    for collection in collections:
        if collection.name in seen:
            raise CollectConfigError(f"{path}: two collections are named {collection.name!r}")
        seen.add(collection.name)
    return collections


class _Checker:
    """Reads one [[collection]] table, naming it in every error."""

    def __init__(self, path: Path, index: int, table: Mapping[str, Any]) -> None:
        self.table = table
        name = table.get("name")
        label = f"#{index}" + (f" ({name!r})" if isinstance(name, str) else "")
        self.where = f"{path}: collection {label}"

    def fail(self, key: str, problem: str) -> CollectConfigError:
        return CollectConfigError(f"{self.where}: key {key!r}: {problem}")

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.table.get(key)
        if value is None:
            if required:
                raise self.fail(key, "missing")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected non-empty text, got {value!r}")
        return value.strip()

    def flag(self, key: str) -> bool:
        value = self.table.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {value!r}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, f"expected a list of non-empty texts, got {value!r}")
        return tuple(v.strip() for v in value)

    def moment(self, key: str, *, required: bool = False) -> datetime | None:
        value = self.table.get(key)
        if value is None:
            if required:
                raise self.fail(key, 'missing (a UTC date "2025-01-01" or an ISO datetime)')
            return None
        try:
            return parse_moment(value)
        except ValueError:
            raise self.fail(
                key, f'expected a date "2025-01-01" or an ISO datetime, got {value!r}'
            ) from None


def _collection(path: Path, index: int, table: Any) -> Collection:
    if not isinstance(table, Mapping):
        raise CollectConfigError(f"{path}: collection #{index}: expected a table")
    check = _Checker(path, index, table)
    name = check.text("name", required=True) or ""
    if not re.fullmatch(NAME_PATTERN, name):
        raise check.fail("name", f"{name!r} may hold only a-z, 0-9, _ and - (a folder name)")
    source = check.text("source", required=True) or ""
    if source not in FORMAT_KEYS:
        raise check.fail("source", f"expected one of {', '.join(FORMAT_KEYS)}, got {source!r}")
    unknown = sorted(set(table) - set(COMMON_KEYS) - set(SOURCE_KEYS[source]))
    if unknown:
        allowed = ", ".join((*COMMON_KEYS, *SOURCE_KEYS[source]))
        raise check.fail(unknown[0], f"not a key of {source} collections (known: {allowed})")
    since = check.moment("since", required=True)
    until = check.moment("until")
    assert since is not None
    if until is not None and until <= since:
        raise check.fail("until", f"{until.isoformat()} is not after since ({since.isoformat()})")
    collection = Collection(
        name=name,
        source=source,
        since=since,
        until=until,
        instance=_instance(check, source),
        hashtags=tuple(tag.lstrip("#") for tag in check.texts("hashtags")),
        keywords=check.texts("keywords"),
        accounts=tuple(_account(source, a) for a in check.texts("accounts")),
        public=check.flag("public"),
        local=check.flag("local"),
        dataset=check.text("dataset"),
        pseudonymise=check.flag("pseudonymise") if "pseudonymise" in table else None,
    )
    _check_what_to_read(check, collection)
    return collection


def _instance(check: _Checker, source: str) -> str:
    if source == "telegram":
        return ""
    value = check.text("instance", required=source == "mastodon")
    if value is None:
        return ""  # Bluesky: the public AppView, or the PDS when logged in (see bluesky.py)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise check.fail("instance", f"expected a URL like https://mastodon.social, got {value!r}")
    return value.rstrip("/")


def _account(source: str, account: str) -> str:
    account = account.removeprefix("https://t.me/") if source == "telegram" else account
    return account.lstrip("@")


def _check_what_to_read(check: _Checker, c: Collection) -> None:
    if c.source == "mastodon":
        if not (c.hashtags or c.accounts or c.public):
            raise check.fail(
                "hashtags",
                "give hashtags, accounts or public = true (keywords only filter what those "
                "timelines return)",
            )
        if c.local and not c.public:
            raise check.fail("local", "local = true needs public = true")
    elif c.source == "bluesky" and not (c.hashtags or c.keywords or c.accounts):
        raise check.fail("keywords", "give keywords, hashtags or accounts to collect")
    elif c.source == "telegram" and not c.accounts:
        raise check.fail("accounts", "give the channels' usernames to collect")


def parse_moment(value: Any) -> datetime:
    """A UTC datetime from a date or datetime (TOML or ISO text); naive times are UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            moment = datetime.combine(date.fromisoformat(text), time())
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    else:
        raise ValueError(f"not a date: {value!r}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
