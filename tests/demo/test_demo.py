"""`marsad demo`: a project made from every bundled export, imported and classified."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from marsad.classify.store import connect
from marsad.cli import main
from marsad.config import load_settings
from marsad.warehouse import Warehouse


def test_the_demo_imports_every_sample_and_labels_every_post(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--dir", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    imported = re.search(
        r"imported (\d+) files, ([\d,]+) records read, ([\d,]+) new", result.output
    )
    assert imported, result.output
    posts = int(imported.group(3).replace(",", ""))
    classified = re.search(r"Classified ([\d,]+) posts with (\S+)", result.output)
    assert classified and int(classified.group(1).replace(",", "")) == posts
    settings = load_settings(tmp_path / "demo")
    con = connect(Warehouse(settings.warehouse_dir))
    (labelled, harmful), *_ = con.execute(
        "SELECT count(DISTINCT (platform, post_id)), count(*) FILTER (WHERE label <> 'none') "
        "FROM labels"
    ).fetchall()
    assert labelled == posts
    assert 0 < harmful < posts  # the demo holds some hateful, offensive and inciting posts
