"""`LinearRoute`: one route's fitted n-gram features and logistic regressions as plain arrays.

A route (a language, or `SHARED`) of `incitement.tfidf.v1` is its `NgramIndex` feature
families, stacked left to right, and two `LinearLayer`s: `harm`, P(harmful) against P(none),
and `kinds`, which harmful label a harmful post carries (fitted on the harmful rows only).
P(label) = P(harmful) x P(label | harmful), and P(none) = 1 - P(harmful). A layer keeps its
weights as scikit-learn's `LogisticRegression` does (`coef`, one row per class, or a single
row towards `classes[1]` for two classes; `intercept`; `classes`) and gives its
probabilities: the logistic function for two classes, softmax for more, 1 for a layer of a
single class (a route whose harmful rows all have one label). The weights are rounded to
float32 once, when the layer is made, so a route saved with `arrays` and read back with
`from_arrays` predicts exactly what it did before, and takes half the disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from marsad.classify.labels import LABELS, NONE
from marsad.classify.models.ngrams import NgramIndex, decode_strings, encode_strings

__all__ = ["HARMFUL", "LinearLayer", "LinearRoute"]

HARMFUL = "harmful"  # the positive class of the `harm` layer
Floats = npt.NDArray[np.float64]
Arrays = dict[str, npt.NDArray[Any]]


@dataclass(frozen=True, slots=True)
class LinearLayer:
    coef: Floats  # (classes or 1, features), float32 values held as float64; empty: 1 class
    intercept: Floats  # (classes or 1,)
    classes: tuple[str, ...]

    @classmethod
    def create(
        cls, coef: npt.NDArray[Any], intercept: npt.NDArray[Any], classes: Sequence[str]
    ) -> Self:
        """A layer with its weights rounded to float32 (see the module's docstring)."""
        rows = {1: 0, 2: 1}.get(len(classes), len(classes))
        if coef.ndim != 2 or coef.shape[0] != rows or intercept.shape != (rows,):
            raise ValueError(
                f"coefficients {coef.shape} and intercept {intercept.shape} do not fit"
                f" {len(classes)} classes"
            )
        return cls(_rounded(coef), _rounded(intercept), tuple(classes))

    @classmethod
    def constant(cls, label: str, width: int) -> Self:
        """A layer of one class, whose probability is always 1."""
        return cls.create(np.zeros((0, width)), np.zeros(0), [label])

    def predict_proba(self, x: sp.csr_matrix) -> Floats:
        """P(class) per row, columns in `classes` order."""
        if len(self.classes) == 1:
            return np.ones((x.shape[0], 1))
        decision = np.asarray(x @ self.coef.T, dtype=np.float64) + self.intercept
        if len(self.classes) == 2:
            positive = 1.0 / (1.0 + np.exp(-decision[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        decision -= decision.max(axis=1, keepdims=True)
        np.exp(decision, out=decision)
        decision /= decision.sum(axis=1, keepdims=True)
        return decision

    def towards(self, label: str, width: int) -> Floats:
        """Each feature's coefficient towards `label` (zeros when the layer cannot tell)."""
        if len(self.classes) == 1 or label not in self.classes:
            return np.zeros(width)
        if len(self.classes) == 2:
            sign = 1.0 if label == self.classes[1] else -1.0
            return np.asarray(self.coef[0] * sign)
        return np.asarray(self.coef[self.classes.index(label)])

    def arrays(self, prefix: str) -> Arrays:
        classes, lengths = encode_strings(self.classes)
        return {
            f"{prefix}coef": self.coef.astype(np.float32),
            f"{prefix}intercept": self.intercept.astype(np.float32),
            f"{prefix}classes": classes,
            f"{prefix}class_lengths": lengths,
        }

    @classmethod
    def from_arrays(cls, arrays: Arrays, prefix: str) -> Self:
        classes = decode_strings(arrays[f"{prefix}classes"], arrays[f"{prefix}class_lengths"])
        return cls.create(arrays[f"{prefix}coef"], arrays[f"{prefix}intercept"], classes)


@dataclass(frozen=True, slots=True)
class LinearRoute:
    features: tuple[NgramIndex, ...]
    harm: LinearLayer  # classes: HARMFUL and/or NONE
    kinds: LinearLayer  # classes: the harmful labels of the route's training rows

    def __post_init__(self) -> None:
        for layer in (self.harm, self.kinds):
            if layer.coef.shape[1] != self.width:
                raise ValueError(f"a layer of {layer.coef.shape[1]} features, not {self.width}")
        if not set(self.harm.classes) <= {HARMFUL, NONE}:
            raise ValueError(f"harm classes {self.harm.classes}; expected {HARMFUL!r}, {NONE!r}")
        if not set(self.kinds.classes) <= set(LABELS) - {NONE}:
            raise ValueError(f"kinds classes {self.kinds.classes} are not harmful labels")

    @property
    def width(self) -> int:
        return sum(len(f.terms) for f in self.features)

    def transform(self, norm: Sequence[str]) -> sp.csr_matrix:
        """The features of normalised texts: each family's TF-IDF, side by side."""
        return sp.csr_matrix(sp.hstack([f.transform(norm) for f in self.features], format="csr"))

    def predict_proba(self, x: sp.csr_matrix) -> Floats:
        """P(label) per row, columns in `LABELS` order."""
        harm = self.harm.predict_proba(x)
        p_harm = harm[:, self.harm.classes.index(HARMFUL)] if HARMFUL in self.harm.classes else 0
        out = np.zeros((x.shape[0], len(LABELS)))
        out[:, LABELS.index(NONE)] = 1.0 - p_harm
        kinds = self.kinds.predict_proba(x)
        for column, label in enumerate(self.kinds.classes):
            out[:, LABELS.index(label)] = p_harm * kinds[:, column]
        return out

    def towards(self, label: str) -> Floats:
        """Each feature's push towards `label`: the harm layer's coefficient (towards harmful,
        or away from it for none) plus, for a harmful label, the kinds layer's."""
        harm = self.harm.towards(HARMFUL, self.width)
        if label == NONE:
            return -harm
        return harm + self.kinds.towards(label, self.width)

    def names(self) -> list[str]:
        """Each column's name, `family:"n-gram"`."""
        return [f'{f.name}:"{term}"' for f in self.features for term in f.terms.strings()]

    def arrays(self, prefix: str) -> tuple[dict[str, Any], Arrays]:
        """The route's settings (JSON) and arrays (named `prefix` + field)."""
        arrays = {**self.harm.arrays(f"{prefix}harm."), **self.kinds.arrays(f"{prefix}kinds.")}
        for i, family in enumerate(self.features):
            arrays.update(family.arrays(f"{prefix}f{i}."))
        return {"features": [f.settings() for f in self.features]}, arrays

    @classmethod
    def from_arrays(cls, settings: dict[str, Any], arrays: Arrays, prefix: str) -> Self:
        families = tuple(
            NgramIndex.from_arrays(family, arrays, f"{prefix}f{i}.")
            for i, family in enumerate(settings["features"])
        )
        harm = LinearLayer.from_arrays(arrays, f"{prefix}harm.")
        return cls(families, harm, LinearLayer.from_arrays(arrays, f"{prefix}kinds."))


def _rounded(values: npt.NDArray[Any]) -> Floats:
    return np.asarray(values, dtype=np.float32).astype(np.float64)


# --- fitting (scikit-learn, imported only here) -------------------------------------------


@dataclass(frozen=True, slots=True)
class RouteSettings:
    """The hyperparameters of one route's fit (see `TfidfClassifier`)."""

    char_ngram_range: tuple[int, int]
    word_ngram_range: tuple[int, int]
    max_char_features: int
    max_word_features: int
    min_df: int
    C: float
    log_count_ratio: bool
    solver: str
    max_iter: int


NB_ALPHA = 0.5  # smoothing of the log-count ratio
_FAMILIES = ("chars", "word")


def fit_route(norm: Sequence[str], labels: Sequence[str], settings: RouteSettings) -> LinearRoute:
    """Fit the features and both layers of a route on normalised texts and their labels."""
    vectorizers = _vectorizers(settings, len(norm))
    x = sp.csr_matrix(sp.hstack([v.fit_transform(norm) for v in vectorizers], format="csr"))
    harmful = np.array([label != NONE for label in labels])
    harm = _harm_layer(x, harmful, settings)
    kinds = _kinds_layer(x[harmful], [y for y in labels if y != NONE], settings)
    named = zip(_FAMILIES, vectorizers, strict=True)
    return LinearRoute(tuple(NgramIndex.from_vectorizer(n, v) for n, v in named), harm, kinds)


def _vectorizers(settings: RouteSettings, rows: int) -> list[Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    min_df = settings.min_df if rows >= 10 * settings.min_df else 1  # tiny data: every n-gram
    common: dict[str, Any] = {"lowercase": False, "min_df": min_df, "dtype": np.float32}
    common["sublinear_tf"] = True
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=settings.char_ngram_range,
        max_features=settings.max_char_features,
        **common,
    )
    words = TfidfVectorizer(
        ngram_range=settings.word_ngram_range, max_features=settings.max_word_features, **common
    )
    return [chars, words]


def _harm_layer(x: sp.csr_matrix, harmful: npt.NDArray[np.bool_], s: RouteSettings) -> LinearLayer:
    if harmful.all():
        return LinearLayer.constant(HARMFUL, x.shape[1])
    scale = log_count_ratio(x, harmful) if s.log_count_ratio else np.ones(x.shape[1])
    scaled = x @ sp.diags(scale.astype(x.dtype))
    clf = _logistic(s).fit(scaled, np.where(harmful, HARMFUL, NONE))
    return LinearLayer.create(clf.coef_ * scale, clf.intercept_, [str(c) for c in clf.classes_])


def _kinds_layer(x: sp.csr_matrix, labels: list[str], s: RouteSettings) -> LinearLayer:
    kinds = sorted(set(labels))
    if len(kinds) == 1:
        return LinearLayer.constant(kinds[0], x.shape[1])
    clf = _logistic(s).fit(x, labels)
    return LinearLayer.create(clf.coef_, clf.intercept_, [str(c) for c in clf.classes_])


def _logistic(s: RouteSettings) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=s.C, class_weight="balanced", solver=s.solver, max_iter=s.max_iter)


def log_count_ratio(x: sp.csr_matrix, positive: npt.NDArray[np.bool_]) -> Floats:
    """Each feature's log-count ratio, positive rows against the others (NB-LR, Wang and
    Manning 2012), smoothed by `NB_ALPHA`."""
    p = NB_ALPHA + np.asarray(x[positive].sum(axis=0), dtype=np.float64).ravel()
    q = NB_ALPHA + np.asarray(x[~positive].sum(axis=0), dtype=np.float64).ravel()
    return np.asarray(np.log((p / p.sum()) / (q / q.sum())))
