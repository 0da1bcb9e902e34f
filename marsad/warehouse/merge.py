"""The commit: merge an import's staged rows into the warehouse's current snapshot.

All the set work happens in DuckDB (in memory, spilling to the import's staging folder):
1. the staged rows are reduced to one winner per (platform, post_id): the newest
   collected_at, ties going to the row added last (the winner is kept whole: the other
   repeats are dropped, not used to fill its unknown values);
2. each winner is compared with the stored row of the same key, if any: no stored row ->
   new; winner strictly newer -> updated; else -> duplicate (nothing changes);
3. new rows, plus every row of every stored file that held an updated key (and of small
   files when enough have piled up), stream into new part files; a stored row of an updated
   key goes out combined with its winner field by field, the newest known value winning
   (`update_sql`), so a newer but poorer record (a spreadsheet export with an id and a text
   after an API record) does not blank what was known.
The common case comes first and skips all of that: when every staged row is new (no key
staged twice, none already stored: a first import, or one of fresh posts), which a count of
the distinct staged keys and a semi join with the stored keys tell, no winner is picked and
no row is rewritten: the staged files, written exactly as parts are, become part files as
they are (fsynced and renamed); only small files due for compaction are copied together.
The caller publishes the result as a new snapshot; nothing here changes what readers see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from marsad.posts import METRICS_TYPE, POST_SCHEMA
from marsad.warehouse.duck import COLUMNS_SQL, parquet_source
from marsad.warehouse.parts import FILE_ROWS, ROW_GROUP_ROWS, PartFile, adopt_parts, write_parts
from marsad.warehouse.snapshot import Snapshot
from marsad.warehouse.staging import StagedFile, staged_source

NEW, UPDATED, DUPLICATE = "new", "updated", "duplicate"

# How an update combines the stored row with the newer incoming record, by column.
KEY = ("platform", "post_id")
LATEST = ("collected_at", "source", "raw")  # the newer record's: they describe that record
TEXT = ("text", "text_norm", "lang", "script")  # derived from `text`: taken together
LISTS = ("hashtags", "mentions", "urls", "media")  # the newer list unless it is empty
METRICS = "metrics"  # field by field, the newer value unless it is null
SCALARS = tuple(  # the newer value unless it is null
    name for name in POST_SCHEMA.names if name not in {*KEY, *LATEST, *TEXT, *LISTS, METRICS}
)
_METRIC_FIELDS = tuple(field.name for field in METRICS_TYPE)


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What one import did: rows added, rows replaced by newer data, rows already known
    (including repeats inside the import itself)."""

    new: int
    updated: int
    duplicate: int

    @property
    def staged(self) -> int:
        """Rows the import handed over (every one is new, updated or duplicate)."""
        return self.new + self.updated + self.duplicate


@dataclass(frozen=True, slots=True)
class MergeSettings:
    file_rows: int = FILE_ROWS  # most rows in one part file
    compact_bytes: int = 32 * 1024 * 1024  # a part smaller than this is "small"
    compact_files: int = 8  # rewrite the small parts together once this many pile up


@dataclass(frozen=True, slots=True)
class MergeOutcome:
    result: MergeResult
    written: tuple[PartFile, ...]  # new part files, renamed into place but not yet listed
    dropped: tuple[str, ...]  # listed files whose rows the written files now carry

    @property
    def changed(self) -> bool:
        return bool(self.written or self.dropped)


def merge_staged(
    con: duckdb.DuckDBPyConnection,
    *,
    staged: Sequence[StagedFile],
    staged_rows: int,
    folder: Path,
    snapshot: Snapshot,
    settings: MergeSettings,
) -> MergeOutcome:
    """Plan the merge of the `staged` files (all of the import's rows) and write its parts."""
    staged_sql = staged_source(list(staged))
    existing = snapshot.paths(folder)
    small = _small_files(snapshot, folder, settings)
    if _same_filesystem(staged, folder) and _all_new(con, staged_sql, staged_rows, existing):
        result = MergeResult(new=staged_rows, updated=0, duplicate=0)
        return _adopt_staged(con, result, staged, folder, small, settings)
    _plan(con, staged_sql, existing)
    new, updated = _action_counts(con)
    result = MergeResult(new=new, updated=updated, duplicate=staged_rows - new - updated)
    if new + updated == 0:
        return MergeOutcome(result, (), ())
    rewrite = list(dict.fromkeys(_files_with_updates(con) + small))
    query = _output_query(staged_sql, [folder / name for name in rewrite])
    reader = con.sql(query).to_arrow_reader(ROW_GROUP_ROWS)
    written = write_parts(reader, folder, file_rows=settings.file_rows)
    return MergeOutcome(result, tuple(written), tuple(rewrite))


def _same_filesystem(staged: Sequence[StagedFile], folder: Path) -> bool:
    """Whether the staged files can be renamed into `folder`."""
    device = folder.stat().st_dev
    return all(file.path.stat().st_dev == device for file in staged)


def _all_new(
    con: duckdb.DuckDBPyConnection, staged_sql: str, staged_rows: int, existing: list[Path]
) -> bool:
    """Whether every staged row is new: no key is staged twice, and none is stored.

    Cheaper than the plan, which it spares the common case: a count of the distinct staged
    keys (no winner to pick), then, only when that is every row and the snapshot has files, a
    semi join of the staged keys with the stored ones that stops at the first match.
    """
    keys = con.execute(
        f"SELECT count(*) FROM (SELECT platform, post_id FROM {staged_sql} GROUP BY ALL)"
    ).fetchone()
    if keys is None or keys[0] != staged_rows:
        return False
    if not existing:
        return True
    stored = parquet_source(existing)
    match = con.execute(f"""
        SELECT 1 FROM (SELECT platform, post_id FROM {staged_sql}) s
        SEMI JOIN (SELECT platform, post_id FROM {stored}) e
          ON s.platform = e.platform AND s.post_id = e.post_id
        LIMIT 1
    """).fetchone()
    return match is None


def _adopt_staged(
    con: duckdb.DuckDBPyConnection,
    result: MergeResult,
    staged: Sequence[StagedFile],
    folder: Path,
    small: list[str],
    settings: MergeSettings,
) -> MergeOutcome:
    """The fast path, every staged row new: the staged files become parts unchanged. When
    small files are due for compaction, they are rewritten together with the small staged
    files (no row of either is dropped, so this is a plain copy)."""
    compact = [file for file in staged if small and _is_small(file.path, settings)]
    adopt = [file for file in staged if file not in compact]
    written: list[PartFile] = []
    if compact:
        sources = [folder / name for name in small] + [file.path for file in compact]
        query = f"SELECT {COLUMNS_SQL} FROM {parquet_source(sources)}"
        reader = con.sql(query).to_arrow_reader(ROW_GROUP_ROWS)
        written = write_parts(reader, folder, file_rows=settings.file_rows)
    adopted = adopt_parts([(file.path, file.rows) for file in adopt], folder)
    return MergeOutcome(result, (*written, *adopted), tuple(small))


def _plan(con: duckdb.DuckDBPyConnection, staged_sql: str, existing: list[Path]) -> None:
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE winners AS
        SELECT platform, post_id, max(collected_at) AS collected_at,
               arg_max(_seq, (collected_at, _seq)) AS _seq
        FROM {staged_sql}
        GROUP BY platform, post_id
    """)
    if not existing:
        con.execute(f"""
            CREATE OR REPLACE TEMP VIEW plan AS
            SELECT platform, post_id, _seq, '{NEW}' AS action, NULL::VARCHAR AS old_file
            FROM winners
        """)
        return
    stored = parquet_source(existing, filename=True)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE plan AS
        SELECT w.platform, w.post_id, w._seq,
               CASE WHEN e.post_id IS NULL THEN '{NEW}'
                    WHEN w.collected_at > e.collected_at THEN '{UPDATED}'
                    ELSE '{DUPLICATE}' END AS action,
               e.filename AS old_file
        FROM winners w
        LEFT JOIN (SELECT platform, post_id, collected_at, filename FROM {stored}) e
          ON w.platform = e.platform AND w.post_id = e.post_id
    """)


def _action_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    rows = con.execute("SELECT action, count(*) FROM plan GROUP BY action").fetchall()
    counts = {str(action): int(n) for action, n in rows}
    return counts.get(NEW, 0), counts.get(UPDATED, 0)


def _files_with_updates(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        f"SELECT DISTINCT old_file FROM plan WHERE action = '{UPDATED}' ORDER BY 1"
    ).fetchall()
    return [Path(str(path)).name for (path,) in rows]


def _small_files(snapshot: Snapshot, folder: Path, settings: MergeSettings) -> list[str]:
    """The listed files under the size threshold, when there are enough to be worth merging."""
    small = [name for name in snapshot.files if _is_small(folder / name, settings)]
    return small if len(small) >= settings.compact_files else []


def _is_small(path: Path, settings: MergeSettings) -> bool:
    return path.stat().st_size < settings.compact_bytes


def _output_query(staged_sql: str, rewrite: list[Path]) -> str:
    """The rows of the new parts: the new posts' winners, then every row of the `rewrite`
    files, those of updated posts combined with their winners (`update_sql`)."""
    query = f"""
        SELECT {COLUMNS_SQL} FROM {staged_sql} s
        SEMI JOIN (SELECT _seq FROM plan WHERE action = '{NEW}') p ON s._seq = p._seq
    """
    if rewrite:
        query += f"""
        UNION ALL
        SELECT {update_sql("o", "u")} FROM {parquet_source(rewrite)} o
        LEFT JOIN (
            SELECT {COLUMNS_SQL} FROM {staged_sql} s
            SEMI JOIN (SELECT _seq FROM plan WHERE action = '{UPDATED}') p ON s._seq = p._seq
        ) u ON o.platform = u.platform AND o.post_id = u.post_id
        """
    return query


def update_sql(old: str, new: str) -> str:
    """The columns (POST_SCHEMA's, in order) of the stored row `old` updated by the newer
    record `new`, the newest known value winning: `new`'s value where it is known, else
    `old`'s. Unknown is null for SCALARS, null or empty for LISTS, a null text for the TEXT
    columns (all four come from the row whose text is taken), a null field (or a null
    struct) for the metrics; LATEST always come from `new`. Where no `new` row matched (the
    LEFT JOIN left all its columns null), `old` as it is."""
    matched = f"{new}.post_id IS NOT NULL"
    exprs = {name: f"{old}.{name}" for name in KEY}
    for name in LATEST:
        exprs[name] = f"CASE WHEN {matched} THEN {new}.{name} ELSE {old}.{name} END"
    for name in SCALARS:
        exprs[name] = f"coalesce({new}.{name}, {old}.{name})"
    for name in TEXT:
        exprs[name] = f"CASE WHEN {new}.text IS NOT NULL THEN {new}.{name} ELSE {old}.{name} END"
    for name in LISTS:
        exprs[name] = f"CASE WHEN len({new}.{name}) > 0 THEN {new}.{name} ELSE {old}.{name} END"
    fields = ", ".join(
        f"{field} := coalesce({new}.{METRICS}.{field}, {old}.{METRICS}.{field})"
        for field in _METRIC_FIELDS
    )
    exprs[METRICS] = (
        f"CASE WHEN {new}.{METRICS} IS NULL THEN {old}.{METRICS}"
        f" WHEN {old}.{METRICS} IS NULL THEN {new}.{METRICS} ELSE struct_pack({fields}) END"
    )
    assert set(exprs) == set(POST_SCHEMA.names), "every column needs a rule"
    return ", ".join(f'{exprs[name]} AS "{name}"' for name in POST_SCHEMA.names)
