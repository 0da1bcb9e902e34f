"""The commit: merge an import's staged rows into the warehouse's current snapshot.

All the set work happens in DuckDB (in memory, spilling to the import's staging folder):
1. the staged rows are reduced to one winner per (platform, post_id): the newest
   collected_at, ties going to the row added last;
2. each winner is compared with the stored row of the same key, if any: no stored row ->
   new; winner strictly newer -> updated (it replaces the stored row); else -> duplicate;
3. new and updated rows, plus the surviving rows of every stored file that held an updated
   key (and of small files when enough have piled up), stream into new part files.
The caller publishes the result as a new snapshot; nothing here changes what readers see.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from marsad.warehouse.duck import COLUMNS_SQL, parquet_source, sql_string
from marsad.warehouse.parts import FILE_ROWS, ROW_GROUP_ROWS, PartFile, write_parts
from marsad.warehouse.snapshot import Snapshot

NEW, UPDATED, DUPLICATE = "new", "updated", "duplicate"


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
    staged: Path,
    staged_rows: int,
    folder: Path,
    snapshot: Snapshot,
    settings: MergeSettings,
) -> MergeOutcome:
    """Plan the merge of the Parquet files matching the glob `staged` and write its parts."""
    staged_sql = f"read_parquet({sql_string(str(staged))})"
    _plan(con, staged_sql, snapshot.paths(folder))
    new, updated = _action_counts(con)
    result = MergeResult(new=new, updated=updated, duplicate=staged_rows - new - updated)
    if new + updated == 0:
        return MergeOutcome(result, (), ())
    rewrite = _files_with_updates(con) + _small_files(snapshot, folder, settings)
    rewrite = list(dict.fromkeys(rewrite))
    query = _output_query(staged_sql, [folder / name for name in rewrite])
    reader = con.sql(query).to_arrow_reader(ROW_GROUP_ROWS)
    written = write_parts(reader, folder, file_rows=settings.file_rows)
    return MergeOutcome(result, tuple(written), tuple(rewrite))


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
            CREATE OR REPLACE TEMP TABLE plan AS
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
    small = [
        name for name in snapshot.files if (folder / name).stat().st_size < settings.compact_bytes
    ]
    return small if len(small) >= settings.compact_files else []


def _output_query(staged_sql: str, rewrite: list[Path]) -> str:
    query = f"""
        SELECT {COLUMNS_SQL} FROM {staged_sql} s
        SEMI JOIN (SELECT _seq FROM plan WHERE action <> '{DUPLICATE}') p ON s._seq = p._seq
    """
    if rewrite:
        query += f"""
        UNION ALL
        SELECT {COLUMNS_SQL} FROM {parquet_source(rewrite)} o
        ANTI JOIN (SELECT platform, post_id FROM plan WHERE action = '{UPDATED}') u
          ON o.platform = u.platform AND o.post_id = u.post_id
        """
    return query
