"""Resolve a `--model` argument to a loaded classifier.

A model is a folder holding `model.json` (whose `key` names the classifier in the registry
`marsad.classify.models.CLASSIFIERS`, or in the `marsad.classifiers` entry-point group) and
the weights that the class's `load(folder)` reads. `"default"` means the model shipped in the
package, `marsad/classify/default_model/`.

Every loaded model also gets a *version*: a hash of the content of its folder, so that labels
written by two different trainings of the same key are never mixed, and the same files always
give the same version wherever they are copied.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from marsad.classify.base import MODEL_CARD, Classifier
from marsad.registry import import_spec

DEFAULT = "default"
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "default_model"
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class ModelError(ValueError):
    """A model cannot be loaded; the message names the folder and the reason."""


@dataclass(frozen=True, slots=True)
class LoadedModel:
    classifier: Classifier
    key: str  # registry key with its version, e.g. "incitement.tfidf.v1"
    version: str  # content hash of the model folder (16 hex digits)
    folder: Path


def model_folder(name: str) -> Path:
    """The folder a `--model` value names: "default" or a path."""
    if name == DEFAULT:
        if not (DEFAULT_MODEL_DIR / MODEL_CARD).is_file():
            raise ModelError(
                f"the default model is not installed ({DEFAULT_MODEL_DIR / MODEL_CARD} is"
                " missing); train one with `marsad train` and pass --model FOLDER"
            )
        return DEFAULT_MODEL_DIR
    folder = Path(name).expanduser()
    if not (folder / MODEL_CARD).is_file():
        raise ModelError(f"{folder} is not a model folder: {folder / MODEL_CARD} is missing")
    return folder.resolve()


def read_card(folder: Path) -> dict[str, Any]:
    """The model card of `folder`, checked to name a classifier key."""
    path = folder / MODEL_CARD
    try:
        card = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as error:
        raise ModelError(f"{path}: cannot read the model card: {error}") from error
    if not isinstance(card, dict) or not isinstance(card.get("key"), str):
        raise ModelError(f"{path}: the model card has no classifier 'key'")
    if not _KEY.fullmatch(card["key"]):
        raise ModelError(f"{path}: {card['key']!r} is not a valid classifier key")
    return card


def registry() -> dict[str, str]:
    """Every classifier key -> "module:Class" (`marsad.classify.models.classifier_specs`)."""
    from marsad.classify.models import classifier_specs

    return dict(classifier_specs())


def classifier_class(key: str, where: Path) -> Any:
    """The class registered under `key`; ModelError naming the known keys when none is."""
    specs = registry()
    if key not in specs:
        known = ", ".join(specs) or "(none)"
        raise ModelError(f"{where}: unknown classifier {key!r}; known: {known}")
    try:
        return import_spec(specs[key])
    except (ImportError, AttributeError) as error:
        raise ModelError(f"classifier {key!r} ({specs[key]}) cannot be loaded: {error}") from error


def folder_version(folder: Path) -> str:
    """A hash of every file's relative path and content under `folder`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def load_model(name: str) -> LoadedModel:
    """Load the model that `--model NAME` names ("default" or a folder)."""
    folder = model_folder(name)
    key = str(read_card(folder)["key"])
    cls = classifier_class(key, folder)
    try:
        classifier: Classifier = cls.load(folder)
    except (ImportError, OSError, ValueError, KeyError, TypeError) as error:
        raise ModelError(f"{folder}: cannot load model {key!r}: {error}") from error
    return LoadedModel(classifier, key, folder_version(folder), folder)
