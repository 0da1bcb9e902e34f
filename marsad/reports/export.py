"""The CSV export: the data of every figure and table, named by its number in the report."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from marsad.reports.base import Figure, Table
from marsad.reports.blocks import plain
from marsad.reports.render import Numbering, RenderedSection


def csv_name(block: Figure | Table, number: int) -> str:
    kind = "figure" if isinstance(block, Figure) else "table"
    return f"{kind}-{number:02d}-{block.key}.csv"


def write_csv(table: pa.Table, path: Path) -> None:
    """`table` as UTF-8 CSV with a header row; lists are written joined with "; "."""
    columns = {
        name: pa.array([plain(v) for v in column.to_pylist()], pa.string())
        if pa.types.is_nested(column.type)
        else column
        for name, column in zip(table.column_names, table.columns, strict=True)
    }
    temporary = path.with_name(f".{path.name}.tmp")
    pacsv.write_csv(pa.table(columns), temporary)
    temporary.replace(path)


def write_tables(sections: Sequence[RenderedSection], folder: Path) -> list[Path]:
    """One CSV per figure and table of the report in `folder` (emptied first)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    numbering = Numbering()
    written: list[Path] = []
    for section in sections:
        for block in section.blocks:
            number = numbering.next(block)
            if isinstance(block, (Figure, Table)):
                path = folder / csv_name(block, number)
                write_csv(block.data, path)
                written.append(path)
    return written
