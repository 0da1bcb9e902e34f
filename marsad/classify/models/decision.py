"""The decision rule every marsad classifier shares, and its tuning on dev data.

A classifier gives P(label) for each of `LABELS`. The decision is per route (a language with
its own threshold, or `SHARED` for every other language): when P(harmful) = 1 - P(none)
reaches the route's threshold the post gets its most probable harmful label, else "none".

`tune_route_thresholds` picks each route's threshold on DEV data by maximising the binary
macro-F1 (harmful vs none) over a grid of thresholds; among equally good thresholds it takes
the middle one of the best run. A route without dev rows (or with only one class in them)
keeps its threshold. Never tune on a test split: the thresholds are part of the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from marsad.classify.labels import HARMFUL, LABELS, NONE

__all__ = [
    "DEFAULT_THRESHOLD",
    "SHARED",
    "THRESHOLD_GRID",
    "decide",
    "harmful_probability",
    "resolve_langs",
    "route_of",
    "routes_of",
    "tune_route_thresholds",
]

SHARED = "*"  # the route of every language without its own model or threshold
DEFAULT_THRESHOLD = 0.5
THRESHOLD_GRID: npt.NDArray[np.float64] = np.round(np.arange(0.02, 0.99, 0.01), 2)
_NONE_COLUMN = LABELS.index(NONE)
_HARMFUL_COLUMNS = [LABELS.index(label) for label in HARMFUL]

Proba = npt.NDArray[np.float64]


def resolve_langs(texts: Sequence[str], langs: Sequence[str] | None) -> list[str]:
    """`langs` as a list, or each text's language detected with `marsad.text` (URLs and
    @mentions removed first, as the ingest pipeline does) when `langs` is None."""
    if langs is not None:
        if len(langs) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
        return list(langs)
    from marsad.text.entities import remove_urls_and_mentions  # slow to import: only here
    from marsad.text.langdetect import detect_languages

    return [d.lang for d in detect_languages([remove_urls_and_mentions(t) for t in texts])]


def route_of(lang: str, languages: Sequence[str]) -> str:
    """The route of a language: itself when it has its own entry, else `SHARED`."""
    return lang if lang in languages else SHARED


def routes_of(langs: Sequence[str], languages: Sequence[str]) -> dict[str, list[int]]:
    """Row indices grouped by route, in first-seen order."""
    groups: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        groups.setdefault(route_of(lang, languages), []).append(i)
    return groups


def harmful_probability(proba: Proba) -> npt.NDArray[np.float64]:
    """P(harmful) = 1 - P(none) of each row."""
    return np.clip(1.0 - proba[:, _NONE_COLUMN], 0.0, 1.0)


def decide(proba: Proba, routes: Sequence[str], thresholds: Mapping[str, float]) -> list[str]:
    """The label of each row: its most probable harmful label when P(harmful) reaches the
    threshold of its route (and is above 0), else "none"."""
    p_harm = harmful_probability(proba)
    cut = np.array([thresholds.get(r, thresholds.get(SHARED, DEFAULT_THRESHOLD)) for r in routes])
    best = np.asarray(_HARMFUL_COLUMNS)[np.argmax(proba[:, _HARMFUL_COLUMNS], axis=1)]
    harmful = (p_harm >= cut) & (p_harm > 0)
    return [LABELS[int(col)] if flag else NONE for col, flag in zip(best, harmful, strict=True)]


def binary_macro_f1(y_true: npt.NDArray[np.bool_], y_pred: npt.NDArray[np.bool_]) -> float:
    """Macro-F1 of the two classes harmful (True) and none (False)."""
    scores = []
    for positive in (True, False):
        tp = int(np.sum((y_pred == positive) & (y_true == positive)))
        fp = int(np.sum((y_pred == positive) & (y_true != positive)))
        fn = int(np.sum((y_pred != positive) & (y_true == positive)))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def best_threshold(p_harm: npt.NDArray[np.float64], y_harm: npt.NDArray[np.bool_]) -> float:
    """The grid threshold with the best binary macro-F1; the middle of the best run on ties."""
    scores = np.array([binary_macro_f1(y_harm, p_harm >= t) for t in THRESHOLD_GRID])
    best = np.flatnonzero(scores >= scores.max() - 1e-12)
    run = best[: _run_length(best)]
    return float(THRESHOLD_GRID[run[len(run) // 2]])


def _run_length(indices: npt.NDArray[np.intp]) -> int:
    breaks = np.flatnonzero(np.diff(indices) != 1)
    return int(breaks[0] + 1) if len(breaks) else len(indices)


def tune_route_thresholds(
    proba: Proba, labels: Sequence[str], routes: Sequence[str], current: Mapping[str, float]
) -> dict[str, float]:
    """`current` with the threshold of every route that has dev rows of both kinds re-tuned."""
    tuned = dict(current)
    y_harm = np.array([label != NONE for label in labels])
    p_harm = harmful_probability(proba)
    route_array = np.asarray(routes)
    for route in dict.fromkeys(routes):
        rows = route_array == route
        if len(set(y_harm[rows].tolist())) == 2:
            tuned[route] = best_threshold(p_harm[rows], y_harm[rows])
    return tuned
