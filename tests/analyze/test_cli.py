"""`marsad analyze`: the table written in each format, the chart, the summary, clear errors."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from marsad.cli import main
from marsad.config import load_settings
from marsad.project import init_project
from marsad.warehouse import Warehouse
from tests.analyze.conftest import Built, Label, post


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    init_project(folder)
    return folder


def fill(project: Path) -> None:
    built = Built(project, Warehouse(load_settings(project).warehouse_dir))
    built.add_posts(
        [
            post("1", "2025-01-05", hashtags=["gaza"]),
            post("2", "2025-02-05", hashtags=["gaza", "news"]),
            post("3", "2025-02-06", platform="telegram", lang="en"),
        ]
    )
    built.add_labels(
        [Label("1", "hate"), Label("2", "none"), Label("3", "offensive", platform="telegram")]
    )


def analyze(project: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["analyze", *args, "--project", str(project)])


def test_it_writes_the_index_as_csv_with_a_summary_and_an_svg_chart(project: Path) -> None:
    fill(project)
    out, chart = project / "out" / "index.csv", project / "index.svg"
    result = analyze(project, "index", "--period", "2025", "--out", str(out), "--chart", str(chart))
    assert result.exit_code == 0, result.output
    assert "index: 12 rows" in result.output
    assert "no model card matches" in result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["bucket"], r["platform"], r["label"], r["count"]) for r in rows][:2] == [
        ("2025-01-01", "x", "incitement", "0"),
        ("2025-01-01", "x", "hate", "1"),
    ]
    svg = chart.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Incitement and hate index" in svg


def test_nested_columns_become_json_in_csv_and_stay_lists_in_json_and_parquet(
    project: Path,
) -> None:
    fill(project)
    args = ["campaigns", "--period", "2025", "--option", "hashtags=gaza"]
    for suffix in (".csv", ".json", ".parquet"):
        result = analyze(project, *args, "--out", str(project / f"c{suffix}"))
        assert result.exit_code == 0, result.output
    with (project / "c.csv").open(encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    assert json.loads(first["platforms"]) == [{"name": "x", "posts": 1}]
    rows = json.loads((project / "c.json").read_text(encoding="utf-8"))
    assert rows[1]["bucket"] == "2025-02-01"
    assert rows[1]["languages"] == [{"name": "ar", "posts": 1}]
    assert pq.read_table(project / "c.parquet").to_pylist()[1]["posts"] == 1


def test_an_unknown_analysis_lists_the_known_ones(project: Path) -> None:
    result = analyze(project, "trends", "--period", "2025", "--out", "x.csv")
    assert result.exit_code == 2
    assert "unknown analysis 'trends'" in result.output
    assert "index, spikes, hashtags" in result.output


def test_a_bad_period_or_output_is_named(project: Path) -> None:
    result = analyze(project, "index", "--period", "2025-13", "--out", "x.csv")
    assert result.exit_code == 2 and "--period" in result.output
    result = analyze(project, "index", "--period", "2025", "--out", "x.xlsx")
    assert result.exit_code == 2 and ".csv, .parquet or .json" in result.output


def test_without_labels_it_says_to_classify_first(project: Path) -> None:
    result = analyze(project, "index", "--period", "2025", "--out", str(project / "x.csv"))
    assert result.exit_code == 1
    assert "run `marsad classify` first" in result.output


def test_a_png_chart_needs_a_converter(project: Path) -> None:
    fill(project)
    chart = project / "h.png"
    result = analyze(
        project,
        "hashtags",
        "--period",
        "2025",
        "--out",
        str(project / "h.csv"),
        "--chart",
        str(chart),
    )
    converter = shutil.which("rsvg-convert") or _has_cairosvg()
    if converter:
        assert result.exit_code == 0, result.output
        assert chart.read_bytes().startswith(b"\x89PNG")
    else:
        assert result.exit_code == 1
        assert "rsvg-convert" in result.output and "cairosvg" in result.output


def _has_cairosvg() -> bool:
    try:
        import cairosvg  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True
