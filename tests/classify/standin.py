"""A tiny word-count classifier that follows `marsad.classify.base` (for the classify tests).

It is a multinomial naive Bayes over lower-cased words, saved as JSON. `delay` (seconds per
predict_proba call) lets a test stop a run in the middle of its batches.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from marsad.classify import loader
from marsad.classify.base import MODEL_CARD, Contribution, Explanation
from marsad.classify.labels import LABELS

KEY = "test.standin.v1"
SPEC = "tests.classify.standin:StandIn"
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class StandIn:
    key = KEY

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], langs: Sequence[str] | None = None
    ) -> Self:
        self.counts_: dict[str, dict[str, int]] = {label: {} for label in LABELS}
        for text, label in zip(texts, labels, strict=True):
            counts = Counter(self.counts_[label])
            counts.update(words(text))
            self.counts_[label] = dict(counts)
        return self

    def _log_likelihood(self, word: str, label: str) -> float:
        counts = self.counts_[label]
        vocabulary = {w for c in self.counts_.values() for w in c}
        return math.log((counts.get(word, 0) + 1) / (sum(counts.values()) + len(vocabulary)))

    def predict_proba(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> npt.NDArray[np.float64]:
        time.sleep(self.delay)
        rows = []
        for text in texts:
            scores = np.array(
                [sum(self._log_likelihood(w, label) for w in words(text)) for label in LABELS]
            )
            exp = np.exp(scores - scores.max())
            rows.append(exp / exp.sum())
        return np.array(rows, dtype=np.float64).reshape(len(texts), len(LABELS))

    def predict(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> list[str]:
        return [LABELS[int(i)] for i in self.predict_proba(texts, langs).argmax(axis=1)]

    def save(self, folder: Path, card: dict[str, Any] | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "weights.json").write_text(json.dumps(self.counts_, ensure_ascii=False))
        document = {"key": KEY, "labels": list(LABELS), "delay": self.delay, **(card or {})}
        (folder / MODEL_CARD).write_text(json.dumps(document))

    @classmethod
    def load(cls, folder: Path) -> Self:
        card = json.loads((folder / MODEL_CARD).read_text())
        model = cls(delay=float(card.get("delay", 0.0)))
        model.counts_ = json.loads((folder / "weights.json").read_text())
        return model

    def explain(self, text: str, lang: str | None = None, top: int = 10) -> Explanation:
        proba = self.predict_proba([text])[0]
        label = LABELS[int(proba.argmax())]
        others = [other for other in LABELS if other != label]
        pushes = {
            w: self._log_likelihood(w, label)
            - max(self._log_likelihood(w, other) for other in others)
            for w in set(words(text))
        }
        ranked = sorted(pushes.items(), key=lambda item: (-item[1], item[0]))[:top]
        return Explanation(
            label=label,
            scores={name: float(p) for name, p in zip(LABELS, proba, strict=True)},
            lang=lang or "und",
            contributions=[Contribution(f'word:"{w}"', weight) for w, weight in ranked],
        )


def registry_with_standin() -> dict[str, str]:
    return {**_REAL_REGISTRY(), KEY: SPEC}


_REAL_REGISTRY = loader.registry


def register() -> None:
    """Make `marsad.classify.loader` know the stand-in (in this process)."""
    loader.registry = registry_with_standin  # type: ignore[assignment]


TRAINING: tuple[tuple[str, str], ...] = (
    ("اقتلوهم جميعا واحرقوا بيوتهم", "incitement"),
    ("يجب قتل الخونة الليلة", "incitement"),
    ("הרגו אותם ושרפו את הכפר", "incitement"),
    ("צריך להרוג את כולם הלילה", "incitement"),
    ("kill them all and burn their houses", "incitement"),
    ("we must attack and kill them tonight", "incitement"),
    ("هؤلاء الناس حشرات قذرة", "hate"),
    ("האנשים האלה הם חרקים מלוכלכים", "hate"),
    ("those people are filthy vermin animals", "hate"),
    ("انت غبي واحمق", "offensive"),
    ("אתה טיפש ואידיוט", "offensive"),
    ("you are a stupid idiot", "offensive"),
    ("صباح الخير يا اصدقائي الطقس جميل", "none"),
    ("בוקר טוב חברים מזג האוויר יפה", "none"),
    ("good morning friends the weather is lovely", "none"),
    ("the meeting about digital rights is tomorrow", "none"),
)


def trained(delay: float = 0.0) -> StandIn:
    texts, labels = zip(*TRAINING, strict=True)
    return StandIn(delay=delay).fit(list(texts), list(labels))
