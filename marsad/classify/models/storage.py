"""Model folders: weights as numpy arrays or with skops (never pickle), and the `model.json` card.

`dump_arrays` writes named numpy arrays and a JSON description of them to one compressed
`weights.npz`; `load_arrays` reads it with `allow_pickle=False`, so the file can only hold
numbers and bytes. A model made of arrays (`incitement.tfidf.v1`) loads without scikit-learn.
`dump_weights` writes a compressed skops file; `load_weights` reads it trusting only the types
in `TRUSTED_TYPES` (the scikit-learn, numpy and scipy types marsad's models are made of): a
file holding any other type is refused, so a model folder from elsewhere cannot run code.
skops is imported only when used: importing it imports all of scikit-learn (seconds).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.classify.base import MODEL_CARD
from marsad.classify.labels import LABELS

__all__ = [
    "ARRAYS",
    "TRUSTED_TYPES",
    "WEIGHTS",
    "dump_arrays",
    "dump_weights",
    "load_arrays",
    "load_weights",
    "model_card",
    "params_from_json",
    "read_card",
    "write_card",
]

WEIGHTS = "weights.skops"
ARRAYS = "weights.npz"
_DESCRIPTION = "description.json"  # the array holding the JSON description

TRUSTED_TYPES: list[str] = [
    "builtins.slice",
    "numpy.dtype",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
]


class Arrays(dict[str, npt.NDArray[Any]]):
    """The arrays of a `weights.npz`; a missing one is a KeyError naming the file."""

    def __init__(self, path: Path, arrays: dict[str, npt.NDArray[Any]]) -> None:
        super().__init__(arrays)
        self.path = path

    def __missing__(self, name: str) -> npt.NDArray[Any]:
        raise KeyError(f"{self.path} has no array {name!r}")


def dump_arrays(
    folder: Path, description: dict[str, Any], arrays: dict[str, npt.NDArray[Any]]
) -> None:
    """Write `arrays` and `description` (JSON) to `folder/weights.npz`, atomically."""
    if _DESCRIPTION in arrays:
        raise ValueError(f"{_DESCRIPTION!r} is the name of the description, not of an array")
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(description, ensure_ascii=False).encode("utf-8")
    payload = {**arrays, _DESCRIPTION: np.frombuffer(text, dtype=np.uint8)}
    tmp = folder / (ARRAYS + ".tmp")
    with tmp.open("wb") as out:
        np.savez_compressed(out, allow_pickle=False, **payload)
    tmp.replace(folder / ARRAYS)


def load_arrays(folder: Path) -> tuple[dict[str, Any], Arrays]:
    """The description and the arrays of `folder/weights.npz` (ValueError when the file is
    missing, holds pickled objects or has no description)."""
    path = folder / ARRAYS
    if not path.is_file():
        raise ValueError(f"{path} is missing (a model saved by an older marsad: train it again)")
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    if _DESCRIPTION not in arrays:
        raise ValueError(f"{path} has no {_DESCRIPTION}")
    description: dict[str, Any] = json.loads(arrays.pop(_DESCRIPTION).tobytes())
    return description, Arrays(path, arrays)


def dump_weights(obj: Any, folder: Path) -> None:
    import skops.io

    folder.mkdir(parents=True, exist_ok=True)
    skops.io.dump(obj, folder / WEIGHTS, compression=zipfile.ZIP_DEFLATED)


def load_weights(folder: Path) -> Any:
    import skops.io

    path = folder / WEIGHTS
    untrusted = sorted(set(skops.io.get_untrusted_types(file=path)) - set(TRUSTED_TYPES))
    if untrusted:
        raise ValueError(f"{path} holds types marsad does not trust: {', '.join(untrusted)}")
    return skops.io.load(path, trusted=TRUSTED_TYPES)


def write_card(folder: Path, card: dict[str, Any]) -> None:
    """Write `model.json` (UTF-8, readable Arabic and Hebrew) atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (MODEL_CARD + ".tmp")
    tmp.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(folder / MODEL_CARD)


def read_card(folder: Path) -> dict[str, Any]:
    card: dict[str, Any] = json.loads((folder / MODEL_CARD).read_text(encoding="utf-8"))
    return card


def model_card(
    model: Any, hyperparameters: dict[str, Any], extra: dict[str, Any] | None
) -> dict[str, Any]:
    """The card of a fitted marsad model: its key, labels, languages, thresholds and
    hyperparameters, then whatever the trainer passes (`extra`: data, metrics...)."""
    card: dict[str, Any] = {
        "key": model.key,
        "labels": list(LABELS),
        "languages": list(model.languages_),
        "thresholds": dict(model.thresholds_),
        "hyperparameters": json.loads(json.dumps(hyperparameters)),
    }
    for name, value in (extra or {}).items():
        card.setdefault(name, value)
    return card


def params_from_json(params: dict[str, Any]) -> dict[str, Any]:
    """Hyperparameters read back from `model.json`: JSON lists become the tuples they were."""
    return {name: tuple(v) if isinstance(v, list) else v for name, v in params.items()}


def check_card_key(card: dict[str, Any], key: str, folder: Path) -> None:
    if card.get("key") != key:
        raise ValueError(f"{folder} holds model {card.get('key')!r}, not {key!r}")
