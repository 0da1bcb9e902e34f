"""Evaluation of a classifier on each dataset's official test split.

Every dataset is scored on its own task, the question its annotators answered:

- `offensive`: harmful (incitement, hate or offensive) against `none`, for OLID, OLaH-5000,
  OffensiveHebrew and OSACT 2022's `Offensive` column;
- `hate`: OSACT 2022's `Hate` column (HS1..HS6 against NOT_HS, read from the published label)
  against a prediction of hate or incitement (which the taxonomy ranks above hate);
- `incitement`: where a test split has incitement labels, its precision and recall are
  reported on their own, with their support.

For each task: macro-F1 over the two classes, precision and recall of each class, the
confusion matrix (rows: true, columns: predicted, `[not, positive]`) and the expected
calibration error (ECE) of the probability of the positive class (the sum of the
probabilities of its labels) over ten equal-width bins. The cross-dataset matrix trains on
one dataset and tests on every other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from marsad.classify.base import Classifier, Example
from marsad.classify.labels import HARMFUL, LABELS

ECE_BINS = 10
Probabilities = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Task:
    """A binary question: is the label one of `positive`?

    `published`, where set, reads the true answer from the label as the dataset published it
    (`Example.source_label`) instead of the mapped label: OSACT 2022's `Hate` column is its
    own question, which the mapped label (incitement outranks hate) cannot always answer.
    """

    name: str
    positive: frozenset[str]
    published: Callable[[str], bool] | None = None

    def truth(self, examples: Iterable[Example]) -> npt.NDArray[np.bool_]:
        if self.published is not None:
            rule = self.published
            return np.array([rule(e.source_label) for e in examples], dtype=bool)
        return self.says(e.label for e in examples)

    def says(self, labels: Iterable[str]) -> npt.NDArray[np.bool_]:
        return np.array([label in self.positive for label in labels], dtype=bool)

    def probability(self, proba: Probabilities) -> Probabilities:
        columns = [LABELS.index(label) for label in LABELS if label in self.positive]
        summed: Probabilities = np.clip(proba[:, columns].sum(axis=1), 0.0, 1.0)
        return summed


def _osact_has(prefix: str) -> Callable[[str], bool]:
    """True when a part of OSACT's "OFF+HS1+NOT_VLG+NOT_VIO" source label starts so."""
    return lambda source: any(part.startswith(prefix) for part in source.split("+"))


OFFENSIVE = Task("offensive", frozenset(HARMFUL))
HATE = Task("hate", frozenset({"hate", "incitement"}))
INCITEMENT = Task("incitement", frozenset({"incitement"}))
TASKS: dict[str, Task] = {task.name: task for task in (OFFENSIVE, HATE, INCITEMENT)}
DATASET_TASKS: dict[str, tuple[Task, ...]] = {
    "osact2022": (
        Task("offensive", OFFENSIVE.positive, _osact_has("OFF")),
        Task("hate", HATE.positive, _osact_has("HS")),
    ),
}
"""The tasks of each dataset; a dataset not named here is scored on `offensive`."""


@dataclass(frozen=True, slots=True)
class BinaryScores:
    task: str
    n: int
    positives: int
    macro_f1: float
    precision: dict[str, float]  # "not" / task name -> precision of that class
    recall: dict[str, float]
    confusion: list[list[int]]  # rows true, columns predicted: [not, positive]
    ece: float


@dataclass(frozen=True, slots=True)
class DatasetEvaluation:
    dataset: str
    files: list[str]
    n: int
    tasks: dict[str, BinaryScores]
    incitement: BinaryScores | None  # where the test split has incitement labels
    label_confusion: list[list[int]]  # over LABELS, rows true, columns predicted


@dataclass(slots=True)
class Evaluation:
    datasets: dict[str, DatasetEvaluation] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "labels": list(LABELS),
            "datasets": {k: asdict(v) for k, v in self.datasets.items()},
        }

    def macro_f1(self, dataset: str, task: str = "offensive") -> float:
        return self.datasets[dataset].tasks[task].macro_f1


def tasks_of(dataset: str) -> tuple[Task, ...]:
    return DATASET_TASKS.get(dataset, (OFFENSIVE,))


def expected_calibration_error(
    truth: npt.NDArray[np.bool_], probability: Probabilities, bins: int = ECE_BINS
) -> float:
    """Mean gap between predicted probability and observed frequency, weighted by bin size."""
    if len(truth) == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(probability, edges[1:-1], right=True), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            gap = abs(float(truth[inside].mean()) - float(probability[inside].mean()))
            error += gap * float(inside.mean())
    return round(error, 4)


def binary_scores(
    task: str,
    truth: npt.NDArray[np.bool_],
    predicted: npt.NDArray[np.bool_],
    probability: Probabilities,
) -> BinaryScores:
    """Macro-F1, per-class precision and recall, confusion matrix and ECE of one task."""
    names = ["not", task]
    precision, recall, _, _ = precision_recall_fscore_support(
        truth, predicted, labels=[False, True], zero_division=0.0
    )
    matrix = confusion_matrix(truth, predicted, labels=[False, True])
    return BinaryScores(
        task=task,
        n=len(truth),
        positives=int(truth.sum()),
        macro_f1=_round(
            f1_score(truth, predicted, average="macro", labels=[False, True], zero_division=0.0)
        ),
        precision={name: _round(p) for name, p in zip(names, precision, strict=True)},
        recall={name: _round(r) for name, r in zip(names, recall, strict=True)},
        confusion=matrix.astype(int).tolist(),
        ece=expected_calibration_error(truth, probability),
    )


def score_task(
    task: Task, examples: Sequence[Example], predicted: Sequence[str], proba: Probabilities
) -> BinaryScores:
    return binary_scores(
        task.name, task.truth(examples), task.says(predicted), task.probability(proba)
    )


def evaluate_dataset(
    dataset: str, examples: Sequence[Example], predicted: Sequence[str], proba: Probabilities
) -> DatasetEvaluation:
    """Every figure of one dataset's test split from the model's labels and probabilities."""
    truth = [example.label for example in examples]
    tasks = {task.name: score_task(task, examples, predicted, proba) for task in tasks_of(dataset)}
    has_incitement = INCITEMENT.truth(examples).any()
    return DatasetEvaluation(
        dataset=dataset,
        files=sorted({example.file for example in examples}),
        n=len(examples),
        tasks=tasks,
        incitement=score_task(INCITEMENT, examples, predicted, proba) if has_incitement else None,
        label_confusion=confusion_matrix(truth, predicted, labels=list(LABELS)).tolist(),
    )


def official_tests(examples: Iterable[Example]) -> dict[str, list[Example]]:
    """The test examples of each dataset, in the order they came."""
    grouped: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        if example.split == "test":
            grouped[example.dataset].append(example)
    return dict(grouped)


def predict_both(model: Classifier, examples: Sequence[Example]) -> tuple[list[str], Probabilities]:
    texts = [example.text for example in examples]
    langs = [example.lang for example in examples]
    proba = np.asarray(model.predict_proba(texts, langs), dtype=np.float64)
    return list(model.predict(texts, langs)), proba


def evaluate(
    model: Classifier,
    examples: Iterable[Example],
    on_dataset: Callable[[str, int], None] | None = None,
) -> Evaluation:
    """Score `model` on the test split of every dataset among `examples`."""
    evaluation = Evaluation()
    for dataset, tests in official_tests(examples).items():
        if on_dataset:
            on_dataset(dataset, len(tests))
        predicted, proba = predict_both(model, tests)
        evaluation.datasets[dataset] = evaluate_dataset(dataset, tests, predicted, proba)
    return evaluation


Fit = Callable[[list[Example], list[Example]], Classifier]
"""Train a fresh model on (train, dev) examples: fit on train, tune thresholds on dev."""


def cross_dataset_matrix(
    examples: Sequence[Example],
    fit: Fit,
    on_fit: Callable[[str], None] | None = None,
) -> dict[str, dict[str, float]]:
    """Macro-F1 of a model trained on each dataset (rows) on each test split and task (columns).

    Columns are `dataset` for the offensive task and `dataset:task` for the others.
    `examples` must already be free of training rows that overlap a test split.
    """
    by_dataset: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_dataset[example.dataset].append(example)
    tests = official_tests(examples)
    matrix: dict[str, dict[str, float]] = {}
    for dataset, own in by_dataset.items():
        train = [e for e in own if e.split == "train"]
        if not train:
            continue
        if on_fit:
            on_fit(dataset)
        model = fit(train, [e for e in own if e.split == "dev"])
        matrix[dataset] = _row(model, tests)
    return matrix


def _row(model: Classifier, tests: dict[str, list[Example]]) -> dict[str, float]:
    row: dict[str, float] = {}
    for dataset, examples in tests.items():
        result = evaluate_dataset(dataset, examples, *predict_both(model, examples))
        for name, scores in result.tasks.items():
            row[dataset if name == "offensive" else f"{dataset}:{name}"] = scores.macro_f1
    return row


def _round(value: Any) -> float:
    return round(float(value), 4)


def print_table(console: Any, table: Any) -> None:
    """Print a table of figures whole: where the output is not a terminal (a log, a pipe),
    as wide as the table needs rather than cut to 80 columns with ellipses."""
    from rich.console import Console
    from rich.measure import Measurement

    if not console.is_terminal:
        wide = console.options.update_width(1000)
        width = max(console.width, Measurement.get(console, wide, table).maximum)
        console = Console(file=console.file, width=width, highlight=False)
    console.print(table)


def evaluation_table(evaluation: Evaluation, title: str = "Evaluation on each test split") -> Any:
    """A rich table: one row per dataset and task (incitement rows where the data has them)."""
    from rich.table import Table

    table = Table(
        title=title,
        caption="confusion: true negatives, false positives / false negatives, true positives",
    )
    for column in ("dataset", "task", "n", "positive", "macro-F1", "P", "R", "P not", "R not"):
        table.add_column(column, justify="left" if column in ("dataset", "task") else "right")
    table.add_column("ECE", justify="right")
    table.add_column("TN FP / FN TP", no_wrap=True)
    for name, result in evaluation.datasets.items():
        rows = list(result.tasks.values()) + ([result.incitement] if result.incitement else [])
        for scores in rows:
            table.add_row(name, *_cells(scores))
    return table


def _cells(s: BinaryScores) -> list[str]:
    macro = "" if s.task == "incitement" else f"{s.macro_f1:.3f}"
    return [
        s.task,
        f"{s.n:,}",
        f"{s.positives:,}",
        macro,
        f"{s.precision[s.task]:.3f}",
        f"{s.recall[s.task]:.3f}",
        f"{s.precision['not']:.3f}",
        f"{s.recall['not']:.3f}",
        f"{s.ece:.3f}",
        "{} {} / {} {}".format(*s.confusion[0], *s.confusion[1]),
    ]


def cross_table(matrix: dict[str, dict[str, float]]) -> Any:
    """A rich table of the cross-dataset matrix: rows trained on, columns tested on."""
    from rich.table import Table

    columns = sorted({column for row in matrix.values() for column in row})
    table = Table(title="Cross-dataset macro-F1 (rows: trained on; columns: tested on)")
    table.add_column("trained on")
    for column in columns:
        table.add_column(column, justify="right")
    for dataset, row in matrix.items():
        table.add_row(dataset, *(f"{row[c]:.3f}" if c in row else "" for c in columns))
    return table
