"""`marsad report`: a publishable report as HTML, PDF and CSV tables, in each language asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console

from marsad.reports import REPORTS
from marsad.reports.i18n import LANGS

console = Console()
errors = Console(stderr=True)


@click.command("report")
@click.argument("report_key", metavar="REPORT", type=click.Choice(list(REPORTS)))
@click.option("--period", required=True, help="YEAR, YEAR-MM, YEAR-Qn, YEAR-MM-DD or START..END.")
@click.option(
    "--lang",
    "langs",
    multiple=True,
    type=click.Choice(list(LANGS)),
    help="Language of the report (repeat; default: all three).",
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder."
)
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (default: $MARSAD_PROJECT, else the current folder).",
)
@click.option("--model", default=None, help="Labels of model KEY[@VERSION] (default: newest).")
@click.option(
    "--platform", "platforms", multiple=True, help="Only posts of this platform (repeat)."
)
@click.option("--dataset", "datasets", multiple=True, help="Only posts of this dataset (repeat).")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Items in the top lists.",
)
@click.option(
    "--events",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="TOML file of dated [[event]] tables to set beside the spikes.",
)
@click.option(
    "--campaigns",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="TOML file of the campaigns to follow (see docs/analyses.md).",
)
@click.option("--no-pdf", is_flag=True, help="Write the HTML and CSV files only.")
def report(
    report_key: str,
    period: str,
    langs: tuple[str, ...],
    out: Path,
    project: Path | None,
    model: str | None,
    platforms: tuple[str, ...],
    datasets: tuple[str, ...],
    top: int,
    events: Path | None,
    campaigns: Path | None,
    no_pdf: bool,
) -> None:
    """Write REPORT (index, hashtags or observatory) for a period as HTML, PDF and CSV.

    Each language gives OUT/REPORT-PERIOD-LANG.html (self-contained), .pdf, and a folder
    REPORT-PERIOD-LANG-tables/ with a CSV of every figure and table.
    """
    from marsad.analyze.base import AnalysisError, Params, parse_period
    from marsad.cli import settings_for
    from marsad.reports.base import ReportError
    from marsad.reports.run import ReportRequest, make_report

    settings = settings_for(project)
    try:
        params = Params(parse_period(period), platforms, (), datasets, model=model, top=top)
    except AnalysisError as error:
        raise click.BadParameter(str(error), param_hint="--period") from None
    given: dict[str, dict[str, Any]] = (
        {"campaigns": {"campaigns": str(campaigns)}} if campaigns else {}
    )
    request = ReportRequest(report_key, params, langs or LANGS, out, not no_pdf, events, given)
    try:
        outcome = make_report(settings, request)
    except ReportError as error:
        raise click.ClickException(str(error)) from error
    for need, reason in outcome.missing.items():
        errors.print(f"[yellow]not computed: {need}: {reason}[/yellow]", soft_wrap=True)
    for written in outcome.written:
        for path in (
            written.html,
            written.pdf,
            written.html.with_suffix("").with_name(written.html.stem + "-tables"),
        ):
            if path is not None:
                console.print(f"wrote {path}", soft_wrap=True)
