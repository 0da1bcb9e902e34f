"""A folder holding the fixtures of every format imports in one command, each file read by its
own format, with a summary that adds up to the formats imported one by one."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import orjson
from click.testing import CliRunner

from marsad.cli import main
from marsad.config import load_settings
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.project import init_project
from marsad.warehouse import Warehouse
from tests.ingest.test_robustness import CASES

FIXTURES = Path(__file__).parent / "fixtures"


def good_fixtures(folder: str) -> list[Path]:
    return [p for p in sorted((FIXTURES / folder).iterdir()) if not p.name.startswith("bad_")]


def keys_in(root: Path) -> set[tuple[str, str]]:
    con = Warehouse(load_settings(root).warehouse_dir).connect()
    return set(con.execute("SELECT platform, post_id FROM posts").fetchall())


def test_a_folder_of_every_format_imports_in_one_command(tmp_path: Path) -> None:
    mixed = tmp_path / "exports"
    expected_formats: Counter[str] = Counter()
    expected_keys: set[tuple[str, str]] = set()
    read = rejected = 0
    for key, (folder, _) in CASES.items():
        files = good_fixtures(folder)
        alone = tmp_path / "alone" / folder
        init_project(alone)
        summary = ingest(files, load_settings(alone), IngestOptions())
        assert summary.formats == Counter({key: summary.files}), (key, summary.formats)
        expected_formats.update(summary.formats)
        expected_keys |= keys_in(alone)
        read += summary.read
        rejected += summary.rejected
        (mixed / folder).mkdir(parents=True)
        for path in files:
            shutil.copy(path, mixed / folder / path.name)

    project = tmp_path / "project"
    init_project(project)
    result = CliRunner().invoke(
        main, ["ingest", str(mixed), "--project", str(project), "--json", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    summary = orjson.loads(result.output)
    assert summary["formats"] == dict(expected_formats)
    assert summary["files"] == sum(expected_formats.values())
    assert summary["files_skipped"] == 0
    assert (summary["read"], summary["rejected"]) == (read, rejected)
    assert keys_in(project) == expected_keys
    assert summary["new"] == len(expected_keys)
    assert summary["new"] + summary["updated"] + summary["duplicate"] + rejected == read
