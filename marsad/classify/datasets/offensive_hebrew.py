"""OffensiveHebrew (Hebrew tweets; Hamad, Jarrar, Khalilia, Nashif 2023), CC BY-NC-SA 4.0.

Files (folder `offensive-hebrew/`):
- `train.csv`, `val.csv`, `test.csv`: the balanced split, columns `text, label`, where
  **`Negative` means offensive and `Positive` not offensive**; they are the train, dev and
  test splits.
- `AllData_OffensiveHebrew.xlsx`: the full annotated file, columns `TweetNo, Label, Target,
  Topic, Phrase, TweetText`, `Label` in NOT, Hate, Violence, Abusive, racism, Pornographic
  (several joined by commas in a few rows, case varies): extra training rows, split "train".
  It contains every test row (with its @mentions): the test-overlap filter removes them.
  `Target` and `Topic` are free text and are not mapped; rows with no `Label` are skipped.
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
    read_xlsx,
)

KEY = "offensive_hebrew"
FOLDER = "offensive-hebrew"
SPLIT_FILES = (("train.csv", "train"), ("val.csv", "dev"), ("test.csv", "test"))
FULL_FILE = "AllData_OffensiveHebrew.xlsx"


def load(data_dir: Path, skipped: Skipped | None = None) -> list[Example]:
    """The three split files, then the full file as extra training rows."""
    examples: list[Example] = []
    for name, split in SPLIT_FILES:
        spec = FileSpec(KEY, f"{FOLDER}/{name}", "he", "text", ("label",), fixed(split))
        examples.extend(examples_of(spec, read_csv(data_dir / spec.file), skipped))
    full = FileSpec(KEY, f"{FOLDER}/{FULL_FILE}", "he", "TweetText", ("Label",), fixed("train"))
    examples.extend(examples_of(full, read_xlsx(data_dir / full.file), skipped))
    return examples
