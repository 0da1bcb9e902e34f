"""Every registered format survives any bytes: arbitrary input and mutated fixtures give
Items and Rejects only, never an uncaught exception (see robustness.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.ingest.base import Sample
from marsad.ingest.registry import FORMATS, get_format
from tests.ingest import robustness

FIXTURES = Path(__file__).parent / "fixtures"
# Per format: its fixture folder and the file names arbitrary bytes are tried under.
CASES: dict[str, tuple[str, list[str]]] = {
    "x.v2": ("x_v2", ["a.json", "a.jsonl"]),
    "telegram.desktop.v1": ("telegram_desktop", ["result.json"]),
    "telegram.telethon.v1": ("telegram_telethon", ["a.jsonl", "a.json"]),
    "reddit.api.v1": ("reddit_api", ["a.json", "a.jsonl"]),
    "reddit.pushshift.v1": ("reddit_pushshift", ["RC_2025-01", "a.ndjson"]),
    "youtube.v3": ("youtube", ["a.json", "a.jsonl"]),
    "tiktok.research.v2": ("tiktok", ["a.json", "a.jsonl"]),
    "crowdtangle.v1": ("crowdtangle", ["a.csv"]),
    "meta.mcl.v1": ("meta_mcl", ["a.csv", "a.json", "a.jsonl"]),
    "x.v1": ("x_v1", ["a.json", "a.jsonl"]),
    "x.archive.v1": ("x_archive", ["tweets.js", "account.js"]),
    "4cat.v1": ("fourcat", ["a.csv", "a.ndjson"]),
    "mastodon.api.v1": ("mastodon_api", ["a.json", "a.jsonl"]),
    "mastodon.outbox.v1": ("mastodon_outbox", ["outbox.json"]),
    "bluesky.api.v1": ("bluesky", ["a.json", "a.jsonl"]),
    "tabular.v1": ("tabular", ["a.csv", "a.tsv", "a.jsonl"]),
}
KEYS = list(FORMATS)


def test_every_registered_format_has_robustness_cases() -> None:
    assert set(CASES) == set(FORMATS)


@pytest.mark.parametrize("key", KEYS)
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), pick=st.integers(0, 10))
def test_arbitrary_bytes_give_items_or_rejects_only(key: str, data: bytes, pick: int) -> None:
    names = CASES[key][1]
    name = names[pick % len(names)]
    fmt = get_format(key)
    fmt.sniff(Sample(name, data))
    robustness.check_robust(fmt, data, name)


@pytest.mark.parametrize("key", KEYS)
@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(
    pick=st.integers(0, 1000),
    cuts=st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=8)), max_size=4),
)
def test_byte_mutated_fixtures_give_items_or_rejects_only(
    key: str, pick: int, cuts: list[tuple[int, bytes]]
) -> None:
    fixtures = sorted((FIXTURES / CASES[key][0]).iterdir())
    path = fixtures[pick % len(fixtures)]
    robustness.check_robust(get_format(key), robustness.mutate(path.read_bytes(), cuts), path.name)
