"""The CrowdTangle CSV format: fixtures field by field, dates and zones, ids, bad input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.config import Settings
from marsad.ingest.base import Item, Sample
from marsad.ingest.formats.crowdtangle import CrowdTangleFormat
from marsad.ingest.formats.crowdtangle.reader import facebook_post_id, instagram_post_id
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.posts import Media, Metrics, Post, PostError, Source, posts_to_table
from marsad.warehouse import Warehouse
from tests.ingest.helpers import Bench, assert_maps_or_raises_record_error, file_source

FIXTURES = Path(__file__).parent / "fixtures" / "crowdtangle"
FACEBOOK = FIXTURES / "facebook_historical_2025.csv"
INSTAGRAM = FIXTURES / "instagram_saved_search.csv"
COLLECTED = datetime(2025, 12, 31, 9, 0, tzinfo=UTC)
FMT = CrowdTangleFormat()


BENCH = Bench(FMT, COLLECTED, name="ct.csv", map_errors_as_rejects=True)
ctx, memory_source, read_all = BENCH.ctx, BENCH.memory_source, BENCH.read_all
fixture_posts = BENCH.fixture_posts


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def facebook_row(**changes: str) -> dict[str, str]:
    (item, *_) = BENCH.items(FACEBOOK)
    return {**item.raw, **changes}


def map_row(row: dict[str, str], options: dict[str, str] | None = None) -> Post:
    return FMT.map_item(Item(2, row), ctx(options=options))


# --- fixtures, field by field ----------------------------------------------------------------


def test_it_maps_every_field_of_an_arabic_facebook_link_post() -> None:
    post = fixture_posts(FACEBOOK)["100064000000001_922000000000101"]
    raw = orjson.loads(post.raw or "")
    assert raw["Page Name"] == "مرصد الحقوق الرقمية"
    assert post == Post(
        platform="facebook",
        post_id="100064000000001_922000000000101",
        collected_at=COLLECTED,
        text="تقرير جديد: حذف أكثر من ٣٠٠ منشور لصحفيين خلال أسبوع واحد. اقرأوا التفاصيل "
        "#الحقوق_الرقمية",
        url="https://www.facebook.com/100064000000001/posts/922000000000101",
        author_id="100064000000001",
        author_handle="marsad.huquq.demo",
        author_name="مرصد الحقوق الرقمية",
        created_at=datetime(2025, 3, 1, 14, 22, 5, tzinfo=UTC),  # 09:22:05 EST
        urls=["https://huquq.example/reports/removals-march-2025"],
        metrics=Metrics(likes=1286, shares=130, replies=96, quotes=None, views=None),
        source=Source(str(FACEBOOK), 2),
        dataset="test-set",
        raw=post.raw,
    )
    assert len(raw) == 40 and raw["Total Interactions"] == "1,482"


def test_it_maps_a_hebrew_photo_post_with_a_multiline_message_in_israel_summer_time() -> None:
    post = fixture_posts(FACEBOOK)["100064000000002_922000000000102"]
    assert post.text == 'החשבון של העמותה הושעה שוב.\nכתבנו "ערעור" ומחכים לתשובה #צנזורה'
    assert post.created_at == datetime(2025, 6, 10, 18, 5, tzinfo=UTC)  # 21:05 IDT
    assert post.media == [
        Media("photo", "https://www.facebook.com/shomrei.hareshet.demo/photos/a.1/922000000000102/")
    ]
    assert post.urls == []
    assert post.metrics == Metrics(likes=162, shares=12, replies=40)
    assert post.source == Source(str(FACEBOOK), 3)


def test_a_native_video_gets_its_post_views_and_a_group_post_its_group_id() -> None:
    posts = fixture_posts(FACEBOOK)
    video = posts["100064000000003_922000000000103"]
    assert video.metrics == Metrics(likes=2220, shares=420, replies=310, views=18400)
    assert video.media == [
        Media("video", "https://www.facebook.com/opennetwatch.demo/videos/922000000000103/")
    ]
    assert video.source is not None and video.source.record == 5  # after a 2-line message
    group = posts["200064000000004_922000000000104"]
    assert (group.author_id, group.author_handle, group.author_name) == (
        "200064000000004",
        None,
        "Digital Rights Circle (demo group)",
    )
    assert group.created_at == datetime(2025, 11, 2, 6, 0, tzinfo=UTC)  # +0200
    assert group.text is not None and group.text.startswith("el account tabe3i nsakar")


def test_it_maps_every_field_of_an_instagram_photo_post() -> None:
    post = fixture_posts(INSTAGRAM)["DEmoAbC123x"]
    assert post == Post(
        platform="instagram",
        post_id="DEmoAbC123x",
        collected_at=COLLECTED,
        text="تم حذف حسابنا على منصة أخرى بعد نشر توثيق الهدم. تابعونا هنا #حرية_التعبير "
        "@rasad.media.demo",
        url="https://www.instagram.com/p/DEmoAbC123x/",
        author_id=None,
        author_handle="haqq.observatory.demo",
        author_name="مرصد حق",
        created_at=datetime(2025, 4, 12, 15, 40, 11, tzinfo=UTC),  # 18:40:11 EEST
        media=[Media("photo", "https://scontent.cdninstagram.com/v/demo/DEmoAbC123x.jpg")],
        metrics=Metrics(likes=870, shares=None, replies=35, quotes=None, views=None),
        source=Source(str(INSTAGRAM), 2),
        dataset="test-set",
        raw=post.raw,
    )
    assert orjson.loads(post.raw or "")["Account"] == "مرصد حق"  # the BOM is not in a name


def test_an_instagram_reel_uses_its_title_and_views_and_an_album_has_no_views() -> None:
    posts = fixture_posts(INSTAGRAM)
    reel = posts["DEmoVid456y"]
    assert reel.text == "הסבר קצר"
    assert reel.metrics == Metrics(likes=400, replies=60, views=12345)
    assert reel.media == [
        Media("video", "https://scontent.cdninstagram.com/v/demo/DEmoVid456y.jpg")
    ]
    album = posts["DEmoAlb789z"]
    assert album.created_at == datetime(2025, 12, 21, 4, 59, 59, tzinfo=UTC)
    assert album.metrics.views is None and album.media[0].type == "album"


def test_every_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [*fixture_posts(FACEBOOK).values(), *fixture_posts(INSTAGRAM).values()]
    assert posts_to_table(posts).num_rows == 7


# --- dates, ids, counts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-15 10:00:00 EST", datetime(2025, 1, 15, 15, 0, tzinfo=UTC)),
        ("2025-01-15 10:00:00 IST", datetime(2025, 1, 15, 8, 0, tzinfo=UTC)),
        ("2025-07-15 10:00:00 EEST", datetime(2025, 7, 15, 7, 0, tzinfo=UTC)),
        ("2025-07-15 10:00:00 +03", datetime(2025, 7, 15, 7, 0, tzinfo=UTC)),
        ("2025-07-15 10:00:00 -04:00", datetime(2025, 7, 15, 14, 0, tzinfo=UTC)),
        ("2025-07-15 10:00:00 GMT+3", datetime(2025, 7, 15, 7, 0, tzinfo=UTC)),
        ("2025-07-15 10:00 UTC", datetime(2025, 7, 15, 10, 0, tzinfo=UTC)),
    ],
)
def test_post_created_is_read_in_its_zone(value: str, expected: datetime) -> None:
    assert map_row(facebook_row(**{"Post Created": value})).created_at == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-07-15 10:00:00 XYZT", r"Post Created: unknown time zone 'XYZT'"),
        ("15/07/2025 10:00", r"Post Created: cannot read '15/07/2025 10:00' as a date"),
        ("2025-13-45 10:00:00 UTC", r"Post Created: cannot read"),
        ("2025-07-15 10:00:00", r"Post Created: .* has no time zone"),
        ("", "Post Created: empty"),
    ],
)
def test_an_unreadable_post_created_is_a_post_error_naming_the_column(
    value: str, message: str
) -> None:
    with pytest.raises(PostError, match=message):
        map_row(facebook_row(**{"Post Created": value}))


def test_a_date_without_zone_is_read_in_the_timezone_option() -> None:
    row = facebook_row(**{"Post Created": "2025-07-15 10:00:00"})
    post = map_row(row, {"timezone": "Asia/Jerusalem"})
    assert post.created_at == datetime(2025, 7, 15, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "owner", "expected"),
    [
        ("https://www.facebook.com/123/posts/456", "123", "123_456"),
        ("https://www.facebook.com/somepage/posts/456", "123", "123_456"),
        ("https://www.facebook.com/123/posts/456", "", "123_456"),
        ("https://www.facebook.com/123/videos/456/", None, "123_456"),
        ("https://www.facebook.com/groups/77/permalink/456/", "77", "77_456"),
        ("https://www.facebook.com/permalink.php?story_fbid=456&id=123", None, "123_456"),
        ("https://www.facebook.com/page/photos/a.9/456/", "123", "123_456"),
    ],
)
def test_the_facebook_post_id_is_the_graph_id(url: str, owner: str | None, expected: str) -> None:
    assert facebook_post_id(url, owner) == expected


@pytest.mark.parametrize(
    ("url", "owner", "message"),
    [
        (None, "1", "URL: empty"),
        ("https://www.facebook.com/123/", "1", "URL: no post id"),
        ("https://www.facebook.com/somepage/posts/456", "", "Facebook Id: missing"),
    ],
)
def test_a_facebook_row_without_a_post_id_is_rejected(
    url: str | None, owner: str, message: str
) -> None:
    with pytest.raises(PostError, match=message):
        facebook_post_id(url, owner)


def test_instagram_ids_are_shortcodes() -> None:
    assert instagram_post_id("https://www.instagram.com/tv/CodeX_1-/") == "CodeX_1-"
    with pytest.raises(PostError, match="URL: no Instagram shortcode"):
        instagram_post_id("https://www.instagram.com/haqq.observatory.demo/")


def test_counts_with_separators_na_or_empty_and_bad_counts() -> None:
    post = map_row(facebook_row(Likes="1,000", Love="N/A", Shares="", Comments="7.0"))
    assert post.metrics == Metrics(likes=1000 + 4 + 0 + 33 + 12 + 6, shares=None, replies=7)
    for bad in ("-3", "many", "1.5", "١٢"):
        with pytest.raises(PostError, match="Shares"):
            map_row(facebook_row(Shares=bad))


def test_a_row_without_any_reaction_count_has_unknown_likes() -> None:
    empty = dict.fromkeys(("Likes", "Love", "Wow", "Haha", "Sad", "Angry", "Care"), "")
    assert map_row(facebook_row(**empty)).metrics.likes is None


def test_map_item_refuses_an_item_that_is_not_a_row() -> None:
    with pytest.raises(TypeError):
        FMT.map_item(Item(1, ["not", "a", "row"]), ctx())


# --- bad input -------------------------------------------------------------------------------


def test_bad_rows_are_rejected_naming_file_record_and_reason_and_good_rows_kept() -> None:
    header, first, *rest = lines(FACEBOOK)
    bad_date = first.replace(b"2025-03-01 09:22:05 EST", b"yesterday")
    wrong_count = first.replace(b",1210,", b",lots,").replace(
        b"922000000000101", b"922000000000901"
    )
    no_url = first.replace(b"https://www.facebook.com/100064000000001/posts/922000000000101", b"")
    short = b"only,three,fields\n"
    data = header + bad_date + short + b"".join(rest) + wrong_count + no_url
    posts, rejects = read_all(memory_source(data, "mixed.csv"))
    assert len(posts) == 3
    assert [(r.file, r.record) for r in rejects] == [
        ("mixed.csv", 2),
        ("mixed.csv", 3),
        ("mixed.csv", 8),
        ("mixed.csv", 9),
    ]
    assert "Post Created: cannot read 'yesterday'" in rejects[0].reason
    assert rejects[1].reason == "line 3: expected 40 fields, found 3"
    assert rejects[1].excerpt == "only,three,fields"
    assert "Likes: 'lots' is not a count" in rejects[2].reason
    assert "URL: empty" in rejects[3].reason


def test_a_truncated_file_keeps_the_rows_before_the_cut() -> None:
    data = FACEBOOK.read_bytes()
    cut = data[: data.index(b"Mobile internet") + 20]  # inside a quoted message
    posts, rejects = read_all(memory_source(cut, "cut.csv"))
    assert [p.post_id for p in posts] == [
        "100064000000001_922000000000101",
        "100064000000002_922000000000102",
    ]
    (reject,) = rejects
    assert reject.file == "cut.csv" and reject.record == 5
    assert "expected 40 fields" in reject.reason or "malformed CSV" in reject.reason


def test_invalid_bytes_in_a_row_reject_that_row_only() -> None:
    header, first, *rest = lines(INSTAGRAM)
    damaged = first.replace("مرصد".encode(), b"\xff\xfe")
    posts, rejects = read_all(memory_source(header + damaged + b"".join(rest), "d.csv"))
    assert [p.post_id for p in posts] == ["DEmoVid456y", "DEmoAlb789z"]
    assert [(r.record, r.reason) for r in rejects] == [
        (2, "invalid bytes for the detected encoding in line 2")
    ]


def test_an_empty_file_or_a_header_only_file_gives_no_records() -> None:
    assert read_all(memory_source(b"")) == ([], [])
    assert read_all(memory_source(lines(FACEBOOK)[0])) == ([], [])


# --- sniff -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [FACEBOOK, INSTAGRAM], ids=lambda p: p.name)
def test_sniff_accepts_both_shapes(path: Path) -> None:
    assert FMT.sniff(Sample(path.name, path.read_bytes()))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("posts.csv", b"id,text,date,url\n1,hello,2025-03-01,https://x.example\n"),
        ("ct.tsv", FACEBOOK.read_bytes()),
        ("ct.json", INSTAGRAM.read_bytes()),
        ("mcl.csv", b"id,creation_time,text,post_owner.name\n1,2025-03-01T10:00:00,t,n\n"),
        ("empty.csv", b""),
    ],
)
def test_sniff_refuses_other_files(name: str, head: bytes) -> None:
    assert not FMT.sniff(Sample(name, head))


def test_files_are_not_split_between_workers() -> None:
    assert not FMT.splittable(file_source(FACEBOOK))


# --- end to end ------------------------------------------------------------------------------


def test_ingest_detects_both_exports_and_stores_their_posts(
    project: Settings, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    for path in (FACEBOOK, INSTAGRAM):
        (exports / path.name).write_bytes(path.read_bytes())
    summary = ingest([exports], project, IngestOptions(dataset="ct"))
    assert (summary.files, summary.read, summary.new, summary.rejected) == (2, 7, 7, 0)
    assert summary.formats == {"crowdtangle.v1": 2}
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute(
        "SELECT platform, count(*) FROM posts GROUP BY platform ORDER BY platform"
    ).fetchall()
    assert rows == [("facebook", 4), ("instagram", 3)]


# --- robustness ------------------------------------------------------------------------------


FIXTURE_ROWS = [e.raw for e in BENCH.items(FACEBOOK, INSTAGRAM)]
COLUMNS = ["URL", "Post Created", "Facebook Id", "Likes", "Shares", "Views", "Type", "Message"]


@settings(max_examples=300)
@given(
    row=st.sampled_from(FIXTURE_ROWS),
    changes=st.dictionaries(st.sampled_from(COLUMNS), st.text(max_size=40), max_size=4),
)
def test_value_mutated_rows_map_or_raise_record_errors(
    row: dict[str, str], changes: dict[str, str]
) -> None:
    assert_maps_or_raises_record_error(FMT, Item(2, {**row, **changes}), ctx())
