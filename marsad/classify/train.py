"""Training: datasets in, a saved model with its card out (`marsad train`).

1. load the chosen datasets (`marsad.classify.datasets`);
2. drop every train/dev row that also occurs in ANY test split, on the letters-only key
   (`marsad.classify.dedup`), and count the rows dropped per dataset and file;
3. fit the classifier on the train splits;
4. tune its thresholds on the dev splits only (never on test);
5. score it on every dataset's official test split (`marsad.classify.evaluate`);
6. save it with its model card (`marsad.classify.card`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from marsad.classify import card as cards
from marsad.classify.base import Classifier, Example
from marsad.classify.evaluate import (
    Evaluation,
    cross_dataset_matrix,
    cross_table,
    evaluate,
    evaluation_table,
    print_table,
)

if TYPE_CHECKING:
    from rich.console import Console

DEFAULT_MODEL = "incitement.tfidf.v1"
DEFAULT_DATA_DIR = Path("../shared/data")
Say = Callable[[str], None]


class TrainError(Exception):
    """Training cannot start: unknown dataset or model key, no data, no training rows."""


@dataclass(frozen=True, slots=True)
class TrainOptions:
    data_dir: Path
    datasets: tuple[str, ...] = ()  # empty: every registered dataset
    model_key: str = DEFAULT_MODEL
    params: Mapping[str, Any] = field(default_factory=dict)
    without: tuple[str, ...] = ()  # data files (relative to data_dir) not trained on
    weights: Mapping[str, float] = field(default_factory=dict)  # dataset -> row factor
    command: str = ""  # recorded in the card, so that the run can be repeated


@dataclass(frozen=True, slots=True)
class Prepared:
    """The examples of one run after the test-overlap filter."""

    train: list[Example]
    dev: list[Example]
    test: list[Example]
    dropped_by_dataset: dict[str, int]
    dropped_by_file: dict[str, int]
    overlaps: dict[str, int]  # "test file -> other file": distinct test keys found in the other

    @property
    def used(self) -> list[Example]:
        return self.train + self.dev + self.test


@dataclass(frozen=True, slots=True)
class TrainResult:
    model: Classifier
    prepared: Prepared
    evaluation: Evaluation
    card: dict[str, Any]


def load_dataset(key: str, data_dir: Path) -> list[Example]:
    """One dataset's examples (`marsad.classify.datasets`)."""
    from marsad.classify import datasets

    try:
        load = datasets.loader(key)
    except KeyError as error:
        raise TrainError(str(error.args[0])) from error
    return load(data_dir)


def load_examples(data_dir: Path, keys: Sequence[str] = ()) -> list[Example]:
    if not data_dir.is_dir():
        raise TrainError(f"{data_dir}: no such data folder (see --data)")
    examples: list[Example] = []
    for key in keys or _all_keys():
        examples.extend(load_dataset(key, data_dir))
    return examples


def _all_keys() -> list[str]:
    from marsad.classify.datasets import DATASETS

    return list(DATASETS)


def prepare(examples: Sequence[Example]) -> Prepared:
    """Split the examples and drop train/dev rows that occur in any test split."""
    from marsad.classify.dedup import drop_test_overlap

    kept, report = drop_test_overlap(examples)
    by_dataset: Counter[str] = Counter({e.dataset: 0 for e in examples})
    by_file: dict[str, int] = {}
    for (dataset, file), n in report.dropped.items():
        by_dataset[dataset] += n
        if n:
            by_file[file] = n
    return Prepared(
        train=[e for e in kept if e.split == "train"],
        dev=[e for e in kept if e.split == "dev"],
        test=[e for e in kept if e.split == "test"],
        dropped_by_dataset=dict(sorted(by_dataset.items())),
        dropped_by_file=by_file,
        overlaps={f"{test} -> {other}": n for (test, other), n in report.overlaps.items()},
    )


def leave_out(examples: Sequence[Example], files: Sequence[str]) -> list[Example]:
    """The examples without the train/dev rows of `files`; test rows always stay."""
    unknown = set(files) - {e.file for e in examples}
    if unknown:
        raise TrainError(f"--without: no such data file loaded: {', '.join(sorted(unknown))}")
    return [e for e in examples if e.split == "test" or e.file not in files]


def repeat(examples: Sequence[Example], factor: float) -> list[Example]:
    """Each example repeated about `factor` times (below 1: every 1/factor-th kept), evenly."""
    out: list[Example] = []
    for i, example in enumerate(examples):
        out.extend([example] * (int((i + 1) * factor) - int(i * factor)))
    return out


def weighted(train: Sequence[Example], weights: Mapping[str, float]) -> list[Example]:
    """The training rows with each weighted dataset's rows repeated by its factor."""
    if not weights:
        return list(train)
    by_dataset: dict[str, list[Example]] = {}
    for example in train:
        by_dataset.setdefault(example.dataset, []).append(example)
    return [e for d, rows in by_dataset.items() for e in repeat(rows, weights.get(d, 1.0))]


def make_model(key: str, params: Mapping[str, Any] | None = None) -> Classifier:
    """A fresh classifier of the registry entry `key` with `params`."""
    from marsad.classify.loader import ModelError, classifier_class

    try:
        factory = classifier_class(key, Path("--model-key"))
    except ModelError as error:
        raise TrainError(str(error)) from error
    return cast(Classifier, factory(**dict(params or {})))


def fit_model(
    key: str, params: Mapping[str, Any], train: Sequence[Example], dev: Sequence[Example]
) -> Classifier:
    """Fit on `train`, then tune the decision thresholds on `dev` (when there is one)."""
    if not train:
        raise TrainError("no training rows left: check --datasets")
    model = make_model(key, params)
    model.fit(*_columns(train))
    tune = getattr(model, "tune_thresholds", None)
    if dev and tune is not None:
        tune(*_columns(dev))
    return model


def _columns(examples: Sequence[Example]) -> tuple[list[str], list[str], list[str]]:
    return (
        [e.text for e in examples],
        [e.label for e in examples],
        [e.lang for e in examples],
    )


def train(options: TrainOptions, say: Say = lambda _: None) -> TrainResult:
    """The whole run, without saving: load, filter, fit, tune, evaluate, write the card."""
    examples = load_examples(options.data_dir, options.datasets)
    say(f"loaded {len(examples):,} examples")
    prepared = prepare(leave_out(examples, options.without))
    for dataset, n in prepared.dropped_by_dataset.items():
        say(f"{dataset}: dropped {n:,} train/dev rows that occur in a test split")
    rows = weighted(prepared.train, options.weights)
    say(f"fitting {options.model_key} on {len(rows):,} rows")
    model = fit_model(options.model_key, options.params, rows, prepared.dev)
    say(f"tuned thresholds on {len(prepared.dev):,} dev rows; evaluating")
    evaluation = evaluate(model, prepared.test, lambda d, n: say(f"testing on {d} ({n:,})"))
    card = model_card(options, model, prepared, evaluation)
    return TrainResult(model, prepared, evaluation, card)


def model_card(
    options: TrainOptions, model: Classifier, prepared: Prepared, evaluation: Evaluation
) -> dict[str, Any]:
    files = cards.file_records(options.data_dir, prepared.used, prepared.dropped_by_file)
    return cards.build_card(
        model_key=options.model_key,
        params=_params(model, options.params),
        thresholds=_thresholds(model),
        files=files,
        dropped=prepared.dropped_by_dataset,
        evaluation=evaluation.as_dict(),
        overlaps=prepared.overlaps,
        recipe={
            "datasets": list(options.datasets) or _all_keys(),
            "without": list(options.without),
            "weights": dict(options.weights),
            "train_rows_fitted": len(weighted(prepared.train, options.weights)),
        },
        command=options.command,
    )


def _params(model: Classifier, given: Mapping[str, Any]) -> dict[str, Any]:
    get_params = getattr(model, "get_params", None)
    params = dict(get_params(deep=False)) if get_params is not None else dict(given)
    plain = (str, int, float, bool, type(None), tuple, list, dict)
    return {
        k: list(v) if isinstance(v, tuple) else v for k, v in params.items() if isinstance(v, plain)
    }


def _thresholds(model: Classifier) -> Any:
    value: Any = getattr(model, "thresholds_", None)
    return value.tolist() if hasattr(value, "tolist") else value


def save(result: TrainResult, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    result.model.save(out, result.card)


# --- the commands ------------------------------------------------------------------------------


def parse_pairs(pairs: Sequence[str], option: str) -> dict[str, Any]:
    """`NAME=VALUE` pairs; values read as JSON where they parse (numbers, true, null), else text."""
    parsed: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise TrainError(f"{option} {pair!r}: expected NAME=VALUE")
        try:
            parsed[name] = json.loads(value)
        except json.JSONDecodeError:
            parsed[name] = value
    return parsed


def parse_weights(pairs: Sequence[str]) -> dict[str, float]:
    weights = parse_pairs(pairs, "--weight")
    for name, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise TrainError(f"--weight {name}={value}: the factor must be a positive number")
    return {name: float(value) for name, value in weights.items()}


def command_line(options: TrainOptions, out: Path) -> str:
    """The `marsad train` command that repeats a run (the data folder left to the default)."""
    parts = ["marsad train"]
    if options.datasets:
        parts.append(f"--datasets {','.join(options.datasets)}")
    parts.append(f"--model-key {options.model_key}")
    parts.extend(f"--param {k}={json.dumps(v)}" for k, v in options.params.items())
    parts.extend(f"--without {file}" for file in options.without)
    parts.extend(f"--weight {k}={v:g}" for k, v in options.weights.items())
    parts.append(f"--out {out.as_posix()}")
    return " ".join(parts)


def train_command(
    data_dir: Path,
    datasets: str,
    model_key: str,
    flags: Mapping[str, Sequence[str]],
    out: Path,
    console: Console,
) -> TrainResult:
    """`marsad train` from its options; `flags` holds the repeated --param, --without, --weight."""
    options = TrainOptions(
        data_dir=data_dir,
        datasets=tuple(k.strip() for k in datasets.split(",") if k.strip()),
        model_key=model_key,
        params=parse_pairs(flags.get("param", ()), "--param"),
        without=tuple(flags.get("without", ())),
        weights=parse_weights(flags.get("weight", ())),
    )
    options = replace(options, command=command_line(options, out))
    return run_train(options, out, console)


def run_train(options: TrainOptions, out: Path, console: Console) -> TrainResult:
    """`marsad train`: the run with a spinner and a log line per step, then the save."""
    with console.status("training", spinner="dots") as status:

        def say(message: str) -> None:
            status.update(message)
            console.log(message)

        result = train(options, say)
        save(result, out)
    print_table(console, evaluation_table(result.evaluation))
    console.print(f"saved [bold]{options.model_key}[/bold] with its model card in {out}")
    return result


def run_evaluate(
    model_name: str, data_dir: Path, datasets: Sequence[str], cross: bool, console: Console
) -> dict[str, Any]:
    """`marsad evaluate`: every test split's figures, and the cross matrix when asked."""
    from marsad.classify.loader import ModelError, load_model, read_card

    try:
        loaded = load_model(model_name)
    except ModelError as error:
        raise TrainError(str(error)) from error
    with console.status("evaluating", spinner="dots") as status:
        prepared = prepare(load_examples(data_dir, datasets))
        evaluation = evaluate(
            loaded.classifier, prepared.test, lambda d, n: status.update(f"testing on {d} ({n:,})")
        )
    print_table(
        console,
        evaluation_table(evaluation, f"{loaded.key} ({loaded.version}) on each test split"),
    )
    result: dict[str, Any] = {
        "model": loaded.key,
        "version": loaded.version,
        **evaluation.as_dict(),
    }
    if cross:
        saved = read_card(loaded.folder).get("hyperparameters", {})
        params = {k: tuple(v) if isinstance(v, list) else v for k, v in saved.items()}
        result["cross"] = run_cross(loaded.key, params, prepared, console)
    return result


def run_cross(
    key: str, params: Mapping[str, Any], prepared: Prepared, console: Console
) -> dict[str, dict[str, float]]:
    """Train `key` with `params` on each dataset alone; test on every test split."""
    with console.status("cross-dataset matrix", spinner="dots") as status:
        matrix = cross_dataset_matrix(
            prepared.used,
            lambda tr, dev: fit_model(key, params, tr, dev),
            lambda d: status.update(f"training on {d} alone"),
        )
    print_table(console, cross_table(matrix))
    return matrix


def evaluate_command(
    model: str, data_dir: Path, datasets: str, cross: bool, json_out: Path | None, console: Console
) -> dict[str, Any]:
    """`marsad evaluate` from its options: tables on the console, JSON to `json_out`."""
    keys = [k.strip() for k in datasets.split(",") if k.strip()]
    result = run_evaluate(model, data_dir, keys, cross, console)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
        console.print(f"figures written to {json_out}")
    return result
