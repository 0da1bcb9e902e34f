"""The tabular format: CSV/TSV/JSONL fixtures, column mapping, dates, bad rows, robustness."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.config import Settings
from marsad.ingest.base import Item, Reject, Sample, SourceFile
from marsad.ingest.formats.tabular import TabularFormat
from marsad.ingest.formats.tabular.reader import content_id, parse_date, sniff_delimiter
from marsad.ingest.sources import iter_sources
from marsad.posts import Post, PostError, Source, posts_to_table
from tests.ingest import robustness
from tests.ingest.helpers import Bench

FIXTURES = Path(__file__).parent / "fixtures" / "tabular"
FMT = TabularFormat()
TEN_MB = 10 * 1024 * 1024


BENCH = Bench(FMT, dataset=None, fixtures=FIXTURES)
ctx, memory_source, read_all = BENCH.ctx, BENCH.memory_source, BENCH.read_all
fixture_posts = BENCH.fixture_list


def read_bytes(
    data: bytes, name: str = "t.csv", options: Mapping[str, str] | None = None
) -> tuple[list[Post], list[Reject]]:
    return read_all(memory_source(data, name), options)


# --- fixtures, field by field --------------------------------------------------------------


def test_utf8_csv_maps_every_column() -> None:
    first, arabic, hebrew = fixture_posts("posts_utf8.csv")
    assert (first.platform, first.post_id) == ("facebook", "fb-1001")
    assert (first.author_handle, first.author_name) == ("rights_desk", "Rights Desk")
    assert first.created_at == datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC)
    assert first.url == "https://facebook.example/posts/1001"
    assert first.text == (
        "Journalists report accounts suspended after covering the protests. #PressFreedom"
    )
    assert first.source == Source(str(FIXTURES / "posts_utf8.csv"), 2)
    assert first.hashtags == [] and first.lang is None and first.metrics.likes is None
    assert arabic.text == "إغلاق الحسابات دون إنذار ممنوع\nنطالب بالشفافية #حرية_التعبير"
    assert arabic.author_name == "نور م."
    assert arabic.created_at == datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    assert (hebrew.platform, hebrew.post_id, hebrew.url) == ("instagram", "ig-2001", None)
    assert hebrew.text == 'הפוסט שלי נמחק בלי הסבר, "הפרת כללים" זה לא נימוק #צנזורה'
    assert hebrew.created_at == datetime(2025, 3, 2, 6, 15, tzinfo=UTC)
    assert hebrew.source is not None and hebrew.source.record == 5  # after a 2-line record


def test_raw_is_the_row_as_json() -> None:
    post = fixture_posts("posts_utf8.csv")[0]
    assert orjson.loads(post.raw or "") == {
        "id": "fb-1001",
        "platform": "Facebook",
        "username": "@rights_desk",
        "display_name": "Rights Desk",
        "created_at": "2025-03-01T10:20:30Z",
        "text": "Journalists report accounts suspended after covering the protests. #PressFreedom",
        "url": "https://facebook.example/posts/1001",
    }


def test_bom_csv_with_spaced_headers_and_day_first_dates() -> None:
    arabic, english = fixture_posts("posts_bom.csv")
    assert (arabic.post_id, arabic.author_handle) == ("posts_bom.csv:5501", "salma_k")
    assert arabic.text == "حملة تحريض ضد الصحفيين على الإنترنت، يجب التوثيق"
    assert arabic.created_at == datetime(2025, 3, 1, 10, 20, tzinfo=UTC)
    assert english.created_at == datetime(2025, 3, 2, 18, 5, tzinfo=UTC)
    assert english.platform == "other"


def test_utf16_csv_is_decoded() -> None:
    hebrew, arabic = fixture_posts("posts_utf16.csv")
    assert (hebrew.post_id, hebrew.author_handle, hebrew.text) == (
        "posts_utf16.csv:u16-1",
        "yael_g",
        "אסור לחסום גישה לאתרי חדשות",
    )
    assert arabic.text == "المراقبة الجماعية تهدد الخصوصية"
    assert arabic.created_at == datetime(2025, 3, 3, 9, 30, tzinfo=UTC)


def test_windows_1256_arabic_csv_is_decoded() -> None:
    first, second = fixture_posts("posts_cp1256.csv")
    assert first.text == "تم حذف منشوراتي عن الاعتقالات دون أي تفسير"
    assert second.text == "نطالب بالإفراج عن المدونين المعتقلين بسبب آرائهم"
    assert (first.author_handle, first.created_at) == (
        "ahmad_t",
        datetime(2025, 3, 4, 10, 0, tzinfo=UTC),
    )


def test_windows_1255_hebrew_csv_is_decoded() -> None:
    first, second = fixture_posts("posts_cp1255.csv")
    assert first.text == "החשבון שלי הושעה אחרי שפרסמתי על ההפגנה"
    assert second.text == "צריך חוק שמגן על פרטיות המידע של כולנו"
    assert second.author_handle == "shira_k"


def test_semicolon_csv_without_ids_gets_content_ids() -> None:
    posts = fixture_posts("posts_semicolon.csv")
    assert [p.platform for p in posts] == ["facebook", "tiktok", "facebook"]
    assert posts[1].text == "حذف الفيديو الخاص بي; بلا أي سبب"
    assert posts[1].created_at == datetime(2025, 3, 2, 21, 45, tzinfo=UTC)
    assert posts[0].post_id == content_id(
        "Blocking VPN apps leaves activists without safe tools", "karim.h", "01.03.2025 10:20"
    )
    assert all(p.post_id.startswith("h:") and len(p.post_id) == 18 for p in posts)
    assert len({p.post_id for p in posts}) == 3


def test_reimporting_a_sheet_without_ids_gives_the_same_ids() -> None:
    first = [p.post_id for p in fixture_posts("posts_semicolon.csv")]
    again = [p.post_id for p in fixture_posts("posts_semicolon.csv")]
    assert first == again


def test_jsonl_rows_with_numbers_epoch_dates_and_nested_values() -> None:
    first, second, third = fixture_posts("posts.jsonl", {"platform": "Telegram"})
    assert (first.platform, first.post_id, first.author_handle) == (
        "telegram",
        "9001/301",
        "huquq_channel",
    )
    assert first.author_id == "9001"
    assert first.created_at == datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC)
    assert first.text == "قناة توثيق: تم تقييد وصول المستخدمين إلى المنصة لساعات"
    assert orjson.loads(first.raw or "")["reactions"] == '{"👍":12}'
    assert orjson.loads(second.raw or "")["forwarded"] == "true"
    assert third.text == "עדכון: הגישה לאתר חזרה לפעול"
    assert [p.source.record for p in (first, second, third) if p.source] == [1, 2, 3]


def test_every_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [p for f in sorted(FIXTURES.iterdir()) for p in fixture_posts(f.name)]
    assert len(posts) == 17
    assert posts_to_table(posts).num_rows == 17


# --- column mapping ------------------------------------------------------------------------


def test_options_name_columns_case_insensitively() -> None:
    data = b"Body Text,Who,When,Ref,Net,Lng\nhello world,@ana,2025-03-01 10:00,77,X,EN\n"
    options = {
        "text_column": "body text",
        "author_handle_column": "WHO",
        "date_column": "when",
        "id_column": "ref",
        "platform_column": "net",
        "lang_column": "lng",
        "dataset": "sheet-1",
    }
    (post,), rejects = read_bytes(data, options=options)
    assert rejects == []
    assert (post.text, post.author_handle, post.post_id, post.platform, post.lang) == (
        "hello world",
        "ana",
        "77",
        "x",
        "en",
    )
    assert post.dataset == "sheet-1"


def test_a_fixed_platform_wins_over_the_platform_column() -> None:
    (post,), _ = read_bytes(b"text,platform\nhi,Facebook\n", options={"platform": "Telegram"})
    assert post.platform == "telegram"


def test_no_text_column_is_one_reject_listing_the_columns() -> None:
    data = b"id,user,date\n1,a,2025-03-01\n2,b,2025-03-02\n"
    posts, rejects = read_bytes(data, "sheet.csv")
    assert posts == []
    (reject,) = rejects
    assert (reject.file, reject.record) == ("sheet.csv", None)
    assert "no text column" in reject.reason
    assert "'id', 'user', 'date'" in reject.reason


def test_a_text_column_option_naming_a_missing_column_is_one_reject() -> None:
    posts, rejects = read_bytes(b"text,user\nhi,a\n", options={"text_column": "message"})
    assert posts == []
    (reject,) = rejects
    assert "'message' (text_column) not found" in reject.reason
    assert "'text', 'user'" in reject.reason


def test_lang_is_not_guessed_from_a_lang_column() -> None:
    (post,), _ = read_bytes(b"text,lang\nhello,en\n")
    assert post.lang is None


# --- bad rows --------------------------------------------------------------------------------


def test_a_row_with_the_wrong_number_of_fields_is_rejected() -> None:
    data = b"id,text\n1,good\n2,bad,extra\n3,fine\n"
    posts, rejects = read_bytes(data)
    assert [p.post_id for p in posts] == ["t.csv:1", "t.csv:3"]
    (reject,) = rejects
    assert reject.record == 3
    assert reject.reason == "line 3: expected 2 fields, found 3"


def test_an_invalid_utf8_line_is_rejected_and_the_others_kept() -> None:
    good = "id,text\n1,حجب المواقع الإخبارية انتهاك لحرية التعبير\n2,שלום לכולם וחופש ביטוי\n"
    data = good.encode() + b"3,caf\xe9 cr\xe8me\n" + "4,آخر سطر\n".encode()
    posts, rejects = read_bytes(data, "mixed.csv")
    assert [p.post_id for p in posts] == ["mixed.csv:1", "mixed.csv:2", "mixed.csv:4"]
    (reject,) = rejects
    assert (reject.file, reject.record, reject.reason) == (
        "mixed.csv",
        4,
        "invalid UTF-8 in line 4",
    )


def test_a_header_that_does_not_decode_rejects_the_file_once() -> None:
    data = "id,النص\n".encode("cp1256") + "1,حجب المواقع الإخبارية انتهاك\n".encode() * 5
    posts, rejects = read_bytes(data)
    assert posts == []
    (reject,) = rejects
    assert reject.record is None
    assert "header" in reject.reason and "encoding" in reject.reason


def test_an_empty_text_is_rejected() -> None:
    posts, rejects = read_bytes(b"id,text\n1,hi\n2,  \n3,there\n")
    assert [p.post_id for p in posts] == ["t.csv:1", "t.csv:3"]
    assert [(r.record, r.reason) for r in rejects] == [(3, "empty text (column 'text')")]


def test_malformed_json_lines_are_rejected_and_good_lines_kept() -> None:
    data = b'{"text": "one"}\n{"text": "two"\n[1, 2]\n\n{"text": "three"}\n'
    posts, rejects = read_bytes(data, "rows.jsonl")
    assert [p.text for p in posts] == ["one", "three"]
    assert [p.source.record for p in posts if p.source] == [1, 5]
    assert [r.record for r in rejects] == [2, 3]
    assert "malformed JSON in line 2" in rejects[0].reason
    assert "not a JSON object" in rejects[1].reason


def test_a_json_array_of_objects_is_read() -> None:
    data = '[{"content": "أولى", "id": 1}, 7, {"content": "second", "id": 2}]'.encode()
    posts, rejects = read_bytes(data, "rows.json")
    ids = [(p.post_id, p.source.record if p.source else 0) for p in posts]
    assert ids == [("rows.json:1", 1), ("rows.json:2", 3)]
    assert [r.record for r in rejects] == [2]


@pytest.mark.parametrize("name", ["empty.csv", "empty.jsonl", "empty.json"])
def test_an_empty_file_gives_no_records(name: str) -> None:
    assert read_bytes(b"", name) == ([], [])


def test_a_header_only_csv_gives_no_records() -> None:
    assert read_bytes(b"id,text\n") == ([], [])


def test_a_ten_megabyte_csv_field_is_read() -> None:
    big = "ب" * (TEN_MB // 2)
    data = b'id,text\n1,small\n2,"' + big.encode() + b'"\n3,after\n'
    posts, rejects = read_bytes(data)
    assert rejects == []
    assert [len(p.text or "") for p in posts] == [5, len(big), 5]


def test_a_ten_megabyte_jsonl_line_is_read() -> None:
    big = "x" * TEN_MB
    data = b'{"text": "a"}\n' + orjson.dumps({"text": big, "id": 2}) + b'\n{"text": "c"}\n'
    posts, rejects = read_bytes(data, "big.jsonl")
    assert rejects == []
    assert [len(p.text or "") for p in posts] == [1, TEN_MB, 1]


def test_a_zip_member_with_corrupt_data_gives_a_reject_and_the_good_member_its_posts(
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.zip"
    body = b"".join(b"%d,post number %d\n" % (i, i) for i in range(5000))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bad.csv", b"id,text\n" + body)
        archive.writestr("good.csv", (FIXTURES / "posts_utf8.csv").read_bytes())
        info = archive.getinfo("bad.csv")
    offset = info.header_offset + 30 + len("bad.csv") + info.compress_size // 2
    data = bytearray(path.read_bytes())
    data[offset : offset + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    bad, good = (s for s in iter_sources([path]) if isinstance(s, SourceFile))
    bad_posts, bad_rejects = read_all(bad)
    assert bad_rejects and "cannot read the rest of the file" in bad_rejects[-1].reason
    assert len(bad_posts) < 5000
    good_posts, good_rejects = read_all(good)
    assert (len(good_posts), good_rejects) == (3, [])
    assert good_posts[0].source == Source(f"{path}!good.csv", 2)


def test_an_unknown_timezone_rejects_the_file_once() -> None:
    posts, rejects = read_bytes(b"text\nhi\nthere\n", options={"timezone": "Mars/Olympus"})
    assert posts == []
    (reject,) = rejects
    assert reject.record is None and "Mars/Olympus" in reject.reason


def test_a_tsv_and_an_explicit_delimiter() -> None:
    (post,), _ = read_bytes(b"id\ttext\n1\ta, b; c\n", "t.tsv")
    assert post.text == "a, b; c"
    (post,), _ = read_bytes(b"id|text\n1|a, b; c\n", "t.txt", {"delimiter": "|"})
    assert post.text == "a, b; c"


def test_sniff_delimiter_ignores_delimiters_inside_quotes() -> None:
    assert sniff_delimiter('"a,b,c";"d"\n') == ";"
    assert sniff_delimiter("text\n") == ","
    assert sniff_delimiter("a\tb\tc|d") == "\t"


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-01T10:20:30Z", datetime(2025, 3, 1, 10, 20, 30)),
        ("2025-03-01T10:20:30.000Z", datetime(2025, 3, 1, 10, 20, 30)),
        ("2025-03-01 10:20:30", datetime(2025, 3, 1, 10, 20, 30)),
        ("2025-03-01T12:20:30+02:00", datetime(2025, 3, 1, 10, 20, 30)),
        ("2025-03-01", datetime(2025, 3, 1)),
        ("01/03/2025 10:20", datetime(2025, 3, 1, 10, 20)),
        ("01/03/2025 10:20:30", datetime(2025, 3, 1, 10, 20, 30)),
        ("01.03.2025", datetime(2025, 3, 1)),
        ("2025/03/01 10:20", datetime(2025, 3, 1, 10, 20)),
        ("Sat Mar 01 10:20:30 +0000 2025", datetime(2025, 3, 1, 10, 20, 30)),
        ("Sat, 01 Mar 2025 12:20:30 +0200", datetime(2025, 3, 1, 10, 20, 30)),
        ("1740824430", datetime(2025, 3, 1, 10, 20, 30)),
        ("1740824430000", datetime(2025, 3, 1, 10, 20, 30)),
    ],
)
def test_common_date_forms_are_read_as_utc(value: str, expected: datetime) -> None:
    assert parse_date(value, {}) == expected.replace(tzinfo=UTC)


def test_a_date_without_zone_is_in_the_timezone_option() -> None:
    options = {"timezone": "Asia/Jerusalem"}
    assert parse_date("2025-03-01 12:20", options) == datetime(2025, 3, 1, 10, 20, tzinfo=UTC)
    assert parse_date("2025-07-01 12:20", options) == datetime(2025, 7, 1, 9, 20, tzinfo=UTC)
    assert parse_date("2025-03-01 12:20", {"timezone": "+03:00"}) == datetime(
        2025, 3, 1, 9, 20, tzinfo=UTC
    )
    assert parse_date("2025-03-01T12:20Z", options) == datetime(2025, 3, 1, 12, 20, tzinfo=UTC)


def test_date_format_reads_us_month_first_dates() -> None:
    options = {"date_format": "%m/%d/%Y %I:%M %p"}
    assert parse_date("03/01/2025 10:20 PM", options) == datetime(2025, 3, 1, 22, 20, tzinfo=UTC)


def test_an_unreadable_date_names_the_column_and_value() -> None:
    with pytest.raises(PostError, match=r"published: cannot parse 'last week'"):
        parse_date("last week", {}, "published")
    with pytest.raises(PostError, match=r"date: '2025-03-01' does not match date_format"):
        parse_date("2025-03-01", {"date_format": "%d/%m/%Y"})


def test_an_unreadable_date_rejects_the_row_through_map_item() -> None:
    source = memory_source(b"text,date\nhi,someday\n", "d.csv")
    (item,) = list(FMT.read(source, ctx("d.csv")))
    assert isinstance(item, Item)
    with pytest.raises(PostError, match="date: cannot parse 'someday'"):
        FMT.map_item(item, ctx("d.csv"))


def test_an_empty_date_cell_leaves_the_date_empty() -> None:
    (post,), _ = read_bytes(b"text,date\nhi,\n")
    assert post.created_at is None


# --- sniff ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_sniff_accepts_every_tabular_fixture(name: str) -> None:
    assert FMT.sniff(Sample(name, (FIXTURES / name).read_bytes()))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("notes.txt", b"just some words\nwithout any delimiter\n"),
        ("image.png", b"\x89PNG\r\n"),
        ("data.csv", b"\x00\x01\x02\x03binary\x00\x00\x00"),
        ("config.json", b'{\n  "pretty": "printed object"\n}\n'),
        ("list.json", b"[1, 2, 3]"),
    ],
)
def test_sniff_refuses_what_is_not_a_table(name: str, head: bytes) -> None:
    assert not FMT.sniff(Sample(name, head))


# --- robustness ----------------------------------------------------------------------------


@settings(max_examples=200)
@given(
    cells=st.dictionaries(
        st.sampled_from(["text", "id", "date", "user", "platform", "url", "name"]),
        st.text(max_size=30),
        min_size=1,
    )
)
def test_arbitrary_cells_map_or_raise_record_errors(cells: dict[str, str]) -> None:
    data = orjson.dumps(cells) + b"\n"
    robustness.check_robust(FMT, data, "cells.jsonl")


def test_a_csv_cut_inside_a_quoted_field_rejects_the_cut_record_and_keeps_the_rest(
    project: Settings, tmp_path: Path
) -> None:
    from marsad.ingest.pipeline import IngestOptions, ingest

    sheet = tmp_path / "cut.csv"
    sheet.write_text('id,text\n1,"a whole post, quoted"\n2,"a post cut off in the mid', "utf-8")
    summary = ingest([sheet], project, IngestOptions())
    assert (summary.read, summary.new, summary.rejected) == (2, 1, 1)
    assert summary.rejects_file is not None
    assert "unexpected end of data" in summary.rejects_file.read_text()


def test_ids_without_a_platform_are_scoped_to_their_file_so_sheets_do_not_collide() -> None:
    (first,), _ = read_bytes(b"id,text\n1,a post kept in the first sheet\n", "a.csv")
    (second,), _ = read_bytes(b"id,text\n1,another post in the second sheet\n", "b.csv")
    assert (first.post_id, second.post_id) == ("a.csv:1", "b.csv:1")


def test_ids_with_a_platform_are_the_platforms_own() -> None:
    (post,), _ = read_bytes(b"id,text,platform\n77,a post,facebook\n", "c.csv")
    assert (post.platform, post.post_id) == ("facebook", "77")


def test_telegram_message_ids_are_scoped_to_their_channel_like_the_telegram_importers() -> None:
    data = (
        b"id,text,channel,platform\n77,a channel post,huquq,telegram\n"
        b"77,same number in another channel,raqib,telegram\n"
        b"1234/78,an id that names its chat,huquq,telegram\n"
    )
    posts, _ = read_bytes(data, "c.csv", options={"author_handle_column": "channel"})
    assert [p.post_id for p in posts] == ["huquq/77", "raqib/77", "1234/78"]
    (alone,), _ = read_bytes(b"id,text,platform\n77,no channel column,telegram\n", "c.csv")
    assert alone.post_id == "c.csv/77"


def test_a_jsonl_file_whose_first_line_is_broken_keeps_its_good_lines() -> None:
    data = b'{"id": "f1", "text": "cut\n{"id": "f2", "text": "a good line"}\n'
    assert TabularFormat().sniff(Sample("rows.jsonl", data))
    posts, rejects = read_bytes(data, "rows.jsonl")
    assert [p.text for p in posts] == ["a good line"]
    assert [r.record for r in rejects] == [1]
