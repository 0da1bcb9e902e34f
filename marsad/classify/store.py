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

Counting without the posts: `marsad classify` also copies into each label the post's UTC day,
language and dataset as they were when it read the post (`post_day`, `post_lang`,
`post_dataset`), and marks a label that `replaces` an earlier label of the same version. The
part's Parquet metadata (`PartInfo`, key `marsad.labels`) names the posts files the part's
posts were read from and how many of its labels replace an earlier one. A listed posts file
never changes, and an import that updates a post rewrites the file that held it, so while
every file a part names is still in the snapshot, its copied values are the posts' current
ones (`marsad.analyze.daily` counts such parts without joining them with the posts). Parts
written before these columns existed (no `marsad.labels` metadata) are read as before.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from marsad.analyze.buckets import day_sql
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
        # copied from the post when it was labelled (null in parts written before; see above)
        pa.field("post_day", pa.date32()),  # UTC day of created_at
        pa.field("post_lang", pa.string()),  # the post's own language (null: none given)
        pa.field("post_dataset", pa.string()),
        pa.field("replaces", pa.bool_()),  # the post had a label of this version already
    ]
)
COPIED_COLUMNS = ("post_day", "post_lang", "post_dataset", "replaces")
VIEW_COLUMNS = tuple(name for name in LABEL_SCHEMA.names if name not in COPIED_COLUMNS)
COLUMNS_SQL = ", ".join(f'"{name}"' for name in VIEW_COLUMNS)
TEXT_HASH_SQL = "md5(coalesce(text, ''))"
INFO_KEY = b"marsad.labels"


def copied_sql(alias: str) -> str:
    """SQL of the values a label copies from post `alias` (all but `replaces`)."""
    return (
        f"{day_sql(f'{alias}.created_at')} AS post_day, {alias}.lang AS post_lang,"
        f" {alias}.dataset AS post_dataset"
    )


@dataclass(frozen=True, slots=True)
class PartInfo:
    """What a part written by `marsad classify` says of itself: the posts files (names in the
    posts folder) its posts were read from, and how many of its labels replace an earlier
    label of the same version."""

    posts_files: tuple[str, ...]
    replaces: int

    def to_metadata(self) -> dict[bytes, bytes]:
        document = {"posts_files": sorted(self.posts_files), "replaces": self.replaces}
        return {INFO_KEY: json.dumps(document).encode()}


def read_part_info(part: Path) -> PartInfo | None:
    """The part's PartInfo; None for a part written without it (before the copied columns)."""
    return part_info_of(pq.read_metadata(part))


def part_info_of(metadata: pq.FileMetaData) -> PartInfo | None:
    """The PartInfo in a part's Parquet metadata; None when there is none."""
    raw = (metadata.metadata or {}).get(INFO_KEY)
    if raw is None:
        return None
    document = json.loads(raw)
    return PartInfo(tuple(document["posts_files"]), int(document["replaces"]))


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


def write_part(folder: Path, table: pa.Table, info: PartInfo | None = None) -> Path:
    """Write `table` (LABEL_SCHEMA; copied columns it lacks are null) as a new part of
    `folder`, whole or not at all. `info` (stored in the part's metadata) says that the copied
    columns are filled: without it the part is read as one written before they existed."""
    name = f"part-{uuid.uuid4().hex}.parquet"
    temp = folder / f"{TEMP_PREFIX}{name}.tmp"
    for column in COPIED_COLUMNS:
        if column not in table.column_names:
            field = LABEL_SCHEMA.field(column)
            table = table.append_column(field, pa.nulls(table.num_rows, field.type))
    table = table.select(LABEL_SCHEMA.names).cast(LABEL_SCHEMA)
    if info is not None:
        table = table.replace_schema_metadata(info.to_metadata())
    pq.write_table(table, temp, compression="zstd")
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
