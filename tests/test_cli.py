import subprocess
import sys
from pathlib import Path

import click
import orjson
import pytest
from click.testing import CliRunner

from marsad import __version__
from marsad.cli import main


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, (*prefix, name)))
    return found


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_it_prints_its_version_as_a_program() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "marsad", "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in out.stdout


@pytest.mark.parametrize("command", all_commands(main), ids=" ".join)
def test_every_command_has_help(command: tuple[str, ...]) -> None:
    out = run(*command, "--help")
    assert "Usage:" in out
    assert len(out.splitlines()) > 3


def test_init_creates_config_warehouse_database_and_rejects_folder(tmp_path: Path) -> None:
    project = tmp_path / "observatory"
    run("init", str(project))
    assert (project / "marsad.toml").is_file()
    assert (project / "warehouse" / "posts").is_dir()
    assert (project / "marsad.sqlite3").is_file()
    assert (project / "rejects").is_dir()


def test_init_keeps_an_existing_config(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    config = tmp_path / "marsad.toml"
    config.write_text(config.read_text() + "\n# edited by hand\n")
    assert "Already a project" in run("init", str(tmp_path))
    assert "# edited by hand" in config.read_text()


def test_config_show_says_where_each_value_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("init", str(tmp_path))
    monkeypatch.setenv("MARSAD_DUCKDB_THREADS", "1")
    data = orjson.loads(run("config", "show", "--project", str(tmp_path), "--json"))
    assert data["duckdb.threads"] == {
        "value": 1,
        "source": "env:MARSAD_DUCKDB_THREADS",
        "env": "MARSAD_DUCKDB_THREADS",
    }
    assert data["warehouse.path"]["source"].startswith("file:")


def test_config_show_reads_the_project_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("init", str(tmp_path / "p"))
    monkeypatch.setenv("MARSAD_PROJECT", str(tmp_path / "p"))
    assert str(tmp_path / "p") in run("config", "show")


def test_commands_outside_a_project_say_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--project", str(tmp_path)])
    assert result.exit_code == 1
    assert "marsad init" in result.output


def test_stats_on_a_new_project_counts_nothing(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    data = orjson.loads(run("stats", "--project", str(tmp_path), "--json"))
    assert data == {"total": 0, "platform": {}, "language": {}, "month": {}}


def test_formats_lists_every_registered_format() -> None:
    from marsad.ingest.registry import FORMATS

    out = run("formats")
    for key in FORMATS:
        assert key in out


def test_init_quotes_an_odd_folder_name_in_the_config(tmp_path: Path) -> None:
    project = tmp_path / 'the "observatory" مرصد'
    run("init", str(project))
    data = orjson.loads(run("config", "show", "--project", str(project), "--json"))
    assert data["project.name"]["value"] == 'the "observatory" مرصد'


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--format", "nope.v9"], "unknown format 'nope.v9'"),
        (["--encoding", "klingon-8"], "unknown encoding 'klingon-8'"),
        (["--timezone", "Mars/Base"], "unknown time zone 'Mars/Base'"),
    ],
)
def test_ingest_refuses_an_option_that_cannot_work_before_reading(
    tmp_path: Path, flags: list[str], message: str
) -> None:
    run("init", str(tmp_path))
    sheet = tmp_path / "s.csv"
    sheet.write_text("id,text\n1,a post\n")
    result = CliRunner().invoke(main, ["ingest", str(sheet), "--project", str(tmp_path), *flags])
    assert result.exit_code == 2
    assert message in result.output


def test_ingest_fails_when_no_file_could_be_read(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    args = ["ingest", str(tmp_path / "missing.jsonl"), "--project", str(tmp_path), "--quiet"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "nothing was imported" in result.output


def test_rejects_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    sheet = tmp_path / "s.csv"
    sheet.write_text("id,text\n1,a post\n2,\n")
    out = orjson.loads(
        run("ingest", str(sheet), "--project", str(tmp_path), "--json", "--platform", "x")
    )
    assert out["rejected"] == 1
    assert Path(out["rejects_file"]).stat().st_mode & 0o777 == 0o600
