"""The `marsad` command."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import orjson
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from marsad import __version__
from marsad.config import (
    SPECS,
    ConfigError,
    Settings,
    load_mapping_file,
    load_settings,
    resolve_project,
)
from marsad.project import ProjectError, init_project, require_project

F = TypeVar("F", bound=Callable[..., Any])
console = Console()
errors = Console(stderr=True)

TABULAR_FLAGS: tuple[tuple[str, str], ...] = (
    ("text_column", "Column holding the post text."),
    ("id_column", "Column holding the post id (default: a hash of text, author and date)."),
    ("date_column", "Column holding the publication time."),
    ("date_format", "strptime format of the date column (default: ISO 8601 and common forms)."),
    ("timezone", "Time zone of dates written without one (default UTC)."),
    ("platform", "Platform of every row (x, telegram, facebook, ...; default 'other')."),
    ("platform_column", "Column holding the platform."),
    ("author_id_column", "Column holding the author id."),
    ("author_handle_column", "Column holding the author handle."),
    ("author_name_column", "Column holding the author display name."),
    ("url_column", "Column holding the post URL."),
    ("lang_column", "Column holding a language code to keep instead of detecting one."),
    ("delimiter", "CSV delimiter (default: sniffed among , ; tab |)."),
)


def project_option(func: F) -> F:
    return click.option(
        "--project",
        "project",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Project folder (default: $MARSAD_PROJECT, else the current folder).",
    )(func)


def settings_for(project: Path | None, *, must_exist: bool = True) -> Settings:
    try:
        settings = load_settings(resolve_project(project, os.environ))
        if must_exist:
            require_project(settings)
    except (ConfigError, ProjectError) as error:
        raise click.ClickException(str(error)) from error
    return settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="marsad")
def main() -> None:
    """marsad: a digital-rights observatory.

    Import social-media posts into a project's warehouse, classify them, analyse them and
    publish reports; run the web app where violations are reported, documented, verified and
    escalated.
    """


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a project folder: config file, posts warehouse, database, rejects folder."""
    try:
        result = init_project(directory.expanduser().resolve())
    except (ConfigError, OSError) as error:
        raise click.ClickException(str(error)) from error
    verb = "Created" if result.created else "Already a project, kept as it was:"
    console.print(f"{verb} [bold]{result.project_dir}[/bold]")


@main.group()
def config() -> None:
    """Inspect the project's settings."""


@config.command("show")
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def config_show(project: Path | None, as_json: bool) -> None:
    """Print every effective setting and where its value came from."""
    settings = settings_for(project, must_exist=False)
    rows = [(name, settings.get(name), settings.sources[name], SPECS[name].env) for name in SPECS]
    if as_json:
        data = {name: {"value": v, "source": s, "env": e} for name, v, s, e in rows}
        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return
    table = Table(title=f"Settings of {settings.project_dir}")
    for column in ("setting", "value", "from", "environment variable"):
        table.add_column(column)
    for name, value, source, env in rows:
        table.add_row(name, str(value), source, env)
    console.print(table)


def tabular_options(func: F) -> F:
    for name, help_text in reversed(TABULAR_FLAGS):
        flag = "--" + name.replace("_", "-")
        func = click.option(flag, name, default=None, help=help_text)(func)
    return func


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@project_option
@click.option("--format", "format_key", default=None, help="Force a format (see `marsad formats`).")
@click.option("--dataset", default=None, help="Dataset name stored with every imported post.")
@click.option("--encoding", default=None, help="Text encoding of CSV files (default: detected).")
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help='TOML file of per-file column mappings: [files."NAME"] tables of the options below.',
)
@click.option(
    "--pseudonymise/--no-pseudonymise",
    default=None,
    help="Replace authors' ids and handles by keyed pseudonyms (default: ingest.pseudonymise).",
)
@tabular_options
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest(
    paths: tuple[Path, ...],
    project: Path | None,
    format_key: str | None,
    dataset: str | None,
    encoding: str | None,
    mapping: Path | None,
    pseudonymise: bool | None,
    quiet: bool,
    as_json: bool,
    **columns: str | None,
) -> None:
    """Import posts from files, folders, .gz and .zip archives (formats auto-detected).

    All the files of one run are one import: the warehouse shows all of it or none of it.
    Records that cannot be imported are listed, with file, line and reason, in a rejects file.
    """
    from marsad.ingest.pipeline import IngestOptions, Ingestor
    from marsad.ingest.pseudonymise import SecretKeyError

    settings = settings_for(project)
    try:
        per_file = load_mapping_file(mapping) if mapping else {}
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    given = {k: v for k, v in columns.items() if v is not None}
    check_ingest_options(format_key, encoding, given)
    options = IngestOptions(dataset, format_key, given, per_file, encoding, pseudonymise)
    try:
        ingestor = Ingestor(settings, options)
    except SecretKeyError as error:
        raise click.ClickException(str(error)) from error
    summary = _run_ingest(ingestor, list(paths), quiet or as_json)
    if as_json:
        click.echo(orjson.dumps(summary.as_dict(), option=orjson.OPT_INDENT_2).decode())
    else:
        _print_summary(summary)
    if summary.files == 0:
        raise click.ClickException("nothing was imported: no file could be read (see above)")


def check_ingest_options(
    format_key: str | None, encoding: str | None, columns: dict[str, str]
) -> None:
    """Stop with a usage error before reading anything when an option cannot work."""
    from marsad.ingest.formats.tabular.reader import zone_for
    from marsad.ingest.registry import format_specs

    if format_key and format_key not in format_specs():
        known = ", ".join(format_specs())
        raise click.BadParameter(
            f"unknown format {format_key!r}; known: {known}", param_hint="--format"
        )
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise click.BadParameter(
                f"unknown encoding {encoding!r}", param_hint="--encoding"
            ) from None
    if "timezone" in columns:
        try:
            zone_for(columns["timezone"])
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--timezone") from None


def _run_ingest(ingestor: Any, paths: list[Path], quiet: bool) -> Any:
    from marsad.ingest.pipeline import IngestError
    from marsad.warehouse import WarehouseError

    sources = ingestor.sources(paths)
    total = sum(source.size for source in sources)
    progress = Progress(
        TextColumn("[bold]importing"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=errors,
        disable=quiet,
        transient=False,
    )
    with progress:
        task = progress.add_task("import", total=total)
        ingestor.on_bytes = lambda n: progress.advance(task, n)
        try:
            return ingestor.run(sources)
        except (WarehouseError, ConfigError, IngestError) as error:
            raise click.ClickException(str(error)) from error


def _print_summary(summary: Any) -> None:
    table = Table(title=f"Import {summary.import_id}")
    for column in ("files", "read", "new", "updated", "duplicate", "rejected"):
        table.add_column(column, justify="right")
    table.add_row(
        *(
            f"{value:,}"
            for value in (
                summary.files,
                summary.read,
                summary.new,
                summary.updated,
                summary.duplicate,
                summary.rejected,
            )
        )
    )
    console.print(table)
    if summary.formats:
        formats = ", ".join(f"{key} ({n})" for key, n in sorted(summary.formats.items()))
        console.print(f"formats: {formats}")
    if summary.files_skipped:
        console.print(f"[yellow]{summary.files_skipped} file(s) skipped[/yellow]")
    if summary.rejects_file:
        console.print(
            f"[yellow]rejected records are listed in {summary.rejects_file}[/yellow]",
            soft_wrap=True,
        )


@main.command()
@click.argument("config_file", metavar="CONFIG", type=click.Path(dir_okay=False, path_type=Path))
@project_option
@click.option("--only", multiple=True, metavar="NAME", help="Run only this collection (repeat).")
@click.option(
    "--max-pages",
    type=click.IntRange(min=1),
    default=None,
    help="Fetch at most N pages per collection; the next run goes on from there.",
)
@click.option("--quiet", is_flag=True, help="No progress display.")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
def collect(
    config_file: Path,
    project: Path | None,
    only: tuple[str, ...],
    max_pages: int | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Collect posts from Mastodon, Bluesky and Telegram channels into the warehouse.

    CONFIG is a TOML file of [[collection]] tables (see docs/collect.md). Every page is saved
    under collect/NAME/ and checkpointed; a run stopped at any moment goes on from there.
    """
    from marsad.collect.cli import run_collect

    settings = settings_for(project)
    run_collect(settings, config_file, only, max_pages, quiet, as_json, console, errors)


@main.command()
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@project_option
@click.option("--model", default=None, help="Model folder or 'default' (default: classify.model).")
@click.option("--text-column", default=None, help="FILE: the column holding the text.")
@click.option("--id-column", default=None, help="FILE: a column copied to the output.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="FILE: where to write the labelled rows (.csv or .jsonl).",
)
@click.option("--encoding", default=None, help="FILE: its text encoding (default: detected).")
@click.option("--explain", is_flag=True, help="FILE: add a column of the top features.")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True, help="Features.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Label at most N posts.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def classify(
    file: Path | None,
    project: Path | None,
    model: str | None,
    text_column: str | None,
    id_column: str | None,
    output: Path | None,
    encoding: str | None,
    explain: bool,
    top: int,
    limit: int | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Label the warehouse's posts, or the rows of a CSV or JSONL FILE.

    Without FILE, labels every post that this model version has not labelled yet and stores
    the labels in the warehouse. With FILE, writes one labelled row per input row to --output.
    """
    from marsad.classify.classify_cli import FileOptions, classify_command

    settings = settings_for(project, must_exist=file is None)
    options = FileOptions(text_column, id_column, output, encoding, top if explain else 0)
    flags = (quiet, as_json)
    classify_command(settings, file, options, model, limit, flags, (console, errors))


@main.command()
@click.argument("text")
@project_option
@click.option("--model", default=None, help="Model folder or 'default' (default: classify.model).")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Features.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def explain(text: str, project: Path | None, model: str | None, top: int, as_json: bool) -> None:
    """Classify one TEXT and show the features that pushed the decision."""
    from marsad.classify.classify_cli import model_name, run_explain

    settings = settings_for(project, must_exist=False)
    run_explain(text, model_name(settings, model), top, as_json, console)


@main.command()
@project_option
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the labelled datasets (default: the classify.data_dir setting).",
)
@click.option("--datasets", default="", help="Comma-separated dataset keys (default: all).")
@click.option("--model-key", default="incitement.tfidf.v1", show_default=True, help="Classifier.")
@click.option("--param", multiple=True, metavar="NAME=VALUE", help="A hyperparameter (repeat).")
@click.option("--without", multiple=True, metavar="FILE", help="Do not train on FILE (repeat).")
@click.option("--weight", multiple=True, metavar="DATASET=N", help="Repeat its rows N times.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
def train(
    project: Path | None,
    data_dir: Path | None,
    datasets: str,
    model_key: str,
    out: Path,
    **flags: tuple[str, ...],
) -> None:
    """Train a classifier on the labelled datasets and save it with its model card."""
    from marsad.classify.train import TrainError, train_command

    data_dir = data_dir or settings_for(project, must_exist=False).path("classify.data_dir")
    try:
        train_command(data_dir, datasets, model_key, flags, out, console)
    except TrainError as error:
        raise click.ClickException(str(error)) from error


@main.command()
@project_option
@click.option("--model", "model", default="default", show_default=True, help="Model folder.")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the labelled datasets (default: the classify.data_dir setting).",
)
@click.option("--datasets", default="", help="Comma-separated dataset keys (default: all).")
@click.option("--cross", is_flag=True, help="Also train on each dataset alone, test on each.")
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write every figure to this JSON file.",
)
def evaluate(
    project: Path | None,
    model: str,
    data_dir: Path | None,
    datasets: str,
    cross: bool,
    json_out: Path | None,
) -> None:
    """Score a model on every dataset's official test split (macro-F1, P/R, ECE, confusion)."""
    from marsad.classify.train import TrainError, evaluate_command

    data_dir = data_dir or settings_for(project, must_exist=False).path("classify.data_dir")
    try:
        evaluate_command(model, data_dir, datasets, cross, json_out, console)
    except TrainError as error:
        raise click.ClickException(str(error)) from error


@main.command()
def formats() -> None:
    """List the import formats marsad recognises."""
    from marsad.ingest.registry import FORMATS, get_format

    table = Table(title="Import formats")
    table.add_column("key")
    table.add_column("format")
    for key in FORMATS:
        table.add_row(key, get_format(key).title)
    console.print(table)


@main.command()
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def stats(project: Path | None, as_json: bool) -> None:
    """Count the warehouse's posts by platform, language and month."""
    from marsad.warehouse import Warehouse, WarehouseError

    settings = settings_for(project)
    try:
        result = Warehouse(settings.warehouse_dir).stats()
    except WarehouseError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(orjson.dumps(stats_as_dict(result), option=orjson.OPT_INDENT_2).decode())
    else:
        print_stats(result, settings.warehouse_dir, console)


def stats_as_dict(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"total": result.total}
    data["platform"] = dict(result.by_platform)
    data["language"] = dict(result.by_lang)
    data["month"] = dict(result.by_month)
    return data


def print_stats(result: Any, where: Path, out: Console) -> None:
    out.print(f"[bold]{result.total:,}[/bold] posts in {where}")
    groups = {"platform": result.by_platform, "language": result.by_lang, "month": result.by_month}
    for name, rows in groups.items():
        table = Table(title=f"by {name}")
        table.add_column(name)
        table.add_column("posts", justify="right")
        for key, count in rows:
            table.add_row(str(key), f"{count:,}")
        out.print(table)


@main.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-project"),
    show_default=True,
    help="Folder of the demo project (created if missing).",
)
@click.option("--no-serve", is_flag=True, help="Stop before serving the web app.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def demo(directory: Path, no_serve: bool, port: int) -> None:
    """Create a demo project: sample posts imported and classified, demo cases and logins in
    the web app, which it then serves on http://127.0.0.1:8000 (unless --no-serve)."""
    from marsad.demo.run import DemoError, run_demo

    try:
        run_demo(directory.expanduser().resolve(), console, serve=not no_serve, port=port)
    except DemoError as error:
        raise click.ClickException(str(error)) from error


def _add_commands() -> None:
    """Commands defined beside their parts: serve, createstaff, manage and token
    (marsad/web/cli.py), report (marsad/reports/cli.py), analyze (marsad/analyze/cli.py)."""
    from marsad.analyze.cli import analyze
    from marsad.reports.cli import report
    from marsad.web.cli import COMMANDS

    for command in (*COMMANDS, report, analyze):
        main.add_command(command)


_add_commands()
