"""OSACT 2022 (Arabic tweets): offensive, hate with its type, vulgar, violence.

Files (folder `osact2022/`): `train_data2022.csv` and `dev_data2022.csv`, columns
`Id, Tweet, Offensive, Hate, Vulgar, Violence`. The official test labels are not public, so
`dev_data2022.csv` is the test split here, and the fixed dev hold-out (buckets 10-19 of
`reading.bucket`, about 10%) of `train_data2022.csv` is the dev split. Line breaks, written
`<LF>` in the files, become real line breaks.
"""

from __future__ import annotations

from pathlib import Path

from marsad.classify.base import Example
from marsad.classify.datasets.reading import (
    FileSpec,
    Skipped,
    examples_of,
    fixed,
    read_csv,
    train_dev,
)

KEY = "osact2022"
FOLDER = "osact2022"
LABEL_COLUMNS = ("Offensive", "Hate", "Vulgar", "Violence")
FILES = (("train_data2022.csv", train_dev), ("dev_data2022.csv", fixed("test")))


def clean(text: str) -> str:
    return text.replace("<LF>", "\n").strip()


def load(data_dir: Path, skipped: Skipped | None = None) -> list[Example]:
    """Every row of both files, mapped onto the taxonomy."""
    examples: list[Example] = []
    for name, split in FILES:
        spec = FileSpec(KEY, f"{FOLDER}/{name}", "ar", "Tweet", LABEL_COLUMNS, split, clean)
        examples.extend(examples_of(spec, read_csv(data_dir / spec.file), skipped))
    return examples
