"""Davidson et al. 2017 (English tweets), MIT: `class` 0 hate, 1 offensive, 2 neither.

File (folder `davidson/`): `labeled_data.csv`, columns `(index), count, hate_speech,
offensive_language, neither, class, tweet`. There is no official split: fixed hold-outs by
`reading.bucket` of each tweet, buckets 0-9 test and 10-19 dev (about 10% each), the rest
train.
"""

from __future__ import annotations

from pathlib import Path

from marsad.classify.base import Example
from marsad.classify.datasets.reading import (
    FileSpec,
    Skipped,
    examples_of,
    read_csv,
    train_dev_test,
)

KEY = "davidson"
FILE = "davidson/labeled_data.csv"


def load(data_dir: Path, skipped: Skipped | None = None) -> list[Example]:
    """Every row of the file, with the fixed dev and test hold-outs."""
    spec = FileSpec(KEY, FILE, "en", "tweet", ("class",), train_dev_test)
    return examples_of(spec, read_csv(data_dir / FILE), skipped)
