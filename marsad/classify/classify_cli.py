"""What `marsad classify` and `marsad explain` do, behind their thin click commands."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import orjson
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from marsad.classify.base import Explanation
from marsad.classify.labels import LABELS
from marsad.classify.loader import DEFAULT, LoadedModel, ModelError, load_model
from marsad.classify.run import (
    FileJob,
    FileRun,
    WarehouseRun,
    classify_file,
    classify_warehouse,
)
from marsad.classify.store import LabelsBusy
from marsad.classify.tabfiles import TableFileError, check_encoding
from marsad.config import Settings
from marsad.warehouse import Warehouse, WarehouseError

SHOWN_REJECTS = 20


def model_name(settings: Settings | None, option: str | None) -> str:
    """The --model option, else the `classify.model` setting (relative to the project)."""
    if option:
        return option
    if settings is None:
        return DEFAULT
    value = str(settings.get("classify.model"))
    if value == DEFAULT or Path(value).expanduser().is_absolute():
        return value
    return str(settings.project_dir / value)


def open_model(name: str) -> LoadedModel:
    try:
        return load_model(name)
    except ModelError as error:
        raise click.BadParameter(str(error), param_hint="--model") from error


def _progress(what: str, out: Console, quiet: bool) -> Progress:
    return Progress(
        TextColumn(f"[bold]{what}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=out,
        disable=quiet,
    )


def _dumps(data: dict[str, Any]) -> str:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()


# --- the warehouse -----------------------------------------------------------------------


def run_classify_warehouse(
    settings: Settings,
    model: str,
    limit: int | None,
    quiet: bool,
    as_json: bool,
    consoles: tuple[Console, Console],
) -> WarehouseRun:
    """Label the project's unlabelled posts and print the summary (consoles: out, errors)."""
    loaded = open_model(model)
    progress = _progress("classifying", consoles[1], quiet or as_json)
    try:
        warehouse = Warehouse(
            settings.warehouse_dir,
            memory_limit=str(settings.get("duckdb.memory_limit")),
            threads=int(settings.get("duckdb.threads")) or None,
        )
        with progress:
            task = progress.add_task("classify", total=None)
            result = classify_warehouse(
                warehouse,
                loaded,
                batch_size=int(settings.get("classify.batch_size")),
                limit=limit,
                on_start=lambda total: progress.update(task, total=total),
                on_batch=lambda n: progress.advance(task, n),
            )
    except (LabelsBusy, WarehouseError) as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(_dumps(warehouse_dict(result)))
    else:
        print_warehouse_run(result, consoles[0])
    return result


def warehouse_dict(result: WarehouseRun) -> dict[str, Any]:
    return {
        "model": result.model,
        "model_version": result.version,
        "pending": result.pending,
        "labelled": result.labelled,
        "no_text": result.empty,
        "parts": result.parts,
    }


def print_warehouse_run(result: WarehouseRun, out: Console) -> None:
    table = Table(title=f"Classified with {result.model} (version {result.version})")
    for column in ("to label", "labelled", "without text"):
        table.add_column(column, justify="right")
    table.add_row(f"{result.pending:,}", f"{result.labelled:,}", f"{result.empty:,}")
    out.print(table)
    if result.pending == 0:
        out.print("every post already has a label from this model version")


# --- files -----------------------------------------------------------------------------------


def run_classify_file(
    job: FileJob, model: str, quiet: bool, as_json: bool, consoles: tuple[Console, Console]
) -> FileRun:
    """Label the rows of a CSV or JSONL file into the output file and print the summary."""
    out, errors = consoles
    loaded = open_model(model)
    progress = _progress("classifying", errors, quiet or as_json)
    try:
        with progress:
            task = progress.add_task("classify", total=None)
            result = classify_file(job, loaded, on_rows=lambda n: progress.advance(task, n))
    except TableFileError as error:  # a missing column, an unknown output extension, ...
        raise click.UsageError(str(error)) from error
    except OSError as error:
        raise click.ClickException(f"{job.output}: cannot write: {error}") from error
    if as_json:
        click.echo(_dumps(file_dict(result)))
    else:
        print_file_run(result, out, errors)
    return result


def file_dict(result: FileRun) -> dict[str, Any]:
    return {
        "model": result.model,
        "model_version": result.version,
        "output": str(result.output),
        "rows": result.rows,
        "labelled": result.labelled,
        "no_text": result.empty,
        "rejected": [reject.as_dict() for reject in result.rejects],
    }


def print_file_run(result: FileRun, out: Console, errors: Console) -> None:
    for reject in result.rejects[:SHOWN_REJECTS]:
        where = f"{reject.file}:{reject.record}" if reject.record else reject.file
        errors.print(Text(f"{where}: {reject.reason}", style="yellow"), soft_wrap=True)
    if len(result.rejects) > SHOWN_REJECTS:
        errors.print(f"... and {len(result.rejects) - SHOWN_REJECTS} more lines not read")
    table = Table(title=f"Classified with {result.model} (version {result.version})")
    for column in ("rows", "labelled", "without text", "not read"):
        table.add_column(column, justify="right")
    counts = (result.rows, result.labelled, result.empty, len(result.rejects))
    table.add_row(*(f"{n:,}" for n in counts))
    out.print(table)
    out.print(f"written to {result.output}", soft_wrap=True, markup=False)


# --- explain ---------------------------------------------------------------------------------


def run_explain(text: str, model: str, top: int, as_json: bool, out: Console) -> Explanation:
    """Classify one text and print its label, scores, language and top features."""
    if not text.strip():
        raise click.BadParameter("the text is empty", param_hint="TEXT")
    loaded = open_model(model)
    explanation = loaded.classifier.explain(text, None, top)
    if as_json:
        click.echo(_dumps(explanation_dict(explanation, loaded)))
    else:
        print_explanation(explanation, loaded, out)
    return explanation


def explanation_dict(explanation: Explanation, model: LoadedModel) -> dict[str, Any]:
    return {
        "label": explanation.label,
        "scores": {label: explanation.scores.get(label) for label in LABELS},
        "lang": explanation.lang,
        "model": model.key,
        "model_version": model.version,
        "features": [{"feature": c.feature, "weight": c.weight} for c in explanation.contributions],
    }


def print_explanation(explanation: Explanation, model: LoadedModel, out: Console) -> None:
    out.print(
        f"[bold]{explanation.label}[/bold]  (language {explanation.lang}; model {model.key},"
        f" version {model.version})"
    )
    scores = Table(title="scores")
    for label in LABELS:
        scores.add_column(label, justify="right")
    scores.add_row(*(f"{explanation.scores.get(label, 0.0):.3f}" for label in LABELS))
    out.print(scores)
    features = Table(title=f"features that pushed the decision towards {explanation.label}")
    features.add_column("feature")
    features.add_column("weight", justify="right")
    for contribution in explanation.contributions:
        features.add_row(Text(contribution.feature), f"{contribution.weight:+.3f}")
    out.print(features)


# --- the command -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileOptions:
    """The options of `marsad classify` that only a FILE takes."""

    text_column: str | None = None
    id_column: str | None = None
    output: Path | None = None
    encoding: str | None = None
    explain_top: int = 0

    def given(self) -> list[str]:
        names = ("--text-column", "--id-column", "--output", "--encoding", "--explain")
        values = (self.text_column, self.id_column, self.output, self.encoding, self.explain_top)
        return [name for name, value in zip(names, values, strict=True) if value]


def classify_command(
    settings: Settings,
    file: Path | None,
    options: FileOptions,
    model: str | None,
    limit: int | None,
    flags: tuple[bool, bool],
    consoles: tuple[Console, Console],
) -> None:
    """`marsad classify [FILE]`: the warehouse, or one file; flags are (quiet, as_json)."""
    quiet, as_json = flags
    name = model_name(settings, model)
    if file is None:
        if options.given():
            raise click.UsageError(f"{options.given()[0]} needs a FILE to classify")
        run_classify_warehouse(settings, name, limit, quiet, as_json, consoles)
        return
    if limit is not None:
        raise click.UsageError("--limit applies to the warehouse, not to a FILE")
    if not options.text_column or not options.output:
        raise click.UsageError("classifying a FILE needs --text-column and --output")
    try:
        check_encoding(options.encoding)
    except TableFileError as error:
        raise click.BadParameter(str(error), param_hint="--encoding") from error
    job = FileJob(
        path=file,
        text_column=options.text_column,
        output=options.output,
        id_column=options.id_column,
        encoding=options.encoding,
        explain_top=options.explain_top,
        batch_size=int(settings.get("classify.batch_size")),
    )
    run_classify_file(job, name, quiet, as_json, consoles)
