"""Evaluation figures: each dataset's own task, per-class scores, ECE, confusion, cross matrix."""

from __future__ import annotations

import numpy as np
import pytest

from marsad.classify.base import Example
from marsad.classify.evaluate import (
    HATE,
    OFFENSIVE,
    binary_scores,
    cross_dataset_matrix,
    cross_table,
    evaluate,
    evaluate_dataset,
    expected_calibration_error,
    print_table,
)
from tests.classify.stub_model import WordModel, one_hot


def example(
    text: str, label: str, dataset: str = "olid", split: str = "test", source: str = ""
) -> Example:
    lang = {"osact2022": "ar", "olah5000": "he"}.get(dataset, "en")
    return Example(text, label, lang, dataset, split, f"{dataset}/{split}.csv", 1, None, source)


def test_a_perfect_prediction_scores_one_with_a_diagonal_confusion_matrix() -> None:
    truth = np.array([True, False, True, False])
    scores = binary_scores("offensive", truth, truth, truth.astype(float))
    assert scores.macro_f1 == 1.0
    assert scores.confusion == [[2, 0], [0, 2]]
    assert scores.precision == {"not": 1.0, "offensive": 1.0}
    assert scores.ece == 0.0


def test_it_reports_precision_and_recall_of_each_class_separately() -> None:
    truth = np.array([True, True, True, False, False, False])
    predicted = np.array([True, False, False, False, False, True])
    scores = binary_scores("hate", truth, predicted, predicted.astype(float))
    assert scores.precision["hate"] == 0.5  # 1 of 2 flagged posts is hate
    assert scores.recall["hate"] == pytest.approx(1 / 3, abs=1e-4)
    assert scores.recall["not"] == pytest.approx(2 / 3, abs=1e-4)
    assert scores.confusion == [[2, 1], [2, 1]]


def test_ece_is_the_gap_between_confidence_and_frequency() -> None:
    truth = np.array([True, False, False, False])  # a quarter positive
    assert expected_calibration_error(truth, np.full(4, 0.25)) == 0.0
    assert expected_calibration_error(truth, np.full(4, 0.95)) == pytest.approx(0.70)


def test_osact_is_scored_on_its_offensive_and_its_hate_columns_and_others_on_offensive() -> None:
    published = [
        ("hate", "OFF+HS1+NOT_VLG+NOT_VIO"),
        ("incitement", "OFF+NOT_HS+NOT_VLG+VIO"),  # violent, but not hate by the Hate column
        ("offensive", "OFF+NOT_HS+VLG+NOT_VIO"),
        ("none", "NOT_OFF+NOT_HS+NOT_VLG+NOT_VIO"),
    ]
    tests = [example(f"نص {i}", lab, "osact2022", source=s) for i, (lab, s) in enumerate(published)]
    predicted = ["hate", "incitement", "none", "none"]
    result = evaluate_dataset("osact2022", tests, predicted, one_hot(predicted))
    assert set(result.tasks) == {"offensive", "hate"}
    assert result.tasks["offensive"].recall["offensive"] == pytest.approx(2 / 3, abs=1e-4)
    assert result.tasks["hate"].confusion == [[2, 1], [0, 1]]  # the violent post is a false hate
    labels = [lab for lab, _ in published]
    olid = evaluate_dataset("olid", tests, labels, one_hot(labels))
    assert set(olid.tasks) == {"offensive"}


def test_incitement_is_reported_only_where_the_test_split_has_incitement_labels() -> None:
    with_incitement = [example("we will burn them", "incitement"), example("hello", "none")]
    predicted = ["offensive", "none"]
    result = evaluate_dataset("olid", with_incitement, predicted, one_hot(predicted))
    assert result.incitement is not None
    assert result.incitement.recall["incitement"] == 0.0
    without = evaluate_dataset("olid", with_incitement[1:], ["none"], one_hot(["none"]))
    assert without.incitement is None


def test_the_probability_of_a_task_sums_its_labels() -> None:
    proba = np.array([[0.1, 0.2, 0.3, 0.4]])
    assert OFFENSIVE.probability(proba)[0] == pytest.approx(0.6)
    assert HATE.probability(proba)[0] == pytest.approx(0.3)


def test_it_evaluates_only_test_splits_grouped_by_dataset() -> None:
    model = WordModel().fit(["idiot", "hello"], ["offensive", "none"])
    examples = [
        example("you idiot", "offensive"),
        example("hello friend", "none"),
        example("אידיוט", "offensive", "olah5000"),
        example("idiot", "offensive", split="train"),
    ]
    result = evaluate(model, examples)
    assert set(result.datasets) == {"olid", "olah5000"}
    assert result.datasets["olid"].n == 2
    assert result.macro_f1("olid") == 1.0
    assert result.datasets["olah5000"].tasks["offensive"].recall["offensive"] == 0.0
    assert result.as_dict()["datasets"]["olid"]["tasks"]["offensive"]["confusion"] == [
        [1, 0],
        [0, 1],
    ]


def test_the_cross_matrix_trains_on_each_dataset_and_tests_on_every_test_split() -> None:
    examples = [
        example("you idiot", "offensive", "olid", "train"),
        example("nice day", "none", "olid", "train"),
        example("idiot again", "offensive", "olid", "test"),
        example("lovely day", "none", "olid", "test"),
        example("מטומטם", "offensive", "olah5000", "train"),
        example("יום יפה", "none", "olah5000", "train"),
        example("מטומטם אחד", "offensive", "olah5000", "test"),
        example("בוקר טוב", "none", "olah5000", "test"),
    ]
    fitted: list[str] = []

    def fit(train: list[Example], dev: list[Example]) -> WordModel:
        fitted.append(train[0].dataset)
        return WordModel().fit([e.text for e in train], [e.label for e in train])

    matrix = cross_dataset_matrix(examples, fit)
    assert fitted == ["olid", "olah5000"]
    assert matrix["olid"]["olid"] == 1.0
    assert matrix["olah5000"]["olah5000"] == 1.0
    assert matrix["olid"]["olah5000"] < 1.0  # English words do not transfer to Hebrew


def test_a_table_printed_to_a_log_or_a_pipe_is_whole_not_cut_to_eighty_columns() -> None:
    import io

    from rich.console import Console

    names = ("offensive_hebrew", "osact2022", "olah5000", "davidson", "mlma", "olid")
    matrix = {name: {f"{other}:hate": 0.5 for other in names} for name in names}
    out = io.StringIO()
    print_table(Console(file=out, width=80), cross_table(matrix))
    text = out.getvalue()
    assert "…" not in text and "offensive_hebrew:hate" in text
    assert max(len(line) for line in text.splitlines()) > 80
    terminal = io.StringIO()
    print_table(Console(file=terminal, width=80, force_terminal=True), cross_table(matrix))
    assert "…" in terminal.getvalue()  # a terminal keeps its width: rich fits the table in
