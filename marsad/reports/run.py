"""Making a report of a project: gather its data once, write it in each language asked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from marsad.analyze.base import Context, Params
from marsad.config import Settings
from marsad.reports import REPORTS
from marsad.reports.base import ReportError
from marsad.reports.build import Written, report_needs, write_report
from marsad.reports.data import gather, read_events


@dataclass(frozen=True, slots=True)
class ReportRequest:
    report: str
    params: Params  # its period is required
    langs: Sequence[str]
    out: Path
    pdf: bool = True
    events: Path | None = None
    given: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # analysis -> options


@dataclass(frozen=True, slots=True)
class Outcome:
    written: list[Written]
    missing: Mapping[str, str]  # need id -> why its analysis could not run


def make_report(settings: Settings, request: ReportRequest) -> Outcome:
    """Write the report of `settings`' project in every language of the request."""
    from marsad.classify.store import connect
    from marsad.warehouse import Warehouse, WarehouseError

    if request.report not in REPORTS:
        raise ReportError(f"unknown report {request.report!r}; known: {', '.join(REPORTS)}")
    period = request.params.period
    if period is None:
        raise ReportError("a report needs a period")
    events = read_events(request.events) if request.events else []
    try:
        warehouse = Warehouse(settings.warehouse_dir)
        con = connect(warehouse)
    except WarehouseError as error:
        raise ReportError(str(error)) from error
    try:
        ctx = Context(con, settings, warehouse)
        data = gather(report_needs(request.report), ctx, request.params, events, request.given)
    finally:
        con.close()
    written = [
        write_report(request.report, data, lang, period, request.out, pdf=request.pdf)
        for lang in request.langs
    ]
    return Outcome(written, data.missing)


def busiest_year(settings: Settings) -> int | None:
    """The year with the most posts in the project's warehouse (None when it is empty)."""
    from marsad.warehouse import Warehouse

    by_month = Warehouse(settings.warehouse_dir).stats().by_month
    years: dict[int, int] = {}
    for month, count in by_month:
        if month and str(month)[:4].isdigit():
            years[int(str(month)[:4])] = years.get(int(str(month)[:4]), 0) + count
    return max(years, key=lambda y: (years[y], y)) if years else None


def busiest_case_year(settings: Settings) -> int | None:
    """The year with the most verified cases (None without any, or without a case database)."""
    import duckdb

    from marsad.analyze import get_analysis
    from marsad.reports.data import not_available_errors

    try:
        table = get_analysis("violations").run(Context(duckdb.connect(), settings), Params())
    except not_available_errors():
        return None
    years: dict[int, int] = {}
    for row in table.to_pylist():
        if row["dimension"] == "month" and row["month"] is not None:
            years[row["month"].year] = years.get(row["month"].year, 0) + int(row["cases"])
    return max(years, key=lambda y: (years[y], y)) if years else None


def demo_reports(settings: Settings, console: Console) -> None:
    """The three reports in every language, in reports/: of the year with the most posts, and
    for the observatory of the year with the most verified cases."""
    from marsad.analyze.base import parse_period
    from marsad.reports.i18n import LANGS

    year = busiest_year(settings)
    if year is None:
        return
    out = settings.project_dir / "reports"
    for report in REPORTS:
        if report == "observatory":
            year = busiest_case_year(settings) or year
        request = ReportRequest(report, Params(parse_period(str(year))), LANGS, out)
        outcome = make_report(settings, request)
        skipped = f"; not computed: {', '.join(outcome.missing)}" if outcome.missing else ""
        console.print(
            f"[bold]Report[/bold] {report} {year} in {', '.join(LANGS)}: {out}{skipped}",
            soft_wrap=True,
        )
