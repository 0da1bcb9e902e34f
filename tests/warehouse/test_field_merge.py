"""An update keeps the newest known value of every field, not the newest record whole.

A post already stored and imported again, collected later, is combined with the stored row
field by field: the incoming value unless it is unknown (null, an empty list, no text), else
the stored one. Repeats of a post inside one import are not combined: the newest wins whole.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from marsad.posts import POST_SCHEMA, Media, Metrics, Post, Source, posts_to_table, table_to_posts
from marsad.warehouse import MergeResult, Warehouse
from marsad.warehouse.merge import SCALARS
from tests.warehouse.factory import CREATED, DAY0
from tests.warehouse.helpers import load, scan_counts


def _day(day: int) -> datetime:
    return DAY0 + timedelta(days=day)


def _api_post(post_id: str = "1", *, day: int = 0) -> Post:
    """A rich record, as the X API gives it."""
    return Post(
        platform="x",
        post_id=post_id,
        collected_at=_day(day),
        text="النص الأول #حرية",
        text_norm="النص الاول #حرية",
        lang="ar",
        script="arab",
        url=f"https://x.com/someone/status/{post_id}",
        author_id="42",
        author_handle="someone",
        author_name="Some One",
        created_at=CREATED,
        hashtags=["حرية"],
        mentions=["other"],
        media=[Media("photo", "https://pbs.example/1.jpg")],
        conversation_id=post_id,
        metrics=Metrics(likes=50, shares=5, replies=3, quotes=1, views=900),
        source=Source("x_api.jsonl", 7),
        dataset="api",
        raw='{"id": "1", "public_metrics": {"like_count": 50}}',
    )


def _sheet_post(post_id: str = "1", *, day: int = 1, **values: Any) -> Post:
    """A poor record, as a spreadsheet export gives it: the id and little else."""
    fields: dict[str, Any] = {"source": Source("export.csv", 2), "raw": '{"id": "1"}'}
    return Post(platform="x", post_id=post_id, collected_at=_day(day), **(fields | values))


def _stored(wh: Warehouse) -> dict[str, Post]:
    rows = wh.connect().sql("SELECT * FROM posts").to_arrow_table().cast(POST_SCHEMA)
    return {post.post_id: post for post in table_to_posts(rows)}


def _import(wh: Warehouse, *posts: Post) -> MergeResult:
    return load(wh, posts_to_table(list(posts)))


def _without_metrics(posts: list[Post], nulls: list[bool]) -> pa.Table:
    """`posts` as a table, with a null metrics struct (not one of nulls) where `nulls` says."""
    data = posts_to_table(posts)
    metrics = data["metrics"]
    column = pc.if_else(pa.array(nulls), pa.scalar(None, metrics.type), metrics)
    return data.set_column(POST_SCHEMA.get_field_index("metrics"), "metrics", column)


def test_a_poorer_newer_record_keeps_what_it_lacks_and_takes_what_it_has(
    wh: Warehouse,
) -> None:
    _import(wh, _api_post())
    result = _import(wh, _sheet_post(metrics=Metrics(likes=60)))
    assert result == MergeResult(new=0, updated=1, duplicate=0)
    expected = replace(
        _api_post(),
        collected_at=_day(1),
        metrics=Metrics(likes=60, shares=5, replies=3, quotes=1, views=900),
        source=Source("export.csv", 2),
        raw='{"id": "1"}',
    )
    assert _stored(wh) == {"1": expected}
    assert scan_counts(wh) == (1, 1)


def test_a_newer_record_with_only_an_id_keeps_every_stored_value(wh: Warehouse) -> None:
    _import(wh, _api_post())
    _import(wh, _sheet_post(source=None, raw=None))
    expected = replace(_api_post(), collected_at=_day(1), source=None, raw=None)
    assert _stored(wh) == {"1": expected}  # source and raw always describe the newest record


def test_a_newer_text_replaces_the_text_and_all_its_derived_fields(wh: Warehouse) -> None:
    _import(wh, _api_post())
    _import(wh, _sheet_post(text="edited text", lang="en"))  # no text_norm, no script
    stored = _stored(wh)["1"]
    assert (stored.text, stored.text_norm, stored.lang, stored.script) == (
        "edited text",
        None,
        "en",
        None,
    )
    assert (stored.author_handle, stored.metrics.likes) == ("someone", 50)


def test_a_newer_record_without_text_keeps_the_text_and_its_derived_fields(
    wh: Warehouse,
) -> None:
    _import(wh, _api_post())
    _import(wh, _sheet_post(lang="en", script="latn"))  # a language, but no text
    stored = _stored(wh)["1"]
    assert (stored.text, stored.text_norm, stored.lang, stored.script) == (
        "النص الأول #حرية",
        "النص الاول #حرية",
        "ar",
        "arab",
    )


def test_empty_incoming_lists_keep_the_stored_ones_and_others_replace_them(
    wh: Warehouse,
) -> None:
    _import(wh, _api_post())
    _import(wh, _sheet_post(urls=["https://example.org"], mentions=["newcomer"]))
    stored = _stored(wh)["1"]
    assert stored.hashtags == ["حرية"]
    assert stored.media == [Media("photo", "https://pbs.example/1.jpg")]
    assert stored.mentions == ["newcomer"]
    assert stored.urls == ["https://example.org"]


def test_metrics_are_merged_field_by_field(wh: Warehouse) -> None:
    _import(wh, _api_post())
    _import(wh, _sheet_post(metrics=Metrics(likes=70, replies=None, quotes=0)))
    stored = _stored(wh)["1"].metrics
    assert stored == Metrics(likes=70, shares=5, replies=3, quotes=0, views=900)


def test_newer_scalar_values_win_and_nulls_keep_the_stored_ones(wh: Warehouse) -> None:
    _import(wh, _api_post())
    _import(wh, _sheet_post(author_handle="renamed", dataset="sheet", reply_to="9"))
    stored = _stored(wh)["1"]
    assert (stored.author_handle, stored.dataset, stored.reply_to) == ("renamed", "sheet", "9")
    assert (stored.author_id, stored.author_name, stored.url) == ("42", "Some One", _api_post().url)
    assert stored.created_at == CREATED


def test_an_older_record_changes_nothing(wh: Warehouse) -> None:
    _import(wh, _api_post(day=5))
    files = wh.snapshot().files
    older = replace(_api_post(day=1), author_handle="old_name", metrics=Metrics(likes=1))
    assert _import(wh, older) == MergeResult(new=0, updated=0, duplicate=1)
    assert _import(wh, _sheet_post(day=5, reply_to="9")) == MergeResult(0, 0, 1)  # not newer
    assert wh.snapshot().files == files
    assert _stored(wh) == {"1": _api_post(day=5)}


def test_repeats_in_one_import_keep_the_newest_record_whole(wh: Warehouse) -> None:
    result = _import(
        wh,
        _sheet_post("2", day=3, metrics=Metrics(likes=9)),  # the newest: wins
        _api_post("2", day=1),  # older: dropped, not used to fill the winner
    )
    assert result == MergeResult(new=1, updated=0, duplicate=1)
    assert _stored(wh) == {"2": _sheet_post("2", day=3, metrics=Metrics(likes=9))}


def test_the_newest_repeat_of_an_import_updates_a_stored_post_field_by_field(
    wh: Warehouse,
) -> None:
    _import(wh, _api_post("3", day=0))
    result = _import(
        wh,
        _sheet_post("3", day=2, metrics=Metrics(likes=80)),  # the newest: wins
        _sheet_post("3", day=1, author_name="Older Name", metrics=Metrics(views=5000)),
    )
    assert result == MergeResult(new=0, updated=1, duplicate=1)
    assert _stored(wh)["3"] == replace(
        _api_post("3"),
        collected_at=_day(2),
        metrics=Metrics(likes=80, shares=5, replies=3, quotes=1, views=900),
        source=Source("export.csv", 2),
        raw='{"id": "1"}',
    )


def test_rows_beside_an_update_in_a_rewritten_file_read_back_unchanged(wh: Warehouse) -> None:
    bare = Post(platform="telegram", post_id="5", collected_at=_day(0))
    load(wh, _without_metrics([_api_post("1"), bare], [False, True]))
    _import(wh, _sheet_post("1", metrics=Metrics(likes=60)))
    assert _stored(wh)["5"] == bare
    con = wh.connect()
    assert con.sql("SELECT metrics IS NULL FROM posts WHERE post_id = '5'").fetchall() == [(True,)]
    assert scan_counts(wh) == (2, 2)


def test_null_metrics_keep_the_stored_metrics_and_fill_missing_ones(wh: Warehouse) -> None:
    load(wh, _without_metrics([_api_post("1"), _sheet_post("2", day=0)], [False, True]))
    update = [_sheet_post("1"), _sheet_post("2", metrics=Metrics(likes=4))]
    load(wh, _without_metrics(update, [True, False]))
    stored = _stored(wh)
    assert stored["1"].metrics == _api_post().metrics
    assert stored["2"].metrics == Metrics(likes=4)


def test_the_columns_filled_from_the_stored_row_when_null() -> None:
    assert set(SCALARS) == {
        "url",
        "author_id",
        "author_handle",
        "author_name",
        "created_at",
        "reply_to",
        "quote_of",
        "repost_of",
        "conversation_id",
        "dataset",
    }
