"""Reports made by the real analyses from a small warehouse and case database, and the
`marsad report` command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

os.environ.setdefault("MARSAD_DATA_KEY", "11" * 32)

from marsad.analyze.base import Context, Params, parse_period
from marsad.classify.loader import DEFAULT_MODEL_DIR, read_card
from marsad.classify.store import connect
from marsad.cli import main
from marsad.reports import REPORTS
from marsad.reports.build import ReportData, report_needs, write_report
from marsad.reports.data import gather
from marsad.reports.i18n import LANGS, text
from marsad.warehouse import Warehouse
from tests.reports.project import add_cases, make_project

PERIOD = parse_period("2025")


def report_data(folder: Path) -> dict[str, ReportData]:
    settings = make_project(folder)
    warehouse = Warehouse(settings.warehouse_dir)
    con = connect(warehouse)
    try:
        # settings=None: the case database is the test database pytest-django set up
        ctx = Context(con, None, warehouse)
        given = {"topics": {"k": 3, "sample": 60}}
        return {r: gather(report_needs(r), ctx, Params(PERIOD), (), given) for r in REPORTS}
    finally:
        con.close()


@pytest.mark.django_db
def test_the_three_reports_render_from_the_analyses_in_every_language(tmp_path: Path) -> None:
    add_cases()
    data = report_data(tmp_path / "project")
    for report, gathered in data.items():
        assert set(gathered.missing) <= {"topics"}, gathered.missing  # the embeddings extra
        for lang in LANGS:
            written = write_report(report, gathered, lang, PERIOD, tmp_path / "out", pdf=False)
            html = written.html.read_text("utf-8")
            assert html.count("<svg") >= 2
            if report == "hashtags":  # no campaign was given to follow
                assert text(lang, "campaigns.none") in html
            else:  # every part computed
                assert '<p class="notice">' not in html
    index = data["index"]
    assert index.facts.posts == 120 * 6 + 24  # 1 Jan - 30 Apr, and the burst of 18 March
    assert index.facts.model is not None and index.facts.model.card is not None
    spikes = index.results["spikes"].to_pylist()
    assert [row["day"].isoformat() for row in spikes] == ["2025-03-18"]
    observatory = data["observatory"]
    assert observatory.facts.cases == 3  # the unverified case is not counted


@pytest.mark.django_db
def test_the_report_states_the_model_its_test_scores_and_the_correction(tmp_path: Path) -> None:
    data = report_data(tmp_path / "project")["index"]
    written = write_report("index", data, "en", PERIOD, tmp_path / "out", pdf=False)
    html = written.html.read_text("utf-8")
    model = data.facts.model
    assert model is not None
    assert f"by the marsad classifier {model.key} (version {model.version})" in html
    assert "osact2022" in html and "Macro-F1" in html  # from the shipped model card
    assert "adjusted classify-and-count" in html
    card = read_card(DEFAULT_MODEL_DIR)["evaluation"]["datasets"]["osact2022"]["tasks"]
    offensive = card["offensive"]
    expected = f'"osact2022","offensive",{offensive["n"]},{offensive["macro_f1"]}'
    scores = next(p for p in written.tables if p.name.endswith("-model_scores.csv"))
    assert expected in scores.read_text("utf-8")


def test_marsad_report_writes_html_pdf_and_tables_and_names_what_it_could_not_compute(
    tmp_path: Path,
) -> None:
    make_project(tmp_path / "project")
    out = tmp_path / "out"
    args = ["report", "index", "--period", "2025-03", "--lang", "he", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--project", str(tmp_path / "project")])
    assert result.exit_code == 0, result.output
    assert (out / "index-2025-03-he.html").is_file()
    assert (out / "index-2025-03-he.pdf").read_bytes().startswith(b"%PDF-")
    assert (
        sorted(p.name for p in (out / "index-2025-03-he-tables").iterdir())[0]
        == "figure-01-monthly.csv"
    )
    assert "wrote" in result.output


def test_marsad_report_refuses_a_bad_period_and_an_unknown_report(tmp_path: Path) -> None:
    make_project(tmp_path / "project")
    base = ["--out", str(tmp_path / "out"), "--project", str(tmp_path / "project")]
    bad = CliRunner().invoke(main, ["report", "index", "--period", "2025-13", *base])
    assert bad.exit_code == 2 and "period '2025-13'" in bad.output
    unknown = CliRunner().invoke(main, ["report", "weekly", "--period", "2025", *base])
    assert unknown.exit_code == 2 and "'weekly' is not one of" in unknown.output
