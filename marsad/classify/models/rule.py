"""`ThresholdRule`: `predict` and `tune_thresholds` on top of a classifier's `predict_proba`.

A classifier that mixes it in sets `languages_` (the languages with their own threshold) and
`thresholds_` (route -> threshold, see `marsad.classify.models.decision`) when it is fitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import numpy as np
import numpy.typing as npt

from marsad.classify.labels import LABELS
from marsad.classify.models.decision import (
    DEFAULT_THRESHOLD,
    SHARED,
    decide,
    resolve_langs,
    route_of,
    tune_route_thresholds,
)


class ThresholdRule:
    languages_: list[str]
    thresholds_: dict[str, float]

    def predict_proba(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> npt.NDArray[np.float64]:
        raise NotImplementedError

    def predict(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> list[str]:
        """The label of each text after the per-language threshold rule."""
        langs = resolve_langs(texts, langs)
        proba = self.predict_proba(texts, langs)
        return decide(proba, self.routes(langs), self.thresholds_)

    def tune_thresholds(
        self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str] | None = None
    ) -> Self:
        """Set `thresholds_` by maximising binary macro-F1 (harmful vs none) per language on
        these DEV examples (never a test split). Languages without dev rows keep theirs."""
        _check_labels(labels, len(texts))
        langs = resolve_langs(texts, langs)
        proba = self.predict_proba(texts, langs)
        self.thresholds_ = tune_route_thresholds(
            proba, labels, self.routes(langs), self.thresholds_
        )
        return self

    def routes(self, langs: Sequence[str]) -> list[str]:
        return [route_of(lang, self.languages_) for lang in langs]


def default_thresholds(languages: Sequence[str]) -> dict[str, float]:
    return {route: DEFAULT_THRESHOLD for route in [*languages, SHARED]}


def _check_labels(labels: Sequence[str], count: int) -> None:
    if len(labels) != count:
        raise ValueError(f"{count} texts but {len(labels)} labels")
    unknown = sorted(set(labels) - set(LABELS))
    if unknown:
        raise ValueError(f"unknown labels {unknown}; expected some of {list(LABELS)}")


def check_training_data(texts: Sequence[str], labels: Sequence[str]) -> None:
    """Raise ValueError unless there is one known label per text and at least two labels."""
    _check_labels(labels, len(texts))
    if len(set(labels)) < 2:
        raise ValueError("training data needs at least two different labels")
