"""Labels in the warehouse: one folder of immutable Parquet parts per model and version.

Layout under the warehouse root:
    labels/<model key>/<model version>/part-<uuid>.parquet   LABEL_SCHEMA, zstd
    labels/<model key>/<model version>/.lock                 held by the one run labelling

A part is written under a hidden temporary name, fsynced, then renamed into place, so a part
is either whole or absent: a run killed at any moment loses at most the batch it was writing.
Each part holds the labels of posts that no earlier part of that version labelled (with the
same text), so a rerun completes a killed run without duplicates. Labels of other models and
other versions of the same model are never touched: classifying again with a new model keeps
the old labels beside the new ones.

`connect(warehouse)` gives a DuckDB connection with the `posts` view and a `labels` view over
every part, one row per (platform, post_id, model, model_version): the label of the post's
current text (a post whose text changed in a later import is labelled again, and the newer
label wins).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from marsad.posts import TIMESTAMP
from marsad.warehouse import Warehouse, WarehouseError
from marsad.warehouse.duck import parquet_source
from marsad.warehouse.fsutil import fsync_dir, try_lock

LABELS_DIR = "labels"
LABELS_VIEW = "labels"
LOCK_NAME = ".lock"
PART_GLOB = "part-*.parquet"
TEMP_PREFIX = ".part-"

LABEL_SCHEMA = pa.schema(
    [
        pa.field("platform", pa.string(), nullable=False),
        pa.field("post_id", pa.string(), nullable=False),
        pa.field("model", pa.string(), nullable=False),
        pa.field("model_version", pa.string(), nullable=False),
        pa.field("label", pa.string()),  # null: the post has no text to classify
        pa.field("score_incitement", pa.float32()),
        pa.field("score_hate", pa.float32()),
        pa.field("score_offensive", pa.float32()),
        pa.field("score_none", pa.float32()),
        pa.field("lang", pa.string()),
        pa.field("text_hash", pa.string(), nullable=False),  # md5 of the text labelled
        pa.field("classified_at", TIMESTAMP, nullable=False),
    ]
)
COLUMNS_SQL = ", ".join(f'"{name}"' for name in LABEL_SCHEMA.names)
TEXT_HASH_SQL = "md5(coalesce(text, ''))"


class LabelsBusy(WarehouseError):
    """Another run is labelling the warehouse with the same model version."""


def labels_root(warehouse: Warehouse) -> Path:
    return warehouse.root / LABELS_DIR


def version_folder(warehouse: Warehouse, key: str, version: str) -> Path:
    return labels_root(warehouse) / key / version


def label_parts(folder: Path) -> list[Path]:
    """The finished parts under `folder` (any depth), in a stable order."""
    if not folder.is_dir():
        return []
    return sorted(folder.rglob(PART_GLOB))


def write_part(folder: Path, table: pa.Table) -> Path:
    """Write `table` (LABEL_SCHEMA) as a new part of `folder`, whole or not at all."""
    name = f"part-{uuid.uuid4().hex}.parquet"
    temp = folder / f"{TEMP_PREFIX}{name}.tmp"
    pq.write_table(table.cast(LABEL_SCHEMA), temp, compression="zstd")
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, folder / name)
    fsync_dir(folder)
    return folder / name


def remove_temp_parts(folder: Path) -> int:
    """Remove parts that a killed run left half-written; the caller holds the lock."""
    removed = 0
    for path in folder.glob(f"{TEMP_PREFIX}*.tmp"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


class VersionLock:
    """The lock of one model version's folder, held while a run writes labels there."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        lock = folder / LOCK_NAME
        lock.touch(exist_ok=True)
        fd = try_lock(lock)
        if fd is None:
            raise LabelsBusy(f"another run is labelling with this model ({folder}); try later")
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> VersionLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def create_labels_view(
    con: duckdb.DuckDBPyConnection, parts: Sequence[Path], name: str = LABELS_VIEW
) -> None:
    """Define view `name` over `parts`: the newest label per post, model and version."""
    if parts:
        source = parquet_source(parts)
    else:
        con.register("_labels_empty_arrow", LABEL_SCHEMA.empty_table())
        con.execute(f"CREATE TEMP TABLE _{name}_empty AS SELECT * FROM _labels_empty_arrow")
        con.unregister("_labels_empty_arrow")
        source = f"_{name}_empty"
    con.execute(
        f"CREATE TEMP VIEW {name} AS SELECT {COLUMNS_SQL} FROM {source} QUALIFY row_number()"
        " OVER (PARTITION BY platform, post_id, model, model_version"
        " ORDER BY classified_at DESC) = 1"
    )


def connect(warehouse: Warehouse) -> duckdb.DuckDBPyConnection:
    """A new in-memory connection with the `posts` and `labels` views (see module doc)."""
    con = warehouse.connect()
    create_labels_view(con, label_parts(labels_root(warehouse)))
    return con
