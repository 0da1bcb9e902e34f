"""`marsad demo`: a project made from every bundled export, imported and classified, with the
web app's demo cases and logins (run with --no-serve, so it stops before serving)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.classify.store import connect
from marsad.cli import main
from marsad.config import load_settings
from marsad.warehouse import Warehouse


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The demo's output and its project folder (one run for the module)."""
    folder = tmp_path_factory.mktemp("demo") / "demo"
    result = CliRunner().invoke(main, ["demo", "--dir", str(folder), "--no-serve"])
    assert result.exit_code == 0, result.output
    return result.output, folder


def test_the_demo_imports_every_sample_and_labels_every_post(demo: tuple[str, Path]) -> None:
    output, folder = demo
    imported = re.search(r"imported (\d+) files, ([\d,]+) records read, ([\d,]+) new", output)
    assert imported, output
    posts = int(imported.group(3).replace(",", ""))
    classified = re.search(r"Classified ([\d,]+) posts with (\S+)", output)
    assert classified and int(classified.group(1).replace(",", "")) == posts
    settings = load_settings(folder)
    con = connect(Warehouse(settings.warehouse_dir))
    (labelled, harmful), *_ = con.execute(
        "SELECT count(DISTINCT (platform, post_id)), count(*) FILTER (WHERE label <> 'none') "
        "FROM labels"
    ).fetchall()
    assert labelled == posts
    assert 0 < harmful < posts  # the demo holds some hateful, offensive and inciting posts


def test_the_demo_fills_the_web_app_with_cases_and_prints_a_login_per_persona(
    demo: tuple[str, Path],
) -> None:
    output, folder = demo
    assert re.search(r"Demo cases: created 60 \(", output), output
    logins = re.findall(r"^\s+(\w+)\s+(demo-\w+)\s+(\S{16})$", output, re.MULTILINE)
    assert [persona for persona, _, _ in logins] == ["documenter", "verifier", "analyst", "admin"]
    assert "Serving" not in output
    database = load_settings(folder).database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as con:
        states = dict(con.execute("SELECT state, count(*) FROM cases_case GROUP BY state"))
        staff = con.execute("SELECT count(*) FROM auth_user WHERE username LIKE 'demo-%'")
        assert staff.fetchone() == (4,)
    assert sum(states.values()) == 60 and len(states) == 10
