"""OLaH-5000 (Hebrew Facebook comments): `label` 1 offensive, 0 not.

Files (folder `olah5000/`), columns `text, label`: `train_Heb.xlsx` (train, less the fixed dev
hold-out, buckets 10-19 of `reading.bucket`, about 10%), `test_Heb.xlsx` (test) and
`HebrewData.xlsx` (all 5,217 rows: extra training rows; the test-overlap filter removes
those that are test rows).
"""

from __future__ import annotations

from pathlib import Path

from marsad.classify.base import Example
from marsad.classify.datasets.reading import (
    FileSpec,
    Skipped,
    examples_of,
    fixed,
    read_xlsx,
    train_dev,
)

KEY = "olah5000"
FOLDER = "olah5000"
FILES = (
    ("train_Heb.xlsx", train_dev),
    ("test_Heb.xlsx", fixed("test")),
    ("HebrewData.xlsx", fixed("train")),
)


def load(data_dir: Path, skipped: Skipped | None = None) -> list[Example]:
    """Every row of the three workbooks."""
    examples: list[Example] = []
    for name, split in FILES:
        spec = FileSpec(KEY, f"{FOLDER}/{name}", "he", "text", ("label",), split)
        examples.extend(examples_of(spec, read_xlsx(data_dir / spec.file), skipped))
    return examples
