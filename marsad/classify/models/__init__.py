"""The classifier registry: key -> "module.path:ClassName", imported lazily.

Built-in classifiers are listed in `CLASSIFIERS`; outside packages add theirs through the
`marsad.classifiers` entry-point group (entry name = key, value = "module:Class"). A built-in
key cannot be replaced by an entry point. Every class follows the contract of
`marsad.classify.base.Classifier`; `marsad.classify.checks.check_classifier` tests it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from marsad.classify.models.storage import read_card
from marsad.registry import import_spec, spec_of, with_plugins

__all__ = [
    "CLASSIFIERS",
    "DEFAULT_CLASSIFIER",
    "ENTRY_POINT_GROUP",
    "ClassifierLoadError",
    "classifier_class",
    "classifier_specs",
    "clear_cache",
    "load_classifier",
    "make_classifier",
]

ENTRY_POINT_GROUP = "marsad.classifiers"

CLASSIFIERS: dict[str, str] = {
    "incitement.tfidf.v1": "marsad.classify.models.tfidf:TfidfClassifier",
    "incitement.e5.v1": "marsad.classify.models.e5:E5Classifier",
    "incitement.ensemble.v1": "marsad.classify.models.ensemble:EnsembleClassifier",
    "incitement.transformers.v1": (
        "marsad.classify.models.transformers_backend:TransformersClassifier"
    ),
}
DEFAULT_CLASSIFIER = "incitement.tfidf.v1"

_REQUIRED = ("key", "fit", "predict_proba", "predict", "save", "load", "explain")


class ClassifierLoadError(ImportError):
    """A registered classifier could not be imported or does not follow the contract."""


@cache
def classifier_specs() -> dict[str, str]:
    """Every known classifier key -> "module:Class": the built-in ones, then plugins."""
    return with_plugins(CLASSIFIERS, ENTRY_POINT_GROUP)


@cache
def classifier_class(key: str) -> type[Any]:
    """The class registered under `key`; KeyError listing the known keys when there is none."""
    spec = spec_of(classifier_specs(), key, "classifier", "classifiers")
    try:
        cls: type[Any] = import_spec(spec)
    except (ImportError, AttributeError) as exc:
        raise ClassifierLoadError(
            f"classifier {key!r} ({spec}) could not be loaded: {exc}"
        ) from exc
    missing = [name for name in _REQUIRED if not hasattr(cls, name)]
    if missing:
        raise ClassifierLoadError(f"classifier {key!r} ({spec}) lacks {', '.join(missing)}")
    if cls.key != key:
        raise ClassifierLoadError(f"classifier {key!r} ({spec}) calls itself {cls.key!r}")
    return cls


def make_classifier(key: str, **params: Any) -> Any:
    """A new, unfitted classifier of `key` with these hyperparameters."""
    return classifier_class(key)(**params)


def load_classifier(folder: Path) -> Any:
    """The fitted classifier saved in `folder`, of the class its `model.json` names."""
    return classifier_class(read_card(Path(folder))["key"]).load(Path(folder))


def clear_cache() -> None:
    """Forget loaded classes and entry points (for tests and long-lived processes)."""
    classifier_specs.cache_clear()
    classifier_class.cache_clear()
