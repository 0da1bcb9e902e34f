"""Model folders: weights with skops (never pickle) and the `model.json` card.

`dump_weights` writes a compressed skops file; `load_weights` reads it trusting only the types
in `TRUSTED_TYPES` (the scikit-learn, numpy and scipy types marsad's models are made of): a
file holding any other type is refused, so a model folder from elsewhere cannot run code.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import skops.io

from marsad.classify.base import MODEL_CARD
from marsad.classify.labels import LABELS

__all__ = [
    "TRUSTED_TYPES",
    "WEIGHTS",
    "dump_weights",
    "load_weights",
    "model_card",
    "params_from_json",
    "read_card",
    "write_card",
]

WEIGHTS = "weights.skops"

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


def dump_weights(obj: Any, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    skops.io.dump(obj, folder / WEIGHTS, compression=zipfile.ZIP_DEFLATED)


def load_weights(folder: Path) -> Any:
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
