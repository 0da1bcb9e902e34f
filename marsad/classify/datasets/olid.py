"""OLID / OffensEval 2019 (English tweets): subtask_a OFF/NOT.

Files (folder `olid/`): `olid-training-v1.0.tsv` (`id, tweet, subtask_a, subtask_b,
subtask_c`; train, less the fixed dev hold-out, buckets 10-19 of `reading.bucket`, about
10%); the test split is `testset-levela.tsv` (`id, tweet`) with its labels in
`labels-levela.csv` (`id,label`, no header), joined on `id`. The TSV files are read without
quote handling: their quotes are part of the tweets. Only subtask_a is mapped; subtask_b and
subtask_c (NULL left out) are kept in `source_label`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from marsad.classify.base import Example
from marsad.classify.datasets.reading import (
    FileSpec,
    Row,
    Skipped,
    examples_of,
    fixed,
    read_csv,
    train_dev,
)

KEY = "olid"
FOLDER = "olid"
TRAIN = "olid-training-v1.0.tsv"
TEST = "testset-levela.tsv"
TEST_LABELS = "labels-levela.csv"
COLUMNS = ("subtask_a", "subtask_b", "subtask_c")


def load(data_dir: Path, skipped: Skipped | None = None) -> list[Example]:
    """The training file and the level-A test set with its labels."""
    train = FileSpec(KEY, f"{FOLDER}/{TRAIN}", "en", "tweet", COLUMNS, train_dev)
    test = FileSpec(KEY, f"{FOLDER}/{TEST}", "en", "tweet", COLUMNS, fixed("test"))
    return examples_of(train, _without_null(_tsv(data_dir / train.file)), skipped) + examples_of(
        test, _test_rows(data_dir / FOLDER), skipped
    )


def _tsv(path: Path) -> Iterator[Row]:
    return read_csv(path, delimiter="\t", quoted=False)


def _without_null(rows: Iterator[Row]) -> Iterator[Row]:
    for row in rows:
        yield {k: ("" if v == "NULL" else v) for k, v in row.items()}


def _test_rows(folder: Path) -> Iterator[Row]:
    labels = _test_labels(folder / TEST_LABELS)
    for row in _tsv(folder / TEST):
        yield {**row, "subtask_a": labels.get(row.get("id", "").strip(), "")}


def _test_labels(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {cells[0].strip(): cells[1] for cells in csv.reader(handle) if len(cells) >= 2}
