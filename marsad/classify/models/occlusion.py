"""Explanations for models without readable features (embeddings): leave one word out.

Each distinct word of the text is removed in turn and the text re-scored; a word's weight is
how much P(predicted label) falls without it (negative: the label got likelier without it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from marsad.classify.base import Contribution
from marsad.classify.labels import LABELS

__all__ = ["MAX_WORDS", "word_occlusion"]

MAX_WORDS = 64  # longer texts: only their first distinct words are tried

ProbaFn = Callable[[Sequence[str], Sequence[str]], npt.NDArray[np.float64]]


def word_occlusion(
    proba: ProbaFn, text: str, lang: str, label: str, top: int
) -> tuple[npt.NDArray[np.float64], list[Contribution]]:
    """The text's probabilities and its `top` words by their push towards `label`."""
    words = text.split()
    distinct = list(dict.fromkeys(words))[:MAX_WORDS]
    variants = [text, *(" ".join(w for w in words if w != word) for word in distinct)]
    scores = proba(variants, [lang] * len(variants))
    column = LABELS.index(label)
    drops = scores[0, column] - scores[1:, column]
    order = np.argsort(-drops, kind="stable")[:top]
    return scores[0], [Contribution(f'word:"{distinct[i]}"', float(drops[i])) for i in order]
