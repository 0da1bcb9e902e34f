"""The collections file: what it accepts, and errors naming file, collection and key."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from marsad.collect.config import CollectConfigError, load_collections, parse_moment

GOOD = """
[[collection]]
name = "shutdown-2025"
source = "mastodon"
instance = "https://mastodon.example/"
hashtags = ["#غزة", "internet_shutdown"]
keywords = ["حجب", "shutdown"]
accounts = ["@alice@mastodon.example"]
since = "2025-01-01"
until = 2025-02-01T12:00:00+02:00
dataset = "shutdown-2025"
pseudonymise = true

[[collection]]
name = "bsky"
source = "bluesky"
keywords = ["حجب"]
since = 2025-01-01

[[collection]]
name = "channels"
source = "telegram"
accounts = ["https://t.me/somechannel", "@other"]
since = "2025-01-01T06:00:00"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "collect.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_file_is_read_with_utc_times_and_cleaned_names(tmp_path: Path) -> None:
    mastodon, bluesky, telegram = load_collections(write(tmp_path, GOOD))
    assert mastodon.instance == "https://mastodon.example"
    assert mastodon.host == "mastodon.example"
    assert mastodon.hashtags == ("غزة", "internet_shutdown")
    assert mastodon.accounts == ("alice@mastodon.example",)
    assert mastodon.since == datetime(2025, 1, 1, tzinfo=UTC)
    assert mastodon.until == datetime(2025, 2, 1, 10, tzinfo=UTC)
    assert mastodon.format_key == "mastodon.api.v1"
    assert (mastodon.dataset, mastodon.pseudonymise) == ("shutdown-2025", True)
    assert bluesky.instance == ""  # resolved at run time (public AppView, or the PDS)
    assert bluesky.until is None
    assert bluesky.pseudonymise is None  # the project's setting decides
    assert telegram.accounts == ("somechannel", "other")
    assert telegram.since == datetime(2025, 1, 1, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "key", "says"),
    [
        ('name = "Bad Name"\nsource = "mastodon"', "name", "a-z, 0-9"),
        ('name = "a"\nsource = "twitter"\nsince = "2025-01-01"', "source", "mastodon, bluesky"),
        ('name = "a"\nsource = "bluesky"\nkeywords = ["x"]', "since", "missing"),
        ('name = "a"\nsource = "bluesky"\nkeywords = ["x"]\nsince = "soon"', "since", "soon"),
        (
            'name = "a"\nsource = "bluesky"\nkeywords = ["x"]\nsince = "2025-02-01"\n'
            'until = "2025-01-01"',
            "until",
            "not after since",
        ),
        ('name = "a"\nsource = "mastodon"\nhashtags = ["x"]\nsince = "2025-01-01"', "instance", ""),
        (
            'name = "a"\nsource = "mastodon"\ninstance = "mastodon.example"\nhashtags = ["x"]\n'
            'since = "2025-01-01"',
            "instance",
            "https://",
        ),
        (
            'name = "a"\nsource = "mastodon"\ninstance = "https://m.example"\nkeywords = ["x"]\n'
            'since = "2025-01-01"',
            "hashtags",
            "keywords only filter",
        ),
        ('name = "a"\nsource = "bluesky"\nhashtag = ["x"]\nsince = "2025-01-01"', "hashtag", ""),
        ('name = "a"\nsource = "bluesky"\nkeywords = "x"\nsince = 1', "since", ""),
        ('name = "a"\nsource = "bluesky"\nkeywords = [1]\nsince = "2025-01-01"', "keywords", ""),
        ('name = "a"\nsource = "telegram"\nsince = "2025-01-01"', "accounts", "channels"),
        (
            'name = "a"\nsource = "telegram"\naccounts = ["c"]\nsince = "2025-01-01"\n'
            "pseudonymise = 1",
            "pseudonymise",
            "true or false",
        ),
    ],
)
def test_a_bad_value_is_reported_with_file_collection_and_key(
    tmp_path: Path, body: str, key: str, says: str
) -> None:
    path = write(tmp_path, f"[[collection]]\n{body}\n")
    with pytest.raises(CollectConfigError) as caught:
        load_collections(path)
    message = str(caught.value)
    assert str(path) in message
    assert "collection #1" in message
    assert f"key {key!r}" in message
    assert says in message


def test_two_collections_with_one_name_are_refused(tmp_path: Path) -> None:
    one = '[[collection]]\nname = "a"\nsource = "bluesky"\nkeywords = ["x"]\nsince = 2025-01-01\n'
    with pytest.raises(CollectConfigError, match="two collections are named 'a'"):
        load_collections(write(tmp_path, one + one))


@pytest.mark.parametrize(
    "text", ["", "[collection]\nname = 1\n", "[[collection]\n", "[other]\n[[collection]]\n"]
)
def test_a_file_without_collections_or_not_toml_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(CollectConfigError, match=str(tmp_path)):
        load_collections(write(tmp_path, text))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CollectConfigError, match="cannot read"):
        load_collections(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-01", datetime(2025, 1, 1, tzinfo=UTC)),
        ("2025-01-01T10:30:00Z", datetime(2025, 1, 1, 10, 30, tzinfo=UTC)),
        ("2025-01-01T12:30:00+02:00", datetime(2025, 1, 1, 10, 30, tzinfo=UTC)),
        ("2025-01-01 10:30", datetime(2025, 1, 1, 10, 30, tzinfo=UTC)),
    ],
)
def test_periods_are_utc_and_naive_times_are_read_as_utc(value: str, expected: datetime) -> None:
    assert parse_moment(value) == expected
