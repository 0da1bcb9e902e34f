"""The 4CAT format: CSV downloads, Zeeschuimer NDJSON and 4CAT NDJSON, field by field."""

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
from marsad.ingest.formats.fourcat import FourCatFormat
from marsad.ingest.formats.fourcat.csv_reader import CsvRecord
from marsad.ingest.formats.fourcat.ndjson_reader import ZsRecord
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.posts import Media, Metrics, Post, PostError, Source, posts_to_table
from marsad.warehouse import Warehouse
from tests.ingest.helpers import (
    COLLECTED,
    JSON_VALUES,
    Bench,
    assert_maps_or_raises_record_error,
    raw_of,
)

FIXTURES = Path(__file__).parent / "fixtures" / "fourcat"
FMT = FourCatFormat()
TIKTOK_ZS = "zeeschuimer-export-tiktok.com-2025-03-05T100000.ndjson"
INSTAGRAM_ZS = "zeeschuimer-export-instagram.com-2025-03-05T110000.ndjson"
TIKTOK_4CAT = "tiktok-shutdowns-2c5e8b0f3a.ndjson"
TIKTOK_CSV = "tiktok-shutdowns-9f1c2d3e4b.csv"
TELEGRAM_CSV = "telegram-qanat-8c1d0e7f2a.csv"
INSTAGRAM_CSV = "instagram-huquq-5b7e21aa90.csv"
HEADER = "id,thread_id,subject,body,author,timestamp,unix_timestamp,likes"


BENCH = Bench(FMT, fixtures=FIXTURES)
ctx, memory_source, read_all = BENCH.ctx, BENCH.memory_source, BENCH.read_all
fixture_posts = BENCH.fixture_posts


def lines(name: str) -> list[bytes]:
    return (FIXTURES / name).read_bytes().splitlines(keepends=True)


def csv_posts(text: str, name: str = "posts-abc.csv") -> tuple[list[Post], list[Reject]]:
    return read_all(memory_source(text.encode(), name))


# --- Zeeschuimer TikTok ----------------------------------------------------------------------


def test_it_maps_every_field_of_a_zeeschuimer_tiktok_video() -> None:
    post = fixture_posts(TIKTOK_ZS)["7476543210987654321"]
    assert post == Post(
        platform="tiktok",
        post_id="7476543210987654321",
        collected_at=COLLECTED,
        text="حذفوا الفيديو الأول عن حجب الإنترنت، هذه نسخة ثانية لمن فاته التوثيق "
        "#حرية_الإنترنت #حقوق_رقمية",
        url="https://www.tiktok.com/@sawt_alraqmi/video/7476543210987654321",
        author_id="6900000000000000001",
        author_handle="sawt_alraqmi",
        author_name="صوت رقمي",
        created_at=datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC),
        hashtags=["حرية_الإنترنت", "حقوق_رقمية"],
        media=[
            Media(
                "video",
                "https://p16-sign.tiktokcdn.example/obj/cover-7476543210987654321.image"
                "?x-expires=1741100000",
            )
        ],
        metrics=Metrics(likes=1520, shares=88, replies=64, quotes=None, views=40210),
        source=Source(str(FIXTURES / TIKTOK_ZS), 1),
        dataset="test-set",
        raw=post.raw,
    )
    raw = raw_of(post)
    assert (raw["source_platform"], raw["item_id"], raw["data"]["id"]) == (
        "tiktok.com",
        "7476543210987654321",
        "7476543210987654321",
    )


def test_a_duet_quotes_its_original_and_takes_missing_counts_from_stats_v2() -> None:
    post = fixture_posts(TIKTOK_ZS)["7476543210987654322"]
    assert post.quote_of == "7476543210987654321"
    assert post.metrics == Metrics(likes=230, shares=12, replies=41, views=9870)
    assert post.mentions == ["sawt_alraqmi"]
    assert post.hashtags == ["צנזורה"]
    assert (post.author_handle, post.author_name) == ("shomrei_reshet", "שומרי רשת")
    assert post.created_at == datetime(2025, 3, 1, 18, 5, tzinfo=UTC)
    assert post.source is not None and post.source.record == 2


def test_a_photo_post_keeps_its_images_and_a_string_create_time() -> None:
    post = fixture_posts(TIKTOK_ZS)["7476543210987654323"]
    assert post.media == [
        Media("photo", "https://p16-sign.tiktokcdn.example/tos-photo/outage-map-1.jpeg"),
        Media("photo", "https://p16-sign.tiktokcdn.example/tos-photo/outage-map-2.jpeg"),
    ]
    assert post.created_at == datetime(2025, 3, 2, 7, 0, tzinfo=UTC)
    assert (
        post.text
        == "Internet shutdown day 3 - wala net wala shi. Documenting every outage #KeepItOn"
    )
    assert (post.quote_of, post.reply_to, post.repost_of) == (None, None, None)


def test_a_4cat_ndjson_download_with_import_meta_maps_like_zeeschuimer() -> None:
    posts = fixture_posts(TIKTOK_4CAT)
    assert list(posts) == ["7477000000000000004", "7477000000000000005"]
    post = posts["7477000000000000004"]
    assert post == Post(
        platform="tiktok",
        post_id="7477000000000000004",
        collected_at=COLLECTED,
        text="منشور عن تعليق حسابات الصحفيين، شاركوه قبل ما ينحذف #تعليق_الحسابات",
        url="https://www.tiktok.com/@sawt_alraqmi/video/7477000000000000004",
        author_id="6900000000000000001",
        author_handle="sawt_alraqmi",
        author_name="صوت رقمي",
        created_at=datetime(2025, 3, 6, 12, 0, tzinfo=UTC),
        hashtags=["تعليق_الحسابات"],
        media=[
            Media(
                "video",
                "https://p16-sign.tiktokcdn.example/obj/cover-7477000000000000004.image"
                "?x-expires=1741100000",
            )
        ],
        metrics=Metrics(likes=2210, shares=340, replies=130, views=61000),
        source=Source(str(FIXTURES / TIKTOK_4CAT), 1),
        dataset="test-set",
        raw=post.raw,
    )
    assert raw_of(post)["__import_meta"]["source_platform"] == "tiktok.com"


# --- Zeeschuimer Instagram -------------------------------------------------------------------


def test_it_maps_every_field_of_a_zeeschuimer_instagram_photo() -> None:
    post = fixture_posts(INSTAGRAM_ZS)["DGx1AbCdEfG"]
    assert post == Post(
        platform="instagram",
        post_id="DGx1AbCdEfG",
        collected_at=COLLECTED,
        text="تقرير جديد: أكثر من ٤٠ حساباً لصحفيين تم تعليقها هذا الشهر. "
        "التفاصيل في الرابط بالبايو #حرية_التعبير",
        url="https://www.instagram.com/p/DGx1AbCdEfG/",
        author_id="5500000001",
        author_handle="manassa_huquq",
        author_name="منصة حقوق",
        created_at=datetime(2025, 3, 3, 8, 0, tzinfo=UTC),
        media=[
            Media(
                "photo", "https://scontent.cdninstagram.example/v/t51.29350-15/manassa_report_n.jpg"
            )
        ],
        metrics=Metrics(likes=412, replies=37),
        source=Source(str(FIXTURES / INSTAGRAM_ZS), 1),
        dataset="test-set",
        raw=post.raw,
    )
    assert raw_of(post)["data"]["code"] == "DGx1AbCdEfG"


def test_an_instagram_reel_counts_plays_as_views() -> None:
    post = fixture_posts(INSTAGRAM_ZS)["DGy2HiJkLmN"]
    assert post.metrics == Metrics(likes=980, replies=65, views=15200)
    assert post.media == [
        Media("video", "https://scontent.cdninstagram.example/v/t51.29350-15/lev_reel_cover_n.jpg")
    ]
    assert post.text == "הפוסט שלנו על חסימת האתרים נמחק פעמיים. מעלים שוב #זכויות_דיגיטליות"


def test_an_instagram_carousel_without_caption_lists_each_slide() -> None:
    post = fixture_posts(INSTAGRAM_ZS)["DGz3OpQrStU"]
    assert post.text is None
    assert [m.type for m in post.media] == ["photo", "video"]
    assert post.metrics == Metrics(likes=75)


def test_an_instagram_ad_or_an_item_without_code_is_a_post_error() -> None:
    item = orjson.loads(lines(INSTAGRAM_ZS)[0])["data"]
    with pytest.raises(PostError, match="product_type: an Instagram ad"):
        FMT.map_item(Item(1, ZsRecord("instagram", {**item, "product_type": "ad"}, {})), ctx("f"))
    graph = {k: v for k, v in item.items() if k != "code"} | {"shortcode": "X"}
    with pytest.raises(PostError, match=r"code: missing .*shortcode"):
        FMT.map_item(Item(1, ZsRecord("instagram", graph, {})), ctx("f"))


# --- 4CAT CSV ----------------------------------------------------------------------------------


def test_it_maps_every_field_of_a_4cat_tiktok_csv_row() -> None:
    post = fixture_posts(TIKTOK_CSV)["7476543210987654321"]
    assert post == Post(
        platform="tiktok",
        post_id="7476543210987654321",
        collected_at=COLLECTED,
        text="حذفوا الفيديو الأول عن حجب الإنترنت، هذه نسخة ثانية لمن فاته التوثيق "
        "#حرية_الإنترنت #حقوق_رقمية",
        url="https://www.tiktok.com/@sawt_alraqmi/video/7476543210987654321",
        author_id=None,
        author_handle="sawt_alraqmi",
        author_name="صوت رقمي",
        created_at=datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC),
        hashtags=["حرية_الإنترنت", "حقوق_رقمية"],
        metrics=Metrics(likes=1520, shares=88, replies=64, quotes=None, views=40210),
        source=Source(str(FIXTURES / TIKTOK_CSV), 3),
        dataset="test-set",
        raw=post.raw,
    )
    assert raw_of(post)["music_name"] == "original sound - sawt_alraqmi"


def test_csv_and_ndjson_of_the_same_tiktok_video_share_platform_and_id() -> None:
    from_csv = fixture_posts(TIKTOK_CSV)["7477000000000000004"]
    from_ndjson = fixture_posts(TIKTOK_4CAT)["7477000000000000004"]
    assert (from_csv.platform, from_csv.post_id, from_csv.url) == (
        from_ndjson.platform,
        from_ndjson.post_id,
        from_ndjson.url,
    )


def test_it_maps_every_field_of_a_4cat_telegram_channel_post() -> None:
    post = fixture_posts(TELEGRAM_CSV)["sada_alhaqiqa/1042"]
    assert post == Post(
        platform="telegram",
        post_id="sada_alhaqiqa/1042",
        collected_at=COLLECTED,
        text="عاجل: انقطاع الإنترنت في عدة مدن منذ الصباح.\n"
        "نرجو من المتابعين توثيق أوقات الانقطاع وإرسالها لنا.",
        url="https://t.me/sada_alhaqiqa/1042",
        author_id="1500012345",
        author_handle="sada_alhaqiqa",
        author_name="صدى الحقيقة",
        created_at=datetime(2025, 3, 4, 8, 15, tzinfo=UTC),
        metrics=Metrics(views=15230),
        source=Source(str(FIXTURES / TELEGRAM_CSV), 2),
        dataset="test-set",
        raw=post.raw,
    )
    assert raw_of(post)["reactions"] == "👍👍👍🔥"


def test_a_telegram_reply_points_to_its_message_in_the_same_chat() -> None:
    post = fixture_posts(TELEGRAM_CSV)["sada_alhaqiqa/1043"]
    assert post.reply_to == "sada_alhaqiqa/1042"
    assert post.source is not None and post.source.record == 5  # row 1 spans lines 2-4


def test_a_telegram_chat_named_by_number_has_no_link_and_unknown_views() -> None:
    post = fixture_posts(TELEGRAM_CSV)["1987654321/77"]
    assert (post.url, post.author_id, post.author_handle) == (None, "1987654321", None)
    assert post.author_name == "ערוץ זכויות ברשת"
    assert post.metrics == Metrics()
    assert post.repost_of is None


def test_an_instagram_csv_row_uses_the_shortcode_and_leaves_cut_hashtags_out() -> None:
    posts = fixture_posts(INSTAGRAM_CSV)
    post = posts["DGx1AbCdEfG"]
    assert post == Post(
        platform="instagram",
        post_id="DGx1AbCdEfG",
        collected_at=COLLECTED,
        text="تقرير جديد: أكثر من ٤٠ حساباً لصحفيين تم تعليقها هذا الشهر. "
        "التفاصيل في الرابط بالبايو #حرية_التعبير",
        url="https://www.instagram.com/p/DGx1AbCdEfG/",
        author_id=None,
        author_handle="manassa_huquq",
        author_name="منصة حقوق",
        created_at=datetime(2025, 3, 3, 8, 0, tzinfo=UTC),
        metrics=Metrics(likes=412, replies=37),
        source=Source(str(FIXTURES / INSTAGRAM_CSV), 2),
        dataset="test-set",
        raw=post.raw,
    )
    assert raw_of(post)["hashtags"] == "حرية"
    carousel = posts["DGz3OpQrStU"]
    assert (carousel.text, carousel.metrics) == (None, Metrics(likes=75))  # -1: not known
    assert fixture_posts(INSTAGRAM_ZS)["DGx1AbCdEfG"].url == post.url


def test_a_csv_without_links_or_telling_name_is_other_with_its_4cat_id() -> None:
    text = f"{HEADER}\n991,990,Re: ban,the mods removed my thread again,anon,"
    text += "2025-03-09 14:00:00,,3\n"
    (post,), rejects = csv_posts(text, "pol-q-aa11.csv")
    assert rejects == []
    assert (post.platform, post.post_id, post.author_handle, post.url) == (
        "other",
        "991",
        "anon",
        None,
    )
    assert post.created_at == datetime(2025, 3, 9, 14, tzinfo=UTC)
    assert post.metrics == Metrics(likes=3)
    assert post.conversation_id is None


def test_the_file_name_names_the_platform_of_rows_without_links() -> None:
    text = f"{HEADER}\n5,5,,post,a,2025-03-09 14:00:00,1741528800,\n"
    (post,), _ = csv_posts(text, "exports/reddit-abc123.csv")
    assert post.platform == "reddit"
    assert post.metrics == Metrics(likes=None)


def test_an_x_row_gets_its_conversation_and_a_built_link() -> None:
    text = "id,thread_id,body,author,author_user_id,timestamp,like_count,mentions,urls\n"
    text += "1890000000000000002,1890000000000000001,@haqq_watch شكراً,rasad_media,77,"
    text += '2025-03-01 11:00:00,15,haqq_watch,"https://a.example/x,https://b.example/y"\n'
    (post,), _ = csv_posts(text, "twitterv2-0f0f0f.csv")
    assert post.platform == "x"
    assert post.url == "https://x.com/rasad_media/status/1890000000000000002"
    assert post.conversation_id == "1890000000000000001"
    assert (post.author_id, post.mentions) == ("77", ["haqq_watch"])
    assert post.urls == ["https://a.example/x", "https://b.example/y"]


def test_unix_timestamp_wins_over_the_text_timestamp() -> None:
    text = f"{HEADER}\n5,5,,post,a,2025-03-09 16:00:00,1741528800,\n"
    (post,), _ = csv_posts(text)
    assert post.created_at == datetime(2025, 3, 9, 14, tzinfo=UTC)


# --- bad input ---------------------------------------------------------------------------------


def test_bad_csv_rows_are_rejected_and_the_good_ones_kept() -> None:
    text = "\n".join(
        [
            HEADER,
            "1,1,,good one,a,2025-03-09 14:00:00,,",
            ",2,,no id,a,2025-03-09 14:00:00,,",
            "3,3,,bad date,a,yesterday,,",
            "4,4,,bad count,a,2025-03-09 14:00:00,,many",
            "5,5,,too few fields",
            "6,6,,good too,a,2025-03-09 15:00:00,,1",
        ]
    )
    source = memory_source(text.encode(), "mixed-x.csv")
    context = ctx(source.name)
    kept, problems = [], []
    for entry in FMT.read(source, context):
        if isinstance(entry, Reject):
            problems.append((entry.file, entry.record, entry.reason))
            continue
        try:
            kept.append(FMT.map_item(entry, context).post_id)
        except PostError as exc:
            problems.append((source.name, entry.record, str(exc)))
    assert kept == ["1", "6"]
    assert problems == [
        ("mixed-x.csv", 3, "id: missing"),
        ("mixed-x.csv", 4, "timestamp: cannot parse 'yesterday'"),
        ("mixed-x.csv", 5, "likes: 'many' is not a count"),
        ("mixed-x.csv", 6, "line 6: expected 8 fields, found 4"),
    ]


def test_a_truncated_csv_keeps_the_rows_before_the_cut() -> None:
    data = (FIXTURES / TELEGRAM_CSV).read_bytes()
    cut = data[: data.index(b"1987654321-77") + 40]
    posts, rejects = read_all(memory_source(cut, "telegram-cut.csv"))
    assert [p.post_id for p in posts] == ["sada_alhaqiqa/1042", "sada_alhaqiqa/1043"]
    (reject,) = rejects
    assert (reject.file, reject.record) == ("telegram-cut.csv", 6)
    assert "expected 31 fields" in reject.reason


def test_an_unterminated_quote_is_one_reject() -> None:
    text = f'{HEADER}\n1,1,,"never closed,a,2025-03-09 14:00:00,,\n'
    posts, rejects = csv_posts(text)
    assert posts == []
    assert [(r.record, r.reason.split(":")[0]) for r in rejects] == [(2, "malformed CSV in line 2")]


def test_invalid_utf8_in_a_row_is_a_reject_naming_the_line() -> None:
    data = f"{HEADER}\n1,1,,ok,a,2025-03-09 14:00:00,,\n".encode() + "2,2,,مرحبا".encode()
    data += b"\xff\xfe,a,2025-03-09 14:00:00,,\n" + "3,3,,שלום,b,2025-03-09 14:00:00,,\n".encode()
    posts, rejects = read_all(memory_source(data, "enc-x.csv"))
    assert [p.post_id for p in posts] == ["1", "3"]
    assert [(r.record, r.reason) for r in rejects] == [(3, "invalid UTF-8 in line 3")]


def test_a_telegram_id_without_message_number_names_the_field() -> None:
    row = {"id": "sada_alhaqiqa", "body": "x", "author_is_bot": "no"}
    with pytest.raises(PostError, match="id: 'sada_alhaqiqa' is not <chat>-<message id>"):
        FMT.map_item(Item(2, CsvRecord(row, None)), ctx("f.csv"))


def test_zeeschuimer_lines_from_other_modules_and_broken_lines_are_rejects() -> None:
    good = lines(TIKTOK_ZS)
    x_line = orjson.dumps({"item_id": "1", "source_platform": "x.com", "data": {"rest_id": "1"}})
    comment = orjson.dumps({"item_id": "2", "source_platform": "tiktok-comments", "data": {}})
    data = good[0] + x_line + b"\n" + b'{"item_id": "3", "data": {\n' + comment + b"\n"
    data += b'{"id": 1}\n[1, 2]\n' + good[1]
    posts, rejects = read_all(memory_source(data, "zs.ndjson"))
    assert [p.source.record for p in posts if p.source] == [1, 7]
    assert [(r.file, r.record) for r in rejects] == [("zs.ndjson", n) for n in (2, 3, 4, 5, 6)]
    reasons = [r.reason for r in rejects]
    assert reasons[0].startswith("4CAT NDJSON from 'x.com' is not supported yet")
    assert reasons[1].startswith("malformed JSON in line 3")
    assert reasons[2].startswith("4CAT NDJSON from 'tiktok-comments' is not supported yet")
    assert reasons[3] == "not a Zeeschuimer item: no source_platform and data, no __import_meta"
    assert reasons[4] == "expected a captured item (an object), found an array"
    assert '"rest_id"' in rejects[0].excerpt


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": None}, "id: missing"),
        ({"createTime": "yesterday"}, "createTime: 'yesterday' is not a time"),
        ({"stats": {"diggCount": -4}}, "stats.diggCount: -4 is not a count"),
        ({"author": 12}, "author: expected an object, found a number"),
        ({"textExtra": {"hashtagName": "x"}}, "textExtra: expected an array"),
    ],
)
def test_wrong_types_in_a_tiktok_item_name_the_field(change: dict[str, Any], message: str) -> None:
    item = orjson.loads(lines(TIKTOK_ZS)[0])["data"] | change
    with pytest.raises(PostError, match=message):
        FMT.map_item(Item(1, ZsRecord("tiktok", item, {})), ctx("f.ndjson"))


def test_a_truncated_ndjson_keeps_the_whole_lines() -> None:
    data = (FIXTURES / INSTAGRAM_ZS).read_bytes()
    posts, rejects = read_all(memory_source(data[: len(data) - 500], "cut.ndjson"))
    assert [p.post_id for p in posts] == ["DGx1AbCdEfG", "DGy2HiJkLmN"]
    (reject,) = rejects
    assert (reject.record, reject.reason.startswith("malformed JSON in line 3")) == (3, True)


@pytest.mark.parametrize("name", ["empty.csv", "empty.ndjson"])
def test_an_empty_file_gives_no_records(name: str) -> None:
    assert read_all(memory_source(b"", name)) == ([], [])


# --- sniff -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_sniff_accepts_every_fixture(name: str) -> None:
    assert FMT.sniff(Sample(name, (FIXTURES / name).read_bytes()))


def test_sniff_judges_a_first_line_longer_than_the_sample_by_its_keys() -> None:
    head = lines(TIKTOK_ZS)[0][:300]
    assert FMT.sniff(Sample("zs.ndjson", head))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("posts.csv", b"id,text,author_id,created_at\n1,hello,5,2025-03-01\n"),
        ("sheet.csv", b"message_id,date,channel,text,link\n1,2025-03-01,c,t,l\n"),
        ("posts.csv", b"id,thread_id,body,timestamp\n1,1,no author,2025-03-01\n"),
        ("rows.jsonl", b'{"id": "1", "text": "hi", "data": {}}\n'),
        ("rows.ndjson", b'{"source_platform": "tiktok.com", "id": 1}\n'),
        ("page.json", (FIXTURES / TIKTOK_ZS).read_bytes()),
        ("dataset.txt", (FIXTURES / TELEGRAM_CSV).read_bytes()),
        ("empty.ndjson", b""),
    ],
)
def test_sniff_refuses_what_is_not_4cat(name: str, head: bytes) -> None:
    assert not FMT.sniff(Sample(name, head))


def test_ndjson_is_splittable_and_csv_is_not() -> None:
    assert FMT.splittable(memory_source(b"", "a.ndjson"))
    assert not FMT.splittable(memory_source(b"", "a.csv"))


# --- end to end --------------------------------------------------------------------------------


def test_ingest_imports_every_fixture_and_merges_the_same_posts(project: Settings) -> None:
    summary = ingest([FIXTURES], project, IngestOptions(dataset="4cat"))
    assert summary.formats == {"4cat.v1": 6}
    assert (summary.read, summary.rejected) == (16, 0)
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute("SELECT platform, count(*) FROM posts GROUP BY 1 ORDER BY 1").fetchall()
    assert rows == [("instagram", 3), ("telegram", 4), ("tiktok", 5)]


def test_ingest_writes_rejects_for_unsupported_zeeschuimer_lines(
    project: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "zeeschuimer-export-mixed.ndjson"
    other = orjson.dumps({"item_id": "9", "source_platform": "linkedin.com", "data": {}})
    path.write_bytes(lines(TIKTOK_ZS)[0] + other + b"\n")
    summary = ingest([path], project, IngestOptions())
    assert (summary.read, summary.new, summary.rejected) == (2, 1, 1)
    assert summary.rejects_file is not None
    (reject,) = [orjson.loads(line) for line in summary.rejects_file.read_bytes().splitlines()]
    assert (reject["record"], reject["reason"].split(" (")[0]) == (
        2,
        "4CAT NDJSON from 'linkedin.com' is not supported yet",
    )


def test_every_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [p for f in sorted(FIXTURES.iterdir()) for p in fixture_posts(f.name).values()]
    assert len(posts) == 16
    assert posts_to_table(posts).num_rows == 16


# --- robustness of map_item ----------------------------------------------------------------


NDJSON_ITEMS = [
    e
    for name in (TIKTOK_ZS, INSTAGRAM_ZS, TIKTOK_4CAT)
    for e in BENCH.items(FIXTURES / name, name=name)
]
FIELDS = [
    "id", "desc", "createTime", "author", "stats", "statsV2", "textExtra", "video", "imagePost",
    "duetInfo", "nickname", "code", "caption", "taken_at", "user", "owner", "like_count",
    "comment_count", "play_count", "media_type", "carousel_media", "product_type",
]  # fmt: skip


@settings(max_examples=300)
@given(
    item=st.sampled_from(NDJSON_ITEMS),
    changes=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, min_size=1, max_size=3),
)
def test_value_mutated_items_map_or_raise_record_errors(
    item: Item, changes: dict[str, Any]
) -> None:
    platform, data, line = item.raw
    mutated = Item(item.record, ZsRecord(platform, {**data, **changes}, line))
    assert_maps_or_raises_record_error(FMT, mutated, ctx("f.ndjson"))


@settings(max_examples=200)
@given(cells=st.dictionaries(st.sampled_from(HEADER.split(",")), st.text(max_size=12)))
def test_value_mutated_csv_rows_map_or_raise_record_errors(cells: dict[str, str]) -> None:
    row = dict.fromkeys(HEADER.split(","), "1") | cells
    assert_maps_or_raises_record_error(FMT, Item(2, CsvRecord(row, "telegram")), ctx("f.csv"))
