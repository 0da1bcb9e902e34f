"""The X account archive format (`x.archive.v1`): tweets.js field by field, the account from
account.js, the archive's other files, bad input, and a whole archive zip end to end."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.config import Settings
from marsad.ingest.base import Item, Reject, Sample, SourceFile
from marsad.ingest.formats.x_v1 import XArchiveFormat, XV1Format
from marsad.ingest.formats.x_v1.archive import ArchiveRecord, read_account
from marsad.ingest.formats.x_v1.tweet import NO_AUTHOR, Author
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.ingest.sources import iter_sources
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

FIXTURES = Path(__file__).parent / "fixtures" / "x_archive"
V1_FIXTURES = Path(__file__).parent / "fixtures" / "x_v1"
FMT = XArchiveFormat()
RAQIB = Author("1480000000000000011", "raqib_net", "رقيب الشبكة")


BENCH = Bench(FMT, name="tweets.js", fixtures=FIXTURES)
ctx, memory_source, read_all = BENCH.ctx, BENCH.memory_source, BENCH.read_all
fixture_posts = BENCH.fixture_posts


def archive_tweets(name: str) -> list[dict[str, Any]]:
    data = (FIXTURES / name).read_bytes()
    value = orjson.loads(data[data.index(b"=") + 1 :])
    assert isinstance(value, list)
    return [e.get("tweet", e) for e in value]


def tweet_post(tweet: dict[str, Any], account: Author = RAQIB) -> Post:
    return BENCH.map_raw(ArchiveRecord(tweet, account))


def ytd(kind: str, value: object, part: int = 0) -> bytes:
    return f"window.YTD.{kind}.part{part} = ".encode() + orjson.dumps(value)


# --- fixtures, every field -------------------------------------------------------------------


def test_it_maps_every_field_of_an_archive_tweet_with_the_account_beside_it() -> None:
    post = fixture_posts("tweets.js")["1893000000000000101"]
    want = Post(
        platform="x",
        post_id="1893000000000000101",
        collected_at=COLLECTED,
        text=(
            "حجب المواقع الإخبارية مستمر منذ ثلاثة أيام في عدة مدن، ونطالب بإعادة الوصول فوراً "
            "#حرية_الإنترنت #الحقوق_الرقمية https://t.co/AbC1234567 https://t.co/PhOtO00101"
        ),
        url="https://x.com/raqib_net/status/1893000000000000101",
        author_id="1480000000000000011",
        author_handle="raqib_net",
        author_name="رقيب الشبكة",
        created_at=datetime(2025, 3, 1, 10, 20, 30, tzinfo=UTC),
        hashtags=["حرية_الإنترنت", "الحقوق_الرقمية"],
        urls=["https://news.example/reports/blocking-2025"],
        media=[Media("photo", "https://pbs.twimg.com/media/ExAmPlEv1A01.jpg")],
        metrics=Metrics(likes=130, shares=41),  # strings in the archive
        source=Source(str(FIXTURES / "tweets.js"), 1),
        dataset="test-set",
    )
    assert without_raw(post) == want
    assert orjson.loads(post.raw or "") == archive_tweets("tweets.js")[0]


def test_it_maps_a_reply_to_the_accounts_own_tweet() -> None:
    post = fixture_posts("tweets.js")["1893000000000000111"]
    assert post.text == "המשך: גם אתרי החדשות בעברית נחסמו באותן שעות באזור הצפון #חסימה"
    assert (post.reply_to, post.quote_of, post.repost_of) == ("1893000000000000101", None, None)
    assert (post.lang, post.hashtags, post.metrics) == (None, ["חסימה"], Metrics(likes=7, shares=2))
    assert post.created_at == datetime(2025, 3, 1, 10, 31, tzinfo=UTC)
    assert post.source == Source(str(FIXTURES / "tweets.js"), 2)


def test_a_retweet_keeps_the_rt_text_and_has_no_repost_id() -> None:
    post = fixture_posts("tweets.js")["1893000000000000112"]
    assert post.text is not None
    assert post.text.startswith("RT @digital_freedom_lab: @raqib_net We documented")
    assert post.text.endswith("…")
    assert post.repost_of is None  # the archive does not say which tweet was retweeted
    assert post.mentions == ["digital_freedom_lab", "raqib_net"]
    assert post.author_handle == "raqib_net"
    assert post.metrics == Metrics(likes=0, shares=0)


def test_an_arabizi_tweet_with_a_photo_and_an_undefined_language() -> None:
    post = fixture_posts("tweets.js")["1893000000000000113"]
    assert post.text == (
        "el mawke3 ra7 ma3 el 7agb tani, esta3melo VPN law te2daro #7agb https://t.co/PhOtO00113"
    )
    assert (post.lang, post.hashtags, post.urls) == (None, ["7agb"], [])
    assert post.media == [Media("photo", "https://pbs.twimg.com/media/ExAmPlEv1N01.jpg")]


def test_a_second_part_and_an_old_unwrapped_tweet_js_are_read() -> None:
    part1 = fixture_posts("tweets-part1.js")["1893000000000000114"]
    assert part1.urls == ["https://raqib.example/review/2025-q1"]
    assert (part1.author_handle, part1.metrics) == ("raqib_net", Metrics(likes=58, shares=20))
    old = fixture_posts("tweet.js")["1100000000000000116"]
    assert old.created_at == datetime(2019, 2, 26, 8, 0, tzinfo=UTC)
    assert (old.hashtags, old.url) == (
        ["انقطاع_الإنترنت"],
        "https://x.com/raqib_net/status/1100000000000000116",
    )


def test_account_js_and_the_archives_other_files_give_nothing() -> None:
    assert fixture_posts("account.js") == {}
    for data in (
        ytd("like", [{"like": {"tweetId": "1", "fullText": "liked"}}]),
        ytd("direct_messages", [{"dmConversation": {"messages": []}}]),
        b'window.__THAR_CONFIG = {"userInfo": {"accountId": "1"}}',
    ):
        assert FMT.sniff(Sample("x.zip!data/other.js", data))
        assert read_all(memory_source(data, "x.zip!data/other.js")) == ([], [])


def test_every_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [p for f in sorted(FIXTURES.iterdir()) for p in fixture_posts(f.name).values()]
    assert len(posts) == 6
    assert posts_to_table(posts).num_rows == 6


def test_an_archive_tweet_and_its_v1_api_twin_are_the_same_post() -> None:
    archived = fixture_posts("tweets.js")["1893000000000000101"]
    (source,) = iter_sources([V1_FIXTURES / "search_tweets.json"])
    assert isinstance(source, SourceFile)
    v1 = XV1Format()
    items = [e for e in v1.read(source, ctx()) if isinstance(e, Item)]
    api = v1.map_item(items[0], ctx())
    fields = ("platform", "post_id", "url", "author_id", "author_handle", "author_name")
    fields += ("created_at", "text", "hashtags", "urls", "media")
    assert [getattr(archived, f) for f in fields] == [getattr(api, f) for f in fields]


# --- the account -----------------------------------------------------------------------------


def test_without_account_js_the_author_is_unknown(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_bytes((FIXTURES / "tweets.js").read_bytes())
    post = next(iter(read_all(file_source(path))[0]))
    assert (post.author_id, post.author_handle, post.author_name) == (None, None, None)
    assert post.url == "https://x.com/i/web/status/1893000000000000101"


def test_a_broken_account_js_gives_no_author_and_no_reject(tmp_path: Path) -> None:
    (tmp_path / "account.js").write_bytes(b"window.YTD.account.part0 = [{")
    (tmp_path / "tweets.js").write_bytes((FIXTURES / "tweets-part1.js").read_bytes())
    posts, rejects = read_all(file_source(tmp_path / "tweets.js"))
    assert rejects == []
    assert [p.author_handle for p in posts] == [None]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"[]",
        b"window.YTD.account.part0 = []",
        b"window.YTD.profile.part0 = [{}]",
        b'window.YTD.account.part0 = [{"account": {"username": 5}}]',
    ],
)
def test_read_account_is_lenient(data: bytes) -> None:
    assert read_account(data) in (NO_AUTHOR, Author(None, None, None))


def test_a_tweets_own_user_object_is_used_when_there_is_no_account() -> None:
    tweet = {"id_str": "9", "full_text": "t", "user": {"id_str": "3", "screen_name": "old"}}
    post = tweet_post(tweet, NO_AUTHOR)
    assert (post.author_id, post.url) == ("3", "https://x.com/old/status/9")


def test_a_whole_archive_zip_imports_with_the_accounts_author(
    project: Settings, tmp_path: Path
) -> None:
    zipped = tmp_path / "twitter-2025-04-01-abc.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for name in ("account.js", "tweets.js", "tweets-part1.js"):
            archive.writestr(f"data/{name}", (FIXTURES / name).read_bytes())
        archive.writestr("data/like.js", ytd("like", [{"like": {"tweetId": "1"}}]))
        archive.writestr("data/manifest.js", b'window.__THAR_CONFIG = {"userInfo": {}}')
        archive.writestr("data/tweets_media/1893000000000000101-ExAmPlE.jpg", b"\xff\xd8\xff")
    summary = ingest([zipped], project, IngestOptions())
    assert dict(summary.formats) == {"x.archive.v1": 5}
    assert (summary.read, summary.new, summary.rejected) == (5, 5, 0)
    assert summary.files_skipped == 0  # the photo is an attachment: passed over unlisted
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute(
        "SELECT DISTINCT author_id, author_handle, author_name, platform FROM posts"
    ).fetchall()
    assert rows == [("1480000000000000011", "raqib_net", "رقيب الشبكة", "x")]
    first = con.execute(
        "SELECT url, source.file FROM posts WHERE post_id = '1893000000000000101'"
    ).fetchone()
    assert first == (
        "https://x.com/raqib_net/status/1893000000000000101",
        f"{zipped}!data/tweets.js",
    )


# --- map_item details ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-1", "1.5", "many", "١٢", True, -3])
def test_a_count_string_that_is_not_digits_names_the_field(value: object) -> None:
    with pytest.raises(PostError, match="retweet_count"):
        tweet_post({"id_str": "1", "full_text": "t", "retweet_count": value})


def test_a_missing_id_str_is_a_post_error() -> None:
    with pytest.raises(PostError, match="id_str: missing"):
        tweet_post({"id": "1", "full_text": "no id_str"})


def test_a_bad_created_at_names_the_field_and_the_value() -> None:
    with pytest.raises(PostError, match=r"created_at: cannot parse 'Wed Oct 99"):
        tweet_post(
            {"id_str": "1", "full_text": "t", "created_at": "Wed Oct 99 20:19:24 +0000 2018"}
        )


def test_items_that_are_not_archive_records_are_type_errors() -> None:
    with pytest.raises(TypeError):
        FMT.map_item(Item(1, {"id_str": "1"}), ctx())
    with pytest.raises(TypeError):
        FMT.map_item(Item(1, ({"id_str": "1"}, "raqib_net")), ctx())


# --- bad input -------------------------------------------------------------------------------


def test_bad_elements_are_rejected_by_position_and_the_good_ones_kept() -> None:
    tweets = archive_tweets("tweets.js")
    data = ytd(
        "tweets",
        [
            {"tweet": tweets[0]},
            "oops",
            {"like": {}},
            {"tweet": {**tweets[1], "created_at": "never"}},
            {"tweet": tweets[2]},
        ],
    )
    context = ctx("tweets.js")
    posts: list[Post] = []
    problems: list[tuple[int | None, str]] = []
    for entry in FMT.read(memory_source(data, "tweets.js"), context):
        if isinstance(entry, Reject):
            problems.append((entry.record, entry.reason))
            continue
        try:
            posts.append(FMT.map_item(entry, context))
        except PostError as exc:
            problems.append((entry.record, str(exc)))
    assert [p.source.record for p in posts if p.source] == [1, 5]
    assert problems == [
        (2, 'expected {"tweet": {...}}, found a string'),
        (3, 'expected {"tweet": {...}}, found an object without "tweet" (keys: like)'),
        (4, "created_at: cannot parse 'never'"),
    ]


def test_a_truncated_tweets_js_is_one_reject_naming_the_line() -> None:
    data = (FIXTURES / "tweets.js").read_bytes()
    posts, rejects = read_all(memory_source(data[: len(data) // 2], "tweets.js"))
    assert posts == []
    (reject,) = rejects
    assert reject.file == "tweets.js"
    assert reject.record is not None and reject.record > 10
    assert "malformed or truncated JSON in the archive file" in reject.reason


def test_a_js_file_without_the_ytd_assignment_is_rejected() -> None:
    posts, rejects = read_all(memory_source(b"var tweets = [];", "tweets.js"))
    assert posts == []
    assert [(r.record, r.reason) for r in rejects] == [
        (1, "not an X archive data file: it does not start with window.YTD.<name>.partN =")
    ]


def test_an_assignment_of_something_else_than_an_array_is_rejected() -> None:
    posts, rejects = read_all(memory_source(ytd("tweets", {"tweet": {}}), "tweets.js"))
    assert posts == []
    assert [(r.record, r.reason) for r in rejects] == [
        (1, "expected an array of tweets, found an object")
    ]


def test_a_bom_and_a_trailing_semicolon_are_accepted() -> None:
    data = b"\xef\xbb\xbf" + (FIXTURES / "tweets-part1.js").read_bytes() + b";\n"
    posts, rejects = read_all(memory_source(data, "tweets-part1.js"))
    assert ([p.post_id for p in posts], rejects) == (["1893000000000000114"], [])


def test_an_empty_file_gives_no_records() -> None:
    assert read_all(memory_source(b"", "tweets.js")) == ([], [])


# --- sniff -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_sniff_accepts_every_archive_fixture(name: str) -> None:
    assert FMT.sniff(Sample(f"archive.zip!data/{name}", (FIXTURES / name).read_bytes()))


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("tweets.json", (FIXTURES / "tweets.js").read_bytes()),
        ("app.js", b"window.YTD = window.YTD || {};"),
        ("tweets.js", b"[]"),
        ("search.json", (V1_FIXTURES / "search_tweets.json").read_bytes()),
        ("empty.js", b""),
    ],
)
def test_sniff_refuses_what_is_not_an_archive_data_file(name: str, head: bytes) -> None:
    assert not FMT.sniff(Sample(name, head))


def test_archive_files_are_not_splittable() -> None:
    assert not FMT.splittable(memory_source(b"", "tweets.js"))


# --- robustness ------------------------------------------------------------------------------


FIXTURE_TWEETS = [t for name in ("tweets.js", "tweet.js") for t in archive_tweets(name)]
FIELDS = [
    "id_str", "full_text", "created_at", "entities", "extended_entities", "favorite_count",
    "retweet_count", "in_reply_to_status_id_str", "lang", "user", "display_text_range",
]  # fmt: skip


@settings(max_examples=300)
@given(
    tweet=st.sampled_from(FIXTURE_TWEETS),
    changes=st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, min_size=1, max_size=3),
)
def test_value_mutated_tweets_map_or_raise_record_errors(
    tweet: dict[str, Any], changes: dict[str, Any]
) -> None:
    mutated = Item(1, ArchiveRecord({**tweet, **changes}, RAQIB))
    assert_maps_or_raises_record_error(FMT, mutated, ctx())
