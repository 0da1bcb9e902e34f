"""Running an analysis's SQL on DuckDB and getting Arrow back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa


def arrow(con: duckdb.DuckDBPyConnection, query: str, args: Sequence[Any] = ()) -> pa.Table:
    """The result of `query` (with `?` arguments `args`) as an Arrow table."""
    relation = con.sql(query, params=list(args)) if args else con.sql(query)
    return relation.to_arrow_table()


def rows(
    con: duckdb.DuckDBPyConnection, query: str, args: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    """The result of `query` as a list of dicts (for small results)."""
    found: list[dict[str, Any]] = arrow(con, query, args).to_pylist()
    return found
