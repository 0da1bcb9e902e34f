"""In-memory DuckDB connections over the warehouse's Parquet files.

Every connection is fresh and private to its caller; no DuckDB database file is ever shared
between processes. Timestamps are shown in UTC whatever the machine's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from marsad.posts import POST_SCHEMA

VIEW_NAME = "posts"
COLUMNS_SQL = ", ".join(f'"{name}"' for name in POST_SCHEMA.names)


def open_connection(
    *, memory_limit: str, threads: int | None, temp_dir: Path, keep_order: bool = True
) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory connection that spills to `temp_dir` (created by DuckDB on need)."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory_limit,
        "temp_directory": str(temp_dir),
        "preserve_insertion_order": keep_order,
    }
    if threads is not None:
        config["threads"] = threads
    con = duckdb.connect(":memory:", config=config)
    con.execute("SET TimeZone = 'UTC'")
    return con


def sql_string(value: str) -> str:
    """`value` as a SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def parquet_source(paths: Sequence[Path], *, filename: bool = False) -> str:
    """A read_parquet(...) call over exactly `paths` (at least one)."""
    listed = ", ".join(sql_string(str(path)) for path in paths)
    option = ", filename = true" if filename else ""
    return f"read_parquet([{listed}]{option})"


def create_posts_view(con: duckdb.DuckDBPyConnection, paths: Sequence[Path]) -> None:
    """Define the `posts` view over `paths`, or over an empty table with the right columns."""
    if paths:
        source = parquet_source(paths)
    else:
        con.register("_posts_empty_arrow", POST_SCHEMA.empty_table())
        con.execute("CREATE TEMP TABLE _posts_empty AS SELECT * FROM _posts_empty_arrow")
        con.unregister("_posts_empty_arrow")
        source = "_posts_empty"
    con.execute(f"CREATE TEMP VIEW {VIEW_NAME} AS SELECT {COLUMNS_SQL} FROM {source}")
