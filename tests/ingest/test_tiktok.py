"""The TikTok Research API format: fixtures field by field, layouts, bad input, robustness."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.config import Settings
from marsad.ingest.base import Item, Reject, Sample
from marsad.ingest.formats.tiktok import TikTokResearchFormat
from marsad.ingest.formats.tiktok.reader import TikTokRecord
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

FIXTURES = Path(__file__).parent / "fixtures" / "tiktok"
FMT = TikTokResearchFormat()
VIDEO = "7478123456789012345"
TOP_COMMENT = "7478200000000000001"


BENCH = Bench(FMT, fixtures=FIXTURES)
ctx, memory_source, read_all = BENCH.ctx, BENCH.memory_source, BENCH.read_all
fixture_posts = BENCH.fixture_posts


def fixture_lines(name: str) -> list[Any]:
    return [orjson.loads(line) for line in (FIXTURES / name).read_bytes().splitlines()]


def video_post(video: dict[str, Any]) -> Post:
    return BENCH.map_raw(TikTokRecord("video", video))


def comment_post(comment: dict[str, Any]) -> Post:
    return BENCH.map_raw(TikTokRecord("comment", comment))


# --- fixtures, field by field --------------------------------------------------------------


def test_it_maps_a_video_of_a_query_response_field_by_field() -> None:
    post = fixture_posts("video_query.json")[VIDEO]
    assert without_raw(post) == Post(
        platform="tiktok",
        post_id=VIDEO,
        collected_at=COLLECTED,
        text="حذفوا الفيديو مرتين بحجة مخالفة المعايير، نعيد نشره للتوثيق "
        "#حرية_التعبير #حقوق_رقمية",
        url=f"https://www.tiktok.com/@sawt.alhay/video/{VIDEO}",
        author_id=None,
        author_handle="sawt.alhay",
        author_name=None,
        created_at=datetime(2025, 3, 4, 15, 0, tzinfo=UTC),
        hashtags=["حرية_التعبير", "حقوق_رقمية"],
        mentions=["rasd.media"],
        media=[Media("video", None)],
        conversation_id=VIDEO,
        metrics=Metrics(likes=5400, shares=870, replies=311, views=120400),
        source=Source(str(FIXTURES / "video_query.json"), 1),
        dataset="test-set",
    )
    raw = orjson.loads(post.raw or "")
    assert raw == orjson.loads((FIXTURES / "video_query.json").read_bytes())["data"]["videos"][0]
    assert raw["music_id"] == 7478123400000000001  # big integers survive exactly in raw


def test_a_video_without_share_count_keeps_shares_unknown() -> None:
    post = fixture_posts("video_query.json")["7479234567890123456"]
    assert post.metrics == Metrics(likes=980, shares=None, replies=45, views=23000)
    assert (post.hashtags, post.mentions) == ([], [])
    assert post.text == "השבתת האינטרנט בצפון: מה אנחנו יודעים עד עכשיו"


def test_video_ids_stay_exact_decimal_strings() -> None:
    posts = fixture_posts("video_query.json")
    assert list(posts) == ["7478123456789012345", "7479234567890123456", "7480345678901234567"]
    assert posts["7480345678901234567"].created_at == datetime(2025, 3, 7, 13, 59, 59, tzinfo=UTC)


def test_it_maps_a_top_level_comment_field_by_field() -> None:
    post = fixture_posts("comment_list.jsonl")[TOP_COMMENT]
    assert without_raw(post) == Post(
        platform="tiktok",
        post_id=TOP_COMMENT,
        collected_at=COLLECTED,
        text="نفس الشي صار معي، الحساب انقفل بدون أي سبب",
        url=None,
        created_at=datetime(2025, 3, 4, 16, 0, tzinfo=UTC),
        reply_to=None,  # parent_comment_id is the video's id
        conversation_id=VIDEO,
        metrics=Metrics(likes=120, replies=2),
        source=Source(str(FIXTURES / "comment_list.jsonl"), 1),
        dataset="test-set",
    )
    raw = fixture_lines("comment_list.jsonl")[0]["data"]["comments"][0]
    assert orjson.loads(post.raw or "") == raw


def test_it_maps_a_reply_to_a_comment_field_by_field() -> None:
    post = fixture_posts("comment_list.jsonl")["7478200000000000003"]
    assert without_raw(post) == Post(
        platform="tiktok",
        post_id="7478200000000000003",
        collected_at=COLLECTED,
        text="זה קורה גם לתוכן בעברית, לא רק בערבית",
        created_at=datetime(2025, 3, 4, 18, 0, tzinfo=UTC),
        reply_to=TOP_COMMENT,
        conversation_id=VIDEO,
        metrics=Metrics(likes=8, replies=0),
        source=Source(str(FIXTURES / "comment_list.jsonl"), 1),
        dataset="test-set",
    )


def test_comment_pages_in_jsonl_keep_their_line_numbers() -> None:
    posts = fixture_posts("comment_list.jsonl")
    assert [(p.post_id[-1], p.source.record if p.source else 0) for p in posts.values()] == [
        ("1", 1),
        ("2", 1),
        ("3", 1),
        ("4", 2),
    ]
    assert posts["7478200000000000004"].text == "ya3ni kol video 3an el wad3 byenmese7?"


def test_it_maps_a_bare_video_object_from_flattened_jsonl() -> None:
    post = fixture_posts("videos_flat.jsonl")["7482567890123456789"]
    assert without_raw(post) == Post(
        platform="tiktok",
        post_id="7482567890123456789",
        collected_at=COLLECTED,
        text="Shutdown tracker update: 6 regions offline tonight #KeepItOn",
        url="https://www.tiktok.com/@nettrack_demo/video/7482567890123456789",
        author_handle="nettrack_demo",
        created_at=datetime(2025, 3, 9, 14, 0, tzinfo=UTC),
        hashtags=["keepiton"],
        media=[Media("video")],
        conversation_id="7482567890123456789",
        metrics=Metrics(likes=9, shares=0, replies=0, views=150),
        source=Source(str(FIXTURES / "videos_flat.jsonl"), 2),
        dataset="test-set",
    )


def test_every_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [p for f in sorted(FIXTURES.iterdir()) for p in fixture_posts(f.name).values()]
    assert len(posts) == 9
    assert posts_to_table(posts).num_rows == 9


# --- map_item details ----------------------------------------------------------------------


def test_a_missing_id_is_a_post_error() -> None:
    with pytest.raises(PostError, match="id: missing"):
        video_post({"video_description": "t", "create_time": 1741100400})
    with pytest.raises(PostError, match="id: missing"):
        comment_post({"text": "t", "video_id": 1, "create_time": 1741100400})


def test_the_video_id_key_of_the_api_example_is_read_when_id_is_missing() -> None:
    assert video_post({"video_id": 702874395068494965, "create_time": 1}).post_id == (
        "702874395068494965"
    )


def test_string_ids_are_kept_and_float_ids_refused() -> None:
    assert video_post({"id": "7478123456789012345"}).post_id == "7478123456789012345"
    for value in (7.4e18, True, [1]):
        with pytest.raises(PostError, match=r"^id: "):
            video_post({"id": value})


def test_an_id_too_big_for_64_bits_is_rejected_not_rounded() -> None:
    data = b'{"id": 74781234567890123456789, "video_description": "x", "create_time": 1}\n'
    ((item,),) = [[e for e in FMT.read(memory_source(data, "big.jsonl"), ctx())]]
    assert isinstance(item, Item)
    with pytest.raises(PostError, match="is not an id"):
        FMT.map_item(item, ctx())


def test_bad_create_times_name_the_field_and_the_value() -> None:
    for value in ("2025-03-04", 1.5, True):
        with pytest.raises(PostError, match=r"create_time: .* is not a Unix time"):
            video_post({"id": 1, "create_time": value})
    with pytest.raises(PostError, match=r"create_time: 99999999999999999 is out of range"):
        comment_post({"id": 1, "create_time": 99999999999999999})


def test_wrong_types_name_the_field() -> None:
    with pytest.raises(PostError, match="like_count"):
        video_post({"id": 1, "like_count": -4})
    with pytest.raises(PostError, match="hashtag_names: expected an array"):
        video_post({"id": 1, "hashtag_names": "news"})
    with pytest.raises(PostError, match=r"video_mention_list\[\]"):
        video_post({"id": 1, "video_mention_list": [3]})
    with pytest.raises(PostError, match="parent_comment_id"):
        comment_post({"id": 1, "parent_comment_id": 2.5})


def test_a_video_without_username_has_no_url_and_marks_are_stripped() -> None:
    post = video_post({"id": 5, "hashtag_names": ["#a", "b", "", "#"], "username": None})
    assert (post.url, post.author_handle, post.hashtags) == (None, None, ["a", "b"])
    post = video_post({"id": 5, "username": "@someone", "video_mention_list": ["@x", "y"]})
    assert (post.author_handle, post.mentions) == ("someone", ["x", "y"])


def test_a_top_level_comment_with_parent_zero_or_null_replies_to_nothing() -> None:
    assert comment_post({"id": 1, "video_id": 9, "parent_comment_id": 0}).reply_to is None
    assert comment_post({"id": 1, "video_id": 9, "parent_comment_id": None}).reply_to is None
    assert comment_post({"id": 1, "video_id": 9, "parent_comment_id": 8}).reply_to == "8"


def test_map_item_is_pure() -> None:
    source = file_source(FIXTURES / "comment_list.jsonl")
    items = [e for e in FMT.read(source, ctx()) if isinstance(e, Item)]
    assert [FMT.map_item(i, ctx()) for i in items] == [FMT.map_item(i, ctx()) for i in items]


# --- layouts and bad input -----------------------------------------------------------------


def test_an_error_response_is_a_reject_naming_code_message_and_log_id() -> None:
    error = {
        "data": {},
        "error": {
            "code": "rate_limit_exceeded",
            "message": "API rate limit was exceeded",
            "log_id": "202503101205019A8B7C6D5E4F3A2B1C0D",
        },
    }
    lines = (FIXTURES / "comment_list.jsonl").read_bytes().splitlines(keepends=True)
    data = lines[0] + orjson.dumps(error) + b"\n" + lines[1]
    assert FMT.sniff(Sample("comments.jsonl", orjson.dumps(error)))
    posts, rejects = read_all(memory_source(data, "comments.jsonl"))
    assert [p.source.record for p in posts if p.source] == [1, 1, 1, 3]
    assert [(r.file, r.record, r.reason) for r in rejects] == [
        (
            "comments.jsonl",
            2,
            "an error response: code 'rate_limit_exceeded', message 'API rate limit was "
            "exceeded', log_id '202503101205019A8B7C6D5E4F3A2B1C0D'",
        )
    ]


def test_a_malformed_line_is_rejected_and_the_good_lines_kept() -> None:
    lines = (FIXTURES / "videos_flat.jsonl").read_bytes().splitlines(keepends=True)
    data = lines[0] + b'{"id": 7481, "video_description": "cut\n' + lines[1]
    posts, rejects = read_all(memory_source(data, "mixed.jsonl"))
    assert [p.source.record for p in posts if p.source] == [1, 3]
    (reject,) = rejects
    assert (reject.file, reject.record) == ("mixed.jsonl", 2)
    assert "malformed JSON in line 2" in reject.reason
    assert '"id": 7481' in reject.excerpt


def test_a_truncated_document_is_one_reject_naming_the_line() -> None:
    data = (FIXTURES / "video_query.json").read_bytes()
    BENCH.assert_a_cut_document_is_one_reject(data, "malformed or truncated JSON document")


def test_a_truncated_gz_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    line = (FIXTURES / "videos_flat.jsonl").read_bytes().splitlines(keepends=True)[0]
    BENCH.assert_a_cut_gz_keeps_the_lines_before_the_cut(line, 3000, tmp_path)


def test_bad_records_are_rejected_by_position_and_good_ones_around_are_kept() -> None:
    response = orjson.loads((FIXTURES / "video_query.json").read_bytes())
    good = response["data"]["videos"][0]
    response["data"]["videos"] = [good, {**good, "id": None}, "x", {**good, "create_time": "x"}]
    posts: list[Post] = []
    problems: list[tuple[int, str]] = []
    for entry in FMT.read(memory_source(orjson.dumps(response), "page.json"), ctx()):
        if isinstance(entry, Reject):
            problems.append((entry.record or 0, entry.reason))
            continue
        try:
            posts.append(FMT.map_item(entry, ctx()))
        except PostError as exc:
            problems.append((entry.record, str(exc)))
    assert [p.source.record for p in posts if p.source] == [1]
    assert problems == [
        (2, "id: missing"),
        (3, '"data.videos" holds a string, not an object'),
        (4, "create_time: 'x' is not a Unix time"),
    ]


def test_odd_values_are_rejected_with_a_reason() -> None:
    data = (
        b'{"data": [], "error": {"code": "ok"}}\n'
        b'{"data": {"videos": {}}, "error": "oops"}\n'
        b'{"name": "not tiktok"}\n'
        b'"text"\n'
        b'{"data": {}, "error": {"code": "ok", "message": "", "log_id": "1"}}\n'
    )
    posts, rejects = read_all(memory_source(data, "odd.jsonl"))
    assert posts == []
    assert [(r.record, r.reason) for r in rejects] == [
        (1, '"data" is an array, not an object'),
        (2, '"error" is a string, not an object'),
        (2, '"data.videos" is an object, not a list'),
        (3, "an object that is neither a response nor a video or comment object"),
        (4, "expected a response, a video or a comment, found a string"),
    ]


def test_a_json_array_of_bare_comments_is_read_by_position() -> None:
    comments = fixture_lines("comment_list.jsonl")[0]["data"]["comments"]
    posts, rejects = read_all(memory_source(orjson.dumps(comments), "comments.json"))
    assert rejects == []
    assert [(p.post_id, p.source.record if p.source else 0) for p in posts] == [
        ("7478200000000000001", 1),
        ("7478200000000000002", 2),
        ("7478200000000000003", 3),
    ]
    assert FMT.sniff(Sample("comments.json", orjson.dumps(comments, option=orjson.OPT_INDENT_2)))


def test_a_bom_at_the_start_is_ignored() -> None:
    data = b"\xef\xbb\xbf" + (FIXTURES / "comment_list.jsonl").read_bytes()
    posts, rejects = read_all(memory_source(data, "bom.jsonl"))
    assert (len(posts), rejects) == (4, [])


@pytest.mark.parametrize("name", ["empty.json", "empty.jsonl"])
def test_an_empty_file_gives_no_records(name: str) -> None:
    assert read_all(memory_source(b"", name)) == ([], [])


def test_only_jsonl_files_are_splittable() -> None:
    assert FMT.splittable(memory_source(b"", "a.jsonl"))
    assert not FMT.splittable(memory_source(b"", "a.json"))


# --- sniff -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_sniff_accepts_every_tiktok_fixture(name: str) -> None:
    assert FMT.sniff(Sample(name, (FIXTURES / name).read_bytes()))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("page.txt", (FIXTURES / "video_query.json").read_bytes()),
        ("rows.csv", b"id,video_description,create_time\n1,hi,1741100400\n"),
        ("tweets.jsonl", b'{"id": "1", "text": "hi", "created_at": "2025-03-01T10:00:00.000Z"}\n'),
        ("rows.jsonl", b'{"id": 1, "create_time": 1741100400, "message": "hi"}\n'),
        ("scraped.jsonl", b'{"id": "1", "desc": "hi", "createTime": 1741100400}\n'),
        ("youtube.json", b'{"kind": "youtube#videoListResponse", "items": []}'),
        ("empty.json", b""),
    ],
)
def test_sniff_refuses_what_is_not_tiktok_research(name: str, head: bytes) -> None:
    assert not FMT.sniff(Sample(name, head))


# --- end to end ----------------------------------------------------------------------------


def test_ingest_detects_and_stores_tiktok_exports(project: Settings) -> None:
    summary = ingest([FIXTURES], project, IngestOptions(dataset="tt"))
    assert (summary.read, summary.new, summary.rejected) == (9, 9, 0)
    assert summary.formats == {"tiktok.research.v2": 3}
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute(
        "SELECT post_id, reply_to, hashtags FROM posts WHERE conversation_id = ? "
        "ORDER BY created_at",
        [VIDEO],
    ).fetchall()
    assert rows == [
        (VIDEO, None, ["حرية_التعبير", "حقوق_رقمية"]),
        (TOP_COMMENT, None, []),
        ("7478200000000000002", TOP_COMMENT, []),
        ("7478200000000000003", TOP_COMMENT, []),
        ("7478200000000000004", None, []),
    ]


# --- robustness ----------------------------------------------------------------------------


FIXTURE_ITEMS = BENCH.items(FIXTURES)
FIELDS = [
    "id", "video_id", "create_time", "username", "video_description", "text", "like_count",
    "share_count", "comment_count", "view_count", "reply_count", "hashtag_names",
    "video_mention_list", "parent_comment_id",
]  # fmt: skip


@settings(max_examples=300)
@given(
    item=st.sampled_from(FIXTURE_ITEMS),
    changes=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, min_size=1, max_size=3),
)
def test_value_mutated_records_map_or_raise_record_errors(
    item: Item, changes: dict[str, Any]
) -> None:
    record: TikTokRecord = item.raw
    mutated = Item(item.record, record._replace(record={**record.record, **changes}))
    assert_maps_or_raises_record_error(FMT, mutated, ctx())
