"""`marsad analyze NAME`: run one analysis, write its table (and a chart), print a summary."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import duckdb
import orjson
import pyarrow as pa
from rich.console import Console
from rich.table import Table

from marsad.analyze import get_analysis
from marsad.analyze.base import GRANULARITIES, AnalysisError, Context, Params, parse_period
from marsad.analyze.charts import ChartError, write_chart
from marsad.analyze.options import parse_options
from marsad.analyze.output import OutputError, check_suffix, write_table
from marsad.config import Settings

SHOWN_ROWS = 10
CHART_LANGS = ("en", "ar", "he")


@dataclass(frozen=True, slots=True)
class Outputs:
    table: Path
    chart: Path | None
    chart_lang: str


def check_outputs(out: Path, chart: Path | None) -> None:
    try:
        check_suffix(out)
    except OutputError as error:
        raise click.BadParameter(str(error), param_hint="--out") from None
    if chart is not None and chart.suffix.lower() not in (".svg", ".png"):
        raise click.BadParameter(f"{chart}: a chart is .svg or .png", param_hint="--chart")


def analysis_for(name: str) -> Any:
    try:
        return get_analysis(name)
    except KeyError as error:
        raise click.BadParameter(str(error.args[0]), param_hint="NAME") from None


def params_for(period: str, filters: dict[str, Any], option_pairs: tuple[str, ...]) -> Params:
    try:
        span = parse_period(period)
    except AnalysisError as error:
        raise click.BadParameter(str(error), param_hint="--period") from None
    try:
        options = parse_options(option_pairs)
    except AnalysisError as error:
        raise click.BadParameter(str(error), param_hint="--option") from None
    return Params(period=span, options=options, **filters)


def open_context(settings: Settings, analysis: Any) -> Context:
    """DuckDB over the project's warehouse (posts and labels), or an empty connection for an
    analysis that reads only the case database."""
    if not getattr(analysis, "uses_warehouse", True):
        return Context(duckdb.connect(":memory:"), settings)
    from marsad.classify.store import connect
    from marsad.warehouse import Warehouse, WarehouseError

    try:
        warehouse = Warehouse(
            settings.warehouse_dir,
            memory_limit=str(settings.get("duckdb.memory_limit")),
            threads=int(settings.get("duckdb.threads")) or None,
        )
        return Context(connect(warehouse), settings, warehouse)
    except WarehouseError as error:
        raise click.ClickException(str(error)) from None


def run_analysis(analysis: Any, ctx: Context, params: Params) -> tuple[pa.Table, float]:
    started = time.perf_counter()
    try:
        table = analysis.run(ctx, params)
    except AnalysisError as error:
        raise click.ClickException(f"{analysis.key}: {error}") from None
    finally:
        ctx.con.close()
    return table, time.perf_counter() - started


def write_outputs(analysis: Any, table: pa.Table, outputs: Outputs) -> None:
    try:
        write_table(table, outputs.table)
    except OutputError as error:
        raise click.ClickException(str(error)) from None
    if outputs.chart is None:
        return
    if not hasattr(analysis, "chart"):
        raise click.ClickException(f"{analysis.key} draws no chart")
    try:
        write_chart(analysis.chart(table, outputs.chart_lang), outputs.chart)
    except ChartError as error:
        raise click.ClickException(str(error)) from None


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, dict)):
        text = orjson.dumps(value).decode()
        return text if len(text) <= 60 else text[:59] + "…"
    return str(value)


def print_summary(
    analysis: Any, table: pa.Table, seconds: float, outputs: Outputs, out: Console
) -> None:
    where = f" and {outputs.chart}" if outputs.chart else ""
    out.print(
        f"[bold]{analysis.key}[/bold]: {table.num_rows:,} rows in {seconds:.2f} s, written to "
        f"{outputs.table}{where}",
        soft_wrap=True,
    )
    corrections = (
        table.column("correction").to_pylist() if "correction" in table.column_names else []
    )
    if corrections and not any(corrections):
        out.print(
            "[yellow]no model card matches these labels: adjusted_share is empty "
            "(give the model folder with --option card=FOLDER)[/yellow]"
        )
    if not table.num_rows:
        return
    shown = Table(title=f"first {min(SHOWN_ROWS, table.num_rows)} rows")
    for name in table.column_names:
        shown.add_column(name, overflow="fold")
    for row in table.slice(0, SHOWN_ROWS).to_pylist():
        shown.add_row(*(cell(row[name]) for name in table.column_names))
    out.print(shown)


@click.command()
@click.argument("name")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (default: $MARSAD_PROJECT, else the current folder).",
)
@click.option("--period", required=True, help="2025, 2025-03, 2025-Q2, 2025-03-14 or START..END.")
@click.option("--platform", "platforms", multiple=True, help="Only this platform (repeat).")
@click.option("--lang", "langs", multiple=True, help="Only this language (repeat).")
@click.option("--dataset", "datasets", multiple=True, help="Only this dataset (repeat).")
@click.option("--granularity", type=click.Choice(GRANULARITIES), default="month", show_default=True)
@click.option("--model", default=None, help="Labels of KEY or KEY@VERSION (default: the newest).")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="Top items.")
@click.option("--option", "option_pairs", multiple=True, metavar="NAME=VALUE", help="Repeat.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The table: FILE.csv, FILE.parquet or FILE.json.",
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also draw a chart: FILE.svg or FILE.png.",
)
@click.option(
    "--chart-lang",
    type=click.Choice(CHART_LANGS),
    default="en",
    show_default=True,
    help="Direction of the chart's text (ar and he: right to left).",
)
def analyze(
    name: str,
    project: Path | None,
    period: str,
    granularity: str,
    model: str | None,
    top: int,
    option_pairs: tuple[str, ...],
    out: Path,
    chart: Path | None,
    chart_lang: str,
    **filters: tuple[str, ...],
) -> None:
    """Run the analysis NAME and write its table.

    NAME is one of: index, spikes, hashtags, topics, accounts, campaigns, violations (see
    docs/analyses.md for each one's columns, method and --option values).
    """
    from marsad.cli import console, settings_for

    analysis = analysis_for(name)
    check_outputs(out, chart)
    given = {**filters, "granularity": granularity, "model": model, "top": top}
    params = params_for(period, given, option_pairs)
    ctx = open_context(settings_for(project), analysis)
    table, seconds = run_analysis(analysis, ctx, params)
    outputs = Outputs(out, chart, chart_lang)
    write_outputs(analysis, table, outputs)
    print_summary(analysis, table, seconds, outputs, console)
