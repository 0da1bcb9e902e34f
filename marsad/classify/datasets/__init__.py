"""The labelled datasets: registry key -> "module:function" of its loader, imported lazily.

Each loader is `load(data_dir, skipped=None) -> list[Example]`: `data_dir` is the folder that
holds every dataset's folder (`../shared/data` in development), and `skipped`, when given, a
`Counter` that receives the rows left out, per (file, reason). The label mapping is data:
`marsad/classify/label_map.toml` (see docs/classifier.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

from marsad.classify.base import Example
from marsad.classify.datasets.manifest import manifest
from marsad.classify.datasets.mapping import LabelError, Licence, dataset_map
from marsad.classify.datasets.reading import Skipped
from marsad.registry import import_spec, spec_of

__all__ = [
    "DATASETS",
    "LabelError",
    "Licence",
    "Skipped",
    "licence",
    "load",
    "load_all",
    "manifest",
]

DATASETS: dict[str, str] = {
    "osact2022": "marsad.classify.datasets.osact2022:load",
    "offensive_hebrew": "marsad.classify.datasets.offensive_hebrew:load",
    "olah5000": "marsad.classify.datasets.olah5000:load",
    "olid": "marsad.classify.datasets.olid:load",
    "davidson": "marsad.classify.datasets.davidson:load",
    "mlma": "marsad.classify.datasets.mlma:load",
}

Loader = Callable[..., list[Example]]


def loader(key: str) -> Loader:
    """The load function of the dataset `key`; KeyError listing the known keys."""
    return cast(Loader, import_spec(spec_of(DATASETS, key, "dataset", "datasets")))


def load(key: str, data_dir: Path, skipped: Skipped | None = None) -> list[Example]:
    """The examples of one dataset."""
    return loader(key)(data_dir, skipped)


def load_all(
    data_dir: Path, keys: Iterable[str] | None = None, skipped: Skipped | None = None
) -> list[Example]:
    """The examples of the datasets `keys` (default: all), in registry order."""
    examples: list[Example] = []
    for key in keys if keys is not None else DATASETS:
        examples.extend(load(key, data_dir, skipped))
    return examples


def licence(key: str) -> Licence:
    """The licence of a dataset, from the mapping table."""
    return dataset_map(key).licence
