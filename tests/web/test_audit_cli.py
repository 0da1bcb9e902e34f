"""`marsad audit verify` on a real project, in its own process: an intact log, then one whose
entries were edited or deleted behind marsad's back with raw SQL."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from marsad.config import load_settings
from marsad.project import init_project

from .test_backup import environment, marsad

PASSWORD = "a long staff password 42"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose audit log has four entries (four staff logins made)."""
    folder = tmp_path_factory.mktemp("audit") / "observatory"
    init_project(folder)
    for name in ("dina", "vera", "adam", "amal"):
        args = ["--persona", "documenter", "--username", name, "--password", PASSWORD]
        done = marsad("createstaff", "--project", str(folder), *args)
        assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def project(made: Path, tmp_path: Path) -> Path:
    """A copy of that project for one test to tamper with."""
    return Path(shutil.copytree(made, tmp_path / "observatory"))


def sql(project: Path, statement: str) -> None:
    database = load_settings(project, environment()).database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as con:
        assert con.execute(statement).rowcount == 1


def verify(project: Path) -> tuple[int, str, str]:
    done = marsad("audit", "verify", "--project", str(project))
    return done.returncode, done.stdout, done.stderr


def test_an_intact_log_is_reported_with_its_entry_count(project: Path) -> None:
    code, out, _ = verify(project)
    assert (code, out) == (0, "audit log intact: 4 entries\n")


def test_an_edited_entry_is_named_and_the_command_fails(project: Path) -> None:
    sql(project, "UPDATE cases_auditentry SET actor_label = 'someone' WHERE id = 2")
    code, out, err = verify(project)
    assert code == 1
    assert out == "entry 2: content does not match its hash: edited\n"
    assert "audit log broken: 1 problem(s) in 4 entries" in err


def test_an_edited_detail_is_found_too(project: Path) -> None:
    sql(
        project,
        """UPDATE cases_auditentry SET details = '{"user": "vera", "persona": "admin"}'
                    WHERE id = 2""",
    )
    code, out, _ = verify(project)
    assert code == 1 and "entry 2: content does not match its hash: edited" in out


def test_a_deleted_entry_is_found_at_its_successor(project: Path) -> None:
    sql(project, "DELETE FROM cases_auditentry WHERE id = 3")
    code, out, _ = verify(project)
    assert code == 1
    assert out.splitlines()[0] == "entry 4: previous hash does not match: entry deleted"


def test_a_deleted_last_entry_is_found_at_the_chain_head(project: Path) -> None:
    sql(project, "DELETE FROM cases_auditentry WHERE id = 4")
    code, out, _ = verify(project)
    assert code == 1
    assert out == "chain head: the last entries were deleted or the head altered\n"


def test_verify_outside_a_project_says_how_to_make_one(tmp_path: Path) -> None:
    code, _, err = verify(tmp_path)
    assert code == 1 and "marsad init" in err
