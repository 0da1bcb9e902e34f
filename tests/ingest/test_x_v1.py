"""The X API v1.1 format (`x.v1`): fixtures field by field, layouts, bad input, robustness,
and the same tweet from v1.1 and v2 becoming the same post."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.config import Settings
from marsad.ingest.base import Item, Sample
from marsad.ingest.formats.x_v1 import XV1Format
from marsad.ingest.formats.x_v2 import XV2Format
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.posts import Media, Metrics, Post, PostError, Source, posts_to_table
from marsad.warehouse import Warehouse
from tests.ingest.helpers import (
    COLLECTED,
    JSON_VALUES,
    Bench,
    assert_maps_or_raises_record_error,
    file_source,
    without_raw,
)

FIXTURES = Path(__file__).parent / "fixtures" / "x_v1"
FMT = XV1Format()

RAQIB = ("1480000000000000011", "raqib_net", "رقيب الشبكة")
SHOMRIM = ("1480000000000000022", "shomrim_net", "שומרים ברשת")
DFL = ("1480000000000000033", "digital_freedom_lab", "Digital Freedom Lab")
ONL = ("1480000000000000044", "open_net_lab", "Open Net Lab")

A_TEXT = (
    "حجب المواقع الإخبارية مستمر منذ ثلاثة أيام في عدة مدن، ونطالب بإعادة الوصول فوراً "
    "#حرية_الإنترنت #الحقوق_الرقمية https://t.co/AbC1234567 https://t.co/PhOtO00101"
)
O1_TEXT = (
    "החשבון של העיתונאית הושעה אחרי שפרסמה תיעוד מההפגנה. אנחנו דורשים מהפלטפורמה "
    "להסביר את ההחלטה ולהחזיר את החשבון מיד #זכויות_דיגיטליות #חופש_הביטוי"
)
D_FULL = (
    "تقرير جديد: رصدنا خلال شهر فبراير حذف أكثر من مئتي منشور لصحفيين ومدافعين عن حقوق "
    "الإنسان، وتعليق عشرات الحسابات دون إشعار مسبق أو إمكانية حقيقية للطعن. نطالب المنصات "
    "بنشر أسباب الحذف وإتاحة آلية استئناف عادلة وشفافة. التقرير الكامل في الرابط "
    "#الرقابة_الرقمية #حرية_التعبير https://t.co/RePoRt0104 https://t.co/PhOtO0104a"
)
D_PHOTOS = [
    Media("photo", "https://pbs.twimg.com/media/ExAmPlEv1D01.jpg"),
    Media("photo", "https://pbs.twimg.com/media/ExAmPlEv1D02.jpg"),
]


BENCH = Bench(FMT, fixtures=FIXTURES)
ctx, memory_source, read_all = BENCH.ctx, BENCH.memory_source, BENCH.read_all
fixture_posts = BENCH.fixture_posts


def fixture_tweets(name: str) -> dict[str, dict[str, Any]]:
    return {i.raw["id_str"]: i.raw for i in BENCH.items(FIXTURES / name)}


def tweet_post(tweet: dict[str, Any]) -> Post:
    return BENCH.map_raw(tweet)


def expected(
    file: str, record: int, author: tuple[str, str, str], post_id: str, **fields: Any
) -> Post:
    """A Post with the fields every x.v1 post shares, its `raw` left out (checked apart)."""
    return Post(
        platform="x",
        post_id=post_id,
        collected_at=COLLECTED,
        url=f"https://x.com/{author[1]}/status/{post_id}",
        author_id=author[0],
        author_handle=author[1],
        author_name=author[2],
        source=Source(str(FIXTURES / file), record),
        dataset="test-set",
        **fields,
    )


def assert_post(post: Post, want: Post, raw: dict[str, Any]) -> None:
    assert without_raw(post) == want
    assert orjson.loads(post.raw or "") == raw


# --- fixtures, every field -----------------------------------------------------------------


def test_it_maps_every_field_of_an_extended_search_result() -> None:
    post = fixture_posts("search_tweets.json")["1893000000000000101"]
    want = expected(
        "search_tweets.json",
        1,
        RAQIB,
        "1893000000000000101",
        text=A_TEXT,
        created_at=datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC),
        hashtags=["حرية_الإنترنت", "الحقوق_الرقمية"],
        urls=["https://news.example/reports/blocking-2025"],
        media=[Media("photo", "https://pbs.twimg.com/media/ExAmPlEv1A01.jpg")],
        metrics=Metrics(likes=120, shares=45),
    )
    assert_post(post, want, fixture_tweets("search_tweets.json")["1893000000000000101"])
    assert (post.text_norm, post.script, post.conversation_id) == (None, None, None)


def test_it_maps_a_retweet_to_the_originals_full_text_and_points_to_it() -> None:
    post = fixture_posts("search_tweets.json")["1893000000000000102"]
    want = expected(
        "search_tweets.json",
        2,
        ONL,
        "1893000000000000102",
        text=O1_TEXT,
        created_at=datetime(2025, 3, 1, 11, 2, tzinfo=UTC),
        hashtags=["זכויות_דיגיטליות", "חופש_הביטוי"],
        repost_of="1893000000000000090",
        metrics=Metrics(likes=0, shares=96),
    )
    raw = fixture_tweets("search_tweets.json")["1893000000000000102"]
    assert_post(post, want, raw)
    assert raw["full_text"].startswith("RT @shomrim_net: ") and raw["full_text"].endswith("…")


def test_it_maps_a_reply_with_its_parent_mention_and_link() -> None:
    post = fixture_posts("search_tweets.json")["1893000000000000103"]
    want = expected(
        "search_tweets.json",
        3,
        DFL,
        "1893000000000000103",
        text=(
            "@raqib_net We documented the same outage in three more towns; our measurements "
            "are public here https://t.co/MeAsUrE001 #KeepItOn"
        ),
        created_at=datetime(2025, 3, 1, 12, 15, 45, tzinfo=UTC),
        hashtags=["KeepItOn"],
        mentions=["raqib_net"],
        urls=["https://measure.example/outages/2025-03"],
        reply_to="1893000000000000101",
        metrics=Metrics(likes=15, shares=2),
    )
    assert_post(post, want, fixture_tweets("search_tweets.json")["1893000000000000103"])


def test_it_maps_a_truncated_stream_tweet_to_its_extended_full_text_and_photos() -> None:
    post = fixture_posts("stream_filter.jsonl")["1893000000000000104"]
    want = expected(
        "stream_filter.jsonl",
        1,
        RAQIB,
        "1893000000000000104",
        text=D_FULL,
        created_at=datetime(2025, 3, 2, 11, 0, tzinfo=UTC),
        hashtags=["الرقابة_الرقمية", "حرية_التعبير"],
        urls=["https://report.example/removals-feb-2025"],  # not the truncated text's link
        media=D_PHOTOS,
        metrics=Metrics(likes=240, shares=88, replies=5, quotes=2),
    )
    assert_post(post, want, fixture_tweets("stream_filter.jsonl")["1893000000000000104"])


def test_it_maps_a_quote_to_the_quoted_id_without_importing_the_quoted_tweet() -> None:
    posts = fixture_posts("stream_filter.jsonl")
    want = expected(
        "stream_filter.jsonl",
        3,
        DFL,
        "1893000000000000105",
        text=(
            "This is exactly why transparency reports matter: a whole community silenced "
            "overnight. #ShadowBan https://t.co/QuOtE00105"
        ),
        created_at=datetime(2025, 3, 2, 13, 40, 10, tzinfo=UTC),
        hashtags=["ShadowBan"],
        urls=["https://twitter.com/shomrim_net/status/1893000000000000095"],
        quote_of="1893000000000000095",
        metrics=Metrics(likes=31, shares=8, replies=1, quotes=0),
    )
    assert_post(
        posts["1893000000000000105"], want, fixture_tweets("stream_filter.jsonl")[want.post_id]
    )
    assert "1893000000000000095" not in posts


def test_it_maps_a_stream_retweet_of_a_long_tweet_to_the_extended_original() -> None:
    post = fixture_posts("stream_filter.jsonl")["1893000000000000106"]
    want = expected(
        "stream_filter.jsonl",
        5,
        ONL,
        "1893000000000000106",
        text=D_FULL,
        created_at=datetime(2025, 3, 2, 14, 5, tzinfo=UTC),
        hashtags=["الرقابة_الرقمية", "حرية_التعبير"],
        urls=["https://report.example/removals-feb-2025"],
        media=D_PHOTOS,
        repost_of="1893000000000000104",
        metrics=Metrics(likes=0, shares=0, replies=0, quotes=0),
    )
    assert_post(post, want, fixture_tweets("stream_filter.jsonl")["1893000000000000106"])


def test_stream_notices_are_skipped_and_records_are_line_numbers() -> None:
    posts = fixture_posts("stream_filter.jsonl")
    assert [(p.post_id, p.source.record) for p in posts.values() if p.source] == [
        ("1893000000000000104", 1),
        ("1893000000000000105", 3),
        ("1893000000000000106", 5),
        ("1893000000000000107", 6),
    ]


def test_an_undefined_language_is_left_for_the_pipeline_to_detect() -> None:
    post = fixture_posts("stream_filter.jsonl")["1893000000000000107"]
    assert post.text == (
        "el account beta3i et2afal ba3d ma nasharet el video men el mozahra, 7aram keda "
        "#DigitalRights"
    )
    assert (post.lang, post.author_handle, post.hashtags) == (
        None,
        "shabab_online",
        ["DigitalRights"],
    )
    assert post.metrics == Metrics(likes=3, shares=1, replies=0, quotes=0)


def test_it_maps_a_user_timeline_array_in_compat_mode() -> None:
    posts = fixture_posts("user_timeline.json")
    assert list(posts) == ["1893000000000000109", "1893000000000000108"]
    want = expected(
        "user_timeline.json",
        2,
        SHOMRIM,
        "1893000000000000108",
        text=(
            "תיעוד: כך נראה ניתוק האינטרנט בשכונה אמש, שלוש שעות בלי רשת סלולרית "
            "#ניתוק_אינטרנט https://t.co/ViDeO00108"
        ),
        created_at=datetime(2025, 3, 3, 5, 45, tzinfo=UTC),
        hashtags=["ניתוק_אינטרנט"],
        media=[
            Media(
                "video",
                "https://pbs.twimg.com/ext_tw_video_thumb/1893000000000009108/pu/img/"
                "ExAmPlEv1H01.jpg",
            )
        ],
        metrics=Metrics(likes=64, shares=9),
    )
    assert_post(
        posts["1893000000000000108"], want, fixture_tweets("user_timeline.json")[want.post_id]
    )
    thread = posts["1893000000000000109"]
    assert (thread.reply_to, thread.lang, thread.hashtags) == (
        "1893000000000000108",
        None,
        ["KeepItOn"],
    )


def test_it_maps_a_single_statuses_show_object_quoting_an_unavailable_tweet() -> None:
    post = fixture_posts("statuses_show.json")["1893000000000000110"]
    want = expected(
        "statuses_show.json",
        1,
        DFL,
        "1893000000000000110",
        text="Our statement on the removal of the documentation archive: https://t.co/StAtE00110",
        created_at=datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
        urls=["https://dfl.example/statements/archive-removal"],
        quote_of="1893000000000000080",
        metrics=Metrics(likes=19, shares=7),
    )
    assert_post(post, want, fixture_tweets("statuses_show.json")["1893000000000000110"])


def test_every_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [p for f in sorted(FIXTURES.iterdir()) for p in fixture_posts(f.name).values()]
    assert len(posts) == 10
    assert posts_to_table(posts).num_rows == 10


# --- the same tweet from v1.1 and v2 ---------------------------------------------------------


def v2_twins() -> dict[str, Post]:
    """Tweets 101 (Arabic, photo) and 102 (retweet of a Hebrew tweet) of search_tweets.json
    as the X API v2 recent search returns them."""
    page = {
        "data": [
            {
                "id": "1893000000000000101",
                "edit_history_tweet_ids": ["1893000000000000101"],
                "text": A_TEXT,
                "author_id": RAQIB[0],
                "created_at": "2025-03-01T10:20:30.000Z",
                "conversation_id": "1893000000000000101",
                "lang": "ar",
                "attachments": {"media_keys": ["3_1893000000000009101"]},
                "public_metrics": {"retweet_count": 45, "reply_count": 6, "like_count": 120},
            },
            {
                "id": "1893000000000000102",
                "edit_history_tweet_ids": ["1893000000000000102"],
                "text": ("RT @shomrim_net: " + O1_TEXT)[:139] + "…",
                "author_id": ONL[0],
                "created_at": "2025-03-01T11:02:00.000Z",
                "referenced_tweets": [{"type": "retweeted", "id": "1893000000000000090"}],
                "public_metrics": {"retweet_count": 96, "reply_count": 0, "like_count": 0},
            },
        ],
        "includes": {
            "users": [
                {"id": RAQIB[0], "username": RAQIB[1], "name": RAQIB[2]},
                {"id": ONL[0], "username": ONL[1], "name": ONL[2]},
            ],
            "tweets": [
                {"id": "1893000000000000090", "text": O1_TEXT, "author_id": SHOMRIM[0]},
            ],
            "media": [
                {
                    "media_key": "3_1893000000000009101",
                    "type": "photo",
                    "url": "https://pbs.twimg.com/media/ExAmPlEv1A01.jpg",
                }
            ],
        },
        "meta": {"result_count": 2},
    }
    source = memory_source(orjson.dumps(page), "twin_v2.json")
    v2 = XV2Format()
    items = list(v2.read(source, ctx()))
    return {p.post_id: p for p in (v2.map_item(i, ctx()) for i in items if isinstance(i, Item))}


@pytest.mark.parametrize("post_id", ["1893000000000000101", "1893000000000000102"])
def test_the_same_tweet_from_v1_and_v2_is_the_same_post(post_id: str) -> None:
    v1 = fixture_posts("search_tweets.json")[post_id]
    v2 = v2_twins()[post_id]
    fields = ("platform", "post_id", "url", "author_id", "author_handle", "author_name")
    fields += ("created_at", "text", "repost_of", "reply_to", "quote_of", "media")
    assert [getattr(v1, f) for f in fields] == [getattr(v2, f) for f in fields]


# --- map_item details ------------------------------------------------------------------------


def test_a_missing_id_str_is_a_post_error_even_with_a_numeric_id() -> None:
    with pytest.raises(PostError, match="id_str: missing"):
        tweet_post({"id": 1893000000000000101, "text": "no id_str"})


def test_a_numeric_id_str_is_refused_as_possibly_rounded() -> None:
    with pytest.raises(PostError, match=r"id_str: .* is not an id string"):
        tweet_post({"id_str": 1893000000000000101, "text": "t"})


@pytest.mark.parametrize("value", ["yesterday", "Sat Feb 30 10:00:00 +0000 2025", "2025-13-01"])
def test_a_bad_created_at_names_the_field_and_the_value(value: str) -> None:
    with pytest.raises(PostError, match=r"created_at: cannot parse"):
        tweet_post({"id_str": "1", "text": "t", "created_at": value})


def test_created_at_with_an_offset_or_in_iso_form_is_utc() -> None:
    post = tweet_post({"id_str": "1", "text": "t", "created_at": "Sat Mar 01 12:20:30 +0200 2025"})
    assert post.created_at == datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC)
    post = tweet_post({"id_str": "1", "text": "t", "created_at": "2025-03-01T10:20:30.000Z"})
    assert post.created_at == datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC)


@pytest.mark.parametrize("value", [-1, 1.5, True, "many", 2**64])
def test_a_count_that_is_not_a_count_names_the_field(value: object) -> None:
    with pytest.raises(PostError, match="favorite_count"):
        tweet_post({"id_str": "1", "text": "t", "favorite_count": value})


def test_counts_the_tweet_does_not_have_stay_none() -> None:
    post = tweet_post({"id_str": "1", "text": "t", "favorite_count": 4})
    assert post.metrics == Metrics(likes=4)


@pytest.mark.parametrize(
    ("tweet", "field"),
    [
        ({"user": "raqib_net"}, "user: expected an object"),
        ({"entities": {"hashtags": "x"}}, "entities.hashtags: expected an array"),
        ({"full_text": 5}, "full_text: 5 is not text"),
        ({"retweeted_status": {"id_str": "2", "text": ["x"]}}, "retweeted_status.text"),
        ({"extended_tweet": {"full_text": "t", "entities": {"urls": [3]}}}, "extended_tweet."),
    ],
)
def test_wrong_types_name_the_field(tweet: dict[str, Any], field: str) -> None:
    with pytest.raises(PostError, match=field):
        tweet_post({"id_str": "1", **tweet})


def test_an_author_without_a_screen_name_gives_the_generic_url() -> None:
    post = tweet_post({"id_str": "7", "text": "t", "user": {"id_str": "5"}})
    assert (post.url, post.author_id, post.author_handle) == (
        "https://x.com/i/web/status/7",
        "5",
        None,
    )


def test_map_item_is_pure() -> None:
    source = file_source(FIXTURES / "stream_filter.jsonl")
    items = [e for e in FMT.read(source, ctx()) if isinstance(e, Item)]
    assert [FMT.map_item(i, ctx()) for i in items] == [FMT.map_item(i, ctx()) for i in items]


# --- layouts and bad input -------------------------------------------------------------------


def test_a_malformed_line_is_rejected_and_the_good_lines_kept() -> None:
    lines = (FIXTURES / "stream_filter.jsonl").read_bytes().splitlines(keepends=True)
    data = lines[0] + b'{"id_str": "5", "text": "broken\n' + lines[2]
    posts, rejects = read_all(memory_source(data, "mixed.jsonl"))
    assert [(p.post_id, p.source.record) for p in posts if p.source] == [
        ("1893000000000000104", 1),
        ("1893000000000000105", 3),
    ]
    (reject,) = rejects
    assert (reject.file, reject.record) == ("mixed.jsonl", 2)
    assert "malformed JSON in line 2" in reject.reason
    assert '"id_str": "5"' in reject.excerpt


def test_a_truncated_document_is_one_reject_naming_the_line() -> None:
    data = (FIXTURES / "search_tweets.json").read_bytes()
    BENCH.assert_a_cut_document_is_one_reject(data, "truncated JSON document")


def test_a_truncated_gz_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    line = (FIXTURES / "stream_filter.jsonl").read_bytes().splitlines(keepends=True)[0]
    BENCH.assert_a_cut_gz_keeps_the_lines_before_the_cut(line, 2000, tmp_path)


def test_parts_that_are_not_tweets_are_rejected_with_their_position() -> None:
    data = orjson.dumps(
        [
            {"statuses": "nope"},
            {"statuses": [3, {"id_str": "2", "text": "ok"}]},
            "a string",
            {"name": "not a tweet"},
            {"delete": {"status": {"id_str": "9"}}},
            {"id_str": "4", "text": "kept"},
        ]
    )
    posts, rejects = read_all(memory_source(data, "odd.json"))
    assert [(p.post_id, p.source.record) for p in posts if p.source] == [("2", 3), ("4", 6)]
    assert [(r.record, r.reason) for r in rejects] == [
        (1, '"statuses" is a string, not a list of tweets'),
        (2, '"statuses" holds a number'),
        (4, "expected a tweet or a search response, found a string"),
        (5, "an object that is neither a tweet nor a search response (no id_str, text or user)"),
    ]


def test_a_bad_date_and_a_missing_id_are_rejected_by_the_pipeline_and_good_posts_kept(
    project: Settings, tmp_path: Path
) -> None:
    lines = (FIXTURES / "stream_filter.jsonl").read_bytes().splitlines(keepends=True)
    bad_date = orjson.dumps({"id_str": "77", "text": "t", "created_at": "Caturday"}) + b"\n"
    no_id = orjson.dumps({"id": 78, "text": "t"}) + b"\n"
    path = tmp_path / "stream.jsonl"
    path.write_bytes(lines[0] + bad_date + lines[1] + no_id + lines[2])
    summary = ingest([path], project, IngestOptions())
    assert dict(summary.formats) == {"x.v1": 1}
    assert (summary.read, summary.new, summary.rejected) == (4, 2, 2)
    assert summary.rejects_file is not None
    rejects = [orjson.loads(line) for line in summary.rejects_file.read_bytes().splitlines()]
    assert [(r["file"], r["record"]) for r in rejects] == [(str(path), 2), (str(path), 4)]
    assert "created_at: cannot parse 'Caturday'" in rejects[0]["reason"]
    assert "id_str: missing" in rejects[1]["reason"]
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute(
        "SELECT post_id, author_handle, lang, metrics.replies FROM posts ORDER BY post_id"
    ).fetchall()
    assert rows == [
        ("1893000000000000104", "raqib_net", "ar", 5),
        ("1893000000000000105", "digital_freedom_lab", "en", 1),
    ]


def test_a_json_file_holding_jsonl_is_read_line_by_line() -> None:
    data = (FIXTURES / "stream_filter.jsonl").read_bytes()
    posts, rejects = read_all(memory_source(data, "saved_as.json"))
    assert rejects == []
    assert [p.source.record for p in posts if p.source] == [1, 3, 5, 6]


def test_an_archive_tweet_wrapped_as_json_is_read() -> None:
    data = b'[{"tweet": {"id_str": "5", "full_text": "wrapped", "favorite_count": "2"}}]'
    posts, rejects = read_all(memory_source(data, "tweets.json"))
    assert rejects == []
    assert [(p.post_id, p.text, p.metrics.likes, p.author_id) for p in posts] == [
        ("5", "wrapped", 2, None)
    ]


@pytest.mark.parametrize("name", ["empty.json", "empty.jsonl"])
def test_an_empty_file_gives_no_records(name: str) -> None:
    assert read_all(memory_source(b"", name)) == ([], [])
    assert read_all(memory_source(b"\n \n", name)) == ([], [])


def test_jsonl_files_are_splittable_and_json_documents_not() -> None:
    assert FMT.splittable(memory_source(b"", "stream.jsonl"))
    assert FMT.splittable(memory_source(b"", "stream.NDJSON"))
    assert not FMT.splittable(memory_source(b"", "search.json"))


# --- sniff -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_sniff_accepts_every_v1_fixture(name: str) -> None:
    assert FMT.sniff(Sample(name, (FIXTURES / name).read_bytes()))


def test_sniff_accepts_a_stream_that_starts_with_notices() -> None:
    head = b'{"delete":{"status":{"id":1,"id_str":"1","user_id":2,"user_id_str":"2"}}}\n'
    assert FMT.sniff(Sample("stream.jsonl", head))
    assert FMT.sniff(Sample("stream.jsonl", b'{"limit":{"track":12}}\n'))


X_V2 = Path(__file__).parent / "fixtures" / "x_v2"
ARCHIVE = Path(__file__).parent / "fixtures" / "x_archive"


@pytest.mark.parametrize(
    ("name", "head"),
    [
        *[(p.name, p.read_bytes()) for p in sorted(X_V2.iterdir())],
        ("tweets.js", (ARCHIVE / "tweets.js").read_bytes()),
        ("search.txt", (FIXTURES / "search_tweets.json").read_bytes()),
        ("rows.jsonl", b'{"id_str": "1", "text": "hi", "created_at": "2025-03-01T10:00:00Z"}\n'),
        ("rows.jsonl", b'{"id": 1, "text": "hi", "created_at": "Sat Mar 01 10:20:30 +0000 2025"}'),
        ("rows.jsonl", b'{"delete": 1}\n'),
        ("empty.jsonl", b""),
    ],
)
def test_sniff_refuses_what_is_not_x_v1(name: str, head: bytes) -> None:
    assert not FMT.sniff(Sample(name, head))


# --- robustness ------------------------------------------------------------------------------


FIXTURE_ITEMS = BENCH.items(FIXTURES)
FIELDS = [
    "id_str", "text", "full_text", "user", "created_at", "entities", "extended_entities",
    "extended_tweet", "retweeted_status", "quoted_status", "quoted_status_id_str",
    "in_reply_to_status_id_str", "favorite_count", "retweet_count", "reply_count", "lang",
]  # fmt: skip


@settings(max_examples=300)
@given(
    item=st.sampled_from(FIXTURE_ITEMS),
    changes=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, min_size=1, max_size=3),
)
def test_value_mutated_tweets_map_or_raise_record_errors(
    item: Item, changes: dict[str, Any]
) -> None:
    mutated = Item(item.record, {**item.raw, **changes})
    assert_maps_or_raises_record_error(FMT, mutated, ctx())
