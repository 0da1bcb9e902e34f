"""A stand-in classifier for the training and evaluation tests: it learns which words came with
which harmful label, so its figures on tiny invented data are known in advance."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.classify.base import MODEL_CARD, Explanation
from marsad.classify.labels import LABELS, NONE

KEY = "test.words.v1"
SPEC = "tests.classify.stub_model:WordModel"


def one_hot(labels: Sequence[str], confidence: float = 0.7) -> npt.NDArray[np.float64]:
    rest = (1.0 - confidence) / (len(LABELS) - 1)
    proba = np.full((len(labels), len(LABELS)), rest)
    for i, label in enumerate(labels):
        proba[i, LABELS.index(label)] = confidence
    return proba


class WordModel:
    """A text with a word seen under a harmful label gets that label; thresholds_ records the
    texts it was tuned on."""

    key = KEY

    def __init__(self, confidence: float = 0.7) -> None:
        self.confidence = confidence

    def get_params(self, deep: bool = False) -> dict[str, Any]:
        return {"confidence": self.confidence}

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str] | None = None
    ) -> WordModel:
        words = {w: lab for t, lab in zip(texts, labels, strict=True) for w in t.split()}
        self.words_ = {w: lab for w, lab in words.items() if lab != NONE}
        self.fitted_on_ = list(texts)
        self.thresholds_: dict[str, Any] = {"*": 0.5, "tuned_on": []}
        return self

    def tune_thresholds(
        self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str] | None = None
    ) -> WordModel:
        self.thresholds_["tuned_on"] = list(texts)
        return self

    def predict(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> list[str]:
        return [next((self.words_[w] for w in t.split() if w in self.words_), NONE) for t in texts]

    def predict_proba(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> npt.NDArray[np.float64]:
        return one_hot(self.predict(texts, langs), self.confidence)

    def save(self, folder: Path, card: dict[str, Any] | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "words.json").write_text(json.dumps(self.words_), "utf-8")
        (folder / MODEL_CARD).write_text(json.dumps({**(card or {}), "key": KEY}), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> WordModel:
        model = cls()
        model.words_ = json.loads((folder / "words.json").read_text("utf-8"))
        return model

    def explain(self, text: str, lang: str | None = None, top: int = 10) -> Explanation:
        label = self.predict([text])[0]
        scores = dict(zip(LABELS, one_hot([label])[0].tolist(), strict=True))
        return Explanation(label, scores, lang or "und", [])
