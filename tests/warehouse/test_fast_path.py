"""An import of only new posts: its staged files become part files as they are.

Whether a commit took the fast path is read from the files themselves: the inodes of the
staged files, taken just before the commit, are those of the new part files when they were
renamed into place, and different when the rows were rewritten.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import marsad.warehouse.merge as merge_module
import marsad.warehouse.parts as parts_module
from marsad.posts import POST_SCHEMA
from marsad.warehouse import MergeResult, MergeSettings, Warehouse
from marsad.warehouse.parts import ROW_GROUP_ROWS, PartFile
from tests.warehouse.factory import table
from tests.warehouse.helpers import likes_by_id, load, scan_counts


def _commit_noting_staged_inodes(wh: Warehouse, *tables: pa.Table) -> tuple[MergeResult, set[int]]:
    """One import of `tables`; its result and the inodes of its staged files at commit time."""
    with wh.begin_import() as txn:
        for t in tables:
            txn.add(t)
        txn._staging.close()  # what commit does first; the files are then complete
        inodes = {path.stat().st_ino for path in txn.folder.glob("stage-*.parquet")}
        assert inodes, "nothing was staged"
        return txn.commit(), inodes


def _new_inodes(wh: Warehouse, before: tuple[str, ...]) -> set[int]:
    """The inodes of the files the latest snapshot added."""
    added = set(wh.snapshot().files) - set(before)
    return {(wh.folders.posts / name).stat().st_ino for name in added}


def _rows_per_file(wh: Warehouse) -> list[int]:
    return sorted(pq.read_metadata(p).num_rows for p in wh.snapshot().paths(wh.folders.posts))


def test_a_first_import_renames_its_staged_files_into_parts(tmp_path: Path) -> None:
    wh = Warehouse.create(tmp_path / "w", settings=MergeSettings(file_rows=300))
    result, staged = _commit_noting_staged_inodes(wh, table(range(500)), table(range(500, 1000)))
    assert result == MergeResult(new=1000, updated=0, duplicate=0)
    assert _new_inodes(wh, ()) == staged
    assert _rows_per_file(wh) == [100, 300, 300, 300]
    assert wh.count() == 1000 and scan_counts(wh) == (1000, 1000)
    assert set(likes_by_id(wh)) == {str(i) for i in range(1000)}
    assert list(wh.folders.staging.iterdir()) == []


def test_adopted_parts_are_proper_part_files(wh: Warehouse) -> None:
    load(wh, table(range(10)))
    for path in wh.snapshot().paths(wh.folders.posts):
        metadata = pq.read_metadata(path)
        assert pq.read_schema(path).equals(POST_SCHEMA, check_metadata=False)
        assert metadata.schema.to_arrow_schema().field("post_id").nullable is False
        assert metadata.row_group(0).column(0).compression == "ZSTD"
        assert all(
            metadata.row_group(i).num_rows <= ROW_GROUP_ROWS for i in range(metadata.num_row_groups)
        )


def test_an_import_of_fresh_posts_into_a_full_warehouse_is_renamed_too(wh: Warehouse) -> None:
    load(wh, table(range(100), day=0, likes=1))
    before = wh.snapshot().files
    result, staged = _commit_noting_staged_inodes(wh, table(range(100, 250), day=1, likes=2))
    assert result == MergeResult(new=150, updated=0, duplicate=0)
    assert _new_inodes(wh, before) == staged
    assert set(before) <= set(wh.snapshot().files)
    likes = likes_by_id(wh)
    assert wh.count() == 250 and scan_counts(wh) == (250, 250)
    assert {likes[str(i)] for i in range(100)} == {1}
    assert {likes[str(i)] for i in range(100, 250)} == {2}


@pytest.mark.parametrize(
    ("tables", "result", "likes"),
    [
        # one post staged twice: the later one wins, so the rows are rewritten
        ([table(range(10, 20), likes=2), table([15], likes=3)], MergeResult(10, 0, 1), (1, 3)),
        # a post already stored, collected later: an update
        ([table(range(9, 20), day=1, likes=2)], MergeResult(10, 1, 0), (2, 2)),
        # a post already stored, same collection time: a duplicate
        ([table(range(9, 20), likes=2)], MergeResult(10, 0, 1), (1, 2)),
    ],
    ids=["repeat-in-import", "stored-key-updated", "stored-key-duplicate"],
)
def test_an_import_with_a_repeat_or_a_stored_key_is_rewritten(
    wh: Warehouse, tables: list[pa.Table], result: MergeResult, likes: tuple[int, int]
) -> None:
    load(wh, table(range(10), likes=1))
    before = wh.snapshot().files
    got, staged = _commit_noting_staged_inodes(wh, *tables)
    assert got == result
    assert _new_inodes(wh, before).isdisjoint(staged)
    assert wh.count() == 20 and scan_counts(wh) == (20, 20)
    by_id = likes_by_id(wh)
    assert (by_id["9"], by_id["15"]) == likes


def test_staged_files_on_another_filesystem_are_rewritten(
    wh: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(merge_module, "_same_filesystem", lambda staged, folder: False)
    result, staged = _commit_noting_staged_inodes(wh, table(range(50)))
    assert result == MergeResult(new=50, updated=0, duplicate=0)
    assert _new_inodes(wh, ()).isdisjoint(staged)
    assert scan_counts(wh) == (50, 50)


def test_repeats_across_staged_files_keep_the_newest_then_the_last_added(
    tmp_path: Path,
) -> None:
    """The order rows were added is the staged file order, then the row order in each file."""
    wh = Warehouse.create(tmp_path / "w", settings=MergeSettings(file_rows=3))
    result = load(
        wh,
        table(range(10), day=2, likes=1),
        table(range(5), day=3, likes=2),  # newer: wins for 0-4
        table(range(5, 10), day=1, likes=3),  # older: loses for 5-9
        table(range(5, 8), day=2, likes=4),  # same time, added last: wins for 5-7
    )
    assert result == MergeResult(new=10, updated=0, duplicate=13)
    likes = likes_by_id(wh)
    assert [likes[str(i)] for i in range(10)] == [2] * 5 + [4] * 3 + [1] * 2
    assert scan_counts(wh) == (10, 10)


def test_fresh_imports_still_compact_small_files(tmp_path: Path) -> None:
    wh = Warehouse.create(tmp_path / "w", settings=MergeSettings(compact_files=3))
    counts = []
    for start in range(0, 60, 10):
        load(wh, table(range(start, start + 10)))
        counts.append(len(wh.snapshot().files))
    assert counts == [1, 2, 3, 1, 2, 3]  # the 4th import found 3 small files and merged all
    assert wh.count() == 60 and scan_counts(wh) == (60, 60)


def test_a_big_fresh_import_is_renamed_while_small_files_are_compacted(tmp_path: Path) -> None:
    settings = MergeSettings(compact_files=2, compact_bytes=20_000, file_rows=5000)
    wh = Warehouse.create(tmp_path / "w", settings=settings)
    load(wh, table(range(10)))
    load(wh, table(range(10, 20)))
    small = wh.snapshot().files
    result, staged = _commit_noting_staged_inodes(wh, table(range(1000, 6010)))
    assert result == MergeResult(new=5010, updated=0, duplicate=0)
    files = wh.snapshot().files
    sizes = {name: pq.read_metadata(wh.folders.posts / name).num_rows for name in files}
    assert sorted(sizes.values()) == [30, 5000]  # 10 + 10 small ones and the 10-row tail
    assert not set(small) & set(files)
    big = next(name for name, rows in sizes.items() if rows == 5000)
    assert (wh.folders.posts / big).stat().st_ino in staged  # the big staged file moved
    assert wh.count() == 5030 and scan_counts(wh) == (5030, 5030)


def test_a_commit_failing_between_moves_leaves_the_snapshot_and_unlisted_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wh = Warehouse.create(tmp_path / "w", settings=MergeSettings(file_rows=300))
    load(wh, table(range(10)))
    before = wh.snapshot()
    real_adopt = parts_module._adopt
    moved: list[str] = []

    def adopt_once_then_fail(path: Path, rows: int, folder: Path) -> PartFile:
        if moved:
            raise OSError("disk trouble")
        part = real_adopt(path, rows, folder)
        moved.append(part.name)
        return part

    monkeypatch.setattr(parts_module, "_adopt", adopt_once_then_fail)
    with pytest.raises(OSError, match="disk trouble"):
        load(wh, table(range(100, 400)), table(range(400, 700)))  # two staged files
    assert wh.snapshot() == before and scan_counts(wh) == (10, 10)
    assert pq.read_metadata(wh.folders.posts / moved[0]).num_rows == 300  # moved, unlisted
    assert wh.vacuum().parts == 0  # within the grace period
    assert wh.vacuum(grace_seconds=0).parts == 1
    on_disk = {p.name for p in wh.folders.posts.iterdir()} - {"_snapshot.json"}
    assert on_disk == set(before.files)
    assert list(wh.folders.staging.iterdir()) == []


def test_two_imports_of_the_same_fresh_posts_staged_at_once_store_them_once(
    wh: Warehouse,
) -> None:
    with wh.begin_import() as first, wh.begin_import() as second:
        first.add(table(range(100), likes=1))
        second.add(table(range(50, 150), likes=2))
        assert first.commit() == MergeResult(new=100, updated=0, duplicate=0)
        assert second.commit() == MergeResult(new=50, updated=0, duplicate=50)
    likes = likes_by_id(wh)
    assert wh.count() == 150 and scan_counts(wh) == (150, 150)
    assert {likes[str(i)] for i in range(100)} == {1}
    assert {likes[str(i)] for i in range(100, 150)} == {2}


def _row_groups(wh: Warehouse) -> list[list[int]]:
    groups = []
    for path in wh.snapshot().paths(wh.folders.posts):
        metadata = pq.read_metadata(path)
        groups.append([metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)])
    return groups


def test_staged_and_rewritten_parts_have_whole_row_groups(wh: Warehouse) -> None:
    rows = 2 * ROW_GROUP_ROWS + 1000
    fresh = table(range(rows), day=0, likes=1)
    assert load(wh, *fresh.to_batches(20_000)) == MergeResult(new=rows, updated=0, duplicate=0)
    assert _row_groups(wh) == [[ROW_GROUP_ROWS, ROW_GROUP_ROWS, 1000]]  # a staged file
    # 500 updates (so the stored file is rewritten) and 500 new posts
    result = load(wh, table(range(rows - 500, rows + 500), day=1, likes=2))
    assert result == MergeResult(new=500, updated=500, duplicate=0)
    assert _row_groups(wh) == [[ROW_GROUP_ROWS, ROW_GROUP_ROWS, 1500]]  # a rewritten part
    likes = likes_by_id(wh)
    assert scan_counts(wh) == (rows + 500, rows + 500)
    assert {likes[str(i)] for i in range(rows - 500, rows + 500)} == {2}
