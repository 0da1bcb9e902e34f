"""`incitement.tfidf.v1`: character and word n-gram TF-IDF + logistic regression, per language.

The fast default. Texts are normalised (`marsad.text.normalize`); each language of
`languages` with at least `min_language_rows` training rows of two or more labels gets its own
model (char_wb 2-5 and word 1-2 n-grams, TF-IDF, `LogisticRegression(class_weight="balanced")`),
and a shared model trained on all rows serves every other language. A label absent from a
language's training rows gets probability 0 there. Decisions follow the per-language threshold
rule of `marsad.classify.models.decision`. Character features are computed by the exact numpy
path of `marsad.classify.models.charngrams` (scikit-learn's own is 3x slower).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.validation import check_is_fitted

from marsad.classify.base import Contribution, Explanation
from marsad.classify.labels import LABELS, LANGUAGES
from marsad.classify.models.charngrams import CharGramIndex
from marsad.classify.models.decision import SHARED, decide, resolve_langs, route_of, routes_of
from marsad.classify.models.rule import ThresholdRule, check_training_data, default_thresholds
from marsad.classify.models.storage import (
    check_card_key,
    dump_weights,
    load_weights,
    model_card,
    params_from_json,
    read_card,
    write_card,
)
from marsad.text.normalize import normalize

__all__ = ["TfidfClassifier"]


class TfidfClassifier(ThresholdRule, BaseEstimator):  # type: ignore[misc]
    key = "incitement.tfidf.v1"

    def __init__(
        self,
        languages: tuple[str, ...] = LANGUAGES,
        char_ngram_range: tuple[int, int] = (2, 5),
        word_ngram_range: tuple[int, int] = (1, 2),
        max_char_features: int = 60_000,
        max_word_features: int = 30_000,
        min_df: int = 2,
        C: float = 2.0,
        solver: str = "lbfgs",
        max_iter: int = 500,
        min_language_rows: int = 20,
    ) -> None:
        self.languages = languages
        self.char_ngram_range = char_ngram_range
        self.word_ngram_range = word_ngram_range
        self.max_char_features = max_char_features
        self.max_word_features = max_word_features
        self.min_df = min_df
        self.C = C
        self.solver = solver
        self.max_iter = max_iter
        self.min_language_rows = min_language_rows

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str] | None = None
    ) -> Self:
        check_training_data(texts, labels)
        langs = resolve_langs(texts, langs)
        norm = [normalize(t) for t in texts]
        models = {lang: self._fit_one(norm, labels, langs, lang) for lang in self.languages}
        self.models_ = {k: m for k, m in models.items() if m is not None}
        self.models_[SHARED] = self._pipeline(len(texts)).fit(norm, list(labels))
        self.languages_ = [lang for lang in self.languages if lang in self.models_]
        self.thresholds_ = default_thresholds(self.languages_)
        self._reset_caches()
        return self

    def _fit_one(
        self, norm: list[str], labels: Sequence[str], langs: list[str], lang: str
    ) -> Pipeline | None:
        rows = [i for i, x in enumerate(langs) if x == lang]
        ys = [labels[i] for i in rows]
        if len(rows) < self.min_language_rows or len(set(ys)) < 2:
            return None
        return self._pipeline(len(rows)).fit([norm[i] for i in rows], ys)

    def _pipeline(self, rows: int) -> Pipeline:
        min_df = self.min_df if rows >= 10 * self.min_df else 1  # tiny data keeps every n-gram
        common: dict[str, Any] = {"lowercase": False, "min_df": min_df, "dtype": np.float32}
        common["sublinear_tf"] = True
        chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=self.char_ngram_range,
            max_features=self.max_char_features,
            **common,
        )
        words = TfidfVectorizer(
            ngram_range=self.word_ngram_range, max_features=self.max_word_features, **common
        )
        clf = LogisticRegression(
            C=self.C, class_weight="balanced", solver=self.solver, max_iter=self.max_iter
        )
        return Pipeline(
            [("features", FeatureUnion([("chars", chars), ("word", words)])), ("clf", clf)]
        )

    def predict_proba(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> npt.NDArray[np.float64]:
        """P(label) per text, columns in `LABELS` order; rows sum to 1."""
        check_is_fitted(self, "models_")
        langs = resolve_langs(texts, langs)
        norm = [normalize(t) for t in texts]
        proba = np.zeros((len(texts), len(LABELS)))
        for route, rows in routes_of(langs, self.languages_).items():
            proba[rows] = self._route_proba(route, [norm[i] for i in rows])
        return proba

    def _route_proba(self, route: str, norm: list[str]) -> npt.NDArray[np.float64]:
        clf: LogisticRegression = self.models_[route].named_steps["clf"]
        out = np.zeros((len(norm), len(LABELS)))
        out[:, [LABELS.index(c) for c in clf.classes_]] = clf.predict_proba(
            self._features(route, norm)
        )
        return out

    def _features(self, route: str, norm: list[str]) -> sp.csr_matrix:
        """Exactly the pipeline's FeatureUnion output, with the fast character path."""
        union: FeatureUnion = self.models_[route].named_steps["features"]
        chars, words = (step for _, step in union.transformer_list)
        index = self._char_index(route)
        x_chars = index.transform(norm) if index is not None else chars.transform(norm)
        return sp.hstack([x_chars, words.transform(norm)]).tocsr()

    def _char_index(self, route: str) -> CharGramIndex | None:
        cache: dict[str, CharGramIndex | None] = self.__dict__.setdefault("_char_indexes", {})
        if route not in cache:
            union: FeatureUnion = self.models_[route].named_steps["features"]
            cache[route] = CharGramIndex.build(union.transformer_list[0][1])
        return cache[route]

    def _reset_caches(self) -> None:
        self.__dict__.pop("_char_indexes", None)
        self.__dict__.pop("_feature_names", None)

    def explain(self, text: str, lang: str | None = None, top: int = 10) -> Explanation:
        """The predicted label and the n-grams of `text` that pushed towards it most (TF-IDF
        value x the label's coefficient; `chars:" قتل"`, `word:"اقتلوا"`)."""
        lang = lang if lang is not None else resolve_langs([text], None)[0]
        proba = self.predict_proba([text], [lang])
        route = route_of(lang, self.languages_)
        label = decide(proba, [route], self.thresholds_)[0]
        x = self._features(route, [normalize(text)])
        weights = x.data * self._coefficients(route, label)[x.indices]
        order = np.argsort(-weights, kind="stable")[:top]
        names = self._names(route)
        contributions = [Contribution(names[x.indices[i]], float(weights[i])) for i in order]
        scores = {name: float(p) for name, p in zip(LABELS, proba[0], strict=True)}
        return Explanation(label, scores, lang, contributions)

    def _coefficients(self, route: str, label: str) -> npt.NDArray[np.float64]:
        clf: LogisticRegression = self.models_[route].named_steps["clf"]
        classes = list(clf.classes_)
        if len(classes) == 2:  # one row of coefficients: towards classes[1]
            return np.asarray(clf.coef_[0] * (1 if label == classes[1] else -1))
        return np.asarray(clf.coef_[classes.index(label)])

    def _names(self, route: str) -> list[str]:
        cache: dict[str, list[str]] = self.__dict__.setdefault("_feature_names", {})
        if route not in cache:
            union: FeatureUnion = self.models_[route].named_steps["features"]
            cache[route] = [_readable(n) for n in union.get_feature_names_out()]
        return cache[route]

    def save(self, folder: Path, card: dict[str, Any] | None = None) -> None:
        """skops weights and `model.json` (key, labels, languages, thresholds,
        hyperparameters, then `card`: training data, metrics...)."""
        check_is_fitted(self, "models_")
        dump_weights(_portable(self.models_), Path(folder))
        write_card(Path(folder), model_card(self, self.get_params(), card))

    @classmethod
    def load(cls, folder: Path) -> Self:
        card = read_card(Path(folder))
        check_card_key(card, cls.key, Path(folder))
        model = cls(**params_from_json(card["hyperparameters"]))
        model.models_ = _restored(load_weights(Path(folder)))
        model.languages_ = list(card["languages"])
        model.thresholds_ = {k: float(v) for k, v in card["thresholds"].items()}
        return model


def _readable(name: str) -> str:
    kind, _, gram = name.partition("__")
    return f'{kind}:"{gram}"'


# skops writes a dict key by key, and its time grows with the square of the size (measured:
# 30,000 n-grams, 89 s): the vocabularies travel as arrays of terms in column order instead.
def _portable(models: dict[str, Pipeline]) -> dict[str, Any]:
    """The pipelines without their vocabulary dicts, and those vocabularies as term arrays."""
    pipelines = copy.deepcopy(models)
    vocabularies: dict[str, list[npt.NDArray[np.str_]]] = {}
    for route, pipeline in pipelines.items():
        vocabularies[route] = [_terms(vec) for vec in _vectorizers(pipeline)]
        for vec in _vectorizers(pipeline):
            del vec.vocabulary_
    return {"pipelines": pipelines, "vocabularies": vocabularies}


def _restored(payload: dict[str, Any]) -> dict[str, Pipeline]:
    pipelines: dict[str, Pipeline] = payload["pipelines"]
    for route, pipeline in pipelines.items():
        for vec, terms in zip(_vectorizers(pipeline), payload["vocabularies"][route], strict=True):
            vec.vocabulary_ = {str(term): i for i, term in enumerate(terms.tolist())}
    return pipelines


def _vectorizers(pipeline: Pipeline) -> list[TfidfVectorizer]:
    union: FeatureUnion = pipeline.named_steps["features"]
    return [step for _, step in union.transformer_list]


def _terms(vec: TfidfVectorizer) -> npt.NDArray[np.str_]:
    terms = [""] * len(vec.vocabulary_)
    for term, column in vec.vocabulary_.items():
        terms[column] = term
    return np.array(terms, dtype=np.str_)
