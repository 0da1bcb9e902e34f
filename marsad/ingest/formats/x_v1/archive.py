"""The X account archive (`x.archive.v1`): `data/tweets.js` and its siblings.

Every data file of the archive is JavaScript that assigns one JSON array:
`window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]`. The tweet files (`tweets.js`,
`tweets-part1.js`, older `tweet.js`, and `community-tweet.js`) are parsed whole, one Item per
tweet; every other data file of the archive (`account.js`, `like.js`, `direct-messages.js`,
...) and its `manifest.js` are recognised and give nothing, so that importing the whole zip
does not report them as unknown files.

The tweets carry no `user` object: the account comes from `account.js` next to the tweet file
(in the same folder of the zip, or on disk). `read` looks it up once per file and passes it in
each Item as `ArchiveRecord(tweet, account)`, which keeps `map_item` pure.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import Any, NamedTuple

import orjson

from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile, excerpt
from marsad.ingest.fields import JsonObject, json_type
from marsad.ingest.formats.x_v1.tweet import (
    NO_AUTHOR,
    PLATFORM,
    Author,
    map_tweet,
    user_author,
)
from marsad.ingest.sources import READ_ERRORS
from marsad.posts import Post

__all__ = ["PLATFORM", "ArchiveRecord", "map_item", "read", "read_account", "sniff"]

_BOM = b"\xef\xbb\xbf"
_YTD = re.compile(rb"window\.YTD\.([A-Za-z0-9_]+)\.part(\d+)\s*=\s*")
_MANIFEST = b"window.__THAR_CONFIG"
TWEET_KINDS = frozenset({"tweets", "tweet", "community_tweet"})
ACCOUNT_FILE = "account.js"
_ACCOUNT_MAX_BYTES = 1024 * 1024
# Reading account.js from a zip: also a missing member (KeyError), an encrypted one
# (RuntimeError) or an unsupported compression method (NotImplementedError).
_ACCOUNT_ERRORS: tuple[type[Exception], ...] = (
    *READ_ERRORS,
    KeyError,
    RuntimeError,
    ValueError,
)


class ArchiveRecord(NamedTuple):
    """One tweet of the archive and the account the archive belongs to."""

    tweet: JsonObject
    account: Author


# --- sniff -------------------------------------------------------------------------------


def sniff(sample: Sample) -> bool:
    """A .js file starting `window.YTD.<name>.partN =` (or the archive's manifest)."""
    if not sample.name.lower().endswith(".js"):
        return False
    head = sample.head.removeprefix(_BOM).lstrip()
    return _YTD.match(head) is not None or head.startswith(_MANIFEST)


# --- read --------------------------------------------------------------------------------


def read(source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
    """One Item per tweet of a tweet file; nothing for the archive's other data files."""
    try:
        with source.open() as stream:
            data = stream.read().removeprefix(_BOM).lstrip()
    except READ_ERRORS as exc:
        reason = f"cannot read the rest of the file: {type(exc).__name__}: {exc}"
        yield Reject(source.name, 1, reason)
        return
    if not data or data.startswith(_MANIFEST):
        return
    match = _YTD.match(data)
    if match is None:
        reason = "not an X archive data file: it does not start with window.YTD.<name>.partN ="
        yield Reject(source.name, 1, reason, excerpt(data[:200]))
        return
    if match[1].decode() in TWEET_KINDS:
        yield from _tweet_entries(source, data[match.end() :])


def _tweet_entries(source: SourceFile, payload: bytes) -> Iterator[Item | Reject]:
    payload = payload.rstrip().removesuffix(b";")
    try:
        value = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        reason = f"malformed or truncated JSON in the archive file (line {exc.lineno}): {exc}"
        yield Reject(source.name, exc.lineno, reason, excerpt(payload[-200:]))
        return
    if not isinstance(value, list):
        yield Reject(source.name, 1, f"expected an array of tweets, found {json_type(value)}")
        return
    account = find_account(source)
    for number, element in enumerate(value, 1):
        tweet = _unwrap(element)
        if isinstance(tweet, dict):
            yield Item(number, ArchiveRecord(tweet, account))
        else:
            yield Reject(source.name, number, tweet, excerpt(orjson.dumps(element)))


def _unwrap(element: Any) -> JsonObject | str:
    """{"tweet": {...}} as archives write it; a bare tweet object in the oldest archives."""
    if not isinstance(element, dict):
        return f'expected {{"tweet": {{...}}}}, found {json_type(element)}'
    tweet = element.get("tweet", element if "id_str" in element else None)
    if isinstance(tweet, dict):
        return tweet
    return f'expected {{"tweet": {{...}}}}, found an object without "tweet" ({_keys(element)})'


def _keys(element: JsonObject) -> str:
    names = sorted(str(key) for key in element)[:5]
    return "keys: " + ", ".join(names) if names else "no keys"


# --- the archive's account -------------------------------------------------------------------


def find_account(source: SourceFile) -> Author:
    """The account of the archive holding `source`, from the account.js beside it; no author
    when there is none or it cannot be read."""
    try:
        data = _account_bytes(source)
    except _ACCOUNT_ERRORS:
        return NO_AUTHOR
    return read_account(data) if data else NO_AUTHOR


def _account_bytes(source: SourceFile) -> bytes | None:
    if source.path is not None:
        sibling = source.path.with_name(ACCOUNT_FILE)
        if not sibling.is_file():
            return None
        with sibling.open("rb") as stream:
            return stream.read(_ACCOUNT_MAX_BYTES)
    cut = source.name.lower().rfind(".zip!")
    if cut < 0:
        return None
    archive, member = source.name[: cut + 4], source.name[cut + 5 :]
    with zipfile.ZipFile(archive) as zipped:
        name = posixpath.join(posixpath.dirname(member), ACCOUNT_FILE)
        with zipped.open(name) as stream:
            return stream.read(_ACCOUNT_MAX_BYTES)


def read_account(data: bytes) -> Author:
    """accountId, username and accountDisplayName of `window.YTD.account.part0 = [...]`."""
    data = data.removeprefix(_BOM).lstrip()
    match = _YTD.match(data)
    if match is None or match[1] != b"account":
        return NO_AUTHOR
    try:
        value = orjson.loads(data[match.end() :].rstrip().removesuffix(b";"))
    except orjson.JSONDecodeError:
        return NO_AUTHOR
    first = value[0] if isinstance(value, list) and value else None
    account = first.get("account") if isinstance(first, dict) else None
    if not isinstance(account, dict):
        return NO_AUTHOR
    return Author(
        _text(account.get("accountId")),
        _text(account.get("username")),
        _text(account.get("accountDisplayName")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


# --- map_item ----------------------------------------------------------------------------


def map_item(item: Item, ctx: Context) -> Post:
    """The Post for one archive tweet (pure): the author is the archive's account, else the
    tweet's own `user` object when it has one."""
    raw = item.raw
    if not isinstance(raw, tuple) or len(raw) != 2:
        raise TypeError("x.archive.v1 items hold (tweet, account)")
    tweet, account = raw
    if not isinstance(tweet, dict) or not isinstance(account, Author):
        raise TypeError("x.archive.v1 items hold (tweet object, Author)")
    author = account if account != NO_AUTHOR else user_author(tweet)
    return map_tweet(tweet, author, item.record, ctx)
