"""MLMA (Ousidhoum et al. 2019; Arabic and English tweets), MIT.

Files (folder `mlma/`): `ar_dataset.csv`, `en_dataset.csv`, columns `HITId, tweet, sentiment,
directness, annotator_sentiment, target, group`. `sentiment` holds several labels joined by
`_`; `target` (origin, gender, sexual_orientation, religion, disability, other) gives the
target of hate rows. There is no official split: fixed hold-outs by `reading.bucket` of each
tweet, buckets 0-9 test and 10-19 dev (about 10% each), the rest train.
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

KEY = "mlma"
FILES = (("mlma/ar_dataset.csv", "ar"), ("mlma/en_dataset.csv", "en"))


def load(data_dir: Path, skipped: Skipped | None = None) -> list[Example]:
    """Both files, with the fixed dev and test hold-outs."""
    examples: list[Example] = []
    for file, lang in FILES:
        spec = FileSpec(KEY, file, lang, "tweet", ("sentiment", "target"), train_dev_test)
        examples.extend(examples_of(spec, read_csv(data_dir / file), skipped))
    return examples
