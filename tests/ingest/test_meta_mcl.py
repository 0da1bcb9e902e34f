"""The Meta Content Library format: CSV, JSON and JSONL fixtures field by field, bad input."""

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
from marsad.ingest.formats.meta_mcl import MetaContentLibraryFormat
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.posts import Media, Metrics, Post, PostError, Source, posts_to_table
from marsad.warehouse import Warehouse
from tests.ingest.helpers import (
    JSON_VALUES,
    Bench,
    assert_maps_or_raises_record_error,
    file_source,
)

FIXTURES = Path(__file__).parent / "fixtures" / "meta_mcl"
FB_CSV = FIXTURES / "facebook_posts_export.csv"
IG_JSON = FIXTURES / "instagram_posts.json"
FB_JSONL = FIXTURES / "facebook_api_results.jsonl"
COLLECTED = datetime(2025, 12, 31, 9, 0, tzinfo=UTC)
FMT = MetaContentLibraryFormat()


BENCH = Bench(FMT, COLLECTED, name="mcl.jsonl", map_errors_as_rejects=True)
ctx, memory_source, read_all = BENCH.ctx, BENCH.memory_source, BENCH.read_all
fixture_posts = BENCH.fixture_posts


def map_post(post: dict[str, Any], name: str = "mcl.jsonl") -> Post:
    return BENCH.map_raw(post, name)


IG_POST = orjson.loads(IG_JSON.read_bytes())[0]


# --- fixtures, field by field ----------------------------------------------------------------


def test_it_maps_every_field_of_a_facebook_csv_row() -> None:
    post = fixture_posts(FB_CSV)["mcl:731000000000001"]
    raw = orjson.loads(post.raw or "")
    assert post == Post(
        platform="facebook",
        post_id="mcl:731000000000001",
        collected_at=COLLECTED,
        text="قطع الإنترنت في المنطقة مستمر لليوم الثالث. وثقوا ما يحدث #قطع_الإنترنت",
        url=None,
        author_id="520000000000001",
        author_handle=None,
        author_name="مرصد الشبكة",
        created_at=datetime(2025, 2, 14, 8, 30, tzinfo=UTC),
        urls=["https://shabaka.example/shutdown-day-3"],
        media=[],
        metrics=Metrics(likes=412, shares=88, replies=57, quotes=None, views=15300),
        source=Source(str(FB_CSV), 2),
        dataset="test-set",
        raw=post.raw,
    )
    assert raw["mcl_url"] == "https://www.facebook.com/content-library/posts/731000000000001"
    assert raw["statistics.like_count"] == "350"


def test_a_csv_photo_post_has_its_multimedia_and_a_reshare_points_to_the_original() -> None:
    posts = fixture_posts(FB_CSV)
    photo = posts["mcl:731000000000002"]
    assert photo.media == [Media("photo", "https://scontent.example/demo/731000000000002.jpg")]
    assert photo.metrics == Metrics(likes=96, shares=4, replies=12, views=None)
    assert photo.lang is None
    reshare = posts["mcl:731000000000003"]
    assert reshare.repost_of == "mcl:731000000000001"
    assert reshare.metrics == Metrics(likes=7, shares=None, replies=0)
    assert reshare.source == Source(str(FB_CSV), 4)


def test_it_maps_every_field_of_an_instagram_json_post() -> None:
    post = fixture_posts(IG_JSON)["mcl:741000000000001"]
    assert post == Post(
        platform="instagram",
        post_id="mcl:741000000000001",
        collected_at=COLLECTED,
        text="حسابنا اتقفل بعد ما نشرنا الفيديو. احنا رجعنا #حرية_التعبير #censorship",
        url=None,
        author_id="530000000000001",
        author_handle="haqq.observatory.demo",
        author_name="مرصد حق",
        created_at=datetime(2025, 3, 9, 12, 0, tzinfo=UTC),
        hashtags=["حرية_التعبير", "censorship"],
        media=[Media("photo", "https://scontent.example/demo/741000000000001.jpg")],
        metrics=Metrics(likes=1280, shares=None, replies=41, quotes=None, views=None),
        source=Source(str(IG_JSON), 1),
        dataset="test-set",
        raw=orjson.dumps(IG_POST).decode(),
    )


def test_an_instagram_video_keeps_its_views() -> None:
    post = fixture_posts(IG_JSON)["mcl:741000000000002"]
    assert (post.author_handle, post.lang) == ("shomrim.digital.demo", None)
    assert post.metrics == Metrics(likes=210, replies=9, views=5400)
    assert post.media == [Media("video", None)]
    assert post.created_at == datetime(2025, 10, 30, 17, 20, 45, tzinfo=UTC)


def test_it_maps_api_pages_and_bare_posts_from_json_lines() -> None:
    posts = fixture_posts(FB_JSONL)
    assert list(posts) == ["mcl:731000000000010", "mcl:731000000000011", "mcl:731000000000012"]
    first, second, bare = posts.values()
    assert first == Post(
        platform="facebook",
        post_id="mcl:731000000000010",
        collected_at=COLLECTED,
        text="Our page was restricted after reporting on the blackout.",
        author_id="520000000000010",
        author_name="Open Net Watch",
        created_at=datetime(2025, 4, 1, 10, 0, tzinfo=UTC),
        urls=["https://opennet.example/blackout"],
        metrics=Metrics(likes=230, shares=44, replies=31, views=9100),
        source=Source(str(FB_JSONL), 1),
        dataset="test-set",
        raw=first.raw,
    )
    assert second.metrics == Metrics(likes=58, shares=19, replies=6)
    assert (bare.text, bare.lang, bare.repost_of) == (None, None, "mcl:731000000000010")
    assert [p.source.record for p in posts.values() if p.source] == [1, 1, 2]


def test_every_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [p for f in sorted(FIXTURES.iterdir()) for p in fixture_posts(f).values()]
    assert posts_to_table(posts).num_rows == 8


# --- platform, dates, values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "name", "expected"),
    [
        ({"post_url": "https://www.facebook.com/p/1"}, "x.json", "facebook"),
        ({"post_owner": {"type": "page"}}, "x.json", "facebook"),
        ({"post_owner": {}, "statistics": {"share_count": 1}}, "x.json", "facebook"),
        ({"post_owner": {}, "statistics": {}}, "mcl_instagram_2025.json", "instagram"),
    ],
)
def test_the_platform_is_told_per_post(changes: dict[str, Any], name: str, expected: str) -> None:
    assert map_post({**IG_POST, **changes}, name).platform == expected


def test_a_post_whose_platform_cannot_be_told_is_rejected_unless_the_option_says() -> None:
    post = {"id": "1", "creation_time": "2025-01-01T00:00:00", "text": "t"}
    with pytest.raises(PostError, match="platform: cannot tell"):
        map_post(post)
    forced = FMT.map_item(Item(1, post), ctx(options={"platform": "Instagram"}))
    assert forced.platform == "instagram"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-01T12:00:00+0300", datetime(2025, 3, 1, 9, 0, tzinfo=UTC)),
        ("2025-03-01T12:00:00Z", datetime(2025, 3, 1, 12, 0, tzinfo=UTC)),
        ("2025-03-01 12:00:00", datetime(2025, 3, 1, 12, 0, tzinfo=UTC)),
        (1740830400, datetime(2025, 3, 1, 12, 0, tzinfo=UTC)),
        ("1740830400", datetime(2025, 3, 1, 12, 0, tzinfo=UTC)),
        (None, None),
    ],
)
def test_creation_time_forms(value: Any, expected: datetime | None) -> None:
    assert map_post({**IG_POST, "creation_time": value}).created_at == expected


@pytest.mark.parametrize("value", ["yesterday", "2025-02-30T10:00:00", True, 1.5, [2025]])
def test_a_bad_creation_time_is_a_post_error_naming_the_field(value: Any) -> None:
    with pytest.raises(PostError, match="creation_time"):
        map_post({**IG_POST, "creation_time": value})


@pytest.mark.parametrize("value", [None, "", "  "])
def test_a_missing_id_is_a_post_error(value: Any) -> None:
    with pytest.raises(PostError, match="id: missing"):
        map_post({**IG_POST, "id": value})


def test_numeric_ids_and_wrong_types_in_json() -> None:
    post = map_post({**IG_POST, "id": 741000000000009, "post_owner": {"id": 5, "type": "creator"}})
    assert (post.post_id, post.author_id) == ("mcl:741000000000009", "5")
    with pytest.raises(PostError, match=r"statistics\.like_count"):
        map_post({**IG_POST, "statistics": {"like_count": -4}})
    with pytest.raises(PostError, match="text"):
        map_post({**IG_POST, "text": 42})
    with pytest.raises(PostError, match="hashtags"):
        map_post({**IG_POST, "hashtags": ["ok", 1]})


def test_hashtags_as_text_cells_and_likes_from_single_reactions() -> None:
    post = map_post({**IG_POST, "hashtags": "['حرية', '#rights']"})
    assert post.hashtags == ["حرية", "rights"]
    reactions = {"like_count": 3, "love_count": 2, "angry_count": 1, "share_count": 0}
    facebook = map_post({**IG_POST, "post_owner": {"type": "page"}, "statistics": reactions})
    assert facebook.metrics == Metrics(likes=6, shares=0)


def test_map_item_refuses_an_item_that_is_not_an_object() -> None:
    with pytest.raises(TypeError):
        FMT.map_item(Item(1, ["not", "a", "post"]), ctx())


# --- bad input -------------------------------------------------------------------------------


def test_bad_json_lines_are_rejected_and_good_lines_kept() -> None:
    good = FB_JSONL.read_bytes().splitlines(keepends=True)
    data = good[0] + b'{"id": "9", "creation_time": \n' + b"[1, 2]\n" + good[1]
    posts, rejects = read_all(memory_source(data, "mixed.jsonl"))
    assert [p.source.record for p in posts if p.source] == [1, 1, 4]
    assert [(r.file, r.record) for r in rejects] == [
        ("mixed.jsonl", 2),
        ("mixed.jsonl", 3),
        ("mixed.jsonl", 3),
    ]
    assert "malformed JSON in line 2" in rejects[0].reason
    assert rejects[1].reason == "expected a post object, found a number"


def test_a_post_with_a_bad_date_or_no_id_is_rejected_between_good_ones() -> None:
    posts_in = orjson.loads(IG_JSON.read_bytes())
    no_id = {k: v for k, v in posts_in[0].items() if k != "id"}
    bad_date = {**posts_in[1], "id": "741000000000003", "creation_time": "03/09/2025"}
    data = orjson.dumps([posts_in[0], no_id, bad_date, posts_in[1]])
    posts, rejects = read_all(memory_source(data, "mixed.json"))
    assert [p.source.record for p in posts if p.source] == [1, 4]
    assert [(r.record, r.reason) for r in rejects] == [
        (2, "an object that is neither a post (no id) nor a page of posts (no data)"),
        (3, "creation_time: cannot read '03/09/2025' as a date"),
    ]


def test_a_truncated_json_document_is_one_reject() -> None:
    data = IG_JSON.read_bytes()
    posts, rejects = read_all(memory_source(data[: len(data) // 2], "cut.json"))
    assert posts == []
    (reject,) = rejects
    assert reject.file == "cut.json" and reject.record is not None and reject.record > 1
    assert "malformed or truncated JSON document" in reject.reason


def test_a_csv_row_with_a_wrong_count_or_too_few_fields_is_rejected() -> None:
    header, *rows = FB_CSV.read_bytes().splitlines(keepends=True)
    wrong = rows[0].replace(b",412,", b",many,")
    data = header + wrong + b"731000000000009,2025-01-01T00:00:00\n" + b"".join(rows[1:])
    posts, rejects = read_all(memory_source(data, "m.csv"))
    assert [p.post_id for p in posts] == ["mcl:731000000000002", "mcl:731000000000003"]
    assert [(r.record, r.reason) for r in rejects] == [
        (2, "statistics.reaction_count: 'many' is not a count"),
        (3, "line 3: expected 35 fields, found 2"),
    ]


@pytest.mark.parametrize("name", ["e.json", "e.jsonl", "e.csv"])
def test_an_empty_file_gives_no_records(name: str) -> None:
    assert read_all(memory_source(b"", name)) == ([], [])


# --- sniff -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_sniff_accepts_every_layout(path: Path) -> None:
    assert FMT.sniff(Sample(path.name, path.read_bytes()))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("posts.csv", b"id,text,creation_time\n1,hello,2025-03-01\n"),
        ("rows.jsonl", b'{"id": "1", "text": "hi", "created_time": "2025-03-01"}\n'),
        ("tweets.json", b'{"data": [{"id": "1", "text": "t", "author_id": "2"}]}'),
        ("mcl.txt", FB_CSV.read_bytes()),
        ("ct.csv", b"Page Name,User Name,Facebook Id,Post Created,URL,Type,Message\n"),
    ],
)
def test_sniff_refuses_other_files(name: str, head: bytes) -> None:
    assert not FMT.sniff(Sample(name, head))


def test_only_json_lines_files_are_split_between_workers() -> None:
    assert FMT.splittable(file_source(FB_JSONL))
    assert not FMT.splittable(file_source(FB_CSV))
    assert not FMT.splittable(file_source(IG_JSON))


# --- end to end ------------------------------------------------------------------------------


def test_ingest_detects_every_layout_and_stores_languages(
    project: Settings, tmp_path: Path
) -> None:
    summary = ingest([FIXTURES], project, IngestOptions(dataset="mcl"))
    assert (summary.files, summary.read, summary.new, summary.rejected) == (3, 8, 8, 0)
    assert summary.formats == {"meta.mcl.v1": 3}
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute(
        "SELECT platform, lang FROM posts WHERE post_id IN "
        "('mcl:741000000000002', 'mcl:731000000000003') ORDER BY post_id"
    ).fetchall()
    assert rows == [("facebook", "en"), ("instagram", "he")]


# --- robustness ------------------------------------------------------------------------------


FIXTURE_ITEMS = BENCH.items(FIXTURES)
FIELDS = [
    "id", "creation_time", "text", "lang", "post_owner", "statistics", "hashtags", "multimedia",
    "media_type", "shared_post_id", "post_url", "statistics.views", "post_owner.id",
]  # fmt: skip


@settings(max_examples=300)
@given(
    item=st.sampled_from(FIXTURE_ITEMS),
    changes=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, min_size=1, max_size=3),
)
def test_value_mutated_posts_map_or_raise_record_errors(
    item: Item, changes: dict[str, Any]
) -> None:
    assert_maps_or_raises_record_error(FMT, Item(item.record, {**item.raw, **changes}), ctx())
