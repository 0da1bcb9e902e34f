"""`incitement.ensemble.v1`: the tfidf and e5 probabilities of harm averaged, per language.

P(harmful) = w x P_tfidf(harmful) + (1 - w) x P_e5(harmful), with `w = weights_[route]`; the
harmful labels share it as tfidf shares its own (P(label | harmful) of the tfidf member: the
embeddings tell hate from offensive less well), then the per-language threshold rule. With
`weight=None` (the default) `tune_thresholds` picks each language's weight on its DEV rows: for
each weight of `WEIGHT_GRID` it tunes that language's threshold and keeps the weight with the
best binary macro-F1 (ties: the weight nearest 0.5). Languages without dev rows (`SHARED`)
take the weight that is best over all dev rows. A given weight is used for every language. A
language whose weight is 1 is not embedded when predicting (its e5 term counts for nothing).
The two fitted members are saved in the subfolders `tfidf/` and `e5/`.
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
from marsad.classify.labels import HARMFUL, LABELS, NONE
from marsad.classify.models.decision import (
    SHARED,
    best_threshold,
    binary_macro_f1,
    decide,
    harmful_probability,
    resolve_langs,
    route_of,
)
from marsad.classify.models.e5 import E5Classifier
from marsad.classify.models.occlusion import word_occlusion
from marsad.classify.models.rule import ThresholdRule, check_training_data, default_thresholds
from marsad.classify.models.storage import check_card_key, model_card, read_card, write_card
from marsad.classify.models.tfidf import TfidfClassifier

__all__ = ["WEIGHT_GRID", "EnsembleClassifier", "best_weight", "combine"]

WEIGHT_GRID: tuple[float, ...] = tuple(i / 10 for i in range(11))
DEFAULT_WEIGHT = 0.5
_NONE_COLUMN = LABELS.index(NONE)
_HARMFUL_COLUMNS = [LABELS.index(label) for label in HARMFUL]

Proba = npt.NDArray[np.float64]


def combine(p_tfidf: Proba, p_e5: Proba, weights: npt.NDArray[np.float64]) -> Proba:
    """P(harmful) averaged with each row's tfidf weight, shared among the harmful labels as
    the tfidf member shares it (as e5 does where tfidf gives harm no probability at all)."""
    p_harm = weights * harmful_probability(p_tfidf)
    p_harm += (1.0 - weights) * harmful_probability(p_e5)
    kinds = p_tfidf[:, _HARMFUL_COLUMNS]
    total = kinds.sum(axis=1, keepdims=True)
    kinds = np.where(total > 0, kinds, p_e5[:, _HARMFUL_COLUMNS])
    total = np.clip(kinds.sum(axis=1, keepdims=True), 1e-12, None)
    combined = np.zeros_like(p_tfidf)
    combined[:, _HARMFUL_COLUMNS] = kinds / total * p_harm[:, None]
    combined[:, _NONE_COLUMN] = 1.0 - p_harm
    return combined


def best_weight(
    harm_tfidf: npt.NDArray[np.float64],
    harm_e5: npt.NDArray[np.float64],
    y_harm: npt.NDArray[np.bool_],
    grid: Sequence[float],
) -> tuple[float, float]:
    """The (weight, threshold) of `grid` whose decisions have the best binary macro-F1 on
    these dev rows; the threshold tuned for each weight; ties: the weight nearest 0.5."""
    best: tuple[tuple[float, float], float, float] | None = None
    for w in grid:
        p_harm = w * harm_tfidf + (1.0 - w) * harm_e5
        threshold = best_threshold(p_harm, y_harm)
        score = (binary_macro_f1(y_harm, p_harm >= threshold), -abs(w - DEFAULT_WEIGHT))
        best = (score, float(w), threshold) if best is None or score > best[0] else best
    if best is None:
        raise ValueError("an empty grid of weights")
    return best[1], best[2]


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
        self.languages_ = list(self.tfidf_.languages_)
        self.thresholds_ = default_thresholds(self.languages_)
        weight = DEFAULT_WEIGHT if self.weight is None else float(self.weight)
        self.weights_ = {route: weight for route in self.thresholds_}
        return self

    def row_weights(self, langs: Sequence[str]) -> npt.NDArray[np.float64]:
        """The tfidf weight of each text's language route."""
        check_is_fitted(self, "weights_")
        return np.array([self.weights_.get(r, self.weights_[SHARED]) for r in self.routes(langs)])

    def member_proba(
        self, texts: Sequence[str], langs: Sequence[str], embed: Sequence[bool] | None = None
    ) -> tuple[Proba, Proba]:
        """P(tfidf) and P(e5) of each text; P(e5) is left at 0 where `embed` is False."""
        check_is_fitted(self, "weights_")
        p_tfidf = self.tfidf_.predict_proba(texts, langs)
        p_e5 = np.zeros_like(p_tfidf)
        rows = [i for i in range(len(texts)) if embed is None or embed[i]]
        if rows:
            picked = ([texts[i] for i in rows], [langs[i] for i in rows])
            p_e5[rows] = self.e5_.predict_proba(*picked)
        return p_tfidf, p_e5

    def predict_proba(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> npt.NDArray[np.float64]:
        """`combine` of the members' probabilities, columns in `LABELS` order."""
        langs = resolve_langs(texts, langs)
        weights = self.row_weights(langs)
        p_tfidf, p_e5 = self.member_proba(texts, langs, (weights < 1.0).tolist())
        return combine(p_tfidf, p_e5, weights)

    def tune_thresholds(
        self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str] | None = None
    ) -> Self:
        """Tune each language's weight (when `weight` is None) and threshold on DEV data."""
        langs = resolve_langs(texts, langs)
        harm_tfidf, harm_e5 = map(harmful_probability, self.member_proba(texts, langs))
        grid = WEIGHT_GRID if self.weight is None else (float(self.weight),)
        y_harm = np.array([label != NONE for label in labels])
        routes = np.asarray(self.routes(langs))
        weights, thresholds = dict(self.weights_), dict(self.thresholds_)
        if len(set(y_harm.tolist())) == 2:
            weights[SHARED] = best_weight(harm_tfidf, harm_e5, y_harm, grid)[0]
        for route in dict.fromkeys(routes.tolist()):
            rows = routes == route
            if len(set(y_harm[rows].tolist())) == 2:
                found = best_weight(harm_tfidf[rows], harm_e5[rows], y_harm[rows], grid)
                weights[route], thresholds[route] = found
        self.weights_, self.thresholds_ = weights, thresholds
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
        """`model.json` with the weights and thresholds; the members in `tfidf/` and `e5/`."""
        check_is_fitted(self, "weights_")
        folder = Path(folder)
        self.tfidf_.save(folder / "tfidf")
        self.e5_.save(folder / "e5")
        full = model_card(self, {"weight": self.weight}, card)
        full.update(weights_=self.weights_, members={"tfidf": "tfidf", "e5": "e5"})
        write_card(folder, full)

    @classmethod
    def load(cls, folder: Path) -> Self:
        folder = Path(folder)
        card = read_card(folder)
        check_card_key(card, cls.key, folder)
        if "weights_" not in card:
            raise ValueError(
                f"{folder}/model.json: no 'weights_' (one tfidf weight per language): "
                "the model was saved by an older marsad; train it again"
            )
        tfidf = TfidfClassifier.load(folder / card["members"]["tfidf"])
        e5 = E5Classifier.load(folder / card["members"]["e5"])
        model = cls(clone(tfidf), clone(e5), card["hyperparameters"]["weight"])
        model.tfidf_, model.e5_ = tfidf, e5
        model.weights_ = {k: float(v) for k, v in card["weights_"].items()}
        model.languages_ = list(card["languages"])
        model.thresholds_ = {k: float(v) for k, v in card["thresholds"].items()}
        return model
