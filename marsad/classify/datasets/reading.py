"""What every dataset loader shares: reading CSV/TSV/XLSX rows, the fixed hold-outs, and
turning one file's rows into `Example`s.

Hold-outs. Where a dataset has no dev split (or no split at all), a fixed part of it is held
out by a hash of each row's letters-only key (`marsad.classify.dedup.letters_key`):
`bucket = first 8 bytes of sha256(key) as a big-endian integer, mod 100`; buckets 0-9 are the
test hold-out (only for datasets without a test split), buckets 10-19 the dev hold-out. The
same text therefore always lands in the same split, whatever file or order it comes in.
"""

from __future__ import annotations

import csv
import hashlib
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from marsad.classify.base import Example
from marsad.classify.datasets.mapping import LabelError, dataset_map
from marsad.classify.dedup import letters_key

Skipped = Counter[tuple[str, str]]  # (file, reason) -> rows skipped
Row = dict[str, str]

TEST_BUCKETS = range(0, 10)
DEV_BUCKETS = range(10, 20)
EMPTY_TEXT = "empty text"
NO_LABEL = "no label"


def bucket(text: str) -> int:
    """The hold-out bucket (0-99) of a text, from its letters-only key."""
    digest = hashlib.sha256(letters_key(text).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100


def train_dev(text: str) -> str:
    """ "dev" for the fixed 10% dev hold-out of a training file, else "train"."""
    return "dev" if bucket(text) in DEV_BUCKETS else "train"


def train_dev_test(text: str) -> str:
    """Fixed 10% test and 10% dev hold-outs for a dataset without an official split."""
    number = bucket(text)
    if number in TEST_BUCKETS:
        return "test"
    return "dev" if number in DEV_BUCKETS else "train"


def fixed(split: str) -> Callable[[str], str]:
    """Every row of the file in `split`."""
    return lambda _text: split


@dataclass(frozen=True, slots=True)
class FileSpec:
    """How one file of a dataset becomes examples."""

    dataset: str  # registry key
    file: str  # path relative to the data folder, with "/"
    lang: str
    text: str  # the text column
    columns: tuple[str, ...]  # label columns, target columns, and columns kept in source_label
    split: Callable[[str], str]  # text -> "train", "dev" or "test"
    clean: Callable[[str], str] = str.strip  # the text as it is kept


def examples_of(spec: FileSpec, rows: Iterable[Row], skipped: Skipped | None) -> list[Example]:
    """The examples of `rows` (1-based, header not counted); rows with no text or no label
    are counted in `skipped` under (file, reason)."""
    mapping = dataset_map(spec.dataset)
    out: list[Example] = []
    for number, row in enumerate(rows, start=1):
        text = spec.clean(row.get(spec.text, ""))
        values = {c: row.get(c, "") for c in spec.columns}
        reason = EMPTY_TEXT if not text else None if mapping.has_label(values) else NO_LABEL
        if reason is not None:
            if skipped is not None:
                skipped[(spec.file, reason)] += 1
            continue
        mapped = mapping.map_row(values, f"{spec.dataset}: {spec.file} row {number}")
        out.append(
            Example(
                text=text,
                label=mapped.label,
                lang=spec.lang,
                dataset=spec.dataset,
                split=spec.split(text),
                file=spec.file,
                row=number,
                target=mapped.target,
                source_label=mapped.source_label,
            )
        )
    return out


def read_csv(path: Path, delimiter: str = ",", quoted: bool = True) -> Iterator[Row]:
    """The rows of a CSV/TSV file with a header, as column -> text ("" when missing)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = (
            csv.reader(handle, delimiter=delimiter)
            if quoted
            else csv.reader(handle, delimiter=delimiter, quoting=csv.QUOTE_NONE)
        )
        header = next(reader, [])
        for cells in reader:
            yield dict(zip(header, cells, strict=False))


def read_xlsx(path: Path) -> list[Row]:
    """The rows of the first sheet of a workbook with a header row, as column -> text."""
    import openpyxl

    with warnings.catch_warnings():  # "Data Validation extension is not supported"
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            cells = book.worksheets[0].iter_rows(values_only=True)
            header = [_cell(v) for v in next(cells, ())]
            return [dict(zip(header, map(_cell, values), strict=False)) for values in cells]
        finally:
            book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


__all__ = [
    "EMPTY_TEXT",
    "NO_LABEL",
    "FileSpec",
    "LabelError",
    "Skipped",
    "bucket",
    "examples_of",
    "fixed",
    "read_csv",
    "read_xlsx",
    "train_dev",
    "train_dev_test",
]
