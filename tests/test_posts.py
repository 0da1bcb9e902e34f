from datetime import UTC, datetime, timedelta, timezone

import pyarrow as pa
import pytest

from marsad.posts import (
    POST_SCHEMA,
    Media,
    Metrics,
    Post,
    PostError,
    Source,
    posts_to_table,
    table_to_posts,
)

COLLECTED = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def post(**fields: object) -> Post:
    values: dict[str, object] = {"platform": "x", "post_id": "1", "collected_at": COLLECTED}
    values.update(fields)
    return Post(**values)  # type: ignore[arg-type]


def test_a_full_post_round_trips_through_its_arrow_table() -> None:
    original = post(
        text="تم تعليق حسابي #حرية_التعبير",
        text_norm="تم تعليق حسابي #حريه_التعبير",
        author_handle="observer_demo",
        created_at=datetime(2025, 5, 14, 8, 30, tzinfo=UTC),
        lang="ar",
        script="arab",
        hashtags=["حرية_التعبير"],
        media=[Media("photo", "https://pbs.example/1.jpg"), Media("video")],
        reply_to="0",
        metrics=Metrics(likes=3, views=None),
        source=Source("search.jsonl", 7),
        dataset="may",
        raw='{"id": "1"}',
    )
    table = posts_to_table([original, post(post_id="2")])
    assert table.schema.equals(POST_SCHEMA)
    assert list(table_to_posts(table)) == [original, post(post_id="2")]


def test_an_aware_time_is_stored_as_the_same_instant_in_utc() -> None:
    jerusalem = timezone(timedelta(hours=3))
    table = posts_to_table([post(created_at=datetime(2025, 5, 14, 11, 30, tzinfo=jerusalem))])
    stored = table.column("created_at")[0].as_py()
    assert stored == datetime(2025, 5, 14, 8, 30, tzinfo=UTC)
    assert table.schema.field("created_at").type == pa.timestamp("us", tz="UTC")


def test_unknown_metrics_stay_null_never_zero() -> None:
    table = posts_to_table([post(metrics=Metrics(likes=0))])
    assert table.column("metrics")[0].as_py() == {
        "likes": 0,
        "shares": None,
        "replies": None,
        "quotes": None,
        "views": None,
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"platform": ""}, "platform: empty"),
        ({"post_id": ""}, "post_id: empty"),
        ({"created_at": datetime(2025, 1, 1)}, "created_at: naive datetime"),
        ({"collected_at": datetime(2025, 1, 1)}, "collected_at: naive datetime"),
        ({"metrics": Metrics(likes=-1)}, "metrics.likes: -1 is not a count"),
        ({"metrics": Metrics(views=True)}, "metrics.views: True is not a count"),
    ],
)
def test_it_refuses_a_bad_post_naming_the_field(fields: dict[str, object], message: str) -> None:
    with pytest.raises(PostError, match=message):
        post(**fields)
