"""The YouTube Data API v3 format: fixtures field by field, layouts, bad input, robustness."""

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
from marsad.ingest.formats.youtube import YouTubeV3Format
from marsad.ingest.formats.youtube.reader import YouTubeRecord
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

FIXTURES = Path(__file__).parent / "fixtures" / "youtube"
FMT = YouTubeV3Format()
THREAD = "UgzK7bQm2xVr9sLp4Tn1AaABAg"
VIDEO = "Xq3vR7tLm2A"


BENCH = Bench(FMT, fixtures=FIXTURES)
ctx, memory_source, read_all = BENCH.ctx, BENCH.memory_source, BENCH.read_all
fixture_posts = BENCH.fixture_posts


def fixture_json(name: str) -> Any:
    return orjson.loads((FIXTURES / name).read_bytes())


def comment_post(comment: dict[str, Any], **thread: Any) -> Post:
    return BENCH.map_raw(YouTubeRecord("comment", comment, raw=comment, **thread))


def video_post(video: dict[str, Any]) -> Post:
    return BENCH.map_raw(YouTubeRecord("video", video, raw=video))


# --- fixtures, field by field --------------------------------------------------------------


def test_it_maps_a_top_level_comment_of_a_thread_field_by_field() -> None:
    post = fixture_posts("comment_threads.json")[THREAD]
    assert without_raw(post) == Post(
        platform="youtube",
        post_id=THREAD,
        collected_at=COLLECTED,
        text="تم حذف الفيديو الأصلي من المنصة بعد ساعتين فقط، هذه نسخة محفوظة #حرية_التعبير",
        url=f"https://www.youtube.com/watch?v={VIDEO}&lc={THREAD}",
        author_id="UCa1b2c3d4e5f6g7h8i9j0kL",
        author_handle="rasd-watch",
        author_name=None,
        created_at=datetime(2025, 3, 4, 18, 22, 10, tzinfo=UTC),
        reply_to=None,
        conversation_id=VIDEO,
        metrics=Metrics(likes=42, replies=2),
        source=Source(str(FIXTURES / "comment_threads.json"), 1),
        dataset="test-set",
    )
    thread = fixture_json("comment_threads.json")["items"][0]
    del thread["replies"]
    assert orjson.loads(post.raw or "") == thread


def test_it_maps_a_reply_included_in_a_thread_field_by_field() -> None:
    reply_id = THREAD + ".AJ3kLm9Qr2sAJ3kLn0Xy7Z"
    post = fixture_posts("comment_threads.json")[reply_id]
    assert without_raw(post) == Post(
        platform="youtube",
        post_id=reply_id,
        collected_at=COLLECTED,
        text="גם אצלנו הסרטון נחסם באותו יום. מישהו קיבל הסבר מהפלטפורמה?",
        url=f"https://www.youtube.com/watch?v={VIDEO}&lc={reply_id}",
        author_id="UCz9y8x7w6v5u4t3s2r1q0pO",
        author_handle="mishmar-digital",
        created_at=datetime(2025, 3, 4, 19, 1, 3, tzinfo=UTC),
        reply_to=THREAD,
        conversation_id=VIDEO,
        metrics=Metrics(likes=7),
        source=Source(str(FIXTURES / "comment_threads.json"), 2),
        dataset="test-set",
    )
    replies = fixture_json("comment_threads.json")["items"][0]["replies"]["comments"]
    assert orjson.loads(post.raw or "") == replies[0]


def test_a_thread_yields_its_top_level_comment_then_its_replies_in_order() -> None:
    posts = fixture_posts("comment_threads.json")
    assert [(p.post_id[-6:], p.source.record if p.source else 0) for p in posts.values()] == [
        ("AaABAg", 1),
        ("n0Xy7Z", 2),
        ("q5Hd2W", 3),
        ("AaABAg", 4),
    ]
    arabizi = posts[THREAD + ".AJ3kLm9Qr2sAJ3kLq5Hd2W"]
    assert arabizi.text == "@rasd-watch wallah el video kan mawjood mbare7, shi ghareeb"
    assert arabizi.mentions == []  # the pipeline extracts them from the text


def test_text_original_is_used_not_the_html_text_display() -> None:
    post = fixture_posts("comment_threads.json")["Ugw5cN8rTq1ZyWm3Kd7BAaABAg"]
    assert post.text == (
        "Documenting this: the channel got a strike for posting news footage.\nArchive link below."
    )
    assert post.metrics == Metrics(likes=15, replies=0)


def test_text_display_is_turned_into_plain_text_when_text_original_is_missing() -> None:
    comment = fixture_json("comment_threads.json")["items"][1]["snippet"]["topLevelComment"]
    del comment["snippet"]["textOriginal"]
    comment["snippet"]["textDisplay"] = "a &amp; b<br>see <a href='https://x.example'>this</a>"
    assert comment_post(comment).text == "a & b\nsee this"


def test_it_maps_a_video_field_by_field() -> None:
    post = fixture_posts("videos.json")[VIDEO]
    assert without_raw(post) == Post(
        platform="youtube",
        post_id=VIDEO,
        collected_at=COLLECTED,
        text="انقطاع الإنترنت في المنطقة لليوم الثالث\n\n"
        "تقرير مصور عن انقطاع الاتصالات وتأثيره على الصحفيين.\nللتواصل: tips@rasd.example",
        url=f"https://www.youtube.com/watch?v={VIDEO}",
        author_id="UCq1w2e3r4t5y6u7i8o9p0aZ",
        author_handle=None,
        author_name="مرصد الإعلام الرقمي",
        created_at=datetime(2025, 3, 4, 16, 0, 5, tzinfo=UTC),
        media=[Media("video", f"https://i.ytimg.com/vi/{VIDEO}/maxresdefault.jpg")],
        conversation_id=VIDEO,
        metrics=Metrics(likes=1204, replies=87, views=18342),
        source=Source(str(FIXTURES / "videos.json"), 1),
        dataset="test-set",
    )
    assert orjson.loads(post.raw or "") == fixture_json("videos.json")["items"][0]


def test_a_video_without_description_or_like_count_and_an_old_hebrew_code() -> None:
    post = fixture_posts("videos.json")["Hb8kP2wZc5Q"]
    assert post.text == "הסבר: למה חשבונות של עיתונאים מושעים"
    assert post.lang is None  # YouTube's "iw" stays in raw
    assert post.metrics == Metrics(likes=None, replies=12, views=2210)
    assert post.media == [Media("video", "https://i.ytimg.com/vi/Hb8kP2wZc5Q/hqdefault.jpg")]
    assert post.created_at == datetime(2025, 2, 11, 8, 30, tzinfo=UTC)


def test_jsonl_of_a_comments_list_a_thread_page_and_a_bare_video() -> None:
    posts = fixture_posts("pages.jsonl")
    assert [(p.post_id, p.source.record if p.source else 0) for p in posts.values()] == [
        ("Ugy4HnW2qLx8Zr5Tc1MdAaABAg.9zXy8Wv7Ut69zXy8Wv7Ut6", 1),
        ("Ugy4HnW2qLx8Zr5Tc1MdAaABAg.9zXy8Wv7Ut69zXy8Wv8Ab1", 1),
        ("Ugy4HnW2qLx8Zr5Tc1MdAaABAg", 2),
        ("Zt4mQ8nW1kE", 3),
    ]
    video = posts["Zt4mQ8nW1kE"]
    assert (video.lang, video.author_name, video.metrics) == (
        None,
        "Open Net Lab",
        Metrics(likes=40, views=512),
    )


def test_an_old_display_name_keeps_the_name_and_takes_the_handle_from_the_channel_url() -> None:
    posts = fixture_posts("pages.jsonl")
    named = posts["Ugy4HnW2qLx8Zr5Tc1MdAaABAg.9zXy8Wv7Ut69zXy8Wv7Ut6"]
    assert (named.author_name, named.author_handle) == ("Shomrim Digital", "שומרים")
    assert named.reply_to == "Ugy4HnW2qLx8Zr5Tc1MdAaABAg"
    assert named.conversation_id == "Hb8kP2wZc5Q"
    no_handle = posts["Ugy4HnW2qLx8Zr5Tc1MdAaABAg.9zXy8Wv7Ut69zXy8Wv8Ab1"]
    assert (no_handle.author_name, no_handle.author_handle) == ("Salma K", None)
    assert no_handle.created_at == datetime(2025, 2, 12, 11, 40, 12, tzinfo=UTC)


def test_a_reply_without_a_video_id_has_no_url_and_no_conversation() -> None:
    post = fixture_posts("pages.jsonl")["Ugy4HnW2qLx8Zr5Tc1MdAaABAg.9zXy8Wv7Ut69zXy8Wv8Ab1"]
    assert (post.url, post.conversation_id) == (None, None)
    assert post.reply_to == "Ugy4HnW2qLx8Zr5Tc1MdAaABAg"


def test_a_non_latin_handle_in_author_display_name() -> None:
    post = fixture_posts("pages.jsonl")["Ugy4HnW2qLx8Zr5Tc1MdAaABAg"]
    assert (post.author_handle, post.author_name) == ("עדי", None)
    assert post.metrics == Metrics(likes=24, replies=5)


def test_every_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [p for f in sorted(FIXTURES.iterdir()) for p in fixture_posts(f.name).values()]
    assert len(posts) == 10
    assert posts_to_table(posts).num_rows == 10


# --- map_item details ----------------------------------------------------------------------


def test_a_comment_without_an_id_is_a_post_error() -> None:
    with pytest.raises(PostError, match="id: missing"):
        comment_post({"kind": "youtube#comment", "snippet": {"textOriginal": "t"}})


def test_a_bad_published_at_names_the_field_and_the_value() -> None:
    with pytest.raises(PostError, match=r"snippet\.publishedAt: .*'last week'"):
        comment_post({"id": "c", "snippet": {"publishedAt": "last week"}})
    with pytest.raises(PostError, match=r"snippet\.publishedAt: 1741100400 is not a date"):
        video_post({"id": "v", "snippet": {"publishedAt": 1741100400}})


def test_statistics_strings_must_be_counts() -> None:
    for value in ("-3", "12k", 1.5, True, "", -1):
        with pytest.raises(PostError, match=r"statistics\.viewCount"):
            video_post({"id": "v", "statistics": {"viewCount": value}})
    assert video_post({"id": "v", "statistics": {"viewCount": 7}}).metrics.views == 7


def test_wrong_types_name_the_field() -> None:
    with pytest.raises(PostError, match="snippet: expected an object"):
        comment_post({"id": "c", "snippet": ["x"]})
    with pytest.raises(PostError, match=r"snippet\.textOriginal"):
        comment_post({"id": "c", "snippet": {"textOriginal": 5}})
    with pytest.raises(PostError, match=r"snippet\.likeCount"):
        comment_post({"id": "c", "snippet": {"likeCount": "many"}})


def test_the_thread_video_id_is_used_when_the_comment_lacks_one() -> None:
    post = comment_post({"id": "c1", "snippet": {"textOriginal": "t"}}, video_id="v1")
    assert (post.url, post.conversation_id) == ("https://www.youtube.com/watch?v=v1&lc=c1", "v1")


def test_an_author_channel_id_given_as_a_bare_string_is_kept() -> None:
    post = comment_post({"id": "c", "snippet": {"authorChannelId": "UCold"}})
    assert post.author_id == "UCold"


def test_the_channels_default_language_is_left_for_the_pipeline_to_detect() -> None:
    def lang(code: Any) -> str | None:
        return video_post({"id": "v", "snippet": {"defaultLanguage": code}}).lang

    assert [lang(c) for c in ("en-GB", "iw", "zxx", "fil", "", None, "EN")] == [None] * 7


def test_map_item_is_pure() -> None:
    source = file_source(FIXTURES / "comment_threads.json")
    items = [e for e in FMT.read(source, ctx()) if isinstance(e, Item)]
    assert [FMT.map_item(i, ctx()) for i in items] == [FMT.map_item(i, ctx()) for i in items]


# --- layouts and bad input -----------------------------------------------------------------


def test_a_malformed_line_is_rejected_and_the_good_lines_kept() -> None:
    lines = (FIXTURES / "pages.jsonl").read_bytes().splitlines(keepends=True)
    data = lines[0] + b'{"kind": "youtube#comment", "id": "x\n' + lines[1] + lines[2]
    posts, rejects = read_all(memory_source(data, "mixed.jsonl"))
    assert [p.source.record for p in posts if p.source] == [1, 1, 3, 4]
    (reject,) = rejects
    assert (reject.file, reject.record) == ("mixed.jsonl", 2)
    assert "malformed JSON in line 2" in reject.reason
    assert '"id": "x' in reject.excerpt


def test_a_truncated_document_is_one_reject_naming_the_line() -> None:
    data = (FIXTURES / "comment_threads.json").read_bytes()
    BENCH.assert_a_cut_document_is_one_reject(data, "malformed or truncated JSON document")


def test_a_truncated_gz_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    line = (FIXTURES / "pages.jsonl").read_bytes().splitlines(keepends=True)[1]
    BENCH.assert_a_cut_gz_keeps_the_lines_before_the_cut(line, 3000, tmp_path)


def test_bad_records_are_rejected_by_position_and_good_ones_around_are_kept() -> None:
    page = fixture_json("videos.json")
    good = page["items"][0]
    page["items"] = [good, {**good, "id": None}, 7, {**good, "id": "v3", "snippet": "x"}, good]
    posts: list[Post] = []
    problems: list[tuple[int, str]] = []
    for entry in FMT.read(memory_source(orjson.dumps(page), "page.json"), ctx()):
        if isinstance(entry, Reject):
            problems.append((entry.record or 0, entry.reason))
            continue
        try:
            posts.append(FMT.map_item(entry, ctx()))
        except PostError as exc:
            problems.append((entry.record, str(exc)))
    assert [p.source.record for p in posts if p.source] == [1, 5]
    assert problems == [
        (2, "id: missing"),
        (3, '"items" holds a number, not a resource object'),
        (4, "snippet: expected an object, found a string"),
    ]


def test_an_error_response_is_a_reject_naming_code_and_message() -> None:
    error = {
        "error": {
            "code": 403,
            "message": "The request cannot be completed because you have exceeded your quota.",
            "errors": [{"message": "quota", "domain": "youtube.quota", "reason": "quotaExceeded"}],
        }
    }
    good = (FIXTURES / "pages.jsonl").read_bytes().splitlines(keepends=True)[1]
    data = orjson.dumps(error) + b"\n" + good
    assert FMT.sniff(Sample("page.jsonl", data))
    posts, rejects = read_all(memory_source(data, "page.jsonl"))
    assert [p.post_id for p in posts] == ["Ugy4HnW2qLx8Zr5Tc1MdAaABAg"]
    assert [(r.record, r.reason) for r in rejects] == [
        (
            1,
            "an error response: code 403, message 'The request cannot be completed because "
            "you have exceeded your quota.'",
        ),
    ]


def test_other_kinds_and_odd_values_are_rejected_with_a_reason() -> None:
    data = (
        b'{"kind": "youtube#searchListResponse", "items": [{"kind": "youtube#searchResult"}]}\n'
        b'{"kind": "youtube#commentThreadListResponse", "items": "none"}\n'
        b'{"kind": "youtube#commentThread", "id": "t", "snippet": {}}\n'
        b"[1]\n"
    )
    posts, rejects = read_all(memory_source(data, "odd.jsonl"))
    assert posts == []
    assert [(r.record, r.reason) for r in rejects] == [
        (1, "a resource of kind 'youtube#searchResult', not a video, comment or comment thread"),
        (2, '"items" is a string, not a list of resources'),
        (3, "a comment thread without a snippet.topLevelComment object"),
        (4, "expected a response or a resource object, found a number"),
    ]


def test_resources_saved_without_kind_are_recognised_by_their_snippet() -> None:
    data = orjson.dumps(
        {
            "items": [
                {"id": "v", "snippet": {"title": "t"}},
                {"id": "c", "snippet": {"textOriginal": "hi"}},
                {"id": "t", "snippet": {"videoId": "v", "topLevelComment": {"id": "t"}}},
            ]
        }
    )
    posts, rejects = read_all(memory_source(data, "fields.json"))
    assert rejects == []
    assert [(p.post_id, p.url) for p in posts] == [
        ("v", "https://www.youtube.com/watch?v=v"),
        ("c", None),
        ("t", "https://www.youtube.com/watch?v=v&lc=t"),
    ]


def test_a_json_file_holding_jsonl_is_read_line_by_line() -> None:
    data = (FIXTURES / "pages.jsonl").read_bytes()
    posts, rejects = read_all(memory_source(data, "saved_as.json"))
    assert rejects == []
    assert [p.source.record for p in posts if p.source] == [1, 1, 2, 3]


def test_a_bom_at_the_start_is_ignored() -> None:
    data = b"\xef\xbb\xbf" + (FIXTURES / "pages.jsonl").read_bytes()
    posts, rejects = read_all(memory_source(data, "bom.jsonl"))
    assert (len(posts), rejects) == (4, [])


@pytest.mark.parametrize("name", ["empty.json", "empty.jsonl"])
def test_an_empty_file_gives_no_records(name: str) -> None:
    assert read_all(memory_source(b"", name)) == ([], [])
    assert read_all(memory_source(b"\n \n", name)) == ([], [])


def test_only_jsonl_files_are_splittable() -> None:
    assert FMT.splittable(memory_source(b"", "a.jsonl"))
    assert FMT.splittable(memory_source(b"", "a.NDJSON"))
    assert not FMT.splittable(memory_source(b"", "a.json"))


# --- sniff -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_sniff_accepts_every_youtube_fixture(name: str) -> None:
    assert FMT.sniff(Sample(name, (FIXTURES / name).read_bytes()))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("page.txt", (FIXTURES / "videos.json").read_bytes()),
        ("rows.csv", b"kind,id\nyoutube#video,abc\n"),
        ("tweets.jsonl", b'{"id": "1", "text": "youtube#video", "author_id": "5"}\n'),
        ("config.json", b'{"kind": "drive#file"}'),
        ("error.json", b'{"error": {"code": 401, "errors": [{"domain": "global"}]}}'),
        ("empty.json", b""),
    ],
)
def test_sniff_refuses_what_is_not_youtube(name: str, head: bytes) -> None:
    assert not FMT.sniff(Sample(name, head))


# --- end to end ----------------------------------------------------------------------------


def test_ingest_detects_and_stores_youtube_exports(project: Settings) -> None:
    summary = ingest([FIXTURES], project, IngestOptions(dataset="yt"))
    assert (summary.read, summary.new, summary.rejected) == (10, 10, 0)
    assert summary.formats == {"youtube.v3": 3}
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute(
        "SELECT post_id, lang, reply_to FROM posts WHERE conversation_id = ? ORDER BY created_at",
        [VIDEO],
    ).fetchall()
    assert rows == [
        (VIDEO, "ar", None),
        (THREAD, "ar", None),
        (THREAD + ".AJ3kLm9Qr2sAJ3kLn0Xy7Z", "he", THREAD),
        (THREAD + ".AJ3kLm9Qr2sAJ3kLq5Hd2W", "ar", THREAD),  # Arabizi
        ("Ugw5cN8rTq1ZyWm3Kd7BAaABAg", "en", None),
    ]


# --- robustness ----------------------------------------------------------------------------


FIXTURE_ITEMS = BENCH.items(FIXTURES)
SNIPPET_FIELDS = [
    "videoId", "parentId", "textOriginal", "textDisplay", "authorDisplayName",
    "authorChannelUrl", "authorChannelId", "likeCount", "publishedAt", "title",
    "description", "channelId", "channelTitle", "defaultLanguage", "thumbnails",
]  # fmt: skip


@settings(max_examples=300)
@given(
    item=st.sampled_from(FIXTURE_ITEMS),
    changes=st.dictionaries(st.sampled_from(SNIPPET_FIELDS), JSON_VALUES, min_size=1, max_size=3),
    top=st.dictionaries(st.sampled_from(["id", "snippet", "statistics"]), JSON_VALUES, max_size=1),
    thread=st.tuples(JSON_VALUES, JSON_VALUES),
)
def test_value_mutated_resources_map_or_raise_record_errors(
    item: Item, changes: dict[str, Any], top: dict[str, Any], thread: tuple[Any, Any]
) -> None:
    record: YouTubeRecord = item.raw
    snippet = record.resource.get("snippet") or {}
    resource = {**record.resource, "snippet": {**snippet, **changes}, **top}
    mutated = record._replace(resource=resource, video_id=thread[0], reply_count=thread[1])
    assert_maps_or_raises_record_error(FMT, Item(item.record, mutated), ctx())
