"""`marsad backup` and `marsad restore` as an admin runs them, each in its own process, on a real
project: posts imported, cases with sealed fields, evidence, a published report and the audit
chain; restored into a new folder, everything reads back the same."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from marsad.config import load_settings
from marsad.project import init_project
from marsad.warehouse import Warehouse
from marsad.web.backup import BackupError, backup_project, restore_project
from marsad.web.sealed_archive import HEADER, ArchiveError

DEMO_DATA = Path(__file__).resolve().parents[2] / "marsad" / "demo" / "data"
DROPPED = ("MARSAD_DATABASE_URL", "MARSAD_ENV", "MARSAD_PROJECT", "MARSAD_DATA_KEY")
PASSPHRASE = "lemon trees on the hill of 1948"

# Files a report with sealed fields, a staff note, two evidence files and a published report,
# through the web app's actions (so the audit chain is real).
SEED = """
import sys
from pathlib import Path
from marsad.config import load_settings
from marsad.web.boot import migrate_database, setup_django
setup_django(load_settings(Path(sys.argv[1])))
migrate_database()
import io
from marsad.web.cases.actions import NewReport, add_staff_note, submit_report
from marsad.web.cases.models import Term
from marsad.web.cli import create_staff
from marsad.web.evidence.actions import add_file
from marsad.web.public.actions import publish_report
staff = create_staff("dina-" + sys.argv[2], "documenter", "a long staff password 42")
case = submit_report(NewReport(
    violation_type=Term.objects.get(kind="violation_type", key="content_removal"),
    platform=Term.objects.get(kind="platform", key="facebook"),
    description="حذفوا منشوري عن الأسرى " + sys.argv[2], links="https://facebook.com/p/1",
    language="ar", wants_contact=True, contact_method="email", contact="nour@example.org",
    reporter_name="نور", consent=True), "olive tree by the well")
add_staff_note(case, "צילום מסך נשמר " + sys.argv[2], staff)
upload = io.BytesIO("شهادة الشاهد: ".encode() + sys.argv[2].encode())
upload.name = "شهادة.txt"
add_file(case, upload, staff, description="witness")
add_file(case, io.BytesIO(b"second statement " + sys.argv[2].encode()), staff)
report = Path(sys.argv[1]) / "index-2025.txt"
report.write_text("Index of racism and incitement 2025")
publish_report(report, "Index 2025", "en")
"""

# Prints, as JSON, every sealed field decrypted, every evidence file's bytes, the audit count
# and what verify_chain() finds.
DUMP = """
import json, sys
from pathlib import Path
from marsad.config import load_settings
from marsad.web.boot import setup_django
setup_django(load_settings(Path(sys.argv[1])))
from marsad.web.cases.audit import verify_chain
from marsad.web.cases.models import AuditEntry
from marsad.web.evidence.models import Evidence
from marsad.web.evidence.storage import read_blob
from marsad.web.keys import sealed_fields
fields = {}
for field in sealed_fields():
    for row in field.model._base_manager.order_by("pk"):
        fields[f"{field.model._meta.label}.{field.name}.{row.pk}"] = getattr(row, field.attname)
blobs = {e.id: read_blob(e.blob_name, e.sha256, e.id).hex() for e in Evidence.objects.all()}
problems = [(p.entry_id, p.reason) for p in verify_chain()]
print(json.dumps({"fields": fields, "evidence": blobs, "audit": AuditEntry.objects.count(),
                  "problems": problems}, ensure_ascii=False))
"""


def environment() -> dict[str, str]:
    """This process's environment without what would point a child at another database or key."""
    return {k: v for k, v in os.environ.items() if k not in DROPPED}


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**environment(), **(env or {})},
        timeout=180,
        start_new_session=True,
    )


def marsad(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run("-m", "marsad", *args, stdin=stdin, env=env)


def seed(project: Path, tag: str = "one", env: dict[str, str] | None = None) -> None:
    done = run("-c", SEED, str(project), tag, env=env)
    assert done.returncode == 0, done.stderr


def dump(project: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    done = run("-c", DUMP, str(project), env=env)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def table_rows(project: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the project's SQLite database, its rows sorted."""
    database = load_settings(project, environment()).database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as con:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {name: sorted(con.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names}


def posts(project: Path) -> list[tuple[Any, ...]]:
    warehouse = Warehouse(load_settings(project, environment()).warehouse_dir)
    with warehouse.connect() as con:
        return con.execute("SELECT * FROM posts ORDER BY platform, post_id").fetchall()


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with imported posts, a filed case with notes and evidence, a published report."""
    project = tmp_path_factory.mktemp("backup") / "observatory"
    init_project(project)
    imported = marsad(
        "ingest",
        str(DEMO_DATA / "tiktok_research_2025.jsonl"),
        "--project",
        str(project),
        "--quiet",
    )
    assert imported.returncode == 0, imported.stderr
    seed(project)
    return project


@pytest.fixture(scope="module")
def passphrase_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("secret") / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def archive(original: Path, passphrase_file: Path) -> Path:
    out = original.parent / "observatory.backup"
    done = marsad(
        "backup", str(out), "--project", str(original), "--passphrase-file", str(passphrase_file)
    )
    assert done.returncode == 0, done.stderr
    assert "NOT in the backup" in done.stdout
    return out


def copy_keys(source: Path, target: Path) -> None:
    """What an admin does after a restore: the key files, kept apart, copied in."""
    for setting in ("web.data_key_file", "project.secret_file"):
        src, dst = load_settings(source).path(setting), load_settings(target).path(setting)
        shutil.copy2(src, dst)
        dst.chmod(0o600)


def test_a_restored_project_has_the_same_rows_fields_evidence_posts_and_chain(
    original: Path, archive: Path, passphrase_file: Path, tmp_path: Path
) -> None:
    restored = tmp_path / "restored"
    done = marsad(
        "restore",
        str(archive),
        "--project",
        str(restored),
        "--passphrase-file",
        str(passphrase_file),
    )
    assert done.returncode == 0, done.stderr
    assert "every hash checked" in done.stdout and "holds no keys" in done.stdout
    copy_keys(original, restored)
    assert table_rows(restored) == table_rows(original)
    before, after = dump(original), dump(restored)
    assert after == before
    assert after["problems"] == [] and after["audit"] > 0
    assert any(value == "نور" for value in after["fields"].values())
    assert len(after["evidence"]) == 2
    assert posts(restored) == posts(original) and len(posts(original)) > 0
    report = next((load_settings(restored).project_dir / "reports").rglob("*.txt"))
    assert report.read_text() == "Index of racism and incitement 2025"


def test_the_backup_holds_no_plaintext_and_no_key(original: Path, archive: Path) -> None:
    data = archive.read_bytes()
    assert b"nour@example.org" not in data
    assert b"Index of racism" not in data
    key = load_settings(original).path("web.data_key_file").read_text().strip()
    assert key.encode() not in data
    assert archive.stat().st_mode & 0o777 == 0o600


def test_with_include_keys_the_restored_project_opens_without_copying_keys(
    original: Path, passphrase_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "with-keys.backup"
    settings = load_settings(original, environment())
    summary = backup_project(settings, out, PASSPHRASE, include_keys=True, environ=environment())
    assert summary.keys_included
    restored = tmp_path / "restored"
    result = restore_project(out, restored, PASSPHRASE, environment())
    assert result.keys_included
    data_key = load_settings(restored).path("web.data_key_file")
    assert data_key.read_text() == settings.path("web.data_key_file").read_text()
    assert data_key.stat().st_mode & 0o777 == 0o600
    assert dump(restored) == dump(original)


def test_a_backup_is_refused_while_a_key_rotation_is_unfinished(
    original: Path, tmp_path: Path
) -> None:
    settings = load_settings(original, environment())
    key_file = settings.path("web.data_key_file")
    pending = key_file.with_name(key_file.name + ".new")
    pending.write_text("22" * 32 + "\n")
    try:
        with pytest.raises(BackupError, match=r"key rotation is unfinished .*keys rotate"):
            backup_project(settings, tmp_path / "b.backup", PASSPHRASE, environ=environment())
    finally:
        pending.unlink()
    assert not (tmp_path / "b.backup").exists()


def test_include_keys_takes_the_data_key_from_the_environment_when_it_is_set_there(
    original: Path, tmp_path: Path
) -> None:
    project = tmp_path / "env-key"
    shutil.copytree(original, project)
    key_file = load_settings(project, environment()).path("web.data_key_file")
    key = key_file.read_text().strip()
    key_file.unlink()  # the key lives in a secret store, handed over as MARSAD_DATA_KEY
    settings = load_settings(project, environment())
    out = tmp_path / "env-key.backup"
    with pytest.raises(BackupError, match=r"neither in .* nor in MARSAD_DATA_KEY"):
        backup_project(settings, out, PASSPHRASE, include_keys=True, environ=environment())
    env = environment() | {"MARSAD_DATA_KEY": key}
    backup_project(settings, out, PASSPHRASE, include_keys=True, environ=env)
    restored = tmp_path / "restored"
    assert restore_project(out, restored, PASSPHRASE, environment()).keys_included
    assert load_settings(restored).path("web.data_key_file").read_text().strip() == key
    assert dump(restored) == dump(original)


def test_a_backup_fails_when_an_evidence_file_the_database_needs_is_missing(
    original: Path, tmp_path: Path
) -> None:
    project = tmp_path / "lost"
    shutil.copytree(original, project)
    settings = load_settings(project, environment())
    blobs = sorted(p for p in settings.path("web.evidence_path").rglob("*") if p.is_file())
    blobs[0].unlink()  # as a purge committed after the database was copied would
    out = tmp_path / "lost.backup"
    with pytest.raises(BackupError, match=r"1 evidence file.* nothing was written"):
        backup_project(settings, out, PASSPHRASE, environ=environment())
    assert not out.exists() and not list(tmp_path.glob(".lost.backup.*"))


def test_a_wrong_passphrase_is_refused_and_nothing_is_restored(
    archive: Path, tmp_path: Path
) -> None:
    restored = tmp_path / "restored"
    done = marsad("restore", str(archive), "--project", str(restored), stdin="not the passphrase\n")
    assert done.returncode == 1
    assert "wrong passphrase" in done.stderr
    assert not restored.exists() or not any(restored.iterdir())


@pytest.mark.parametrize("where", ["header", "middle", "end"])
def test_a_tampered_archive_is_refused_and_nothing_is_restored(
    archive: Path, tmp_path: Path, where: str
) -> None:
    data = bytearray(archive.read_bytes())
    offset = {"header": 30, "middle": len(data) // 2, "end": len(data) - 1}[where]
    data[offset] ^= 0x01
    tampered = tmp_path / "tampered.backup"
    tampered.write_bytes(bytes(data))
    restored = tmp_path / "restored"
    with pytest.raises(ArchiveError, match=r"altered|passphrase|not a marsad backup"):
        restore_project(tampered, restored, PASSPHRASE, environment())
    assert not any(restored.iterdir())
    assert not list(tmp_path.glob(".restored.restoring-*"))


def test_a_cut_off_archive_is_refused(archive: Path, tmp_path: Path) -> None:
    data = archive.read_bytes()
    cut = tmp_path / "cut.backup"
    cut.write_bytes(data[: HEADER.size + (len(data) - HEADER.size) // 2])
    with pytest.raises(ArchiveError, match="altered or cut short"):
        restore_project(cut, tmp_path / "restored", PASSPHRASE, environment())


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("meeting notes " * 100)
    with pytest.raises(ArchiveError, match="not a marsad backup"):
        restore_project(other, tmp_path / "restored", PASSPHRASE, environment())


def test_restore_refuses_a_project_folder_that_is_not_empty(
    archive: Path, passphrase_file: Path, tmp_path: Path
) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "marsad.toml").write_text('[project]\nname = "busy"\n')
    done = marsad(
        "restore", str(archive), "--project", str(busy), "--passphrase-file", str(passphrase_file)
    )
    assert done.returncode == 1
    assert f"{busy} is not empty" in done.stderr
    assert (busy / "marsad.toml").read_text() == '[project]\nname = "busy"\n'


def test_backup_refuses_to_overwrite_a_file(original: Path, tmp_path: Path) -> None:
    out = tmp_path / "existing.backup"
    out.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="exists already"):
        backup_project(load_settings(original, environment()), out, PASSPHRASE)
    assert out.read_bytes() == b"keep me"


def test_backup_refuses_a_short_passphrase(original: Path, tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("olive\n")
    out = tmp_path / "b.backup"
    done = marsad("backup", str(out), "--project", str(original), "--passphrase-file", str(short))
    assert done.returncode == 1
    assert "at least 12 characters" in done.stderr
    assert not out.exists()


def test_backup_asks_for_the_passphrase_twice(original: Path, tmp_path: Path) -> None:
    out = tmp_path / "prompted.backup"
    args = ["backup", str(out), "--project", str(original)]
    mismatch = marsad(*args, stdin=f"{PASSPHRASE}\nsomething else entirely\n")
    assert mismatch.returncode != 0 and not out.exists()
    done = marsad(*args, stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert done.returncode == 0, done.stderr
    assert out.exists()


POSTGRES = os.environ.get("MARSAD_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test")


@pytest.fixture
def postgres_databases() -> Any:
    """Two new, empty PostgreSQL databases (skipped where no server answers); dropped after."""
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed")
    names = [f"marsad_backup_{os.getpid()}_{side}" for side in ("from", "into")]
    base = POSTGRES.rsplit("/", 1)[0]
    for name in names:
        made = subprocess.run(
            ["psql", "--dbname", POSTGRES, "-c", f"CREATE DATABASE {name}"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if made.returncode != 0:
            pytest.skip(f"no PostgreSQL server to make databases on: {made.stderr.strip()}")
    yield [f"{base}/{name}" for name in names]
    for name in names:
        subprocess.run(
            ["psql", "--dbname", POSTGRES, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            capture_output=True,
            timeout=30,
        )


def test_a_postgresql_project_round_trips_through_pg_dump(
    postgres_databases: list[str], passphrase_file: Path, tmp_path: Path
) -> None:
    source_url, target_url = postgres_databases
    source_env, target_env = (
        {"MARSAD_DATABASE_URL": source_url},
        {"MARSAD_DATABASE_URL": target_url},
    )
    project = tmp_path / "observatory"
    init_project(project)
    seed(project, env=source_env)
    out = tmp_path / "pg.backup"
    args = ["--passphrase-file", str(passphrase_file)]
    done = marsad("backup", str(out), "--project", str(project), *args, env=source_env)
    assert done.returncode == 0, done.stderr
    restored = tmp_path / "restored"
    done = marsad("restore", str(out), "--project", str(restored), *args, env=target_env)
    assert done.returncode == 0, done.stderr
    copy_keys(project, restored)
    before, after = dump(project, source_env), dump(restored, target_env)
    assert after == before and after["problems"] == [] and len(after["evidence"]) == 2
    again = marsad("restore", str(out), "--project", str(tmp_path / "again"), *args, env=target_env)
    assert again.returncode == 1 and "PostgreSQL database is not empty" in again.stderr
    assert not any((tmp_path / "again").iterdir())
