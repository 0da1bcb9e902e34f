"""Gathering a report's data: analyses that cannot run are named, events are read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from marsad.analyze.base import Context, Params, parse_period
from marsad.classify.store import connect
from marsad.config import load_settings
from marsad.project import init_project
from marsad.reports.base import Need, ReportError
from marsad.reports.data import read_events, run_needs
from marsad.reports.run import busiest_year
from marsad.warehouse import Warehouse
from tests.reports.project import make_project

PARAMS = Params(parse_period("2025"))


def test_events_are_read_with_their_titles_in_each_language(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(
        '[[event]]\ndate = 2025-03-18\ntitle = "A raid"\ntitle_ar = "اقتحام"\n\n'
        '[[event]]\ndate = 2025-05-01\ntitle = "A strike"\n',
        encoding="utf-8",
    )
    raid, strike = read_events(path)
    assert raid.day == date(2025, 3, 18) and raid.title("ar") == "اقتحام"
    assert raid.title("he") == "A raid" and strike.title("ar") == "A strike"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[[event]]\ntitle = "no date"\n', "event 1 needs a `date`"),
        ("[[event]\n", "cannot read the events file"),
    ],
)
def test_a_bad_events_file_is_named_with_the_event(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "events.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReportError, match=message) as caught:
        read_events(path)
    assert str(path) in str(caught.value)


def test_an_analysis_that_cannot_run_is_named_with_its_reason(tmp_path: Path) -> None:
    init_project(tmp_path / "empty")
    settings = load_settings(tmp_path / "empty")
    con = connect(Warehouse(settings.warehouse_dir))
    needs = [Need("index.month", "index"), Need("other", "no-such-analysis")]
    try:
        results, missing = run_needs(needs, Context(con, settings), PARAMS)
    finally:
        con.close()
    assert results == {}
    assert "marsad classify" in missing["index.month"]  # no labels yet
    assert "unknown analysis 'no-such-analysis'" in missing["other"]


def test_a_need_for_given_options_runs_only_when_they_are_given(tmp_path: Path) -> None:
    settings = make_project(tmp_path / "project")
    con = connect(Warehouse(settings.warehouse_dir))
    need = Need("campaigns", "campaigns", given_only=True)
    try:
        skipped = run_needs([need], Context(con, settings), PARAMS)
        given = {"campaigns": {"name": "Raid", "hashtags": "raid"}}
        ran = run_needs([need], Context(con, settings), PARAMS, given)
    finally:
        con.close()
    assert skipped == ({}, {})
    rows = ran[0]["campaigns"].to_pylist()
    assert [(r["campaign"], r["bucket"], r["posts"]) for r in rows] == [
        ("Raid", date(2025, 3, 1), 30)
    ]


def test_the_demo_reports_cover_the_year_with_the_most_posts(tmp_path: Path) -> None:
    assert busiest_year(make_project(tmp_path / "project")) == 2025
    init_project(tmp_path / "empty")
    assert busiest_year(load_settings(tmp_path / "empty")) is None
