"""Daily label counts: posts per UTC day, platform, language, dataset and label of one model
version (label null: the post has no label of that version), the table `index` and `spikes`
start from.

When the context has the warehouse, the counts of the whole warehouse are kept in its cache
(`<warehouse>/.cache/analyze/daily-<fingerprint>.parquet`) and filtered there: the fingerprint
is a hash of the snapshot's part files and the label parts of that version, all immutable, so
a cached table is exact for as long as it is found, and a new import or a new classify run
simply makes a new one. The counts are computed on a connection over exactly the fingerprinted
files. The newest few cached tables are kept.

Computing them does not join the posts with their labels where it need not (a join of tens of
millions of rows takes seconds): the volume per day, platform, language and dataset comes from
the posts alone, the labelled posts from the label parts alone, through the post's day,
language and dataset that `marsad classify` copies into each label (`marsad.classify.store`),
and the unlabelled posts are the difference. Only the labels of a part whose copies may be out
of date, one that names a posts file no longer in the snapshot (an import updated or compacted
it), are joined with the posts for their current values. Each post counts with its newest
label: only the posts with a label that `replaces` another are reduced to their newest; every
other post has one label in the version. A version with parts written before the copies
existed, or whose labels replace others by more than JOIN_REPLACED_SHARE, is counted by
joining every post with its newest label (reducing them all is what that join does anyway).

Posts without a creation time are not counted (they fall in no day).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from marsad.analyze.base import Context, Params, post_filter
from marsad.analyze.buckets import day_sql
from marsad.analyze.labels import LabelSource
from marsad.analyze.sql import arrow
from marsad.classify.store import label_parts, part_info_of, version_folder
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


JOIN_REPLACED_SHARE = 0.25  # above this share of labels replacing others, count by the join


@dataclass(frozen=True, slots=True)
class PartPlan:
    """How each label part of a version is counted against a snapshot."""

    fresh: list[Path]  # copied values current: counted from the part alone
    stale: list[Path]  # copied values maybe out of date: joined with the posts
    old: list[Path]  # written before the copies: counted by the full join
    labels: int  # rows of all the parts
    replaces: int  # labels of fresh and stale parts that replace an earlier one

    @property
    def joined(self) -> bool:
        """Whether to count by joining every post with its newest label (the way before the
        copies): with old parts, or when many labels replace others (then reducing them all
        is what the join does anyway)."""
        return bool(self.old) or self.replaces > self.labels * JOIN_REPLACED_SHARE


def plan_parts(parts: list[Path], posts: list[Path]) -> PartPlan:
    """Sort `parts` by what their metadata says against the snapshot's files `posts`."""
    listed = {path.name for path in posts}
    fresh: list[Path] = []
    stale: list[Path] = []
    old: list[Path] = []
    labels = replaces = 0
    for part in parts:
        metadata = pq.read_metadata(part)
        labels += metadata.num_rows
        info = part_info_of(metadata)
        if info is None:
            old.append(part)
            continue
        replaces += info.replaces
        (fresh if all(name in listed for name in info.posts_files) else stale).append(part)
    return PartPlan(fresh, stale, old, labels, replaces)


KEEP_COLUMNS = "platform, post_id, label, classified_at"


def label_rows_sql(plan: PartPlan) -> str:
    """SQL of every label of the plan's fresh and stale parts with its post's current day,
    language and dataset, and `replaces`."""
    selects = []
    if plan.fresh:
        selects.append(
            f"SELECT {KEEP_COLUMNS}, post_day AS day, post_lang AS lang,"
            f" post_dataset AS dataset, replaces FROM {parquet_source(plan.fresh)}"
        )
    if plan.stale:
        kept = ", ".join(f"l.{name}" for name in KEEP_COLUMNS.split(", "))
        selects.append(
            f"SELECT {kept}, {day_sql('p.created_at')} AS day, p.lang AS lang,"
            f" p.dataset AS dataset, l.replaces FROM {parquet_source(plan.stale)} l"
            " JOIN posts p USING (platform, post_id)"
        )
    return " UNION ALL ".join(selects)


def labelled_sql(plan: PartPlan) -> str:
    """SQL of the labelled posts per day, platform, language, dataset and label (each post
    with its newest label; a post whose newest label is null is not labelled)."""
    group = "SELECT day, platform, lang, dataset, label, count(*) AS posts FROM ({rows})"
    group += " WHERE label IS NOT NULL AND day IS NOT NULL GROUP BY ALL"
    if not plan.replaces:
        return group.format(rows="SELECT * FROM _label_rows")
    fields = ", ".join(f"'{name}': {name}" for name in ("day", "lang", "dataset", "label"))
    newest = "n.day AS day, platform, n.lang AS lang, n.dataset AS dataset, n.label AS label"
    rows = f"""
        WITH again AS (SELECT DISTINCT platform, post_id FROM _label_rows WHERE replaces)
        SELECT day, platform, lang, dataset, label
        FROM _label_rows ANTI JOIN again USING (platform, post_id)
        UNION ALL
        SELECT {newest} FROM (
            SELECT platform, post_id, arg_max_null({{{fields}}}, classified_at) AS n
            FROM _label_rows SEMI JOIN again USING (platform, post_id)
            GROUP BY platform, post_id)
    """
    return group.format(rows=rows)


VOLUME_SQL = f"""
SELECT {day_sql("created_at")} AS day, platform, lang, dataset, count(*) AS posts
FROM posts WHERE created_at IS NOT NULL GROUP BY ALL
"""
DAILY_FROM_PARTS_SQL = """
SELECT day, platform, lang, dataset, label, posts FROM _labelled
UNION ALL
SELECT v.day, v.platform, v.lang, v.dataset, CAST(NULL AS VARCHAR) AS label,
       CAST(v.posts - coalesce(t.posts, 0) AS BIGINT) AS posts
FROM _volume v LEFT JOIN (SELECT day, platform, lang, dataset, sum(posts) AS posts
                          FROM _labelled GROUP BY ALL) t
  ON v.day = t.day AND v.platform = t.platform AND v.lang IS NOT DISTINCT FROM t.lang
     AND v.dataset IS NOT DISTINCT FROM t.dataset
WHERE v.posts > coalesce(t.posts, 0)
"""


def _compute(
    warehouse: Warehouse, source: LabelSource, posts: list[Path], parts: list[Path]
) -> pa.Table:
    """The daily counts over exactly these files (see the module doc)."""
    con = open_connection(
        memory_limit=warehouse.memory_limit,
        threads=warehouse.threads,
        temp_dir=warehouse.root / ".tmp" / f"analyze-{uuid.uuid4().hex}",
        keep_order=False,
    )
    try:
        create_posts_view(con, posts)
        plan = plan_parts(parts, posts)
        if plan.joined:
            return _count_joined(con, source, parts)
        con.execute(f"CREATE TEMP TABLE _volume AS {VOLUME_SQL}")
        if parts:
            con.execute(f"CREATE TEMP VIEW _label_rows AS {label_rows_sql(plan)}")
            con.execute(f"CREATE TEMP TABLE _labelled AS {labelled_sql(plan)}")
        else:
            con.execute("CREATE TEMP TABLE _labelled AS SELECT * FROM _volume LIMIT 0")
            con.execute("ALTER TABLE _labelled ADD COLUMN label VARCHAR")
        return arrow(con, DAILY_FROM_PARTS_SQL)
    finally:
        con.close()


def _count_joined(
    con: duckdb.DuckDBPyConnection, source: LabelSource, parts: list[Path]
) -> pa.Table:
    """The daily counts by joining every post with its newest label, picked here by an
    aggregate rather than the `labels` view's window (faster on many rows)."""
    con.execute(
        "CREATE TEMP VIEW labels AS SELECT platform, post_id, model, model_version,"
        " arg_max_null(label, classified_at) AS label"
        f" FROM {parquet_source(parts)} GROUP BY platform, post_id, model, model_version"
    )
    return arrow(con, DAILY_SQL.format(where="TRUE"), _label_args(source))


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
