"""The training-data manifest of a model card: one record per file used."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from marsad.classify.base import Example
from marsad.classify.datasets.mapping import dataset_map

SPLITS = ("train", "dev", "test")


def manifest(data_dir: Path, examples: Iterable[Example]) -> list[dict[str, Any]]:
    """Per file (sorted): dataset, path relative to `data_dir`, sha256, rows used per split,
    the dataset's licence and whether it forbids commercial use."""
    rows: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for example in examples:
        rows[(example.dataset, example.file)][example.split] += 1
    return [
        _record(data_dir, dataset, file, counts) for (dataset, file), counts in sorted(rows.items())
    ]


def _record(data_dir: Path, dataset: str, file: str, counts: Counter[str]) -> dict[str, Any]:
    licence = dataset_map(dataset).licence
    return {
        "dataset": dataset,
        "file": file,
        "sha256": sha256_of(data_dir / file),
        "rows": {split: counts[split] for split in SPLITS},
        "licence": licence.name,
        "non_commercial": licence.non_commercial,
    }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
