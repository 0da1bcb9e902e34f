"""The Bluesky API format: searchPosts, getAuthorFeed and getPostThread responses field by
field, bad input, detection, and an import end to end."""

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
from marsad.ingest.formats.bluesky import BlueskyApiFormat
from marsad.ingest.formats.bluesky.reader import BskyRecord
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.posts import Media, Metrics, Post, PostError, Source, posts_to_table
from marsad.warehouse import Warehouse
from tests.ingest.helpers import Bench, assert_maps_or_raises_record_error, json_values

FIXTURES = Path(__file__).parent / "fixtures" / "bluesky"
SEARCH = FIXTURES / "search_posts.json"
COLLECTOR = FIXTURES / "search_collector.jsonl"
FEED = FIXTURES / "author_feed.json"
THREAD = FIXTURES / "post_thread.json"
COLLECTED = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
FMT = BlueskyApiFormat()

RASAD = "did:plc:r4s4dm0n1t0rxx2025aaaaa"
SHOMRIM = "did:plc:sh0mr1md1g1t4l2025bbbbb"
NETWATCH = "did:plc:n3tw4tch0bs3rv3r2025cc"
GONE = "did:plc:g0n3acc0unt2025dddddddd"
ROOT = f"at://{RASAD}/app.bsky.feed.post/3lb2xk7qzsa2a"
REPLY = f"at://{SHOMRIM}/app.bsky.feed.post/3lb2yq4mndc2k"
QUOTE = f"at://{NETWATCH}/app.bsky.feed.post/3lb3abc2def2x"
REPORT = f"at://{NETWATCH}/app.bsky.feed.post/3ld1aaa2bbb2c"
VIDEO = f"at://{NETWATCH}/app.bsky.feed.post/3ld1ccc2ddd2e"
THANKS = f"at://{RASAD}/app.bsky.feed.post/3ld2eee2fff2g"


BENCH = Bench(FMT, COLLECTED, name="f.json")
ctx, memory_source, read_all = BENCH.ctx, BENCH.memory_source, BENCH.read_all
fixture_posts = BENCH.fixture_posts


def view_post(view: dict[str, Any]) -> Post:
    return BENCH.map_raw(BskyRecord(view, None))


def first_view() -> dict[str, Any]:
    view = orjson.loads(SEARCH.read_bytes())["posts"][0]
    assert isinstance(view, dict)
    return view


# --- fixtures, field by field --------------------------------------------------------------------


def test_it_maps_an_arabic_post_with_an_image_a_link_and_a_hashtag() -> None:
    post = fixture_posts(SEARCH)[ROOT]
    assert post == Post(
        platform="bluesky",
        post_id=ROOT,
        collected_at=COLLECTED,
        text="حجب موقع إخباري جديد اليوم. التقرير: reports.example/block-2025 #حرية_التعبير",
        url="https://bsky.app/profile/rasad-monitor.bsky.social/post/3lb2xk7qzsa2a",
        author_id=RASAD,
        author_handle="rasad-monitor.bsky.social",
        author_name="مرصد الحقوق الرقمية",
        created_at=datetime(2025, 3, 10, 8, 12, 30, 511000, tzinfo=UTC),
        hashtags=["حرية_التعبير"],
        mentions=[],
        urls=["https://reports.example/block-2025"],
        media=[
            Media(
                "image",
                f"https://cdn.bsky.app/img/feed_fullsize/plain/{RASAD}/bafkreiblockpageimage2025@jpeg",
            )
        ],
        conversation_id=ROOT,
        metrics=Metrics(likes=57, shares=21, replies=4, quotes=2, views=None),
        source=Source(str(SEARCH), 1),
        dataset="test-set",
        raw=post.raw,
    )
    assert orjson.loads(post.raw or "")["cid"].startswith("bafyreih3lb2xk7qzsa2a")


def test_a_hebrew_reply_names_its_parent_root_and_the_mentioned_handle() -> None:
    post = fixture_posts(SEARCH)[REPLY]
    assert post == Post(
        platform="bluesky",
        post_id=REPLY,
        collected_at=COLLECTED,
        text="@rasad-monitor.bsky.social גם אצלנו האתר חסום מהבוקר",
        url="https://bsky.app/profile/shomrim.bsky.social/post/3lb2yq4mndc2k",
        author_id=SHOMRIM,
        author_handle="shomrim.bsky.social",
        author_name="שומרים דיגיטליים",
        created_at=datetime(2025, 3, 10, 9, 1, tzinfo=UTC),  # written +02:00
        mentions=["rasad-monitor.bsky.social"],
        reply_to=ROOT,
        conversation_id=ROOT,
        metrics=Metrics(likes=3, shares=0, replies=0, quotes=0),
        source=Source(str(SEARCH), 2),
        dataset="test-set",
        raw=post.raw,
    )


def test_a_quote_post_points_to_the_quoted_uri_and_two_languages_give_none() -> None:
    post = fixture_posts(SEARCH)[QUOTE]
    assert post.quote_of == ROOT
    assert (post.lang, post.media, post.urls) == (None, [], [])
    assert post.conversation_id == QUOTE
    assert post.metrics == Metrics(likes=12, shares=5, replies=0, quotes=0)


def test_collector_lines_number_records_by_line_and_skip_empty_responses() -> None:
    posts = fixture_posts(COLLECTOR)
    assert [p.source.record for p in posts.values() if p.source] == [1, 2]
    arabizi, gone = posts.values()
    assert arabizi.text == "el account bta3i et2afal men gher sabab #shadowban"
    assert (arabizi.hashtags, arabizi.lang) == (["shadowban"], None)
    assert gone == Post(
        platform="bluesky",
        post_id=f"at://{GONE}/app.bsky.feed.post/3lc7bcde3fg2h",
        collected_at=COLLECTED,
        text="הודעה: האתר חזר לפעול",
        url=f"https://bsky.app/profile/{GONE}/post/3lc7bcde3fg2h",
        author_id=GONE,
        author_handle=None,  # handle.invalid
        author_name=None,
        created_at=datetime(2025, 6, 2, 11, 30, tzinfo=UTC),
        conversation_id=f"at://{GONE}/app.bsky.feed.post/3lc7bcde3fg2h",
        metrics=Metrics(likes=0, shares=0, replies=0, quotes=0),
        source=Source(str(COLLECTOR), 2),
        dataset="test-set",
        raw=gone.raw,
    )


def test_an_author_feed_post_with_a_quote_and_a_link_card() -> None:
    post = fixture_posts(FEED)[REPORT]
    assert post == Post(
        platform="bluesky",
        post_id=REPORT,
        collected_at=COLLECTED,
        text="Report: how platforms removed posts during the shutdown",
        url="https://bsky.app/profile/netwatch.example.org/post/3ld1aaa2bbb2c",
        author_id=NETWATCH,
        author_handle="netwatch.example.org",
        author_name="NetWatch Observatory",
        created_at=datetime(2025, 4, 1, 7, 0, tzinfo=UTC),
        urls=["https://netwatch.example.org/reports/removals"],
        quote_of=REPLY,
        conversation_id=REPORT,
        metrics=Metrics(likes=40, shares=11, replies=2, quotes=1),
        source=Source(str(FEED), 1),
        dataset="test-set",
        raw=post.raw,
    )
    assert set(orjson.loads(post.raw or "")) == {"post"}


def test_a_feed_reply_with_a_video_keeps_its_thread_and_the_reply_context_in_raw() -> None:
    post = fixture_posts(FEED)[VIDEO]
    assert (post.reply_to, post.conversation_id) == (REPLY, ROOT)
    assert post.media == [
        Media(
            "video",
            f"https://video.bsky.app/watch/{NETWATCH}/bafkreivideoprotest2025/playlist.m3u8",
        )
    ]
    assert set(orjson.loads(post.raw or "")) == {"post", "reply"}


def test_a_repost_in_an_author_feed_is_the_reposted_post_itself() -> None:
    post = fixture_posts(FEED)[ROOT]
    assert (post.author_id, post.repost_of, post.source) == (RASAD, None, Source(str(FEED), 3))
    reason = orjson.loads(post.raw or "")["reason"]
    assert reason["$type"] == "app.bsky.feed.defs#reasonRepost"
    assert reason["by"]["did"] == NETWATCH


def test_a_thread_is_flattened_root_first_without_deleted_or_blocked_posts() -> None:
    posts = fixture_posts(THREAD)
    assert list(posts) == [ROOT, REPLY, VIDEO, THANKS]
    assert [p.source.record for p in posts.values() if p.source] == [1, 2, 3, 4]
    thanks = posts[THANKS]
    assert (thanks.text, thanks.reply_to, thanks.conversation_id) == (
        "شكراً على التوثيق",
        VIDEO,
        ROOT,
    )
    assert thanks.metrics == Metrics(likes=0, shares=0, replies=0, quotes=0)


def test_every_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [p for f in sorted(FIXTURES.iterdir()) for p in fixture_posts(f).values()]
    assert len(posts) == 12
    assert posts_to_table(posts).num_rows == 12


# --- map_item details ----------------------------------------------------------------------------


def test_a_mention_whose_byte_range_is_not_the_handle_falls_back_to_the_did() -> None:
    view = first_view()
    view["record"] = {
        "text": "hi @x.bsky.social",
        "facets": [
            {"index": {"byteStart": 0, "byteEnd": 2}, "features": [_mention("did:plc:x")]},
            {"index": {"byteStart": 3, "byteEnd": 999}, "features": [_mention("did:plc:y")]},
            {"index": {"byteStart": "3"}, "features": [_mention("did:plc:z")]},
        ],
    }
    assert view_post(view).mentions == ["did:plc:x", "x.bsky.social", "did:plc:z"]


def _mention(did: str) -> dict[str, str]:
    return {"$type": "app.bsky.richtext.facet#mention", "did": did}


def test_a_record_embed_is_used_when_the_view_has_none() -> None:
    view = first_view()
    del view["embed"]
    assert view_post(view).media == [Media("image", None)]


def test_created_at_falls_back_to_indexed_at() -> None:
    view = first_view()
    del view["record"]["createdAt"]
    assert view_post(view).created_at == datetime(2025, 3, 10, 8, 12, 30, 511000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"uri": None}, "uri: missing"),
        ({"uri": "https://bsky.app/profile/x/post/1"}, "uri: .* is not an at:// URI"),
        ({"likeCount": -3}, "likeCount"),
        ({"author": "someone"}, "author: expected an object"),
        ({"record": {"text": 7}}, "record.text"),
        ({"record": {"createdAt": "10/03/2025"}}, "record.createdAt: cannot parse '10/03/2025'"),
        ({"embed": {"$type": "app.bsky.embed.images#view", "images": {}}}, "embed.images"),
    ],
)
def test_bad_values_are_post_errors_naming_the_field(change: dict[str, Any], message: str) -> None:
    with pytest.raises(PostError, match=message):
        view_post({**first_view(), **change})


# --- layouts and bad input -----------------------------------------------------------------------


def test_a_malformed_line_is_rejected_and_the_lines_around_it_kept() -> None:
    lines = COLLECTOR.read_bytes().splitlines(keepends=True)
    data = lines[0] + b'{"posts": [{"uri": "at://did:plc:q/app.bsky.feed.post/1"\n' + lines[1]
    posts, rejects = read_all(memory_source(data, "mixed.jsonl"))
    assert [p.source.record for p in posts if p.source] == [1, 3]
    (reject,) = rejects
    assert (reject.file, reject.record) == ("mixed.jsonl", 2)
    assert "malformed JSON in line 2" in reject.reason
    assert "did:plc:q" in reject.excerpt


def test_a_truncated_document_is_one_reject() -> None:
    data = THREAD.read_bytes()
    BENCH.assert_a_cut_document_is_one_reject(data, "truncated")


def test_parts_that_are_not_posts_are_rejected_by_position() -> None:
    good = first_view()
    data = orjson.dumps([{"posts": "none"}, {"feed": [{"reason": {}}]}, 7, {"cursor": "x"}, good])
    posts, rejects = read_all(memory_source(data, "odd.json"))
    assert [(p.post_id, p.source) for p in posts] == [(ROOT, Source("odd.json", 5))]
    assert [(r.record, r.reason) for r in rejects] == [
        (1, '"posts" is a string, not a list of posts'),
        (2, "a feed item without a post object"),
        (3, "expected a response, a post or a feed item, found a number"),
        (4, "an object that is neither a response (posts, feed, thread) nor a post"),
    ]


def test_author_feed_pages_saved_one_a_line_are_read_with_line_numbers() -> None:
    data = orjson.dumps(orjson.loads(FEED.read_bytes())) + b"\n"
    data += orjson.dumps({"feed": [], "cursor": None}) + b"\n" + data
    posts, rejects = read_all(memory_source(data, "pages/000001.jsonl"))
    assert rejects == []
    assert [(p.post_id, p.source.record) for p in posts if p.source] == [
        (REPORT, 1),
        (VIDEO, 1),
        (ROOT, 1),
        (REPORT, 3),
        (VIDEO, 3),
        (ROOT, 3),
    ]


def test_a_json_file_holding_json_lines_is_read_line_by_line() -> None:
    posts, rejects = read_all(memory_source(COLLECTOR.read_bytes(), "saved_as.json"))
    assert rejects == []
    assert [p.source.record for p in posts if p.source] == [1, 2]


@pytest.mark.parametrize("name", ["empty.json", "empty.jsonl"])
def test_an_empty_file_gives_no_records(name: str) -> None:
    assert read_all(memory_source(b"", name)) == ([], [])
    assert read_all(memory_source(b"\n \n", name)) == ([], [])


def test_jsonl_is_splittable_and_a_json_document_is_not() -> None:
    assert FMT.splittable(memory_source(b"", "s.jsonl"))
    assert FMT.splittable(memory_source(b"", "s.ndjson"))
    assert not FMT.splittable(memory_source(b"", "s.json"))


# --- sniff ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_sniff_accepts_every_bluesky_fixture(path: Path) -> None:
    assert FMT.sniff(Sample(path.name, path.read_bytes()))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("tweets.json", (FIXTURES.parent / "x_v2" / "search_recent_ar.json").read_bytes()),
        ("toots.json", (FIXTURES.parent / "mastodon_api" / "tag_timeline.json").read_bytes()),
        ("rows.jsonl", b'{"id": 1, "text": "hi at://nothing"}\n'),
        ("search.txt", SEARCH.read_bytes()),
        ("4cat.ndjson", b'{"__import_meta": {}, "uri": "at://did:plc:a/app.bsky.feed.post/1"}'),
        ("empty.json", b""),
    ],
)
def test_sniff_refuses_what_is_not_bluesky(name: str, head: bytes) -> None:
    assert not FMT.sniff(Sample(name, head))


def test_sniff_accepts_an_empty_search_response() -> None:
    assert FMT.sniff(Sample("s.json", b'{"posts": [], "hitsTotal": 0}'))


# --- end to end ----------------------------------------------------------------------------------


def test_search_feed_and_thread_import_as_one_set_of_posts(project: Settings) -> None:
    summary = ingest([FIXTURES], project, IngestOptions(dataset="bsky"))
    assert summary.formats == {"bluesky.api.v1": 4}
    assert (summary.read, summary.rejected, summary.new) == (12, 0, 8)
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute(
        "SELECT post_id, lang, hashtags, reply_to FROM posts WHERE platform = 'bluesky' "
        "AND conversation_id = ? ORDER BY created_at",
        [ROOT],
    ).fetchall()
    assert rows == [
        (ROOT, "ar", ["حرية_التعبير"], None),
        (REPLY, "he", [], ROOT),
        (VIDEO, "en", [], REPLY),
        (THANKS, "ar", [], VIDEO),
    ]


# --- robustness of map_item ----------------------------------------------------------------------

JSON_VALUES = json_values(floats=False)
ITEMS = BENCH.items(FIXTURES)
FIELDS = ["uri", "author", "record", "embed", "likeCount", "indexedAt"]
RECORD_FIELDS = ["text", "createdAt", "langs", "facets", "reply", "embed"]


@settings(max_examples=200)
@given(
    item=st.sampled_from(ITEMS),
    changes=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=2),
    record_changes=st.dictionaries(st.sampled_from(RECORD_FIELDS), JSON_VALUES, max_size=3),
)
def test_value_mutated_posts_map_or_raise_record_errors(
    item: Item, changes: dict[str, Any], record_changes: dict[str, Any]
) -> None:
    post, wrapper = item.raw
    record = post.get("record")
    mutated = {**post, "record": {**record, **record_changes}, **changes}
    mutated_item = Item(item.record, BskyRecord(mutated, wrapper))
    assert_maps_or_raises_record_error(FMT, mutated_item, ctx())
