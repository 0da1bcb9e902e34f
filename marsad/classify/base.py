"""The contract of every classifier and of every labelled example.

Classifiers follow the scikit-learn contract: hyperparameters in `__init__` (stored as given),
`fit(texts, labels, langs=None)` returns self, learned attributes end in `_`,
`predict_proba(texts, langs=None)` gives one row per text with a probability per label in
`LABELS` order, `predict(texts, langs=None)` the label of each text after the decision rule
(thresholds). `langs`, when given, is each text's language code ("ar", "he", "en", ... or
"und"); when absent the classifier detects it with `marsad.text`. `save(folder)` writes the
weights with skops or ONNX (never pickle) and `model.json`; `load(folder)` (a classmethod)
reads them back and predicts exactly the same. `explain(text, lang=None, top=10)` names the
features that pushed the decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Self

import numpy as np
import numpy.typing as npt

MODEL_CARD = "model.json"


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text of a dataset, mapped onto the taxonomy."""

    text: str
    label: str  # one of LABELS
    lang: str  # "ar", "he", "en"
    dataset: str  # dataset key, e.g. "osact2022"
    split: str  # "train", "dev" or "test"
    file: str  # the file it came from, relative to the data folder
    row: int  # its row (1-based, header not counted) in that file
    target: str | None = None  # one of TARGETS, where the dataset has it
    source_label: str = ""  # the label as the dataset published it, e.g. "HS2"


@dataclass(frozen=True, slots=True)
class Contribution:
    """One feature's push towards (positive) or away from (negative) the predicted label."""

    feature: str
    weight: float


@dataclass(frozen=True, slots=True)
class Explanation:
    label: str
    scores: dict[str, float]  # label -> probability
    lang: str
    contributions: list[Contribution]


class Classifier(Protocol):
    key: str  # registry key with a version, e.g. "incitement.tfidf.v1"

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str] | None = None
    ) -> Self: ...

    def predict_proba(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> npt.NDArray[np.float64]: ...

    def predict(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> list[str]: ...

    def save(self, folder: Path, card: dict[str, Any] | None = None) -> None: ...

    @classmethod
    def load(cls, folder: Path) -> Self: ...

    def explain(self, text: str, lang: str | None = None, top: int = 10) -> Explanation: ...
