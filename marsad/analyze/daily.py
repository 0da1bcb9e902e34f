"""Daily label counts: posts per UTC day, platform, language, dataset and label of one model
version (label null: the post has no label of that version), the table `index` and `spikes`
start from.

Counting joins every post with its label, which at tens of millions of posts takes seconds.
When the context has the warehouse, the counts of the whole warehouse are kept in its cache
(`<warehouse>/.cache/analyze/daily-<fingerprint>.parquet`) and filtered there: the fingerprint
is a hash of the snapshot's part files and the label parts of that version, all immutable, so
a cached table is exact for as long as it is found, and a new import or a new classify run
simply makes a new one. The counts are computed on a connection over exactly the fingerprinted
files. The newest few cached tables are kept.

Posts without a creation time are not counted (they fall in no day).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from marsad.analyze.base import Context, Params, post_filter
from marsad.analyze.buckets import day_sql
from marsad.analyze.labels import LabelSource
from marsad.analyze.sql import arrow
from marsad.classify.store import create_labels_view, label_parts, version_folder
from marsad.warehouse import Warehouse
from marsad.warehouse.duck import create_posts_view, open_connection, parquet_source

FORMAT = 1  # bump when the table's columns or meaning change
CACHE_DIR = Path(".cache") / "analyze"
KEEP = 4

DAILY_SQL = f"""
SELECT {day_sql("p.created_at")} AS day, p.platform, p.lang, p.dataset, l.label, count(*) AS posts
FROM posts p
LEFT JOIN (SELECT platform, post_id, label FROM labels
           WHERE model = ? AND model_version = ? AND label IS NOT NULL) l
  ON p.platform = l.platform AND p.post_id = l.post_id
WHERE p.created_at IS NOT NULL AND {{where}}
GROUP BY ALL
"""


def daily_counts(ctx: Context, source: LabelSource, params: Params) -> pa.Table:
    """The daily counts of the posts `params` selects (period, platforms, languages, datasets):
    columns day, platform, lang, dataset, label, posts."""
    if ctx.warehouse is None:
        where, args = post_filter(params)
        return arrow(ctx.con, DAILY_SQL.format(where=where), [*_label_args(source), *args])
    table = cached_counts(ctx.warehouse, source)
    ctx.con.register("_daily_all", table)
    try:
        where, args = post_filter(params)  # `day` stands for created_at: periods are whole days
        query = "SELECT * EXCLUDE (created_at) FROM (SELECT *, day AS created_at FROM _daily_all) p"
        return arrow(ctx.con, f"{query} WHERE {where}", args)
    finally:
        ctx.con.unregister("_daily_all")


def _label_args(source: LabelSource) -> list[Any]:
    return [source.model, source.version]


def cached_counts(warehouse: Warehouse, source: LabelSource) -> pa.Table:
    """The whole warehouse's daily counts for `source`, from the cache or computed into it."""
    posts = warehouse.snapshot().paths(warehouse.folders.posts)
    parts = label_parts(version_folder(warehouse, source.model, source.version))
    folder = warehouse.root / CACHE_DIR
    path = folder / f"daily-{fingerprint(source, posts, parts)}.parquet"
    if path.is_file():
        os.utime(path)
        return pq.read_table(path)
    table = _compute(warehouse, source, posts, parts)
    _store(folder, path, table)
    return table


def fingerprint(source: LabelSource, posts: list[Path], parts: list[Path]) -> str:
    names = {
        "format": FORMAT,
        "labels": str(source),
        "posts": sorted(p.name for p in posts),
        "parts": sorted(p.name for p in parts),
    }
    return hashlib.sha256(json.dumps(names).encode()).hexdigest()[:24]


def _compute(
    warehouse: Warehouse, source: LabelSource, posts: list[Path], parts: list[Path]
) -> pa.Table:
    """The daily counts over exactly these files. Each post's label is its newest, as in the
    `labels` view, picked here by an aggregate rather than a window (faster on many rows)."""
    con = open_connection(
        memory_limit=warehouse.memory_limit,
        threads=warehouse.threads,
        temp_dir=warehouse.root / ".tmp" / f"analyze-{uuid.uuid4().hex}",
        keep_order=False,
    )
    try:
        create_posts_view(con, posts)
        create_labels_view(con, [], name="_no_labels")  # an empty table with the columns
        source_sql = parquet_source(parts) if parts else "_no_labels"
        con.execute(
            "CREATE TEMP VIEW labels AS SELECT platform, post_id, model, model_version,"
            " arg_max_null(label, classified_at) AS label"
            f" FROM {source_sql} GROUP BY platform, post_id, model, model_version"
        )
        return arrow(con, DAILY_SQL.format(where="TRUE"), _label_args(source))
    finally:
        con.close()


def _store(folder: Path, path: Path, table: pa.Table) -> None:
    """Write `table` at `path` atomically; keep only the KEEP newest cached tables."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".{uuid.uuid4().hex}.tmp"
        pq.write_table(table, temp, compression="zstd")
        os.replace(temp, path)
    except OSError:
        return  # a read-only warehouse: no cache, the counts are still right
    cached = sorted(folder.glob("daily-*.parquet"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in cached[KEEP:]:
        old.unlink(missing_ok=True)
