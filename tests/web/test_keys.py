"""`marsad keys rotate`: every sealed field and evidence file re-sealed under a new key, the old
key opening nothing afterwards, and an interrupted rotation completed by running it again."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from marsad.config import load_settings
from marsad.project import init_project
from marsad.web import crypto, keys
from marsad.web.cases import audit
from marsad.web.cases.actions import add_staff_note, reporter_add_information
from marsad.web.cases.models import AuditEntry, Case, Note
from marsad.web.evidence import actions as evidence_actions
from marsad.web.evidence.models import Evidence
from marsad.web.evidence.storage import _aad as blob_aad
from marsad.web.evidence.storage import read_blob

from .test_backup import dump, environment, marsad, seed
from .test_evidence_sniff import png, text

KEY_A = bytes.fromhex(os.environ["MARSAD_DATA_KEY"])  # the tests' key (tests/web/conftest.py)


@pytest.fixture
def use_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Make the web app read with `key` (as the environment's key); undone after the test."""

    def switch(key: bytes) -> None:
        monkeypatch.setenv(crypto.KEY_ENV, key.hex())
        crypto.data_key.cache_clear()

    yield switch
    monkeypatch.undo()
    crypto.data_key.cache_clear()


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "data.key"
    path.parent.mkdir()
    keys.write_key_file(path, KEY_A)
    return path


@pytest.fixture
def sealed_world(filed_case: Case, documenter: User) -> dict[str, Any]:
    """A case with staff and reporter notes and two evidence files, all under key A; returns
    what each reads as."""
    add_staff_note(filed_case, "اتصلنا بالمبلّغة عبر سيغنال", documenter)
    reporter_add_information(filed_case, "עוד צילום מסך של ההודעה")
    image = io.BytesIO(png())
    image.name = "لقطة.png"
    evidence_actions.add_file(filed_case, image, documenter, description="screenshot")
    evidence_actions.add_file(filed_case, io.BytesIO(text()), documenter)
    return readable()


def readable() -> dict[str, Any]:
    """Every sealed value and evidence file as the web app reads it with its current key."""
    values = {
        f"{field.model._meta.label}.{field.name}.{row.pk}": getattr(row, field.attname)
        for field in keys.sealed_fields()
        for row in field.model._base_manager.order_by("pk")
    }
    blobs = {e.id: read_blob(e.blob_name, e.sha256, e.id) for e in Evidence.objects.all()}
    return {"values": values, "blobs": blobs}


def raw_sealed() -> list[tuple[bytes, bytes]]:
    """(sealed bytes, associated data) of every non-empty sealed value and evidence file."""
    found = [
        (raw, keys.field_aad(field))
        for field in keys.sealed_fields()
        for _, raw in keys._raw_rows(field)
        if raw
    ]
    return found + [(path.read_bytes(), blob_aad(path.name)) for path in keys.evidence_blobs()]


def key_ids() -> set[bytes]:
    return {crypto.sealed_key_id(raw) for raw, _ in raw_sealed()}


def test_rotation_reseals_every_value_and_file_and_they_read_back_identical(
    sealed_world: dict[str, Any], key_file: Path, use_key: Any
) -> None:
    sealed_count = len(raw_sealed())
    result = keys.rotate_key_file(key_file)
    key_b = keys.read_key_file(key_file)
    assert key_b != KEY_A
    assert key_ids() == {crypto.key_id(key_b)}
    assert result.values + result.blobs == sealed_count and result.blobs == 2
    use_key(key_b)
    assert readable() == sealed_world


def test_after_rotation_the_old_key_opens_nothing(
    sealed_world: dict[str, Any], key_file: Path, use_key: Any
) -> None:
    keys.rotate_key_file(key_file)
    for raw, aad in raw_sealed():
        with pytest.raises(crypto.DecryptionError, match="sealed with another key"):
            crypto.open_sealed(raw, aad, key=KEY_A)
    use_key(KEY_A)
    with pytest.raises(crypto.DecryptionError):
        Case.objects.get().description  # noqa: B018


def test_the_old_key_is_kept_apart_and_the_rotation_is_audited(
    sealed_world: dict[str, Any], key_file: Path
) -> None:
    result = keys.rotate_key_file(key_file)
    assert result.old_key_copy.parent == key_file.parent
    assert result.old_key_copy.name.startswith("data.key.old-")
    assert keys.read_key_file(result.old_key_copy) == KEY_A
    for path in (key_file, result.old_key_copy):
        assert path.stat().st_mode & 0o777 == 0o600
    assert not keys.pending_key_path(key_file).exists()
    entry = AuditEntry.objects.get(action="keys.rotated")
    assert entry.details["values"] == result.values
    assert entry.details["evidence_files"] == 2
    assert entry.details["old_key_id"] == crypto.key_id(KEY_A).hex()
    assert audit.verify_chain() == []


def test_an_interrupted_rotation_completes_when_run_again(
    sealed_world: dict[str, Any], key_file: Path, use_key: Any
) -> None:
    key_b = keys.pending_key(key_file)  # the first run wrote the new key, then...
    total = len(raw_sealed())
    assert keys.reseal_database(keys.Keys(KEY_A, key_b), limit=2) == 2
    assert keys.reseal_blobs(keys.Keys(KEY_A, key_b), limit=1) == 1  # ...it was killed here
    assert key_ids() == {crypto.key_id(KEY_A), crypto.key_id(key_b)}
    result = keys.rotate_key_file(key_file)
    assert keys.read_key_file(key_file) == key_b
    assert result.values + result.blobs == total - 3
    assert key_ids() == {crypto.key_id(key_b)}
    use_key(key_b)
    assert readable() == sealed_world


def test_a_value_under_an_unknown_key_stops_the_rotation_naming_its_row(
    sealed_world: dict[str, Any], key_file: Path
) -> None:
    note = Note.objects.order_by("pk").first()
    assert note is not None
    stray = crypto.seal(b"from elsewhere", b"cases.Note.text", key=b"\x07" * 32)
    Note.objects.filter(pk=note.pk).update(text=stray)
    with pytest.raises(keys.RotationError, match=rf"cases.Note {note.pk}, field text: .*unknown"):
        keys.rotate_key_file(key_file)
    assert keys.read_key_file(key_file) == KEY_A


def test_every_sealed_field_of_the_models_is_rotated() -> None:
    found = {f"{field.model._meta.label}.{field.name}" for field in keys.sealed_fields()}
    declared = {
        f"{model._meta.label}.{field.name}"
        for model in (Case, Note, Evidence)
        for field in model._meta.fields
        if type(field).__name__ == "EncryptedTextField"
    }
    assert declared and declared <= found


# --- the command, in its own process on a real project -------------------------------------------


def test_keys_rotate_on_a_project_keeps_every_value_readable(tmp_path: Path) -> None:
    project = tmp_path / "observatory"
    init_project(project)
    seed(project)
    key_path = load_settings(project).path("web.data_key_file")
    old_key = key_path.read_text()
    before = dump(project)
    done = marsad("keys", "rotate", "--project", str(project))
    assert done.returncode == 0, done.stderr
    assert "field values and 2 evidence files" in done.stdout
    assert "destroy that file" in done.stdout
    assert key_path.read_text() != old_key
    assert [p.read_text() for p in key_path.parent.glob("data.key.old-*")] == [old_key]
    after = dump(project)
    assert after["fields"] == before["fields"] and after["evidence"] == before["evidence"]
    assert after["audit"] == before["audit"] + 1 and after["problems"] == []  # keys.rotated
    database = load_settings(project, environment()).database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as con:
        (sealed,) = con.execute("SELECT description FROM cases_case").fetchone()
    assert crypto.sealed_key_id(sealed) == crypto.key_id(bytes.fromhex(key_path.read_text()))


def test_keys_rotate_refuses_a_key_from_the_environment(tmp_path: Path) -> None:
    project = tmp_path / "observatory"
    init_project(project)
    key_path = load_settings(project).path("web.data_key_file")
    old_key = key_path.read_text()
    done = subprocess.run(
        [sys.executable, "-m", "marsad", "keys", "rotate", "--project", str(project)],
        capture_output=True,
        text=True,
        env={**environment(), "MARSAD_DATA_KEY": "22" * 32},
        timeout=120,
    )
    assert done.returncode == 1
    assert "the data key comes from MARSAD_DATA_KEY" in done.stderr
    assert "rotate by hand" in done.stderr.lower()
    assert key_path.read_text() == old_key
    assert not keys.pending_key_path(key_path).exists()
