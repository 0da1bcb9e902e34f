"""The Reddit formats: API listings and Pushshift dumps, field by field, ids, bad input."""

from __future__ import annotations

import gzip
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.config import Settings
from marsad.ingest.base import Item, Sample
from marsad.ingest.formats.reddit import RedditApiFormat, RedditPushshiftFormat
from marsad.ingest.formats.reddit.reader import Thing, unescape
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.ingest.sources import read_sample
from marsad.posts import Media, Metrics, Post, PostError, Source, posts_to_table
from marsad.warehouse import Warehouse
from tests.ingest.helpers import (
    JSON_VALUES,
    Bench,
    assert_maps_or_raises_record_error,
    file_source,
)
from tests.ingest.helpers import (
    raw_of as raw,
)

FIXTURES = Path(__file__).parent / "fixtures"
API = FIXTURES / "reddit_api"
DUMPS = FIXTURES / "reddit_pushshift"
COLLECTED = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
API_FMT = RedditApiFormat()
DUMP_FMT = RedditPushshiftFormat()
SUB = "https://www.reddit.com/r/DigitalRightsWatch/comments"


BENCH = Bench(API_FMT, COLLECTED, name="f.json", map_errors_as_rejects=True)
ctx, memory_source = BENCH.ctx, BENCH.memory_source
read_all, fixture_posts = BENCH.read_all_as, BENCH.fixture_posts_as


def api_posts(name: str) -> dict[str, Post]:
    return fixture_posts(API_FMT, API / name)


def dump_posts(name: str) -> dict[str, Post]:
    return fixture_posts(DUMP_FMT, DUMPS / name)


def map_one(data: dict[str, Any], kind: str | None = None) -> Post:
    return BENCH.using(DUMP_FMT).map_raw(Thing(kind, data))


# --- API listings, field by field ------------------------------------------------------------


def test_it_maps_an_arabic_self_post_from_a_subreddit_listing() -> None:
    post = api_posts("r_digitalrights_new.json")["t3_1j2abcd"]
    expected = Post(
        platform="reddit",
        post_id="t3_1j2abcd",
        collected_at=COLLECTED,
        text="تعليق حسابات الصحفيين & حذف المنشورات: ما الذي يحدث؟\n\n"
        "منذ أمس تم تعليق أكثر من 20 حساباً لصحفيين في غزة.\nوثّقوا الحالات هنا.",
        url=f"{SUB}/1j2abcd/tlyq_hsabat_alshfyyn/",
        author_id="t2_8kq3xz1a",
        author_handle="haqq_observer",
        author_name=None,
        created_at=datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC),
        conversation_id="t3_1j2abcd",
        metrics=Metrics(likes=412, replies=4),
        source=Source(str(API / "r_digitalrights_new.json"), 1),
        dataset="test-set",
        raw=post.raw,
    )
    assert post == expected
    assert (post.lang, post.script, post.text_norm) == (None, None, None)
    assert (post.hashtags, post.mentions, post.urls, post.media) == ([], [], [], [])
    assert (post.reply_to, post.quote_of, post.repost_of) == (None, None, None)
    assert raw(post)["subreddit"] == "DigitalRightsWatch"
    assert raw(post)["title"].endswith("الصحفيين &amp; حذف المنشورات: ما الذي يحدث؟")


def test_it_maps_a_link_post_with_its_outside_link() -> None:
    post = api_posts("r_digitalrights_new.json")["t3_1j2b7xk"]
    assert post.text == "Internet shutdown in three districts, second day running"
    assert post.urls == ["https://netblocks.example/reports/2025-03-01-shutdown?ref=r&src=reddit"]
    assert post.media == []
    assert post.url == f"{SUB}/1j2b7xk/internet_shutdown_in_three_districts/"
    assert (post.author_handle, post.author_id) == ("openweb_amira", "t2_5rt8plm2")
    assert post.metrics == Metrics(likes=158, replies=23)
    assert post.source == Source(str(API / "r_digitalrights_new.json"), 2)


def test_it_maps_an_image_post_and_a_gallery_in_gallery_order() -> None:
    posts = api_posts("r_digitalrights_new.json")
    image = posts["t3_1j2c9qm"]
    assert image.media == [Media("photo", "https://i.redd.it/x7k2m9q4rb1e1.jpeg")]
    assert image.text == "צילום מסך: הפוסט שלי נמחק בגלל 'הסתה' #צנזורה"
    assert image.hashtags == []  # the pipeline finds #צנזורה in the text
    assert image.urls == []
    gallery = posts["t3_1j2e5gz"]
    assert gallery.media == [
        Media("animated_gif", "https://i.redd.it/q9w8.gif"),
        Media("photo", "https://preview.redd.it/p1k2.jpg?width=1440&s=aa1"),
    ]
    assert gallery.urls == []


def test_a_negative_net_score_leaves_likes_empty() -> None:
    gallery = api_posts("r_digitalrights_new.json")["t3_1j2e5gz"]
    assert gallery.metrics == Metrics(likes=None, replies=1)
    assert raw(gallery)["score"] == -2


def test_a_crosspost_points_to_its_parent() -> None:
    post = api_posts("r_digitalrights_new.json")["t3_1j2dq01"]
    assert post.repost_of == "t3_1j2abcd"
    assert post.conversation_id == "t3_1j2dq01"
    assert post.text == "שיתוף: השעיית חשבונות של עיתונאים"
    assert post.urls == []  # the crosspost's url is the parent's relative permalink
    assert post.metrics == Metrics(likes=12, replies=0)
    assert post.created_at == datetime(2025, 3, 2, 8, 15, tzinfo=UTC)


def test_a_removed_post_of_a_deleted_account_keeps_its_title_only() -> None:
    post = api_posts("r_digitalrights_new.json")["t3_1j2f0aa"]
    assert post.text == "Leaked list of blocked sites"
    assert (post.author_handle, post.author_id) == (None, None)
    assert post.metrics == Metrics(likes=0, replies=2)
    assert post.source == Source(str(API / "r_digitalrights_new.json"), 6)


def test_it_flattens_a_comment_tree_parent_before_replies_and_skips_more_stubs() -> None:
    posts = api_posts("comments_1j2abcd.json")
    assert list(posts) == ["t3_1j2abcd", "t1_mf1a001", "t1_mf2b002", "t1_mf3c003", "t1_mf4d004"]
    assert [p.source.record for p in posts.values() if p.source] == [1, 2, 3, 4, 5]
    assert [p.reply_to for p in posts.values()] == [
        None,
        "t3_1j2abcd",
        "t1_mf1a001",
        "t1_mf2b002",
        "t3_1j2abcd",
    ]
    assert {p.conversation_id for p in posts.values()} == {"t3_1j2abcd"}


def test_it_maps_a_nested_reply_field_by_field() -> None:
    post = api_posts("comments_1j2abcd.json")["t1_mf2b002"]
    assert post == Post(
        platform="reddit",
        post_id="t1_mf2b002",
        collected_at=COLLECTED,
        text="גם אצלנו: שלושה חשבונות הושעו הבוקר",
        url=f"{SUB}/1j2abcd/post/mf2b002/",
        author_id="t2_9zz1kq7b",
        author_handle="shomer_reshet",
        created_at=datetime(2025, 3, 1, 11, 45, tzinfo=UTC),
        reply_to="t1_mf1a001",
        conversation_id="t3_1j2abcd",
        metrics=Metrics(likes=15),
        source=Source(str(API / "comments_1j2abcd.json"), 3),
        dataset="test-set",
        raw=post.raw,
    )
    assert "replies" not in raw(post)  # each reply is a post of its own
    assert raw(post)["body"] == "גם אצלנו: שלושה חשבונות הושעו הבוקר"


def test_comment_text_is_unescaped_and_a_negative_score_is_no_like_count() -> None:
    post = api_posts("comments_1j2abcd.json")["t1_mf3c003"]
    assert (
        post.text == "Same happened to my account, appeal denied <after 2 days> & no reason given"
    )
    assert post.metrics == Metrics()
    assert raw(post)["body"].startswith("Same happened to my account, appeal denied &lt;after")


def test_a_removed_comment_of_a_deleted_account_has_no_text_and_no_author() -> None:
    post = api_posts("comments_1j2abcd.json")["t1_mf4d004"]
    assert (post.text, post.author_handle, post.author_id) == (None, None, None)
    assert post.reply_to == "t3_1j2abcd"
    assert post.metrics == Metrics(likes=1)


def test_user_comment_pages_in_jsonl_do_not_take_the_threads_comment_count() -> None:
    posts = api_posts("user_openweb_amira_comments.jsonl")
    assert list(posts) == ["t1_mf6u001", "t1_mf6u002", "t1_mf7u003"]
    post = posts["t1_mf6u002"]
    assert post == Post(
        platform="reddit",
        post_id="t1_mf6u002",
        collected_at=COLLECTED,
        text="المصدر: قياسات الشبكة من ثلاث مدن، التقرير الكامل في الرابط أعلاه",
        url=f"{SUB}/1j2b7xk/post/mf6u002/",
        author_id="t2_5rt8plm2",
        author_handle="openweb_amira",
        created_at=datetime(2025, 3, 2, 7, 25, tzinfo=UTC),
        reply_to="t1_mf6u001",
        conversation_id="t3_1j2b7xk",
        metrics=Metrics(likes=8),  # num_comments 23 belongs to the thread
        source=Source(str(API / "user_openweb_amira_comments.jsonl"), 1),
        dataset="test-set",
        raw=post.raw,
    )
    assert [p.source.record for p in posts.values() if p.source] == [1, 1, 2]


# --- Pushshift dumps, field by field ---------------------------------------------------------


def test_it_maps_a_submission_from_a_long_window_zst_dump() -> None:
    posts = dump_posts("RS_2025-03.zst")
    assert list(posts) == ["t3_1j2abcd", "t3_1j3k2aa", "t3_1j2dq01", "t3_1j2b7xk"]
    post = posts["t3_1j3k2aa"]
    assert post == Post(
        platform="reddit",
        post_id="t3_1j3k2aa",
        collected_at=COLLECTED,
        text="حجب المواقع: تحديث أسبوعي\n\n"
        "قائمة المواقع المحجوبة هذا الأسبوع:\n- مواقع إخبارية\n- منصات VPN",
        url=f"{SUB}/1j3k2aa/hjb_almwaqe/",
        author_handle="haqq_observer",
        created_at=datetime(2025, 3, 3, 7, tzinfo=UTC),  # "created_utc" as a string
        conversation_id="t3_1j3k2aa",
        metrics=Metrics(likes=95, replies=6),
        source=Source(str(DUMPS / "RS_2025-03"), 2),
        dataset="test-set",
        raw=post.raw,
    )
    assert raw(post)["retrieved_on"] == 1741046400  # 2025-03-04, kept in raw only
    assert posts["t3_1j2dq01"].repost_of == "t3_1j2abcd"


def test_it_maps_an_old_comment_without_name_or_permalink() -> None:
    post = dump_posts("RC_2025-03")["t1_mf8h555"]
    assert post == Post(
        platform="reddit",
        post_id="t1_mf8h555",
        collected_at=COLLECTED,
        text='הודעה רשמית: האתר חסום ע"י הספק, לא תקלה טכנית',
        url=f"{SUB}/1j3k2aa/_/mf8h555/",
        author_handle="netfree_il",
        created_at=datetime(2025, 3, 4, 21, 10, 5, tzinfo=UTC),
        reply_to="t3_1j3k2aa",
        conversation_id="t3_1j3k2aa",
        metrics=Metrics(likes=6),
        source=Source(str(DUMPS / "RC_2025-03"), 3),
        dataset="test-set",
        raw=post.raw,
    )


def test_api_and_dump_records_of_the_same_thing_get_the_same_post() -> None:
    api = {**api_posts("r_digitalrights_new.json"), **api_posts("comments_1j2abcd.json")}
    dumps = {**dump_posts("RS_2025-03.zst"), **dump_posts("RC_2025-03")}
    shared = sorted(set(api) & set(dumps))
    assert shared == [
        "t1_mf1a001",
        "t1_mf3c003",
        "t1_mf4d004",
        "t3_1j2abcd",
        "t3_1j2b7xk",
        "t3_1j2dq01",
    ]
    for key in shared:
        assert replace(api[key], source=None, raw=None) == replace(
            dumps[key], source=None, raw=None
        )


def test_every_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [p for f in sorted(API.iterdir()) for p in api_posts(f.name).values()]
    posts += [p for f in sorted(DUMPS.iterdir()) for p in dump_posts(f.name).values()]
    assert len(posts) == 6 + 5 + 3 + 4 + 4
    assert posts_to_table(posts).num_rows == len(posts)


# --- map_item details ------------------------------------------------------------------------


def test_a_missing_id_is_a_post_error() -> None:
    with pytest.raises(PostError, match="id: missing"):
        map_one({"title": "t", "created_utc": 1740824430})


@pytest.mark.parametrize("value", [12345, "T3 abc", "t1_abc", "abc-def", ""])
def test_an_id_that_is_not_base36_is_a_post_error(value: object) -> None:
    with pytest.raises(PostError, match="id"):
        map_one({"id": value, "title": "t"}, "t3")


def test_the_kind_comes_from_the_name_prefix_when_the_fields_do_not_say() -> None:
    post = map_one({"id": "abc", "name": "t1_abc", "score": 3})
    assert (post.post_id, post.text, post.metrics) == ("t1_abc", None, Metrics(likes=3))


def test_an_id_with_its_prefix_and_a_bare_link_id_are_accepted() -> None:
    post = map_one({"id": "t1_abc", "body": "x", "link_id": "q1", "parent_id": "t3_q1"})
    assert (post.post_id, post.conversation_id, post.url) == (
        "t1_abc",
        "t3_q1",
        "https://www.reddit.com/comments/q1/_/abc/",
    )


def test_a_record_that_is_neither_a_submission_nor_a_comment_is_a_post_error() -> None:
    with pytest.raises(PostError, match="kind"):
        map_one({"id": "abc", "created_utc": 1})


@pytest.mark.parametrize("value", ["yesterday", True, [1], float("inf"), 10**20, "9" * 400])
def test_a_bad_created_utc_names_the_field(value: object) -> None:
    with pytest.raises(PostError, match="created_utc"):
        map_one({"id": "abc", "title": "t", "created_utc": value})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1740824430, datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC)),
        (1740824430.0, datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC)),
        ("1740824430", datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC)),
        ("1740824430.5", datetime(2025, 3, 1, 10, 20, 30, 500000, tzinfo=UTC)),
        (None, None),
    ],
)
def test_created_utc_as_int_float_or_string(value: object, expected: datetime | None) -> None:
    assert map_one({"id": "abc", "title": "t", "created_utc": value}).created_at == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("score", "12"),
        ("score", 1.5),
        ("score", True),
        ("num_comments", -1),
        ("parent_id", "abc"),
        ("parent_id", 5),
        ("link_id", "t1_abc"),
        ("author", 7),
        ("body", ["x"]),
        ("permalink", {}),
    ],
)
def test_wrong_types_are_post_errors_naming_the_field(field: str, value: object) -> None:
    record = {"id": "abc", "body": "x", "link_id": "t3_q1", "parent_id": "t3_q1"}
    with pytest.raises(PostError, match=field):
        map_one({**record, field: value}, "t3" if field == "num_comments" else "t1")


def test_a_kind_other_than_t1_or_t3_is_a_post_error() -> None:
    with pytest.raises(PostError, match="kind"):
        map_one({"id": "abc"}, "t5")


def test_unescaping_undoes_reddits_escaping_only() -> None:
    assert unescape("a &amp; b &lt;c&gt; &amp;lt; &nbsp;") == "a & b <c> &lt; &nbsp;"


def test_map_item_is_pure() -> None:
    source = file_source(API / "comments_1j2abcd.json")
    items = [e for e in API_FMT.read(source, ctx()) if isinstance(e, Item)]
    first = [API_FMT.map_item(i, ctx()) for i in items]
    assert first == [API_FMT.map_item(i, ctx()) for i in items]


# --- bad input -------------------------------------------------------------------------------


def test_a_truncated_listing_is_one_reject_naming_the_file() -> None:
    data = (API / "r_digitalrights_new.json").read_bytes()
    posts, rejects = read_all(API_FMT, memory_source(data[: len(data) // 2], "cut.json"))
    assert posts == []
    (reject,) = rejects
    assert reject.file == "cut.json"
    assert reject.record == 1
    assert "truncated JSON document" in reject.reason


def test_a_malformed_response_line_is_rejected_and_the_pages_around_kept() -> None:
    first, second = (API / "user_openweb_amira_comments.jsonl").read_bytes().splitlines(True)
    data = first + b'{"kind": "Listing", "data": {"children": [\n' + second
    posts, rejects = read_all(API_FMT, memory_source(data, "pages.jsonl"))
    assert [(p.post_id, p.source.record if p.source else 0) for p in posts] == [
        ("t1_mf6u001", 1),
        ("t1_mf6u002", 1),
        ("t1_mf7u003", 3),
    ]
    (reject,) = rejects
    assert (reject.file, reject.record) == ("pages.jsonl", 2)
    assert "malformed JSON in line 2" in reject.reason
    assert '"kind": "Listing"' in reject.excerpt


def test_unusable_children_are_rejects_and_good_things_are_kept() -> None:
    good = {"kind": "t1", "data": {"id": "c1", "body": "ok", "link_id": "t3_p", "replies": 5}}
    listing = {
        "kind": "Listing",
        "data": {
            "children": [
                {"kind": "t5", "data": {"id": "sub"}},
                "junk",
                {"kind": "t3", "data": None},
                good,
                {"kind": "t1", "data": {"body": "no id", "link_id": "t3_p"}},
                {"kind": "t3", "data": {"id": "p", "title": "fine", "created_utc": "soon"}},
            ]
        },
    }
    data = orjson.dumps([listing, {"kind": "Listing", "data": {}}])
    posts, rejects = read_all(API_FMT, memory_source(data, "odd.json"))
    assert [p.post_id for p in posts] == ["t1_c1"]
    assert [(r.file, r.record, r.reason) for r in rejects] == [
        ("odd.json", 1, "kind 't5' is not a Listing, a post (t3) or a comment (t1)"),
        ("odd.json", 2, "expected a Listing or a thing, found a string"),
        ("odd.json", 3, "a t3 thing whose data is null, not an object"),
        ("odd.json", 5, "expected a Listing or a thing, found a number"),
        ("odd.json", 6, "id: missing"),
        ("odd.json", 7, "created_utc: cannot parse 'soon'"),
        ("odd.json", 8, "a Listing without a data.children array"),
    ]


def test_bad_dump_lines_are_rejects_naming_file_line_and_reason() -> None:
    lines = (DUMPS / "RC_2025-03").read_bytes().splitlines(keepends=True)
    data = b"".join(
        [
            lines[0],
            b'{"id": "mf1", "body": "cut off\n',
            b"[1, 2]\n",
            b'{"body": "no id", "link_id": "t3_x", "parent_id": "t3_x", "subreddit": "s"}\n',
            b'{"id": "mf2", "body": "b", "link_id": "t3_x", "created_utc": "2025-03-01"}\n',
            b'{"id": "mf3", "body": "b", "link_id": "t3_x", "score": "many"}\n',
            lines[1],
        ]
    )
    posts, rejects = read_all(DUMP_FMT, memory_source(data, "RC_2025-03"))
    assert [(p.post_id, p.source.record if p.source else 0) for p in posts] == [
        ("t1_mf1a001", 1),
        ("t1_mf3c003", 7),
    ]
    assert [(r.file, r.record) for r in rejects] == [("RC_2025-03", n) for n in range(2, 7)]
    reasons = [r.reason for r in rejects]
    assert reasons[0].startswith("malformed JSON in line 2")
    assert reasons[1:] == [
        "expected a submission or comment object, found an array",
        "id: missing",
        "created_utc: cannot parse '2025-03-01'",
        "score: 'many' is not a count",
    ]


def test_a_truncated_zst_dump_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    line = (DUMPS / "RC_2025-03").read_bytes().splitlines(keepends=True)[0]
    data = b"".join(line.replace(b"mf1a001", b"m%05d" % i) for i in range(3000))
    compressed = zstandard.ZstdCompressor(level=3).compress(data)
    path = tmp_path / "RC_2025-03.zst"
    path.write_bytes(compressed[: len(compressed) // 2])
    posts, rejects = read_all(DUMP_FMT, file_source(path))
    assert len(posts) > 100
    (reject,) = rejects
    assert reject.file == str(tmp_path / "RC_2025-03")
    assert reject.record == len(posts) + 1 or reject.record == len(posts) + 2
    assert "cannot read the rest of the file" in reject.reason and "truncated" in reject.reason


def test_a_gz_dump_is_read_like_a_plain_one(tmp_path: Path) -> None:
    path = tmp_path / "DigitalRightsWatch_comments.gz"
    path.write_bytes(gzip.compress((DUMPS / "RC_2025-03").read_bytes()))
    posts, rejects = read_all(DUMP_FMT, file_source(path))
    assert (len(posts), rejects) == (4, [])


@pytest.mark.parametrize("name", ["empty.json", "empty.jsonl"])
def test_an_empty_file_gives_no_records(name: str) -> None:
    assert read_all(API_FMT, memory_source(b"", name)) == ([], [])
    assert read_all(DUMP_FMT, memory_source(b"\n \n", name)) == ([], [])


# --- sniff -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(API.iterdir()), ids=lambda p: p.name)
def test_the_api_sniff_takes_api_fixtures_and_the_dump_sniff_does_not(path: Path) -> None:
    sample = Sample(path.name, path.read_bytes())
    assert API_FMT.sniff(sample)
    assert not DUMP_FMT.sniff(sample)


@pytest.mark.parametrize("path", sorted(DUMPS.iterdir()), ids=lambda p: p.name)
def test_the_dump_sniff_takes_dump_fixtures_and_the_api_sniff_does_not(path: Path) -> None:
    sample = read_sample(file_source(path))
    assert DUMP_FMT.sniff(sample)
    assert not API_FMT.sniff(replace(sample, name=sample.name + ".json"))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("page.txt", (API / "r_digitalrights_new.json").read_bytes()),
        ("x.json", (FIXTURES / "x_v2" / "search_recent_ar.json").read_bytes()),
        ("rows.jsonl", b'{"id": 1, "text": "hi", "created_utc": 1740824430}\n'),
        ("k8s.json", b'{"kind": "List", "items": []}'),
        ("empty.json", b""),
    ],
)
def test_the_api_sniff_refuses_what_is_not_a_listing(name: str, head: bytes) -> None:
    assert not API_FMT.sniff(Sample(name, head))


def test_the_api_sniff_takes_a_listing_with_sorted_keys() -> None:
    head = b'{"data": {"after": null, "children": [{"data": {"id": "a"}, "kind": "t3"}]},'
    assert API_FMT.sniff(Sample("sorted.json", head + b' "kind": "Listing"}'))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("posts.csv", (DUMPS / "RC_2025-03").read_bytes()),
        ("RC_2025-03", b'{"id": "1", "text": "a tweet", "created_at": "2025-03-01"}\n'),
        ("rows.jsonl", b'{"id": "a", "body": "x", "created_utc": 1}\n'),  # no subreddit
        (
            "4cat-reddit.ndjson",
            b'{"id": "a", "body": "x", "link_id": "t3_b", "subreddit": "s", "created_utc": 1,'
            b' "__import_meta": {"source_platform": "reddit"}}\n',
        ),
        ("RS_2025-03", b"\x28\xb5\x2f\xfd compressed bytes"),
    ],
)
def test_the_dump_sniff_refuses_what_is_not_a_dump(name: str, head: bytes) -> None:
    assert not DUMP_FMT.sniff(Sample(name, head))


def test_the_dump_sniff_judges_a_first_line_longer_than_the_sample_by_its_keys() -> None:
    head = b'{"id": "abc", "created_utc": 1, "subreddit": "s", "title": "t", "selftext": "'
    assert DUMP_FMT.sniff(Sample("big_submissions", head + b"x" * 70_000))


# --- end to end ------------------------------------------------------------------------------


def test_ingest_imports_api_listings_and_dumps_in_one_run(
    project: Settings, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    shutil.copytree(API, exports / "api")
    shutil.copytree(DUMPS, exports / "dumps")
    summary = ingest([exports], project, IngestOptions(dataset="reddit-2025"))
    assert summary.formats == {"reddit.api.v1": 3, "reddit.pushshift.v1": 2}
    assert (summary.files, summary.read, summary.rejected) == (5, 22, 0)
    # 22 records of 15 things: the dumps and the thread repeat posts of the listing
    assert summary.new == 15
    assert summary.updated + summary.duplicate == 7
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute(
        "SELECT post_id, lang, script, hashtags FROM posts"
        " WHERE post_id IN ('t3_1j2abcd', 't1_mf2b002', 't3_1j2c9qm', 't1_mf6u001')"
        " ORDER BY post_id"
    ).fetchall()
    assert rows == [
        ("t1_mf2b002", "he", "hebr", []),
        ("t1_mf6u001", "en", "latn", []),
        ("t3_1j2abcd", "ar", "arab", []),
        ("t3_1j2c9qm", "he", "hebr", ["צנזורה"]),
    ]


# --- robustness ------------------------------------------------------------------------------


FIXTURE_ITEMS = BENCH.items(API) + BENCH.using(DUMP_FMT).items(DUMPS)
FIELDS = [
    "id", "name", "title", "selftext", "body", "author", "author_fullname", "created_utc",
    "score", "num_comments", "permalink", "parent_id", "link_id", "crosspost_parent", "url",
    "url_overridden_by_dest", "is_self", "is_video", "is_gallery", "post_hint", "media",
    "secure_media", "media_metadata", "gallery_data", "subreddit", "replies",
]  # fmt: skip


@settings(max_examples=300)
@given(
    item=st.sampled_from(FIXTURE_ITEMS),
    changes=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, min_size=1, max_size=3),
)
def test_value_mutated_records_map_or_raise_record_errors(
    item: Item, changes: dict[str, Any]
) -> None:
    thing = item.raw
    mutated = Item(item.record, Thing(thing.kind, {**thing.data, **changes}))
    assert_maps_or_raises_record_error(DUMP_FMT, mutated, ctx())
