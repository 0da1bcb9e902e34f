"""The daily counts behind `index` and `spikes`, computed from the label parts' copies of their
posts' values where these are current, through the posts where they may not be."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pyarrow as pa
import pytest

from marsad.analyze import daily
from marsad.analyze.base import Context
from marsad.analyze.daily import DAILY_SQL, PartPlan, cached_counts, plan_parts
from marsad.analyze.labels import LabelSource
from marsad.analyze.sql import arrow
from marsad.classify.store import label_parts, read_part_info, version_folder
from marsad.posts import Post
from tests.analyze.conftest import MODEL, VERSION, Built, Label, post

SOURCE = LabelSource(MODEL, VERSION)
LATER = datetime(2026, 3, 1, tzinfo=UTC)
D1, D2 = date(2025, 3, 1), date(2025, 3, 2)

Row = tuple[Any, ...]


def daily_rows(built: Built) -> list[Row]:
    """The whole warehouse's daily counts, computed afresh (no cached table yet)."""
    table = cached_counts(built.warehouse, SOURCE)
    names = ("day", "platform", "lang", "dataset", "label", "posts")
    return sorted(
        (tuple(row[n] for n in names) for row in table.to_pylist()), key=lambda r: repr(r)
    )


def joined(built: Built) -> list[Row]:
    """The same counts by joining every post with its newest label (the `labels` view)."""
    ctx: Context = built.context()
    table: pa.Table = arrow(ctx.con, DAILY_SQL.format(where="TRUE"), [MODEL, VERSION])
    return sorted((tuple(row.values()) for row in table.to_pylist()), key=lambda r: repr(r))


def plan(built: Built) -> PartPlan:
    warehouse = built.warehouse
    posts = warehouse.snapshot().paths(warehouse.folders.posts)
    return plan_parts(label_parts(version_folder(warehouse, MODEL, VERSION)), posts)


def newer(item: Post, **changes: Any) -> Post:
    """`item` as a later import brings it (collected later, so it updates the stored post)."""
    return dataclasses.replace(item, collected_at=LATER, **changes)


def fill(built: Built) -> None:
    built.add_posts(
        [
            post("1", "2025-03-01", dataset="a"),
            post("2", "2025-03-01", dataset="a"),
            post("3", "2025-03-01", dataset="a"),  # not labelled
            post("4", "2025-03-02", lang=None),
            post("5", "2025-03-02", platform="telegram", lang="he", text=None),
            post("6", None),  # no day: not counted
        ]
    )
    built.add_labels(
        [
            Label("1", "hate"),
            Label("2", "none"),
            Label("4", "incitement"),
            Label("5", None, platform="telegram"),  # no text, no label
            Label("6", "hate"),
        ]
    )


EXPECTED = [
    (D1, "x", "ar", "a", None, 1),
    (D1, "x", "ar", "a", "hate", 1),
    (D1, "x", "ar", "a", "none", 1),
    (D2, "telegram", "he", None, None, 1),
    (D2, "x", None, None, "incitement", 1),
]


def test_labels_written_as_classify_does_are_counted_without_the_posts(built: Built) -> None:
    fill(built)
    found = plan(built)
    assert (len(found.fresh), found.stale, found.old, found.replaces) == (1, [], [], 0)
    assert not found.joined
    assert daily_rows(built) == sorted(EXPECTED, key=lambda r: repr(r)) == joined(built)


def test_when_many_labels_replace_others_the_counts_come_from_the_join(built: Built) -> None:
    fill(built)
    built.add_labels(
        [Label("1", "offensive", classified_at=LATER), Label("2", None, classified_at=LATER)]
    )
    found = plan(built)
    assert (len(found.fresh), found.replaces, found.joined) == (2, 2, True)  # 2 of 7: many
    expected = [row for row in EXPECTED if row[0] != D1] + [
        (D1, "x", "ar", "a", None, 2),
        (D1, "x", "ar", "a", "offensive", 1),
    ]
    assert daily_rows(built) == sorted(expected, key=lambda r: repr(r)) == joined(built)


def test_only_the_posts_with_a_label_that_replaces_another_are_reduced(built: Built) -> None:
    fill(built)
    built.add_labels([Label("1", "offensive", classified_at=LATER)])  # 1 label of 6 replaces
    found = plan(built)
    assert (len(found.fresh), found.replaces, found.joined) == (2, 1, False)
    expected = [row for row in EXPECTED if row[4] != "hate"] + [
        (D1, "x", "ar", "a", "offensive", 1)
    ]
    assert daily_rows(built) == sorted(expected, key=lambda r: repr(r)) == joined(built)


def test_an_old_part_without_the_copied_columns_is_counted_through_the_posts(
    built: Built,
) -> None:
    built.add_posts([post("1", "2025-03-01", dataset="a"), post("2", "2025-03-01", dataset="a")])
    built.old_parts = True
    built.add_labels([Label("1", "hate"), Label("2", "none")])
    built.old_parts = False
    built.add_labels([Label("2", "offensive", classified_at=LATER)])
    found = plan(built)
    assert (len(found.fresh), len(found.old), found.replaces, found.joined) == (1, 1, 1, True)
    assert read_part_info(found.old[0]) is None
    expected = [(D1, "x", "ar", "a", "hate", 1), (D1, "x", "ar", "a", "offensive", 1)]
    assert daily_rows(built) == expected == joined(built)


def test_a_post_updated_after_it_was_labelled_counts_with_its_new_values(built: Built) -> None:
    first = post("1", "2025-03-01", dataset="a")
    built.add_posts([first, post("2", "2025-03-01", dataset="a")])
    built.add_labels([Label("1", "hate"), Label("2", "none")])
    # same text (no new label), but a corrected day, language and dataset
    moved = newer(first, created_at=datetime(2025, 3, 2, 9, tzinfo=UTC), lang="he", dataset="b")
    built.add_posts([moved])
    found = plan(built)
    assert (found.fresh, len(found.stale), found.joined) == ([], 1, False)
    expected = [(D1, "x", "ar", "a", "none", 1), (D2, "x", "he", "b", "hate", 1)]
    assert daily_rows(built) == expected == joined(built)


@pytest.mark.parametrize("old_parts", [False, True], ids=["classify", "with-old-parts"])
def test_counts_equal_the_join_after_random_imports_updates_and_labelling_runs(
    built: Built, old_parts: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(daily, "JOIN_REPLACED_SHARE", 1.0)  # reduce however many replace
    rng = random.Random(5)
    days, langs, datasets = ["2025-03-01", "2025-03-02", None], ["ar", "he", None], ["a", None]
    labels = ["incitement", "hate", "offensive", "none", None]
    stored: dict[str, Post] = {}
    for step in range(6):
        ids = [str(rng.randrange(40)) for _ in range(15)]
        when = datetime(2026, 1, 1 + step, tzinfo=UTC)
        batch = {
            i: dataclasses.replace(
                post(i, rng.choice(days), lang=rng.choice(langs), dataset=rng.choice(datasets)),
                collected_at=when,
            )
            for i in ids
        }
        built.add_posts(list(batch.values()))
        stored |= batch
        built.old_parts = old_parts and step == 1
        chosen = rng.sample(sorted(stored), 8)
        at = datetime(2026, 2, 1 + step, tzinfo=UTC)
        built.add_labels([Label(i, rng.choice(labels), classified_at=at) for i in chosen])
    found = plan(built)
    assert found.fresh and found.stale and found.replaces
    assert (bool(found.old), found.joined) == (old_parts, old_parts)
    assert daily_rows(built) == joined(built)


@pytest.mark.parametrize("seed", [2, 4])
def test_counts_equal_the_join_with_many_posts_files_fresh_and_stale_parts_and_a_compaction(
    built: Built, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Imports of new posts only (kept as new files, so earlier label parts stay fresh) mixed
    with updates (which rewrite a file and make the parts naming it stale), until small files
    are compacted; the counts are compared with the join every fifth step."""
    monkeypatch.setattr(daily, "JOIN_REPLACED_SHARE", 1.0)
    rng = random.Random(seed)
    days, langs, datasets = ["2025-03-01", "2025-03-02", None], ["ar", "he", None], ["a", None]
    labels = ["incitement", "hate", "offensive", "none", None]
    stored: dict[str, Post] = {}
    most_fresh = mixed = compactions = 0
    for step in range(25):
        before = set(built.warehouse.snapshot().files)
        new_only = rng.random() < 0.6 or not stored
        if new_only:
            ids = [str(len(stored) + k) for k in range(rng.randrange(1, 6))]
        else:
            ids = rng.sample(sorted(stored), min(len(stored), rng.randrange(1, 3)))
        when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=step)
        batch = {
            i: dataclasses.replace(
                post(
                    i,
                    rng.choice(days),
                    lang=rng.choice(langs),
                    dataset=rng.choice(datasets),
                    text=rng.choice(["one text", "another text"]),
                ),
                collected_at=when,
            )
            for i in ids
        }
        built.add_posts(list(batch.values()))
        stored |= batch
        compactions += new_only and bool(before - set(built.warehouse.snapshot().files))
        if rng.random() < 0.7:
            chosen = rng.sample(sorted(stored), min(len(stored), rng.randrange(1, 5)))
            at = datetime(2026, 2, 1, tzinfo=UTC) + timedelta(hours=step)
            built.add_labels([Label(i, rng.choice(labels), classified_at=at) for i in chosen])
        if step % 5 == 4:
            found = plan(built)
            most_fresh = max(most_fresh, len(found.fresh))
            mixed += bool(found.fresh and found.stale)
            assert daily_rows(built) == joined(built), f"step {step}"
    assert (most_fresh > 1, mixed > 0, compactions > 0) == (True, True, True)
