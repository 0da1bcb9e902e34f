"""Labels in the warehouse: atomic parts per model version, the `labels` view, the lock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from marsad.classify.store import (
    LABEL_SCHEMA,
    VIEW_COLUMNS,
    LabelsBusy,
    VersionLock,
    connect,
    label_parts,
    remove_temp_parts,
    version_folder,
    write_part,
)
from marsad.warehouse import Warehouse


@pytest.fixture()
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse.create(tmp_path / "warehouse")


def labels(rows: list[tuple[str, str, str | None, datetime]], version: str = "v1") -> pa.Table:
    """Label rows of (post_id, text hash, label, classified_at) from model "m" on X."""
    n = len(rows)
    return pa.table(
        {
            "platform": ["x"] * n,
            "post_id": [r[0] for r in rows],
            "model": ["m"] * n,
            "model_version": [version] * n,
            "label": [r[2] for r in rows],
            "score_incitement": [0.1] * n,
            "score_hate": [0.1] * n,
            "score_offensive": [0.1] * n,
            "score_none": [0.7] * n,
            "lang": ["ar"] * n,
            "text_hash": [r[1] for r in rows],
            "classified_at": [r[3] for r in rows],
        }
    )


JUNE = datetime(2025, 6, 1, tzinfo=UTC)
JULY = datetime(2025, 7, 1, tzinfo=UTC)


def test_a_part_appears_only_whole_under_its_final_name(warehouse: Warehouse) -> None:
    folder = version_folder(warehouse, "m", "v1")
    folder.mkdir(parents=True)
    path = write_part(folder, labels([("1", "h", "none", JUNE)]))
    assert [p.name for p in folder.iterdir()] == [path.name]
    assert pq.read_table(path).schema.equals(LABEL_SCHEMA)


def test_only_half_written_parts_are_removed_after_a_killed_run(warehouse: Warehouse) -> None:
    folder = version_folder(warehouse, "m", "v1")
    folder.mkdir(parents=True)
    kept = write_part(folder, labels([("1", "h", "none", JUNE)]))
    (folder / ".part-dead.parquet.tmp").write_bytes(b"PAR1 half")
    assert remove_temp_parts(folder) == 1
    assert label_parts(folder) == [kept]


def test_the_labels_view_keeps_every_version_and_the_newest_label_of_a_text(
    warehouse: Warehouse,
) -> None:
    old = version_folder(warehouse, "m", "v1")
    old.mkdir(parents=True)
    write_part(old, labels([("1", "before", "none", JUNE)]))
    write_part(old, labels([("1", "after", "incitement", JULY), ("2", "h", "hate", JUNE)]))
    new = version_folder(warehouse, "m", "v2")
    new.mkdir(parents=True)
    write_part(new, labels([("1", "after", "offensive", JULY)], version="v2"))
    con = connect(warehouse)
    rows = con.execute("SELECT model_version, post_id, label FROM labels ORDER BY ALL").fetchall()
    assert rows == [("v1", "1", "incitement"), ("v1", "2", "hate"), ("v2", "1", "offensive")]


def test_the_labels_view_has_its_columns_when_nothing_is_labelled(warehouse: Warehouse) -> None:
    con = connect(warehouse)
    result = con.execute("SELECT * FROM labels")
    assert [column[0] for column in result.description] == list(VIEW_COLUMNS)
    assert result.fetchall() == []


def test_a_second_run_with_the_same_model_version_is_refused_while_one_runs(
    warehouse: Warehouse,
) -> None:
    folder = version_folder(warehouse, "m", "v1")
    with VersionLock(folder), pytest.raises(LabelsBusy, match="another run is labelling"):
        VersionLock(folder)
    with VersionLock(folder) as again:
        again.release()
