"""Prevalence corrected for the classifier's measured error: adjusted classify-and-count.

Forman's adjusted classify-and-count (ACC), generalised from two classes to the four labels.
For a set of classified posts, let q be the observed share of each predicted label and
C[i, j] = P(predicted j | true i) the classifier's confusion rates measured on labelled test
sets (each row of the count matrix divided by its total). In expectation q = C^T p, where p is
the true share of each label, so the estimate is p = (C^T)^+ q (the Moore-Penrose solution,
which is the exact solve when C is invertible), clipped to [0, 1] and divided by its sum. A
true label with fewer than MIN_TEST_EXAMPLES test examples gets the identity row: its errors
are not measured well enough to correct (a label the classifier was tested on 6 times, and
so almost never predicts, would otherwise make C nearly singular and throw every share about),
so none are corrected.

The confidence interval is a percentile bootstrap over both sources of error: each replicate
draws the test confusion counts again (each true label's row from a multinomial with its own
total and rates) and the cell's shares of predicted labels again (from a Dirichlet over the
cell's counts plus one half each, so that a label seen 0 times in a cell still gets an interval
of some width), and solves again; the interval always contains the estimate. Replicates are
seeded from the seed and the cell's key, so a cell's interval does not depend on which other
cells were computed.

The confusion matrix used for a post's language is the sum of the card's `label_confusion`
matrices of the test sets in that language (a test set whose files span several languages only
counts in the pool of all test sets, `*`), else that pool of all test sets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.classify.labels import LABELS

K = len(LABELS)
ALL = "*"
MIN_TEST_EXAMPLES = 30  # a true label tested fewer times is not corrected (identity row)
Floats = npt.NDArray[np.float64]


def _reordered(matrix: Sequence[Sequence[float]], order: Sequence[str]) -> Floats:
    """A K x K matrix over LABELS from `matrix` over `order` (labels missing there: zeros)."""
    given = np.asarray(matrix, dtype=np.float64)
    if given.shape != (len(order), len(order)):
        raise ValueError(f"a confusion matrix over {len(order)} labels is {given.shape}")
    out = np.zeros((K, K))
    index = [order.index(label) if label in order else -1 for label in LABELS]
    for i, row in enumerate(index):
        for j, col in enumerate(index):
            if row >= 0 and col >= 0:
                out[i, j] = given[row, col]
    return out


def _file_languages(card: Mapping[str, Any]) -> dict[str, set[str]]:
    files = (card.get("training") or {}).get("files") or []
    return {str(f.get("file")): set(f.get("languages") or ()) for f in files}


def card_confusions(
    card: Mapping[str, Any], min_examples: int = MIN_TEST_EXAMPLES
) -> dict[str, Floats]:
    """The pooled confusion counts of the card's test sets: per language, and `*` for all.
    A true label's row with fewer than `min_examples` test examples in a pool is emptied
    there (`rates` then makes it the identity row)."""
    evaluation = card.get("evaluation") or {}
    order = list(evaluation.get("labels") or LABELS)
    languages = _file_languages(card)
    pooled: dict[str, Floats] = {}
    for entry in (evaluation.get("datasets") or {}).values():
        if not entry or entry.get("label_confusion") is None:
            continue
        matrix = _reordered(entry["label_confusion"], order)
        langs = set().union(*(languages.get(str(f), set()) for f in entry.get("files") or ()))
        for key in [ALL, *langs] if len(langs) == 1 else [ALL]:
            pooled[key] = pooled.get(key, np.zeros((K, K))) + matrix
    for matrix in pooled.values():
        matrix[matrix.sum(axis=1) < min_examples] = 0.0
    return pooled


def rates(counts: Floats) -> Floats:
    """Confusion rates P(predicted | true) from counts over the last two axes; an empty row
    becomes the identity row."""
    totals = counts.sum(axis=-1, keepdims=True)
    identity = np.broadcast_to(np.eye(K), counts.shape)
    safe = np.where(totals > 0, totals, 1.0)
    return np.where(totals > 0, counts / safe, identity)


def clip_normalise(p: Floats, fallback: Floats) -> Floats:
    """`p` clipped to [0, 1] and made to sum to 1 along the last axis (`fallback` where it
    sums to 0)."""
    clipped = np.clip(p, 0.0, 1.0)
    sums = clipped.sum(axis=-1, keepdims=True)
    return np.where(sums > 0, clipped / np.where(sums > 0, sums, 1.0), fallback)


def adjusted(confusion_rates: Floats, observed: Floats) -> Floats:
    """The ACC estimate of the true shares from observed shares (see the module doc)."""
    solution = np.linalg.pinv(confusion_rates.T) @ observed
    return clip_normalise(solution, observed)


def _rng(seed: int, key: str) -> np.random.Generator:
    digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    return np.random.default_rng([seed, digest])


@dataclass(frozen=True, slots=True)
class Estimate:
    shares: Floats  # adjusted share of each label (LABELS order)
    low: Floats
    high: Floats
    correction: str  # the confusion pool used: a language code or "*"


class Corrector:
    """ACC estimates with bootstrap intervals from a card's confusion matrices."""

    def __init__(
        self,
        confusions: Mapping[str, Floats],
        *,
        replicates: int = 1000,
        level: float = 0.95,
        seed: int = 0,
    ) -> None:
        self.confusions = dict(confusions)
        self.replicates = replicates
        self.level = level
        self.seed = seed
        self._pinvs = cache(self._replicate_pinvs)

    def pool_for(self, lang: str | None) -> str | None:
        if lang is not None and lang in self.confusions:
            return lang
        return ALL if ALL in self.confusions else None

    def _replicate_pinvs(self, pool: str) -> Floats:
        """Pseudo-inverses of C^T for `replicates` redrawn confusion matrices."""
        counts = self.confusions[pool]
        rng = _rng(self.seed, f"confusion\x00{pool}")
        draws = np.zeros((self.replicates, K, K))
        row_rates = rates(counts)
        for i in range(K):
            total = round(float(counts[i].sum()))
            if total > 0:
                draws[:, i, :] = rng.multinomial(total, row_rates[i], size=self.replicates)
        return np.asarray(np.linalg.pinv(np.swapaxes(rates(draws), 1, 2)))

    def estimate(self, lang: str | None, counts: Sequence[int], key: str) -> Estimate | None:
        """The corrected shares of a cell with these predicted-label counts (LABELS order);
        None without a confusion matrix or without classified posts."""
        pool = self.pool_for(lang)
        total = int(sum(counts))
        if pool is None or total == 0:
            return None
        observed = np.asarray(counts, dtype=np.float64) / total
        point = adjusted(rates(self.confusions[pool]), observed)
        rng = _rng(self.seed, f"cell\x00{key}")
        redrawn = rng.dirichlet(np.asarray(counts, dtype=np.float64) + 0.5, size=self.replicates)
        solutions = np.einsum("bij,bj->bi", self._pinvs(pool), redrawn)
        replicas = clip_normalise(solutions, redrawn)
        tail = (1 - self.level) / 2 * 100
        low, high = np.percentile(replicas, [tail, 100 - tail], axis=0)
        return Estimate(point, np.minimum(low, point), np.maximum(high, point), pool)
