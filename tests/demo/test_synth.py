"""The synthetic post generator and the bundled demo exports."""

from __future__ import annotations

import csv
import random
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from marsad.demo import synth

DATA = Path(synth.__file__).parent / "data"
START = datetime(2025, 1, 1, tzinfo=UTC)
ARABIC = re.compile(r"[\u0600-\u06ff]")
HEBREW = re.compile(r"[\u0590-\u05ff]")
LATIN = re.compile(r"[A-Za-z]{3,}")
USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")
CREATED_AT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$")


@pytest.fixture(scope="module")
def pages() -> list[dict[str, Any]]:
    return list(synth.generate_x_v2_pages(1500, seed=11, page_size=100, start=START, days=60))


def tweets_of(pages: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for page in pages:
        yield from page["data"]


def all_tweets(page: dict[str, Any]) -> list[dict[str, Any]]:
    return [*page["data"], *page["includes"].get("tweets", [])]


def language_families(texts: list[str]) -> set[str]:
    found = set()
    for text in texts:
        if ARABIC.search(text):
            found.add("ar")
        if HEBREW.search(text):
            found.add("he")
        if LATIN.search(ARABIC.sub("", HEBREW.sub("", re.sub(r"https?://\S+|[#@]\w+", "", text)))):
            found.add("en")
    return found


def test_pages_have_the_x_v2_response_shape(pages: list[dict[str, Any]]) -> None:
    assert sum(p["meta"]["result_count"] for p in pages) == 1500
    for page in pages:
        assert set(page) == {"data", "includes", "meta"}
        assert page["meta"]["result_count"] == len(page["data"]) == 100
        assert page["meta"]["newest_id"] == page["data"][0]["id"]
        assert page["meta"]["oldest_id"] == page["data"][-1]["id"]
        for tweet in all_tweets(page):
            assert {"id", "text", "author_id", "created_at"} <= set(tweet)
            assert tweet["id"].isdigit() and tweet["author_id"].isdigit()
            assert CREATED_AT.match(tweet["created_at"])
            assert tweet["edit_history_tweet_ids"][-1] == tweet["id"]
            assert "like_count" in tweet["public_metrics"]


def test_only_the_last_page_has_no_next_token(pages: list[dict[str, Any]]) -> None:
    assert all("next_token" in p["meta"] for p in pages[:-1])
    assert "next_token" not in pages[-1]["meta"]


def test_tweets_come_newest_first_with_ids_that_grow_with_time(
    pages: list[dict[str, Any]],
) -> None:
    tweets = list(tweets_of(pages))
    ids = [int(t["id"]) for t in tweets]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == len(ids)
    times = [t["created_at"] for t in tweets]
    assert times == sorted(times, reverse=True)
    assert times[-1] >= "2025-01-01" and times[0] < "2025-03-02"


def test_every_author_and_mention_resolves_in_includes_users(
    pages: list[dict[str, Any]],
) -> None:
    for page in pages:
        users = {u["id"]: u for u in page["includes"]["users"]}
        for tweet in all_tweets(page):
            assert tweet["author_id"] in users
        for tweet in page["data"]:
            for mention in tweet.get("entities", {}).get("mentions", []):
                assert users[mention["id"]]["username"] == mention["username"]
            if "in_reply_to_user_id" in tweet:
                assert tweet["in_reply_to_user_id"] in users


def test_referenced_tweets_resolve_in_includes_tweets(pages: list[dict[str, Any]]) -> None:
    for page in pages:
        included = {t["id"]: t for t in page["includes"].get("tweets", [])}
        for tweet in page["data"]:
            for ref in tweet.get("referenced_tweets", []):
                assert ref["id"] in included
                assert int(ref["id"]) < int(tweet["id"])
                if ref["type"] == "replied_to":
                    parent = included[ref["id"]]
                    assert tweet["in_reply_to_user_id"] == parent["author_id"]
                    assert tweet["conversation_id"] == parent["conversation_id"]


def test_replies_quotes_and_reposts_come_in_realistic_shares(
    pages: list[dict[str, Any]],
) -> None:
    kinds = Counter(
        (t.get("referenced_tweets") or [{"type": "original"}])[0]["type"] for t in tweets_of(pages)
    )
    total = sum(kinds.values())
    assert 0.10 < kinds["replied_to"] / total < 0.25
    assert 0.02 < kinds["quoted"] / total < 0.09
    assert 0.06 < kinds["retweeted"] / total < 0.15


def test_reposts_are_truncated_rt_texts_of_the_included_original(
    pages: list[dict[str, Any]],
) -> None:
    seen = 0
    for page in pages:
        included = {t["id"]: t for t in page["includes"].get("tweets", [])}
        users = {u["id"]: u for u in page["includes"]["users"]}
        for tweet in page["data"]:
            ref = (tweet.get("referenced_tweets") or [{}])[0]
            if ref.get("type") != "retweeted":
                continue
            original = included[ref["id"]]
            prefix = f"RT @{users[original['author_id']]['username']}: "
            assert tweet["text"].startswith(prefix)
            assert len(tweet["text"]) <= 140
            body = original.get("note_tweet", original)["text"]
            assert body.startswith(tweet["text"][len(prefix) :].removesuffix("…"))
            seen += 1
    assert seen


def check_offsets(text: str, entities: dict[str, Any]) -> int:
    for tag in entities.get("hashtags", []):
        assert text[tag["start"] : tag["end"]] == "#" + tag["tag"]
    for mention in entities.get("mentions", []):
        assert text[mention["start"] : mention["end"]] == "@" + mention["username"]
    for url in entities.get("urls", []):
        assert text[url["start"] : url["end"]] == url["url"]
        assert url["url"].startswith("https://t.co/")
        assert url["expanded_url"].startswith("https://")
    return sum(len(v) for v in entities.values())


def test_entity_offsets_point_at_the_entity_text(pages: list[dict[str, Any]]) -> None:
    checked = 0
    for page in pages:
        for tweet in all_tweets(page):
            checked += check_offsets(tweet["text"], tweet.get("entities", {}))
            note = tweet.get("note_tweet")
            if note:
                checked += check_offsets(note["text"], note.get("entities", {}))
    assert checked > 1500


def test_long_posts_carry_the_full_text_in_note_tweet(pages: list[dict[str, Any]]) -> None:
    notes = [t for t in tweets_of(pages) if "note_tweet" in t]
    assert notes
    for tweet in notes:
        assert len(tweet["note_tweet"]["text"]) > 280
        assert tweet["text"].endswith("…")
        assert tweet["note_tweet"]["text"].startswith(tweet["text"][:-1])


def test_media_keys_resolve_in_includes_media(pages: list[dict[str, Any]]) -> None:
    found = 0
    for page in pages:
        media = {m["media_key"]: m for m in page["includes"].get("media", [])}
        for tweet in page["data"]:
            for key in tweet.get("attachments", {}).get("media_keys", []):
                item = media[key]
                assert item["type"] in ("photo", "video")
                assert item.get("url") or item.get("preview_image_url")
                found += 1
    assert found


def test_posts_cover_arabic_hebrew_english_and_x_language_codes(
    pages: list[dict[str, Any]],
) -> None:
    tweets = list(tweets_of(pages))
    assert language_families([t["text"] for t in tweets]) == {"ar", "he", "en"}
    langs = Counter(t["lang"] for t in tweets)
    assert {"ar", "iw", "en", "und"} <= set(langs)
    assert "he" not in langs  # X writes Hebrew as "iw"


def test_hashtags_include_arabic_and_hebrew_with_underscores(
    pages: list[dict[str, Any]],
) -> None:
    tags = {h["tag"] for t in tweets_of(pages) for h in t.get("entities", {}).get("hashtags", [])}
    assert any(ARABIC.search(t) and "_" in t for t in tags)
    assert any(HEBREW.search(t) for t in tags)
    assert any(t.isascii() for t in tags)


def test_posting_follows_a_daily_rhythm(pages: list[dict[str, Any]]) -> None:
    hours = Counter(int(t["created_at"][11:13]) for t in tweets_of(pages))
    assert sum(hours[h] for h in range(16, 21)) > 3 * sum(hours[h] for h in range(0, 5))


def test_the_same_seed_gives_the_same_pages_and_another_seed_does_not() -> None:
    def dump(seed: int) -> bytes:
        pages = synth.generate_x_v2_pages(250, seed=seed, start=START, days=30)
        return b"\n".join(orjson.dumps(p) for p in pages)

    assert dump(3) == dump(3)
    assert dump(3) != dump(4)


def test_a_single_post_and_a_partial_last_page() -> None:
    (only,) = synth.generate_x_v2_pages(1, seed=1, start=START, days=1)
    assert only["meta"]["result_count"] == 1 and "next_token" not in only["meta"]
    counts = [p["meta"]["result_count"] for p in synth.generate_x_v2_pages(250, page_size=100)]
    assert counts == [100, 100, 50]


def test_no_posts_gives_one_empty_page() -> None:
    assert list(synth.generate_x_v2_pages(0)) == [{"meta": {"result_count": 0}}]


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        next(synth.generate_x_v2_pages(5, start=datetime(2025, 1, 1)))


def test_a_timeline_has_one_author_for_every_data_tweet() -> None:
    (page,) = synth.generate_x_v2_pages(50, seed=5, page_size=50, single_author=True)
    assert len({t["author_id"] for t in page["data"]}) == 1


def test_write_x_v2_jsonl_writes_the_requested_number_of_posts(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    assert synth.write_x_v2_jsonl(path, 1234, seed=2, page_size=100) == 1234
    lines = path.read_bytes().splitlines()
    assert len(lines) == 13
    assert sum(len(orjson.loads(line)["data"]) for line in lines) == 1234


def test_generate_users_gives_unique_valid_x_users() -> None:
    users = synth.generate_users(random.Random(1), 500)
    assert len({u["id"] for u in users}) == len({u["username"] for u in users}) == 500
    assert all(USERNAME.match(u["username"]) and u["name"] for u in users)
    assert language_families([u["name"] for u in users]) == {"ar", "he", "en"}


def test_every_template_slot_has_fillers() -> None:
    assert synth.template_count() >= 300
    rng = random.Random(0)
    for lang_key, by_category in synth.COMPILED.items():
        assert set(by_category) == set(synth.CATEGORIES), lang_key
        for category in by_category:
            text = synth._Text()
            ctx = synth._Ctx(category, lambda: {"id": "1", "username": "someone"}, 2025)
            synth.compose(rng, text, lang_key, ctx)
            assert "{" not in text.text and text.text.strip()


@pytest.mark.parametrize("platform", ["telegram", "facebook", "tiktok"])
def test_table_rows_are_flat_deterministic_and_oldest_first(platform: str) -> None:
    rows = synth.generate_table_rows(120, seed=9, platform=platform)
    assert rows == synth.generate_table_rows(120, seed=9, platform=platform)
    assert rows != synth.generate_table_rows(120, seed=10, platform=platform)
    assert all(set(r) == {"id", "date", "author", "text", "url", "lang"} for r in rows)
    assert all(r["text"].strip() and r["url"].startswith("https://") for r in rows)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert {r["lang"] for r in rows} <= {"ar", "he", "en", "ar-Latn"}


# --- the bundled demo exports -----------------------------------------------------------------


def test_bundled_x_search_pages_parse_and_hold_about_300_posts() -> None:
    lines = (DATA / "x_search_2025.jsonl").read_bytes().splitlines()
    pages = [orjson.loads(line) for line in lines]
    tweets = list(tweets_of(pages))
    assert len(tweets) == 300
    assert all(t["created_at"].startswith("2025-") for t in tweets)
    assert language_families([t["text"] for t in tweets]) == {"ar", "he", "en"}


def test_bundled_x_timeline_is_one_json_page() -> None:
    page = orjson.loads((DATA / "x_timeline.json").read_bytes())
    assert page["meta"]["result_count"] == len(page["data"]) == 50
    assert language_families([t["text"] for t in page["data"]]) == {"ar", "he", "en"}


def test_bundled_telegram_sheet_is_a_utf8_bom_csv() -> None:
    raw = (DATA / "telegram_channel_sheet.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert len(rows) == 80
    assert list(rows[0]) == ["message_id", "date", "channel", "text", "link"]
    assert all(r["link"] == f"https://t.me/{r['channel']}/{r['message_id']}" for r in rows)
    assert len({r["message_id"] for r in rows}) == 80  # unique as (platform, id)
    assert language_families([r["text"] for r in rows]) == {"ar", "he", "en"}


def test_bundled_facebook_comments_are_json_lines() -> None:
    rows = [
        orjson.loads(line) for line in (DATA / "facebook_comments.jsonl").read_bytes().splitlines()
    ]
    assert len(rows) == 60
    assert all(set(r) == {"id", "created_time", "from_name", "message", "permalink"} for r in rows)
    assert all(datetime.fromisoformat(r["created_time"]).tzinfo is not None for r in rows)
    assert language_families([r["message"] for r in rows]) == {"ar", "he", "en"}


def test_mappings_name_existing_files_and_columns() -> None:
    mappings = tomllib.loads((DATA / "mappings.toml").read_text())["files"]
    assert set(mappings) == {"telegram_channel_sheet.csv", "facebook_comments.jsonl"}
    for name, mapping in mappings.items():
        path = DATA / name
        if name.endswith(".csv"):
            columns = set(next(csv.reader(path.read_text(encoding="utf-8-sig").splitlines())))
        else:
            columns = set(orjson.loads(path.read_bytes().splitlines()[0]))
        named = {v for k, v in mapping.items() if k.endswith("_column")}
        assert named <= columns, name
        assert mapping["platform"] in ("telegram", "facebook")


def test_bundled_files_are_small_and_documented() -> None:
    files = [p for p in DATA.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 1_000_000
    readme = (DATA / "README.md").read_text()
    for path in files:
        if path.name != "README.md":
            assert f"`{path.name}`" in readme
    assert "synthetic" in readme and "x.v2" in readme and "tabular.v1" in readme


def test_the_bundled_exports_import_without_rejects_or_duplicates(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from marsad.cli import main
    from marsad.ingest.registry import FORMATS

    project = tmp_path / "proj"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(project)]).exit_code == 0
    exports = sorted(str(p) for p in DATA.iterdir() if p.name not in ("README.md", "mappings.toml"))
    args = [*exports, "--project", str(project), "--mapping", str(DATA / "mappings.toml")]
    result = runner.invoke(main, ["ingest", *args, "--quiet", "--json"])
    assert result.exit_code == 0, result.output
    summary = orjson.loads(result.stdout)
    assert summary["read"] == summary["new"] > 300 + 50 + 80 + 60
    assert set(summary["formats"]) == set(FORMATS)  # a sample of every format
    assert summary["rejected"] == summary["duplicate"] == 0
