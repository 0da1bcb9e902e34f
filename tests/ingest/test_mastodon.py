"""The Mastodon formats: REST API statuses and the archive outbox, field by field, bad input,
detection, and an import end to end."""

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
from marsad.ingest.base import Item, Sample
from marsad.ingest.formats.mastodon import MastodonApiFormat, MastodonOutboxFormat, html
from marsad.ingest.formats.mastodon.api import StatusRecord
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.posts import Media, Metrics, Post, PostError, Source, posts_to_table
from marsad.warehouse import Warehouse
from tests.ingest.helpers import Bench, assert_maps_or_raises_record_error, json_values
from tests.ingest.helpers import raw_of as raw

FIXTURES = Path(__file__).parent / "fixtures"
API_DIR = FIXTURES / "mastodon_api"
OUTBOX_DIR = FIXTURES / "mastodon_outbox"
COLLECTED = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
API = MastodonApiFormat()
OUTBOX = MastodonOutboxFormat()
H = "https://mastodon.example"
R = "https://social.example"


BENCH = Bench(API, COLLECTED, name="f.json")
ctx, memory_source = BENCH.ctx, BENCH.memory_source
read_all, fixture_posts = BENCH.read_all_as, BENCH.fixture_posts_as


def status_post(status: dict[str, Any], instance: str | None = None) -> Post:
    return BENCH.map_raw(StatusRecord(status, instance, None))


# --- REST API: fixtures, field by field ---------------------------------------------------------

TIMELINE = API_DIR / "tag_timeline.json"
COLLECTOR = API_DIR / "collector_statuses.jsonl"
SEARCH = API_DIR / "search_v2.json"


def test_it_maps_a_local_arabic_status_with_a_link_card_and_an_image() -> None:
    post = fixture_posts(API, TIMELINE)[f"{H}/users/rasad/statuses/113900000000000001"]
    assert post == Post(
        platform="mastodon",
        post_id=f"{H}/users/rasad/statuses/113900000000000001",
        collected_at=COLLECTED,
        text=(
            "انقطاع الإنترنت في ثلاث محافظات منذ الصباح، والسلطات لم تصدر أي بيان. "
            "#قطع_الإنترنت #KeepItOn\n\n"
            "التقرير الكامل: reports.example/2025/shutdown-mar…\nشاركوا التقرير"
        ),
        url=f"{H}/@rasad/113900000000000001",
        author_id=f"{H}/users/rasad",
        author_handle="rasad@mastodon.example",
        author_name="مرصد رقمي",
        created_at=datetime(2025, 3, 4, 9, 15, 22, tzinfo=UTC),
        hashtags=["قطع_الإنترنت", "keepiton"],
        mentions=[],
        urls=["https://reports.example/2025/shutdown-march-al-jazira"],
        media=[
            Media(
                "image",
                f"{H}/system/media_attachments/files/113/900/000/original/map.png",
            )
        ],
        metrics=Metrics(likes=42, shares=17, replies=3, quotes=None, views=None),
        source=Source(str(TIMELINE), 1),
        dataset="test-set",
        raw=post.raw,
    )
    assert raw(post)["id"] == "113900000000000001"


def test_a_remote_hebrew_reply_gets_its_parents_uri_and_its_content_warning_first() -> None:
    post = fixture_posts(API, TIMELINE)[f"{R}/users/noa_privacy/statuses/113900000000000002"]
    assert post == Post(
        platform="mastodon",
        post_id=f"{R}/users/noa_privacy/statuses/113900000000000002",
        collected_at=COLLECTED,
        text="דיווח על חסימה\n\n@rasad גם אצלנו בצפון האינטרנט הסלולרי נחסם מאז הבוקר. #צנזורה",
        url=f"{R}/@noa_privacy/113900000000000002",
        author_id=f"{R}/users/noa_privacy",
        author_handle="noa_privacy@social.example",
        author_name="נועה | פרטיות",
        created_at=datetime(2025, 3, 4, 10, 2, 5, tzinfo=UTC),
        hashtags=["צנזורה"],
        mentions=["rasad@mastodon.example"],  # a local acct gets its own url's host
        reply_to=f"{H}/users/rasad/statuses/113900000000000001",
        metrics=Metrics(likes=5, shares=1, replies=0),
        source=Source(str(TIMELINE), 2),
        dataset="test-set",
        raw=post.raw,
    )


def test_a_boost_has_no_text_and_its_boosted_status_is_imported_after_it() -> None:
    posts = fixture_posts(API, TIMELINE)
    boost = posts[f"{H}/users/rasad/statuses/113900000000000004/activity"]
    boosted_uri = f"{R}/users/sam_netwatch/statuses/113900000000000003"
    assert boost == Post(
        platform="mastodon",
        post_id=f"{H}/users/rasad/statuses/113900000000000004/activity",
        collected_at=COLLECTED,
        text=None,
        url=f"{H}/users/rasad/statuses/113900000000000004/activity",
        author_id=f"{H}/users/rasad",
        author_handle="rasad@mastodon.example",
        author_name="مرصد رقمي",
        created_at=datetime(2025, 3, 4, 11, 0, tzinfo=UTC),
        repost_of=boosted_uri,
        metrics=Metrics(likes=0, shares=0, replies=0),
        source=Source(str(TIMELINE), 3),
        dataset="test-set",
        raw=boost.raw,
    )
    boosted = posts[boosted_uri]
    assert boosted.text == (
        "My account was suspended after posting footage of the protest. No reason given, "
        "appeal pending. #DigitalRights"
    )
    # Account.uri is missing (Mastodon < 4.2): the actor part of the status uri is used.
    assert (boosted.author_id, boosted.author_handle, boosted.author_name) == (
        f"{R}/users/sam_netwatch",
        "sam_netwatch@social.example",
        "Sam (NetWatch)",
    )
    assert boosted.media == [
        Media("video", f"{H}/system/cache/media_attachments/files/113/900/003/original/clip.mp4")
    ]
    assert boosted.metrics == Metrics(likes=130, shares=64, replies=12)
    assert (boosted.lang, boosted.repost_of) == (None, None)
    assert boosted.source == Source(str(TIMELINE), 4)
    assert raw(boosted)["id"] == "113900000000000003"


def test_collector_lines_give_local_accounts_the_domain_of_their_instance() -> None:
    posts = fixture_posts(API, COLLECTOR)
    post = posts[f"{H}/users/lina_h/statuses/113910000000000010"]
    assert post == Post(
        platform="mastodon",
        post_id=f"{H}/users/lina_h/statuses/113910000000000010",
        collected_at=COLLECTED,
        text="el 7esab bta3i et2afal ba3d ma nasharet el video & ma fi ay sabab #AccountSuspended",
        url=f"{H}/@lina_h/113910000000000010",
        author_id=f"{H}/users/lina_h",
        author_handle="lina_h@mastodon.example",
        author_name=None,  # display_name ""
        created_at=datetime(2025, 4, 12, 18, 30, 45, 123000, tzinfo=UTC),
        lang=None,
        hashtags=["accountsuspended"],
        metrics=Metrics(likes=2, shares=0, replies=1),
        source=Source(str(COLLECTOR), 1),
        dataset="test-set",
        raw=post.raw,
    )
    assert raw(post)["_instance"] == "mastodon.example"
    assert [p.source.record for p in posts.values() if p.source] == [1, 2, 2, 3]


def test_a_quote_points_to_the_quoted_status_which_is_imported_too() -> None:
    posts = fixture_posts(API, COLLECTOR)
    quote = posts[f"{H}/users/rasad/statuses/113910000000000011"]
    quoted_uri = f"{R}/users/noa_privacy/statuses/113900000000000002"
    assert quote.quote_of == quoted_uri
    assert quote.lang is None  # "ar-SA" stays in raw: the pipeline detects the language
    assert quote.mentions == ["noa_privacy@social.example"]
    assert quote.metrics == Metrics(likes=11, shares=4, replies=2, quotes=1)
    assert quote.text == "تم حذف المنشور بعد ساعة من نشره. @noa_privacy"
    quoted = posts[quoted_uri]
    assert quoted.mentions == ["rasad@mastodon.example"]  # _instance names the server
    assert quoted.reply_to is None  # its parent is not in this line


def test_a_shallow_quote_and_a_parent_outside_the_response_stay_empty() -> None:
    post = fixture_posts(API, COLLECTOR)[f"{H}/users/lina_h/statuses/113910000000000012"]
    assert (post.quote_of, post.reply_to, post.conversation_id) == (None, None, None)
    assert post.created_at == datetime(2025, 4, 13, 9, 0, tzinfo=UTC)
    assert post.text == "Post removed again 🙄 second time this week"


def test_a_search_result_gives_its_statuses_only() -> None:
    posts = fixture_posts(API, SEARCH)
    (post,) = posts.values()
    assert post == Post(
        platform="mastodon",
        post_id=f"{R}/users/noa_privacy/statuses/113920000000000020",
        collected_at=COLLECTED,
        text="הפוסט שלי על ההפגנה הוסר ללא הסבר. #זכויות_דיגיטליות",
        url=f"{R}/@noa_privacy/113920000000000020",
        author_id=f"{R}/users/noa_privacy",
        author_handle="noa_privacy@social.example",
        author_name="נועה | פרטיות",
        created_at=datetime(2025, 5, 20, 12, 0, tzinfo=UTC),
        hashtags=["זכויות_דיגיטליות"],
        metrics=Metrics(likes=7, shares=2, replies=0),
        source=Source(str(SEARCH), 1),
        dataset="test-set",
        raw=post.raw,
    )


def test_a_single_status_document_is_one_post() -> None:
    status = orjson.loads(TIMELINE.read_bytes())[0]
    posts, rejects = read_all(API, memory_source(orjson.dumps(status), "status.json"))
    assert rejects == []
    assert [p.post_id for p in posts] == [status["uri"]]


def test_a_thread_context_gives_ancestors_then_descendants_with_their_parents() -> None:
    first, reply, _boost = orjson.loads(TIMELINE.read_bytes())
    data = orjson.dumps({"ancestors": [first], "descendants": [reply]})
    posts, rejects = read_all(API, memory_source(data, "context.json"))
    assert rejects == []
    assert [(p.post_id, p.reply_to) for p in posts] == [
        (first["uri"], None),
        (reply["uri"], first["uri"]),
    ]
    _, rejects = read_all(API, memory_source(b'{"ancestors": "x"}', "context.json"))
    assert [(r.record, r.reason) for r in rejects] == [
        (1, '"ancestors" is a string, not a list of statuses')
    ]


def test_every_api_fixture_makes_a_table_with_the_post_schema() -> None:
    posts = [p for f in sorted(API_DIR.iterdir()) for p in fixture_posts(API, f).values()]
    assert len(posts) == 9
    assert posts_to_table(posts).num_rows == 9


# --- content HTML ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("<p>a</p><p>b<br>c<br />d</p>", "a\n\nb\nc\nd"),
        ("<p>Tom &amp; Jerry &lt;3 &#x27;ok&#39;</p>", "Tom & Jerry <3 'ok'"),
        (
            '<p><a href="https://x.example/a/b/c" rel="nofollow noopener" translate="no">'
            '<span class="invisible">https://</span><span class="ellipsis">x.example/a/</span>'
            '<span class="invisible">b/c</span></a></p>',
            "x.example/a/…",
        ),
        (
            '<p><a href="https://x.example/" translate="no"><span class="invisible">https://'
            '</span><span class="">x.example/</span><span class="invisible"></span></a></p>',
            "x.example/",
        ),
        ("", ""),
        ("plain text, no tags", "plain text, no tags"),
        ("<p>unclosed <span class='invisible'>hidden", "unclosed"),
    ],
)
def test_content_html_becomes_the_text_mastodon_shows(content: str, expected: str) -> None:
    assert html.to_text(content)[0] == expected


def test_only_plain_links_are_collected_as_urls() -> None:
    content = (
        '<p><a href="https://m.example/tags/a" class="mention hashtag" rel="tag">'
        "#<span>a</span></a>"
        ' <span class="h-card"><a href="https://m.example/@b" class="u-url mention">@<span>b'
        '</span></a></span> <a href="https://news.example/x">news</a>'
        ' <a href="https://news.example/x">again</a></p>'
    )
    assert html.to_text(content) == ("#a @b news again", ["https://news.example/x"])


# --- REST API: map_item details and bad input ----------------------------------------------------


def test_a_status_without_uri_is_a_post_error() -> None:
    with pytest.raises(PostError, match="uri: missing"):
        status_post({"id": "1", "content": "<p>x</p>", "account": {"acct": "a"}})


def test_a_bad_created_at_names_the_field_and_the_value() -> None:
    with pytest.raises(PostError, match=r"created_at: cannot parse 'yesterday'"):
        status_post({"uri": f"{H}/users/a/statuses/1", "created_at": "yesterday"})


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"favourites_count": -1}, "favourites_count"),
        ({"reblogs_count": "12"}, "reblogs_count"),
        ({"tags": "nope"}, "tags"),
        ({"account": ["x"]}, "account"),
        ({"content": 5}, "content"),
        ({"media_attachments": [{"type": 3}]}, r"media_attachments\[\]\.type"),
    ],
)
def test_wrong_types_are_post_errors_naming_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(PostError, match=field):
        status_post({"uri": f"{H}/users/a/statuses/1", **change})


def test_an_instance_key_wins_over_the_hosts_in_the_status() -> None:
    status = {
        "uri": "https://web.example/users/a/statuses/1",
        "account": {"acct": "a", "url": "https://web.example/@a"},
        "mentions": [{"acct": "b", "url": "https://web.example/@b"}],
    }
    post = status_post(status, "https://example.org")
    assert (post.author_handle, post.mentions) == ("a@example.org", ["b@example.org"])


def test_a_malformed_line_is_rejected_and_the_lines_around_it_kept() -> None:
    lines = COLLECTOR.read_bytes().splitlines(keepends=True)
    data = lines[0] + b'{"uri": "https://m.example/users/a/statuses/9", "content\n' + lines[2]
    posts, rejects = read_all(API, memory_source(data, "mixed.jsonl"))
    assert [p.source.record for p in posts if p.source] == [1, 3]
    (reject,) = rejects
    assert (reject.file, reject.record) == ("mixed.jsonl", 2)
    assert "malformed JSON in line 2" in reject.reason
    assert "statuses/9" in reject.excerpt


def test_a_truncated_document_is_one_reject() -> None:
    data = TIMELINE.read_bytes()
    BENCH.using(API).assert_a_cut_document_is_one_reject(data, "truncated")


def test_parts_that_are_not_statuses_are_rejected_and_the_others_kept() -> None:
    good = orjson.loads(SEARCH.read_bytes())["statuses"][0]
    data = orjson.dumps([1, {"name": "not a status"}, good])
    posts, rejects = read_all(API, memory_source(data, "odd.json"))
    assert [p.post_id for p in posts] == [good["uri"]]
    assert [(r.record, r.reason) for r in rejects] == [
        (1, "expected a status object, found a number"),
        (2, "an object that is not a Mastodon status (no uri, no account)"),
    ]
    assert posts[0].source == Source("odd.json", 3)


def test_records_of_bad_values_are_rejected_by_the_pipeline_rules() -> None:
    line = orjson.loads(COLLECTOR.read_bytes().splitlines()[0])
    bad = [{**line, "uri": None}, {**line, "created_at": "2025-13-45"}, line]
    data = b"\n".join(orjson.dumps(v) for v in bad) + b"\n"
    context = ctx("bad.jsonl")
    errors = []
    for item in API.read(memory_source(data, "bad.jsonl"), context):
        assert isinstance(item, Item)
        try:
            API.map_item(item, context)
        except PostError as exc:
            errors.append((item.record, str(exc)))
    assert errors == [(1, "uri: missing"), (2, "created_at: cannot parse '2025-13-45'")]


def test_api_jsonl_is_splittable_and_a_json_document_is_not() -> None:
    assert API.splittable(memory_source(b"", "s.jsonl"))
    assert not API.splittable(memory_source(b"", "s.json"))
    assert not OUTBOX.splittable(memory_source(b"", "outbox.json"))


# --- outbox --------------------------------------------------------------------------------------

OUTBOX_FILE = OUTBOX_DIR / "outbox.json"
ME = f"{H}/users/dalia"


def test_it_maps_a_created_note_with_an_image_and_a_link() -> None:
    post = fixture_posts(OUTBOX, OUTBOX_FILE)[f"{ME}/statuses/113950000000000001"]
    assert post == Post(
        platform="mastodon",
        post_id=f"{ME}/statuses/113950000000000001",
        collected_at=COLLECTED,
        text=(
            "تم تعليق حسابي على منصة أخرى بعد نشر شهادات من القرية. #حجب\n\n"
            "التفاصيل: news.example/ar/2025/02/suspen…"
        ),
        url=f"{H}/@dalia/113950000000000001",
        author_id=ME,
        author_handle="dalia@mastodon.example",
        author_name=None,
        created_at=datetime(2025, 2, 1, 8, 0, tzinfo=UTC),
        hashtags=["حجب"],
        urls=["https://news.example/ar/2025/02/suspension"],
        media=[
            Media(
                "image", "/media_attachments/files/113/950/000/000/000/001/original/screenshot.jpg"
            )
        ],
        metrics=Metrics(likes=9, shares=4),
        source=Source(str(OUTBOX_FILE), 1),
        dataset="test-set",
        raw=post.raw,
    )
    assert raw(post)["type"] == "Create"


def test_an_outbox_reply_keeps_its_parent_uri_warning_and_mentions() -> None:
    post = fixture_posts(OUTBOX, OUTBOX_FILE)[f"{ME}/statuses/113950000000000002"]
    assert post.text == "הסרת תוכן\n\n@noa_privacy @rasad תודה על הדיווח, גם הפוסט שלי הוסר."
    assert post.reply_to == f"{R}/users/noa_privacy/statuses/113900000000000002"
    assert post.mentions == ["noa_privacy@social.example", "rasad@mastodon.example"]
    assert (post.lang, post.metrics) == (None, Metrics())
    assert post.source == Source(str(OUTBOX_FILE), 2)


def test_an_announce_is_a_boost_without_text() -> None:
    post = fixture_posts(OUTBOX, OUTBOX_FILE)[f"{ME}/statuses/113950000000000003/activity"]
    assert post == Post(
        platform="mastodon",
        post_id=f"{ME}/statuses/113950000000000003/activity",
        collected_at=COLLECTED,
        author_id=ME,
        author_handle="dalia@mastodon.example",
        created_at=datetime(2025, 2, 2, 12, 0, tzinfo=UTC),
        repost_of=f"{R}/users/sam_netwatch/statuses/113900000000000003",
        source=Source(str(OUTBOX_FILE), 3),
        dataset="test-set",
        raw=post.raw,
    )


def test_an_outbox_quote_and_a_note_without_content_map() -> None:
    post = fixture_posts(OUTBOX, OUTBOX_FILE)[f"{ME}/statuses/113950000000000004"]
    assert post.quote_of == f"{R}/users/sam_netwatch/statuses/113900000000000003"
    assert (
        post.text
        == "Internet shutdown day 3. Mobile data still down in the north.\nWe keep documenting."
    )
    assert (post.lang, post.hashtags, post.media) == (None, [], [])


def test_an_empty_outbox_adds_nothing() -> None:
    assert fixture_posts(OUTBOX, OUTBOX_DIR / "empty_outbox.json") == {}


def test_outbox_activities_that_are_not_posts_are_rejected_by_position() -> None:
    outbox = orjson.loads(OUTBOX_FILE.read_bytes())
    outbox["orderedItems"] = [
        {"type": "Like", "object": "https://x.example/1"},
        "https://x.example/2",
        *outbox["orderedItems"][:1],
    ]
    posts, rejects = read_all(OUTBOX, memory_source(orjson.dumps(outbox), "outbox.json"))
    assert [p.source.record for p in posts if p.source] == [3]
    assert [(r.record, r.reason) for r in rejects] == [
        (1, "activity type 'Like' is not a post (Create) or a boost (Announce)"),
        (2, "orderedItems holds a string, not an activity"),
    ]


@pytest.mark.parametrize(
    ("activity", "message"),
    [
        ({"type": "Create", "object": "https://x.example/1"}, "object: expected an object"),
        ({"type": "Create", "object": {"type": "Note"}}, "object.id: missing"),
        ({"type": "Create", "object": {"type": "Video", "id": "u"}}, "object.type"),
        ({"type": "Announce", "object": "https://x.example/1"}, "id: missing"),
        (
            {"type": "Create", "object": {"type": "Note", "id": "u", "published": "soon"}},
            "published: cannot parse 'soon'",
        ),
        ({"type": "Create", "object": {"type": "Note", "id": "u", "tag": {}}}, "object.tag"),
    ],
)
def test_bad_outbox_activities_are_post_errors(activity: dict[str, Any], message: str) -> None:
    with pytest.raises(PostError, match=message):
        OUTBOX.map_item(Item(1, activity), ctx())


def test_a_truncated_outbox_or_one_without_items_is_rejected() -> None:
    data = OUTBOX_FILE.read_bytes()
    _, rejects = read_all(OUTBOX, memory_source(data[:-300], "outbox.json"))
    assert len(rejects) == 1 and "truncated" in rejects[0].reason
    _, rejects = read_all(OUTBOX, memory_source(b'{"type": "OrderedCollection"}', "outbox.json"))
    assert [(r.record, r.reason) for r in rejects] == [
        (1, "not an ActivityPub outbox: no orderedItems array")
    ]


# --- sniff ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(API_DIR.iterdir()), ids=lambda p: p.name)
def test_the_api_format_sniffs_its_fixtures_and_not_the_outbox(path: Path) -> None:
    sample = Sample(path.name, path.read_bytes())
    assert API.sniff(sample)
    assert not OUTBOX.sniff(sample)


@pytest.mark.parametrize("path", sorted(OUTBOX_DIR.iterdir()), ids=lambda p: p.name)
def test_the_outbox_format_sniffs_its_fixtures_and_not_the_api(path: Path) -> None:
    sample = Sample(path.name, path.read_bytes())
    assert OUTBOX.sniff(sample)
    assert not API.sniff(sample)


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("tweets.json", (FIXTURES / "x_v2" / "search_recent_ar.json").read_bytes()),
        ("rows.jsonl", b'{"id": 1, "text": "hi", "uri": "https://a.example/1"}\n'),
        ("likes.json", b'{"id": "likes.json", "type": "OrderedCollection", "orderedItems": ["u"]}'),
        ("actor.json", b'{"id": "https://m.example/users/a", "type": "Person"}'),
        ("statuses.txt", TIMELINE.read_bytes()),
        ("zeeschuimer.ndjson", b'{"source_platform": "x", "data": ' + TIMELINE.read_bytes()),
        ("empty.json", b""),
    ],
)
def test_the_mastodon_formats_refuse_other_files(name: str, head: bytes) -> None:
    assert not API.sniff(Sample(name, head))
    assert not OUTBOX.sniff(Sample(name, head))


# --- end to end ----------------------------------------------------------------------------------


def test_an_api_export_and_an_archive_import_into_one_warehouse(
    project: Settings, tmp_path: Path
) -> None:
    archive = tmp_path / "archive-20250601.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("outbox.json", OUTBOX_FILE.read_bytes())
    summary = ingest([TIMELINE, COLLECTOR, archive], project, IngestOptions())
    assert summary.formats == {"mastodon.api.v1": 2, "mastodon.outbox.v1": 1}
    assert (summary.read, summary.rejected) == (12, 0)
    assert summary.new == 11  # the quoted reply is in both API files
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute(
        "SELECT post_id, lang, repost_of FROM posts WHERE platform = 'mastodon' "
        "AND author_handle = 'dalia@mastodon.example' ORDER BY post_id"
    ).fetchall()
    assert [(r[1], r[2] is not None) for r in rows] == [
        ("ar", False),
        ("he", False),
        ("und", True),  # a boost has no text
        ("en", False),  # the pipeline detects the language of the English note
    ]


# --- robustness of map_item ----------------------------------------------------------------------

JSON_VALUES = json_values(floats=False)
API_ITEMS = BENCH.items(API_DIR)
STATUS_FIELDS = [
    "uri", "url", "account", "content", "spoiler_text", "created_at", "language", "tags",
    "mentions", "media_attachments", "card", "reblog", "quote", "favourites_count", "_instance",
]  # fmt: skip


@settings(max_examples=200)
@given(
    item=st.sampled_from(API_ITEMS),
    changes=st.dictionaries(st.sampled_from(STATUS_FIELDS), JSON_VALUES, min_size=1, max_size=3),
)
def test_value_mutated_statuses_map_or_raise_record_errors(
    item: Item, changes: dict[str, Any]
) -> None:
    record = item.raw
    mutated = Item(item.record, record._replace(status={**record.status, **changes}))
    assert_maps_or_raises_record_error(API, mutated, ctx())
