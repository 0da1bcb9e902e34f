"""Creating, opening, importing into and reading the posts warehouse."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from marsad.posts import POST_SCHEMA, posts_to_table, table_to_posts
from marsad.warehouse import MergeResult, MergeSettings, Warehouse, WarehouseError
from tests.warehouse.factory import post, table
from tests.warehouse.helpers import likes_by_id, load, scan_counts


def test_create_makes_an_empty_warehouse_at_version_zero(tmp_path: Path) -> None:
    wh = Warehouse.create(tmp_path / "w")
    snapshot = wh.snapshot()
    assert (snapshot.version, snapshot.files, snapshot.rows) == (0, (), 0)
    assert wh.count() == 0
    assert Warehouse(tmp_path / "w").count() == 0


def test_opening_a_missing_warehouse_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match=str(tmp_path / "nowhere")):
        Warehouse(tmp_path / "nowhere")


def test_create_refuses_an_existing_warehouse_unless_asked(tmp_path: Path) -> None:
    Warehouse.create(tmp_path / "w")
    with pytest.raises(WarehouseError, match="already exists"):
        Warehouse.create(tmp_path / "w")
    assert Warehouse.create(tmp_path / "w", exist_ok=True).count() == 0


def test_a_damaged_snapshot_is_reported_with_its_path(wh: Warehouse) -> None:
    (wh.folders.posts / "_snapshot.json").write_text("{not json")
    with pytest.raises(WarehouseError, match=r"damaged warehouse snapshot .*_snapshot\.json"):
        wh.count()


def test_empty_warehouse_has_an_empty_posts_view_with_every_column(wh: Warehouse) -> None:
    result = wh.connect().sql("SELECT * FROM posts").to_arrow_table()
    assert result.num_rows == 0
    assert result.schema.names == POST_SCHEMA.names


def test_appended_posts_read_back_unchanged(wh: Warehouse) -> None:
    posts = [post(1, likes=5), post(2, platform="telegram", lang=None, likes=None)]
    result = load(wh, posts_to_table(posts))
    assert result == MergeResult(new=2, updated=0, duplicate=0)
    stored = wh.connect().sql("SELECT * FROM posts ORDER BY post_id").to_arrow_table()
    assert list(table_to_posts(stored.cast(POST_SCHEMA))) == posts
    assert wh.count() == 2


def test_part_files_have_exactly_the_post_schema(wh: Warehouse) -> None:
    load(wh, table(range(10)))
    for path in wh.snapshot().paths(wh.folders.posts):
        assert pq.read_schema(path).equals(POST_SCHEMA, check_metadata=False)


def test_reimporting_the_same_table_adds_nothing(wh: Warehouse) -> None:
    load(wh, table(range(100)))
    files_before = wh.snapshot().files
    assert load(wh, table(range(100))) == MergeResult(new=0, updated=0, duplicate=100)
    assert wh.count() == 100
    assert wh.snapshot().files == files_before
    assert scan_counts(wh) == (100, 100)


def test_newer_overlapping_import_replaces_metrics_and_adds_the_rest(wh: Warehouse) -> None:
    load(wh, table(range(100), day=0, likes=1))
    result = load(wh, table(range(50, 150), day=1, likes=7))
    assert result == MergeResult(new=50, updated=50, duplicate=0)
    likes = likes_by_id(wh)
    assert wh.count() == 150 and len(likes) == 150
    assert {likes[str(i)] for i in range(50)} == {1}
    assert {likes[str(i)] for i in range(50, 150)} == {7}
    assert scan_counts(wh) == (150, 150)


def test_an_update_replaces_the_text_and_collection_time_too(wh: Warehouse) -> None:
    load(wh, posts_to_table([post(1, day=0, text="first text")]))
    load(wh, posts_to_table([post(1, day=1, text="edited text")]))
    rows = wh.connect().sql("SELECT text, collected_at FROM posts").fetchall()
    assert rows == [("edited text", datetime(2024, 3, 2, tzinfo=UTC))]


def test_an_older_reimport_does_not_overwrite_newer_data(wh: Warehouse) -> None:
    load(wh, table(range(20), day=5, likes=9))
    assert load(wh, table(range(20), day=1, likes=2)) == MergeResult(0, 0, 20)
    assert set(likes_by_id(wh).values()) == {9}


def test_equal_collection_time_counts_as_duplicate(wh: Warehouse) -> None:
    load(wh, table(range(5), day=1, likes=1))
    assert load(wh, table(range(5), day=1, likes=2)) == MergeResult(0, 0, 5)
    assert set(likes_by_id(wh).values()) == {1}


def test_repeats_within_one_import_keep_the_newest_then_the_last_added(wh: Warehouse) -> None:
    result = load(
        wh,
        table(range(10), day=2, likes=1),
        table(range(5), day=3, likes=2),  # newer: wins for 0-4
        table(range(5, 10), day=1, likes=3),  # older: loses for 5-9
        table(range(5, 8), day=2, likes=4),  # same time, added last: wins for 5-7
    )
    assert result == MergeResult(new=10, updated=0, duplicate=13)
    assert result.staged == 23
    likes = likes_by_id(wh)
    assert [likes[str(i)] for i in range(10)] == [2] * 5 + [4] * 3 + [1] * 2


def test_the_same_id_on_two_platforms_is_two_posts(wh: Warehouse) -> None:
    result = load(wh, table(range(3), platform="x"), table(range(3), platform="telegram"))
    assert result == MergeResult(new=6, updated=0, duplicate=0)


def test_leaving_the_block_without_commit_discards_the_import(wh: Warehouse) -> None:
    with wh.begin_import() as txn:
        txn.add(table(range(10)))
        staging = txn.folder
        assert staging.is_dir()
    assert wh.count() == 0 and wh.snapshot().version == 0
    assert not staging.exists()


def test_an_exception_inside_the_block_discards_the_import(wh: Warehouse) -> None:
    with pytest.raises(RuntimeError), wh.begin_import() as txn:
        txn.add(table(range(10)))
        raise RuntimeError("importer failed")
    assert wh.count() == 0
    assert list(wh.folders.staging.iterdir()) == []
    assert list(wh.folders.posts.glob("part-*")) == []


def test_a_finished_import_refuses_more_rows(wh: Warehouse) -> None:
    with wh.begin_import() as txn:
        txn.commit()
        with pytest.raises(WarehouseError, match="already committed"):
            txn.add(table(range(1)))


def test_committing_nothing_changes_nothing(wh: Warehouse) -> None:
    with wh.begin_import() as txn:
        txn.add(table([]))
        assert txn.commit() == MergeResult(0, 0, 0)
    assert wh.snapshot().version == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (table(range(2)).drop_columns(["lang"]), "missing columns: lang"),
        (table(range(2)).append_column("extra", pa.array([1, 2])), "unexpected columns: extra"),
        (
            table(range(2)).set_column(
                6, "created_at", pa.array([0, 0], pa.timestamp("ns", tz="UTC"))
            ),
            "column 'created_at' is timestamp\\[ns, tz=UTC\\], expected timestamp\\[us, tz=UTC\\]",
        ),
        (
            pa.table({"platform": ["x"], "post_id": ["1"]}),
            "does not match POST_SCHEMA: missing columns: url, author_id",
        ),
    ],
)
def test_a_table_with_another_schema_is_refused_clearly(
    wh: Warehouse, data: pa.Table, message: str
) -> None:
    with wh.begin_import() as txn, pytest.raises(WarehouseError, match=message):
        txn.add(data)


def test_a_table_without_a_key_is_refused(wh: Warehouse) -> None:
    loose = pa.schema([field.with_nullable(True) for field in POST_SCHEMA])
    data = table(range(2)).cast(loose).set_column(1, "post_id", pa.array([None, "2"], pa.string()))
    with wh.begin_import() as txn, pytest.raises(WarehouseError, match="'post_id' has null"):
        txn.add(data)


def test_columns_in_another_order_and_record_batches_are_accepted(wh: Warehouse) -> None:
    data = table(range(4))
    shuffled = data.select(list(reversed(data.column_names)))
    with wh.begin_import() as txn:
        txn.add(shuffled.to_batches()[0])
        assert txn.commit().new == 4


def test_a_reader_keeps_its_snapshot_while_a_commit_lands(wh: Warehouse) -> None:
    load(wh, table(range(100), day=0, likes=1))
    before = wh.connect()
    load(wh, table(range(50, 200), day=1, likes=2))
    wh.vacuum()  # within the grace period: the replaced file stays for `before`
    assert before.sql("SELECT count(*), max(metrics.likes) FROM posts").fetchall() == [(100, 1)]
    after = wh.connect()
    assert after.sql("SELECT count(*), max(metrics.likes) FROM posts").fetchall() == [(200, 2)]


def test_large_imports_are_split_into_capped_part_files(tmp_path: Path) -> None:
    wh = Warehouse.create(tmp_path / "w", settings=MergeSettings(file_rows=300))
    load(wh, table(range(1000)))
    sizes = sorted(pq.read_metadata(p).num_rows for p in wh.snapshot().paths(wh.folders.posts))
    assert sizes == [100, 300, 300, 300]
    assert scan_counts(wh) == (1000, 1000)


def test_an_update_rewrites_only_the_files_holding_updated_posts(tmp_path: Path) -> None:
    wh = Warehouse.create(tmp_path / "w", settings=MergeSettings(compact_files=100))
    load(wh, table(range(0, 10)))
    untouched = wh.snapshot().files
    load(wh, table(range(10, 20)))
    touched = set(wh.snapshot().files) - set(untouched)
    load(wh, table(range(15, 25), day=1, likes=3))
    files = set(wh.snapshot().files)
    assert set(untouched) <= files and not touched & files
    assert wh.count() == 25 and scan_counts(wh) == (25, 25)


def test_many_small_imports_are_compacted(tmp_path: Path) -> None:
    wh = Warehouse.create(tmp_path / "w", settings=MergeSettings(compact_files=4))
    for start in range(0, 100, 10):
        load(wh, table(range(start, start + 10)))
        assert len(wh.snapshot().files) <= 4
    assert scan_counts(wh) == (100, 100)


def test_a_missing_listed_file_is_reported(wh: Warehouse) -> None:
    load(wh, table(range(3)))
    wh.snapshot().paths(wh.folders.posts)[0].unlink()
    with pytest.raises(WarehouseError, match="damaged: snapshot v1 lists 1 missing"):
        wh.connect()
