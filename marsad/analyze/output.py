"""Writing an analysis's table: CSV, Parquet or JSON, chosen by the file's suffix.

CSV and JSON are UTF-8; dates are ISO 8601 (`2025-03-01`). In CSV, a column of lists or
records (a spike's top posts, a campaign's languages) holds each value as JSON text. JSON is
one array of objects, one per row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMATS = (".csv", ".parquet", ".json")


class OutputError(ValueError):
    """The table cannot be written there; the message names the file."""


def check_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(
            f"{path}: write a .csv, .parquet or .json file, not {suffix or 'nothing'}"
        )
    return suffix


def _nested(kind: pa.DataType) -> bool:
    return bool(pa.types.is_nested(kind))


def flat_for_csv(table: pa.Table) -> pa.Table:
    """`table` with every nested column turned into JSON text."""
    for i, field in enumerate(table.schema):
        if _nested(field.type):
            values = [
                None if v is None else orjson.dumps(v).decode() for v in table.column(i).to_pylist()
            ]
            table = table.set_column(i, field.name, pa.array(values, pa.string()))
    return table


def json_rows(table: pa.Table) -> bytes:
    def default(value: Any) -> Any:
        return str(value)

    return orjson.dumps(table.to_pylist(), default=default, option=orjson.OPT_INDENT_2)


def write_table(table: pa.Table, path: Path) -> None:
    """Write `table` to `path` in the format its suffix names (parent folders made)."""
    suffix = check_suffix(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".csv":
            pacsv.write_csv(flat_for_csv(table), path)
        elif suffix == ".parquet":
            pq.write_table(table, path, compression="zstd")
        else:
            path.write_bytes(json_rows(table) + b"\n")
    except OSError as error:
        raise OutputError(f"{path}: {error}") from None
