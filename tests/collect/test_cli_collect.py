"""`marsad collect CONFIG`: the command end to end against a local server."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

from marsad.cli import main
from marsad.config import Settings
from tests.collect.fakeapi import Bluesky, FakeApi, Mastodon, post, serving, status

CONFIG = """
[[collection]]
name = "masto"
source = "mastodon"
instance = "{mastodon}"
hashtags = ["internet_shutdown"]
since = "2025-01-01"
until = "2025-01-03"
dataset = "shutdown"

[[collection]]
name = "sky"
source = "bluesky"
instance = "{bluesky}"
keywords = ["shutdown"]
since = "2025-01-01"
until = "2025-01-03"
"""


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture()
def servers() -> tuple[FakeApi, FakeApi]:
    mastodon = Mastodon([status(n) for n in range(60)])
    bluesky = Bluesky([post(n) for n in range(60)])
    with serving(mastodon) as m, serving(bluesky) as b:
        mastodon.base = m.url
        yield m, b


def write_config(tmp_path: Path, servers: tuple[FakeApi, FakeApi], text: str = CONFIG) -> Path:
    path = tmp_path / "collect.toml"
    path.write_text(text.format(mastodon=servers[0].url, bluesky=servers[1].url), "utf-8")
    return path


def test_collect_prints_a_json_report_per_collection(
    project: Settings, tmp_path: Path, servers: tuple[FakeApi, FakeApi]
) -> None:
    config = write_config(tmp_path, servers)
    result = invoke("collect", str(config), "--project", str(project.project_dir), "--json")
    assert result.exit_code == 0, result.output
    masto, sky = orjson.loads(result.stdout)
    assert (masto["name"], masto["pages_fetched"], masto["pages_saved"]) == ("masto", 3, 2)
    assert masto["records_saved"] == 48
    assert (masto["new"], masto["duplicate"], masto["error"]) == (48, 0, None)
    assert masto["checkpoint"]["pages_imported"] == 2
    assert masto["checkpoint"]["streams"]["tag:internet_shutdown"].startswith("done")
    assert (sky["name"], sky["records_saved"], sky["new"]) == ("sky", 1, 48)
    assert (project.project_dir / "collect" / "masto" / "pages" / "000001.jsonl").is_file()


def test_collect_prints_pages_posts_and_the_checkpoint(
    project: Settings, tmp_path: Path, servers: tuple[FakeApi, FakeApi]
) -> None:
    config = write_config(tmp_path, servers)
    args = ("collect", str(config), "--project", str(project.project_dir), "--quiet")
    result = invoke(*args, "--only", "masto")
    assert result.exit_code == 0, result.output
    assert "Collection masto (mastodon)" in result.output
    assert "pages fetched" in result.output
    assert "checkpoint: 2 page(s) saved, 2 imported" in result.output
    assert "tag:internet_shutdown: done" in result.output
    assert "sky" not in result.output
    again = invoke(*args)
    assert "Collection sky (bluesky)" in again.output


def test_max_pages_says_the_next_run_goes_on(
    project: Settings, tmp_path: Path, servers: tuple[FakeApi, FakeApi]
) -> None:
    config = write_config(tmp_path, servers)
    result = invoke(
        "collect", str(config), "--project", str(project.project_dir), "--max-pages", "1"
    )
    assert result.exit_code == 0, result.output
    assert "the next run goes on" in result.output


def test_a_bad_config_stops_with_status_2_naming_file_collection_and_key(
    project: Settings, tmp_path: Path, servers: tuple[FakeApi, FakeApi]
) -> None:
    config = write_config(tmp_path, servers, CONFIG.replace('"2025-01-03"', '"tomorrow"', 1))
    result = invoke("collect", str(config), "--project", str(project.project_dir))
    assert result.exit_code == 2
    assert str(config) in result.output
    assert "collection #1 ('masto')" in result.output
    assert "key 'until'" in result.output


def test_an_unknown_only_name_stops_with_status_2(
    project: Settings, tmp_path: Path, servers: tuple[FakeApi, FakeApi]
) -> None:
    config = write_config(tmp_path, servers)
    result = invoke("collect", str(config), "--project", str(project.project_dir), "--only", "x")
    assert result.exit_code == 2
    assert "--only x: no such collection" in result.output


def test_a_failed_collection_exits_1_after_the_others_ran(
    project: Settings, tmp_path: Path, servers: tuple[FakeApi, FakeApi]
) -> None:
    text = CONFIG.replace('hashtags = ["internet_shutdown"]', 'accounts = ["nobody"]')
    config = write_config(tmp_path, servers, text)
    result = invoke("collect", str(config), "--project", str(project.project_dir), "--quiet")
    assert result.exit_code == 1
    assert "no account 'nobody'" in result.output
    assert "Collection sky (bluesky)" in result.output
    assert "stopped by an error: masto" in result.output


def test_telegram_without_credentials_is_a_clear_error(
    project: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MARSAD_TELEGRAM_API_ID", raising=False)
    monkeypatch.delenv("MARSAD_TELEGRAM_API_HASH", raising=False)
    config = tmp_path / "tg.toml"
    config.write_text(
        '[[collection]]\nname = "tg"\nsource = "telegram"\naccounts = ["ch"]\n'
        'since = "2025-01-01"\n'
    )
    result = invoke("collect", str(config), "--project", str(project.project_dir), "--quiet")
    assert result.exit_code == 1
    assert "MARSAD_TELEGRAM_API_ID and MARSAD_TELEGRAM_API_HASH" in result.output


def test_collect_needs_a_project(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("")
    result = invoke("collect", str(config), "--project", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert "not a marsad project" in result.output
