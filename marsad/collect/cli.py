"""`marsad collect CONFIG`: the command's work, kept out of `marsad/cli.py`."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

import click
import orjson
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from marsad.collect.base import CollectError
from marsad.collect.config import CollectConfigError, Collection, load_collections
from marsad.collect.runner import CollectionReport, Collector
from marsad.config import Settings


class UsageFailure(click.ClickException):
    """A problem with the command line or the collections file: exit status 2."""

    exit_code = 2


def choose(config_file: Path, only: Sequence[str]) -> list[Collection]:
    try:
        collections = load_collections(config_file)
    except CollectConfigError as error:
        raise UsageFailure(str(error)) from error
    names = [c.name for c in collections]
    unknown = [name for name in only if name not in names]
    if unknown:
        raise UsageFailure(
            f"--only {unknown[0]}: no such collection in {config_file} (there are: "
            f"{', '.join(names)})"
        )
    return [c for c in collections if not only or c.name in only]


def run_collect(
    settings: Settings,
    config_file: Path,
    only: Sequence[str],
    max_pages: int | None,
    quiet: bool,
    as_json: bool,
    console: Console,
    errors: Console,
) -> None:
    collections = choose(config_file, only)
    reports = _run_all(settings, collections, max_pages, errors, quiet or as_json)
    if as_json:
        data = [report.as_dict() for report in reports]
        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
    else:
        for report in reports:
            print_report(report, console)
    failed = [report.name for report in reports if report.failed]
    if failed:
        raise click.ClickException(f"collection(s) stopped by an error: {', '.join(failed)}")


def _run_all(
    settings: Settings,
    collections: list[Collection],
    max_pages: int | None,
    errors: Console,
    quiet: bool,
) -> list[CollectionReport]:
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.fields[name]}"),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=errors,
        disable=quiet,
    )
    reports: list[CollectionReport] = []
    with Collector(settings, max_pages=max_pages) as collector:
        if any(c.source == "telegram" for c in collections):
            # the first login asks on the terminal: before the progress display starts
            with contextlib.suppress(CollectError):  # reported with each Telegram collection
                collector.telegram_client()
        with progress:
            _run_each(collector, collections, progress, reports)
    return reports


def _run_each(
    collector: Collector,
    collections: list[Collection],
    progress: Progress,
    reports: list[CollectionReport],
) -> None:
    for collection in collections:
        task = progress.add_task("collect", name=collection.name, status="starting", total=None)

        def show(report: CollectionReport, task_id: TaskID = task) -> None:
            status = f"{report.pages_fetched} pages fetched, {report.records_saved} records saved"
            progress.update(task_id, status=status)

        collector.on_page = show
        try:
            report = collector.run(collection)
        except CollectError as error:  # the collection could not start (locked, damaged)
            report = CollectionReport(collection.name, collection.source, error=str(error))
        progress.update(task, status="done" if not report.failed else "stopped", total=1)
        reports.append(report)


def print_report(report: CollectionReport, out: Console) -> None:
    table = Table(title=f"Collection {report.name} ({report.source})")
    columns = ("pages fetched", "saved", "records", "read", "new", "duplicate", "rejected")
    for column in columns:
        table.add_column(column, justify="right")
    values = (
        report.pages_fetched,
        report.pages_saved,
        report.records_saved,
        report.read,
        report.new,
        report.duplicate,
        report.rejected,
    )
    table.add_row(*(f"{value:,}" for value in values))
    out.print(table)
    checkpoint = report.checkpoint
    if checkpoint:
        out.print(
            f"checkpoint: {checkpoint['pages_written']} page(s) saved, "
            f"{checkpoint['pages_imported']} imported",
            soft_wrap=True,
        )
        for key, position in checkpoint["streams"].items():
            out.print(f"  {key}: {position}", soft_wrap=True, markup=False)
    if report.updated:
        out.print(f"{report.updated:,} post(s) updated (newer metrics)")
    if report.stopped_at_max_pages:
        out.print("[yellow]stopped at --max-pages; the next run goes on from here[/yellow]")
    for path in report.rejects_files:
        out.print(f"[yellow]rejected records are listed in {path}[/yellow]", soft_wrap=True)
    if report.error:
        out.print(f"[red]error:[/red] {escape(report.error)}", soft_wrap=True)
