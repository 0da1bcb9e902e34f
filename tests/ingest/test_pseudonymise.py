"""Pseudonymisation at import: consistent keyed pseudonyms, and a warehouse that names nobody."""

from __future__ import annotations

import os
import pickle
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.config import Settings, load_settings
from marsad.ingest import chunks, pipeline
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.ingest.pseudonymise import (
    SECRET_ENV,
    Pseudonymiser,
    SecretKeyError,
    load_pseudonymiser,
)
from marsad.posts import Post
from marsad.project import init_project
from marsad.warehouse import Warehouse

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "x_v2" / "pages_he.jsonl"
KEY = Pseudonymiser(bytes(range(32)))


def users_of(path: Path) -> list[dict[str, str]]:
    users: list[dict[str, str]] = []
    for line in path.read_bytes().splitlines():
        users.extend(orjson.loads(line).get("includes", {}).get("users", []))
    return users


def project(root: Path, **environ: str) -> Settings:
    init_project(root)
    return load_settings(root, environ=environ)


def every_value(settings: Settings) -> str:
    con = Warehouse(settings.warehouse_dir).connect()
    rows = con.execute("SELECT CAST(posts AS VARCHAR) FROM posts").fetchall()
    return "\n".join(row[0] for row in rows)


def a_post(**fields: object) -> Post:
    values: dict[str, object] = {
        "platform": "x",
        "post_id": "1",
        "collected_at": datetime(2025, 1, 1, tzinfo=UTC),
        "author_id": "42",
        "author_handle": "Alice_Rights",
        "author_name": "Alice",
        "url": "https://x.com/Alice_Rights/status/1",
        "text": "شكرا @Bob_News و @alice_rights",
        "mentions": ["Bob_News", "alice_rights"],
        "raw": '{"user": "Alice_Rights"}',
    }
    values.update(fields)
    return Post(**values)  # type: ignore[arg-type]


def test_the_same_account_gets_the_same_pseudonym_whatever_its_case_or_at_sign() -> None:
    assert KEY.handle("x", "Alice_Rights") == KEY.handle("x", "@alice_rights")
    assert KEY.handle("x", "alice_rights").startswith("anon_")
    assert KEY.pseudonym("x", "id", "42").startswith("id_")


def test_pseudonyms_differ_by_key_platform_and_kind() -> None:
    other = Pseudonymiser(bytes(32))
    assert KEY.handle("x", "alice") != other.handle("x", "alice")
    assert KEY.handle("x", "alice") != KEY.handle("telegram", "alice")
    assert KEY.pseudonym("x", "id", "alice")[3:] != KEY.handle("x", "alice")[5:]


def test_a_post_keeps_no_name_link_or_raw_record_and_mentions_match_authors() -> None:
    post = KEY.apply(a_post())
    bob, alice = KEY.handle("x", "Bob_News"), KEY.handle("x", "Alice_Rights")
    assert post.author_handle == alice
    assert post.author_id == KEY.pseudonym("x", "id", "42")
    assert (post.author_name, post.url, post.raw) == (None, None, None)
    assert post.mentions == [bob, alice]
    assert post.text == f"شكرا @{bob} و @{alice}"


def test_mentions_of_every_platform_shape_are_replaced_but_emails_are_not() -> None:
    text = "@alice@mastodon.example @bob.bsky.social. write to info@ngo.example ＠dana"
    replaced = KEY.text("mastodon", text)
    assert replaced == (
        f"@{KEY.handle('mastodon', 'alice@mastodon.example')} "
        f"@{KEY.handle('mastodon', 'bob.bsky.social')}. write to info@ngo.example "
        f"@{KEY.handle('mastodon', 'dana')}"
    )


def test_the_key_never_shows_in_its_repr_and_survives_pickling() -> None:
    assert "hidden" in repr(KEY) and bytes(range(32)).hex() not in repr(KEY)
    assert pickle.loads(pickle.dumps(KEY)).handle("x", "a") == KEY.handle("x", "a")


def test_the_secret_file_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    secret = tmp_path / "secret.key"
    first = load_pseudonymiser(secret, environ={})
    assert secret.stat().st_mode & 0o777 == 0o600
    assert load_pseudonymiser(secret, environ={}).key == first.key
    assert len(first.key) == 32


def test_the_environment_key_wins_and_a_bad_one_is_named(tmp_path: Path) -> None:
    key = load_pseudonymiser(tmp_path / "none.key", environ={SECRET_ENV: "ab" * 16})
    assert key.key == bytes.fromhex("ab" * 16)
    assert not (tmp_path / "none.key").exists()
    with pytest.raises(SecretKeyError, match=SECRET_ENV):
        load_pseudonymiser(tmp_path / "none.key", environ={SECRET_ENV: "not hex"})
    (tmp_path / "short.key").write_text("abcd")
    with pytest.raises(SecretKeyError, match=r"short\.key"):
        load_pseudonymiser(tmp_path / "short.key", environ={})


def test_init_makes_the_projects_secret_key(tmp_path: Path) -> None:
    init_project(tmp_path / "p")
    assert (tmp_path / "p" / "secret.key").stat().st_mode & 0o777 == 0o600


def test_a_pseudonymised_warehouse_names_nobody(tmp_path: Path) -> None:
    settings = project(tmp_path / "p")
    summary = ingest([EXPORT], settings, IngestOptions(pseudonymise=True))
    assert summary.new > 0 and summary.rejected == 0
    stored = every_value(settings).lower()
    users = users_of(EXPORT)
    assert users
    for user in users:
        for value in (user["username"], user["name"], user["id"]):
            assert value.lower() not in stored, value


def test_pseudonyms_are_the_same_in_every_import_and_match_mentions(tmp_path: Path) -> None:
    from marsad.demo.synth import write_x_v2_jsonl

    export = tmp_path / "search.jsonl"
    write_x_v2_jsonl(export, 300)
    settings = project(tmp_path / "p")
    ingest([export], settings, IngestOptions(pseudonymise=True))
    again = project(tmp_path / "q")
    (again.project_dir / "secret.key").write_bytes(
        (settings.project_dir / "secret.key").read_bytes()
    )
    ingest([export], again, IngestOptions(pseudonymise=True))
    query = "SELECT post_id, author_id, author_handle, mentions FROM posts ORDER BY post_id"
    first = Warehouse(settings.warehouse_dir).connect().execute(query).fetchall()
    assert first == Warehouse(again.warehouse_dir).connect().execute(query).fetchall()
    handles = {handle for _, _, handle, _ in first}
    mentioned = {m for *_, mentions in first for m in mentions}
    assert mentioned & handles  # an account mentioned in one post wrote another


def test_the_project_setting_turns_it_on_and_the_flag_turns_it_off(tmp_path: Path) -> None:
    settings = project(tmp_path / "p", MARSAD_INGEST_PSEUDONYMISE="true")
    ingest([EXPORT], settings, IngestOptions())
    assert all(row[0].startswith("anon_") for row in handles(settings))
    plain = project(tmp_path / "q", MARSAD_INGEST_PSEUDONYMISE="true")
    ingest([EXPORT], plain, IngestOptions(pseudonymise=False))
    assert not any(row[0].startswith("anon_") for row in handles(plain))


def handles(settings: Settings) -> list[tuple[str]]:
    con = Warehouse(settings.warehouse_dir).connect()
    return con.execute("SELECT author_handle FROM posts WHERE author_handle IS NOT NULL").fetchall()


def test_worker_processes_pseudonymise_the_same_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.demo.synth import write_x_v2_jsonl

    export = tmp_path / "search.jsonl"
    write_x_v2_jsonl(export, 1500)
    monkeypatch.setattr(chunks, "PART_BYTES", 200_000)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    one = project(tmp_path / "one", MARSAD_INGEST_WORKERS="1")
    two = project(tmp_path / "two", MARSAD_INGEST_WORKERS="2")
    key = (one.project_dir / "secret.key").read_bytes()
    (two.project_dir / "secret.key").write_bytes(key)
    ingest([export], one, IngestOptions(pseudonymise=True))
    ingest([export], two, IngestOptions(pseudonymise=True))
    query = "SELECT post_id, author_id, author_handle, mentions, text FROM posts ORDER BY post_id"
    first = Warehouse(one.warehouse_dir).connect().execute(query).fetchall()
    assert first == Warehouse(two.warehouse_dir).connect().execute(query).fetchall()
    assert all(row[2].startswith("anon_") for row in first)


def test_cli_pseudonymise_flag_and_a_bad_key_in_the_environment(tmp_path: Path) -> None:
    root = tmp_path / "p"
    init_project(root)
    runner = CliRunner()
    args = ["ingest", str(EXPORT), "--project", str(root), "--pseudonymise", "--quiet"]
    result = runner.invoke(main, args, env={**os.environ, SECRET_ENV: "zz"})
    assert result.exit_code == 1
    assert SECRET_ENV in result.output and "hexadecimal" in result.output
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert all(row[0].startswith("anon_") for row in handles(load_settings(root)))
