"""The X API v2 format: fixtures field by field, layouts, bad input, robustness."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.ingest.base import Item, Sample
from marsad.ingest.formats.x_v2 import XV2Format
from marsad.ingest.formats.x_v2.reader import NO_INCLUDES, XRecord
from marsad.posts import Media, Metrics, Post, PostError, Source, posts_to_table
from tests.ingest.helpers import (
    COLLECTED,
    JSON_VALUES,
    Bench,
    assert_maps_or_raises_record_error,
    file_source,
)

FIXTURES = Path(__file__).parent / "fixtures" / "x_v2"
FMT = XV2Format()


BENCH = Bench(FMT, fixtures=FIXTURES)
ctx, memory_source, read_all = BENCH.ctx, BENCH.memory_source, BENCH.read_all
fixture_posts = BENCH.fixture_posts


def tweet_post(tweet: dict[str, Any], includes: Any = NO_INCLUDES) -> Post:
    return BENCH.map_raw(XRecord(tweet, includes))


# --- fixtures, field by field --------------------------------------------------------------


def test_arabic_page_post_maps_every_field() -> None:
    post = fixture_posts("search_recent_ar.json")["1890000000000000001"]
    assert post.platform == "x"
    assert post.url == "https://x.com/haqq_watch/status/1890000000000000001"
    assert (post.author_id, post.author_handle, post.author_name) == (
        "1500000000000000001",
        "haqq_watch",
        "مرصد حق",
    )
    assert post.created_at == datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC)
    assert post.collected_at == COLLECTED
    assert post.text is not None and post.text.startswith("حجب المواقع الإخبارية")
    assert post.hashtags == ["حرية_الإنترنت", "الحقوق_الرقمية"]
    assert post.mentions == []
    assert post.urls == ["https://example.org/reports/blocking-2025"]
    assert post.media == [Media("photo", "https://pbs.twimg.com/media/ExAmPlE0001.jpg")]
    assert post.metrics == Metrics(likes=130, shares=41, replies=7, quotes=3, views=5230)
    assert post.conversation_id == "1890000000000000001"
    assert (post.reply_to, post.quote_of, post.repost_of) == (None, None, None)
    assert post.source == Source(str(FIXTURES / "search_recent_ar.json"), 1)
    assert post.dataset == "test-set"
    assert (post.lang, post.script, post.text_norm) == (None, None, None)
    assert orjson.loads(post.raw or "")["id"] == "1890000000000000001"


def test_a_reply_keeps_its_parent_and_missing_metrics_stay_none() -> None:
    post = fixture_posts("search_recent_ar.json")["1890000000000000002"]
    assert post.reply_to == "1890000000000000001"
    assert post.conversation_id == "1890000000000000001"
    assert post.author_handle == "rasad_media"
    assert post.mentions == ["haqq_watch"]
    assert post.metrics == Metrics(likes=15, shares=2, replies=0, quotes=None, views=None)
    assert post.source is not None and post.source.record == 2


def test_a_quote_points_to_the_quoted_post() -> None:
    post = fixture_posts("search_recent_ar.json")["1890000000000000003"]
    assert post.quote_of == "1890000000000000001"
    assert post.reply_to is None
    assert post.hashtags == ["DigitalRights"]
    assert post.urls == ["https://twitter.com/haqq_watch/status/1890000000000000001"]
    assert post.created_at == datetime(2025, 3, 1, 13, 45, 10, tzinfo=UTC)


def test_a_repost_of_a_long_note_tweet_gets_the_full_original_text() -> None:
    posts = fixture_posts("pages_he.jsonl")
    repost = posts["1890000000000000005"]
    assert repost.repost_of == "1890000000000000006"
    assert repost.author_handle == "open_net_lab"
    assert repost.text is not None
    assert repost.text.startswith("דוח חדש: מעקב אחר ניטור רשתות חברתיות")
    assert repost.text.endswith("הדוח המלא באתר שלנו. #ניטור #שקיפות")
    assert not repost.text.startswith("RT @")
    assert repost.hashtags == ["ניטור", "שקיפות"]
    assert repost.source is not None and repost.source.record == 1


def test_hebrew_post_with_video_and_no_impressions() -> None:
    post = fixture_posts("pages_he.jsonl")["1890000000000000004"]
    assert post.author_name == "שומרים דיגיטליים"
    assert post.hashtags == ["זכויות_דיגיטליות", "פרטיות"]
    assert post.media == [
        Media("video", "https://pbs.twimg.com/ext_tw_video_thumb/ExAmPlE0004.jpg")
    ]
    assert post.metrics == Metrics(likes=64, shares=9, replies=2, quotes=1, views=None)
    assert post.created_at == datetime(2025, 3, 2, 7, 5, tzinfo=UTC)


def test_errors_only_and_empty_pages_add_nothing_and_are_not_rejects() -> None:
    posts = fixture_posts("pages_he.jsonl")
    assert sorted(posts) == [
        "1890000000000000004",
        "1890000000000000005",
        "1890000000000000013",
    ]
    assert fixture_posts("errors_only.json") == {}


def test_an_author_missing_from_includes_gives_the_generic_url() -> None:
    post = fixture_posts("pages_he.jsonl")["1890000000000000013"]
    assert post.url == "https://x.com/i/web/status/1890000000000000013"
    assert post.author_id == "1500000000000000077"
    assert (post.author_handle, post.author_name) == (None, None)
    assert post.source is not None and post.source.record == 4


def test_json_array_of_pages_uses_each_pages_includes() -> None:
    posts = fixture_posts("pages_array.json")
    assert [p.source.record for p in posts.values() if p.source] == [1, 2, 3]
    long_post = posts["1890000000000000008"]
    assert long_post.text is not None and long_post.text.endswith("#الرقابة_الرقمية #الصحافة")
    assert long_post.hashtags == ["الرقابة_الرقمية", "الصحافة"]
    assert long_post.urls == []  # note_tweet entities replace the truncated text's
    assert [m.url for m in long_post.media] == [
        "https://pbs.twimg.com/media/ExAmPlE0008a.jpg",
        "https://pbs.twimg.com/media/ExAmPlE0008b.jpg",
    ]
    quote = posts["1890000000000000009"]
    assert (quote.author_handle, quote.quote_of) == ("shomrim_digital", "1890000000000000004")
    assert posts["1890000000000000007"].metrics.views == 40210


def test_jsonl_of_bare_tweets() -> None:
    posts = fixture_posts("tweets_bare.jsonl")
    assert list(posts) == ["1890000000000000010", "1890000000000000011", "1890000000000000012"]
    first, reply, last = posts.values()
    assert first.hashtags == ["أرشفة"]
    assert first.url == "https://x.com/i/web/status/1890000000000000010"
    assert reply.reply_to == "1890000000000000007"
    assert reply.metrics == Metrics(likes=4)
    assert last.metrics == Metrics()
    assert last.created_at == datetime(2025, 3, 5, 23, 15, 5, tzinfo=UTC)
    assert [p.source.record for p in posts.values() if p.source] == [1, 2, 3]


def test_every_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [p for f in sorted(FIXTURES.iterdir()) for p in fixture_posts(f.name).values()]
    assert len(posts) == 12
    assert posts_to_table(posts).num_rows == 12


# --- map_item details ----------------------------------------------------------------------


def test_missing_id_is_a_post_error() -> None:
    with pytest.raises(PostError, match="id: missing"):
        tweet_post({"text": "no id"})


def test_bad_created_at_names_the_field_and_the_value() -> None:
    with pytest.raises(PostError, match=r"created_at: .*'yesterday'"):
        tweet_post({"id": "1", "text": "t", "created_at": "yesterday"})


def test_created_at_with_an_offset_is_converted_to_utc() -> None:
    post = tweet_post({"id": "1", "text": "t", "created_at": "2025-03-01T12:20:30+02:00"})
    assert post.created_at == datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC)


def test_a_repost_whose_original_is_not_included_keeps_the_rt_text() -> None:
    tweet = {
        "id": "2",
        "text": "RT @someone: truncated…",
        "referenced_tweets": [{"type": "retweeted", "id": "1"}],
    }
    post = tweet_post(tweet)
    assert (post.text, post.repost_of) == ("RT @someone: truncated…", "1")


def test_a_media_key_missing_from_includes_is_kept_as_unknown() -> None:
    post = tweet_post({"id": "1", "text": "t", "attachments": {"media_keys": ["3_9"]}})
    assert post.media == [Media("unknown", None)]


def test_an_embedded_author_object_is_used_when_includes_lack_the_user() -> None:
    tweet = {"id": "1", "text": "t", "author_id": "7", "author": {"username": "flat", "name": "F"}}
    post = tweet_post(tweet)
    assert (post.author_handle, post.author_name, post.url) == (
        "flat",
        "F",
        "https://x.com/flat/status/1",
    )


def test_negative_or_non_integer_counts_are_post_errors() -> None:
    for value in (-1, "12", 1.5, True, 2**64):
        with pytest.raises(PostError, match="like_count"):
            tweet_post({"id": "1", "text": "t", "public_metrics": {"like_count": value}})


def test_map_item_is_pure() -> None:
    source = file_source(FIXTURES / "pages_he.jsonl")
    items = [e for e in FMT.read(source, ctx()) if isinstance(e, Item)]
    assert [FMT.map_item(i, ctx()) for i in items] == [FMT.map_item(i, ctx()) for i in items]


# --- layouts and bad input -----------------------------------------------------------------


def test_a_malformed_line_is_rejected_and_the_good_lines_kept() -> None:
    lines = (FIXTURES / "tweets_bare.jsonl").read_bytes().splitlines(keepends=True)
    data = lines[0] + b'{"id": "5", "text": "broken\n' + lines[1] + lines[2]
    posts, rejects = read_all(memory_source(data, "mixed.jsonl"))
    assert [p.source.record for p in posts if p.source] == [1, 3, 4]
    (reject,) = rejects
    assert (reject.file, reject.record) == ("mixed.jsonl", 2)
    assert "malformed JSON in line 2" in reject.reason
    assert '"id": "5"' in reject.excerpt


def test_a_truncated_document_is_one_reject_with_the_orjson_error() -> None:
    data = (FIXTURES / "search_recent_ar.json").read_bytes()
    reject = BENCH.assert_a_cut_document_is_one_reject(data, "truncated")
    assert "line" in reject.reason


def test_a_truncated_gz_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    line = (FIXTURES / "tweets_bare.jsonl").read_bytes().splitlines(keepends=True)[0]
    BENCH.assert_a_cut_gz_keeps_the_lines_before_the_cut(line, 3000, tmp_path)


def test_data_that_is_not_a_list_of_objects_is_rejected() -> None:
    data = b'{"data": "nope"}\n{"data": [1, {"id": "2", "text": "ok"}]}\n'
    posts, rejects = read_all(memory_source(data, "odd.jsonl"))
    assert [p.post_id for p in posts] == ["2"]
    assert [(r.record, r.reason) for r in rejects] == [
        (1, '"data" is a string, not a list of tweets'),
        (2, '"data" holds a number, not a tweet object'),
    ]


def test_a_single_tweet_lookup_page_is_read() -> None:
    data = b'{"data": {"id": "42", "text": "one", "author_id": "7"},'
    data += b' "includes": {"users": [{"id": "7", "username": "solo", "name": "Solo"}]}}'
    posts, rejects = read_all(memory_source(data, "lookup.json"))
    assert rejects == []
    assert [(p.post_id, p.author_handle) for p in posts] == [("42", "solo")]


def test_a_json_file_holding_jsonl_is_read_line_by_line() -> None:
    data = (FIXTURES / "pages_he.jsonl").read_bytes()
    posts, rejects = read_all(memory_source(data, "saved_as.json"))
    assert rejects == []
    assert [p.source.record for p in posts if p.source] == [1, 1, 4]


def test_a_bom_at_the_start_is_ignored() -> None:
    data = b"\xef\xbb\xbf" + (FIXTURES / "tweets_bare.jsonl").read_bytes()
    posts, rejects = read_all(memory_source(data, "bom.jsonl"))
    assert (len(posts), rejects) == (3, [])


@pytest.mark.parametrize("name", ["empty.json", "empty.jsonl"])
def test_an_empty_file_gives_no_records(name: str) -> None:
    assert read_all(memory_source(b"", name)) == ([], [])
    assert read_all(memory_source(b"\n \n", name)) == ([], [])


# --- sniff -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_sniff_accepts_every_x_fixture(name: str) -> None:
    assert FMT.sniff(Sample(name, (FIXTURES / name).read_bytes()))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("posts.csv", b"id,text,author_id\n1,hello,5\n"),
        ("rows.jsonl", b'{"id": 1, "text": "hi", "created_at": "2025-03-01 10:00"}\n'),
        ("rows.jsonl", b'{"id": 1, "text": "hi", "author_id": 5}\n'),
        ("page.txt", (FIXTURES / "search_recent_ar.json").read_bytes()),
        ("config.json", b'{"name": "not tweets"}'),
        ("empty.jsonl", b""),
    ],
)
def test_sniff_refuses_what_is_not_x(name: str, head: bytes) -> None:
    assert not FMT.sniff(Sample(name, head))


def test_sniff_accepts_a_bare_tweet_line_with_x_timestamps() -> None:
    head = b'{"id": "1", "text": "hi", "created_at": "2025-03-01T10:20:30.000Z"}\n'
    assert FMT.sniff(Sample("t.ndjson", head))


# --- robustness ----------------------------------------------------------------------------


FIXTURE_ITEMS = BENCH.items(FIXTURES)
FIELDS = [
    "id", "text", "author_id", "created_at", "public_metrics", "entities", "note_tweet",
    "referenced_tweets", "attachments", "conversation_id", "author",
]  # fmt: skip


@settings(max_examples=300)
@given(
    item=st.sampled_from(FIXTURE_ITEMS),
    changes=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, min_size=1, max_size=3),
)
def test_value_mutated_tweets_map_or_raise_record_errors(
    item: Item, changes: dict[str, Any]
) -> None:
    tweet, includes = item.raw
    mutated = Item(item.record, XRecord({**tweet, **changes}, includes))
    assert_maps_or_raises_record_error(FMT, mutated, ctx())
