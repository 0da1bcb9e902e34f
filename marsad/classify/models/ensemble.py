"""`incitement.ensemble.v1`: a weighted average of the tfidf and e5 probabilities.

P = weight_ x P(tfidf) + (1 - weight_) x P(e5), then the per-language threshold rule. With
`weight=None` (the default) `tune_thresholds` picks `weight_` on the DEV data too: for each
weight of `WEIGHT_GRID` it tunes the thresholds and keeps the weight whose decisions have the
best binary macro-F1 over all dev rows (ties: the weight nearest 0.5). A given weight is kept
as it is. The two fitted members are saved in the subfolders `tfidf/` and `e5/`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from marsad.classify.base import Explanation
from marsad.classify.labels import LABELS, NONE
from marsad.classify.models.decision import (
    binary_macro_f1,
    decide,
    resolve_langs,
    route_of,
    tune_route_thresholds,
)
from marsad.classify.models.e5 import E5Classifier
from marsad.classify.models.occlusion import word_occlusion
from marsad.classify.models.rule import ThresholdRule, check_training_data, default_thresholds
from marsad.classify.models.storage import check_card_key, model_card, read_card, write_card
from marsad.classify.models.tfidf import TfidfClassifier

__all__ = ["WEIGHT_GRID", "EnsembleClassifier"]

WEIGHT_GRID: tuple[float, ...] = tuple(i / 10 for i in range(11))
DEFAULT_WEIGHT = 0.5


class EnsembleClassifier(ThresholdRule, BaseEstimator):  # type: ignore[misc]
    key = "incitement.ensemble.v1"

    def __init__(
        self,
        tfidf: TfidfClassifier | None = None,
        e5: E5Classifier | None = None,
        weight: float | None = None,
    ) -> None:
        self.tfidf = tfidf
        self.e5 = e5
        self.weight = weight

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str] | None = None
    ) -> Self:
        check_training_data(texts, labels)
        langs = resolve_langs(texts, langs)
        self.tfidf_ = clone(self.tfidf) if self.tfidf is not None else TfidfClassifier()
        self.e5_ = clone(self.e5) if self.e5 is not None else E5Classifier()
        self.tfidf_.fit(texts, labels, langs)
        self.e5_.fit(texts, labels, langs)
        self.weight_ = DEFAULT_WEIGHT if self.weight is None else float(self.weight)
        self.languages_ = list(self.tfidf_.languages_)
        self.thresholds_ = default_thresholds(self.languages_)
        return self

    def member_proba(
        self, texts: Sequence[str], langs: Sequence[str]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        check_is_fitted(self, "weight_")
        return self.tfidf_.predict_proba(texts, langs), self.e5_.predict_proba(texts, langs)

    def predict_proba(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> npt.NDArray[np.float64]:
        """weight_ x P(tfidf) + (1 - weight_) x P(e5), columns in `LABELS` order."""
        langs = resolve_langs(texts, langs)
        p_tfidf, p_e5 = self.member_proba(texts, langs)
        return self.weight_ * p_tfidf + (1.0 - self.weight_) * p_e5

    def tune_thresholds(
        self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str] | None = None
    ) -> Self:
        """Tune `weight_` (when `weight` is None) and the thresholds on DEV data."""
        langs = resolve_langs(texts, langs)
        p_tfidf, p_e5 = self.member_proba(texts, langs)
        weights = WEIGHT_GRID if self.weight is None else (float(self.weight),)
        routes = self.routes(langs)
        y_harm = np.array([label != NONE for label in labels])
        best: tuple[float, float, float, dict[str, float]] | None = None
        for w in weights:
            proba = w * p_tfidf + (1.0 - w) * p_e5
            thresholds = tune_route_thresholds(proba, labels, routes, self.thresholds_)
            y_pred = np.array([p != NONE for p in decide(proba, routes, thresholds)])
            score = (binary_macro_f1(y_harm, y_pred), -abs(w - DEFAULT_WEIGHT), w, thresholds)
            best = score if best is None or score[:2] > best[:2] else best
        assert best is not None
        self.weight_, self.thresholds_ = float(best[2]), best[3]
        return self

    def explain(self, text: str, lang: str | None = None, top: int = 10) -> Explanation:
        """The predicted label and the words whose removal lowers its probability most."""
        lang = lang if lang is not None else resolve_langs([text], None)[0]
        proba = self.predict_proba([text], [lang])
        label = decide(proba, [route_of(lang, self.languages_)], self.thresholds_)[0]
        _, contributions = word_occlusion(self.predict_proba, text, lang, label, top)
        scores = {name: float(p) for name, p in zip(LABELS, proba[0], strict=True)}
        return Explanation(label, scores, lang, contributions)

    def save(self, folder: Path, card: dict[str, Any] | None = None) -> None:
        """`model.json` with the weight and thresholds; the members in `tfidf/` and `e5/`."""
        check_is_fitted(self, "weight_")
        folder = Path(folder)
        self.tfidf_.save(folder / "tfidf")
        self.e5_.save(folder / "e5")
        full = model_card(self, {"weight": self.weight}, card)
        full.update(weight_=self.weight_, members={"tfidf": "tfidf", "e5": "e5"})
        write_card(folder, full)

    @classmethod
    def load(cls, folder: Path) -> Self:
        folder = Path(folder)
        card = read_card(folder)
        check_card_key(card, cls.key, folder)
        tfidf = TfidfClassifier.load(folder / card["members"]["tfidf"])
        e5 = E5Classifier.load(folder / card["members"]["e5"])
        model = cls(clone(tfidf), clone(e5), card["hyperparameters"]["weight"])
        model.tfidf_, model.e5_ = tfidf, e5
        model.weight_ = float(card["weight_"])
        model.languages_ = list(card["languages"])
        model.thresholds_ = {k: float(v) for k, v in card["thresholds"].items()}
        return model
