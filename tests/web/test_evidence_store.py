"""Evidence at rest: hashed on arrival, sealed on disk, checked on every read, size-limited,
and every look at it recorded in its custody trail."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation

from marsad.web.cases import audit
from marsad.web.cases.actions import ActionInvalid, ActionRefused
from marsad.web.cases.models import AuditEntry, Case
from marsad.web.cases.states import State
from marsad.web.evidence import actions, storage
from marsad.web.evidence.errors import EvidenceCorrupted, EvidenceRejected
from marsad.web.evidence.models import Evidence, EvidenceKind

from .test_evidence_sniff import html, png, text


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def upload(data: bytes, name: str = "صورة الحساب.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


class CountingUpload:
    """A file arriving in chunks that counts how many were taken from it."""

    def __init__(self, chunk: bytes, count: int) -> None:
        self.name = "video.mp4"
        self.chunk, self.count, self.taken = chunk, count, 0

    def chunks(self, size: int = 65536) -> Iterator[bytes]:
        for _ in range(self.count):
            self.taken += 1
            yield self.chunk


def test_a_file_is_hashed_sealed_and_read_back(
    filed_case: Case, documenter: User, _evidence_dir: Path
) -> None:
    data = text()
    item = actions.add_file(filed_case, upload(data, "note.txt"), documenter, description="post")
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert (item.size, item.media_type, item.kind) == (len(data), "text/plain", "upload")
    [on_disk] = stored_files(_evidence_dir)
    assert on_disk == _evidence_dir / item.blob_name[:2] / item.blob_name
    sealed = on_disk.read_bytes()
    assert data not in sealed and "الهدم".encode() not in sealed
    assert actions.read_evidence(item, documenter) == data


def test_a_file_read_through_read_only_still_arrives(filed_case: Case, verifier: User) -> None:
    item = actions.add_file(filed_case, io.BytesIO(png()), verifier)
    assert actions.read_evidence(item, verifier) == png()


def test_a_flipped_byte_on_disk_is_detected_on_read(
    filed_case: Case, documenter: User, _evidence_dir: Path
) -> None:
    item = actions.add_file(filed_case, upload(png()), documenter)
    path = storage.blob_path(item.blob_name)
    damaged = bytearray(path.read_bytes())
    damaged[-5] ^= 0x01
    path.write_bytes(bytes(damaged))
    with pytest.raises(EvidenceCorrupted, match=f"evidence {item.pk}: .*does not open"):
        actions.read_evidence(item, documenter)
    assert [e.action for e in actions.custody(item)] == ["evidence.added", "evidence.check_failed"]


def test_an_edited_hash_on_the_row_is_detected_on_export(
    filed_case: Case, documenter: User, admin: User
) -> None:
    item = actions.add_file(filed_case, upload(png()), documenter)
    Evidence.objects.filter(pk=item.pk).update(sha256="0" * 64)
    with pytest.raises(EvidenceCorrupted, match=f"evidence {item.pk}: SHA-256 .* differs"):
        actions.export_evidence(item, admin)
    assert not AuditEntry.objects.filter(action="evidence.exported").exists()


def test_a_blob_moved_onto_another_items_name_does_not_open(
    filed_case: Case, documenter: User
) -> None:
    first = actions.add_file(filed_case, upload(png()), documenter)
    second = actions.add_file(filed_case, upload(png()), documenter)
    storage.blob_path(first.blob_name).replace(storage.blob_path(second.blob_name))
    with pytest.raises(EvidenceCorrupted, match=f"evidence {second.pk}: .*does not open"):
        actions.read_evidence(second, documenter)


def test_a_missing_file_is_reported_with_its_item(filed_case: Case, documenter: User) -> None:
    item = actions.add_file(filed_case, upload(png()), documenter)
    storage.blob_path(item.blob_name).unlink()
    with pytest.raises(EvidenceCorrupted, match=f"evidence {item.pk}: .*missing"):
        actions.read_evidence(item, documenter)


def test_the_size_limit_stops_reading_without_taking_the_rest(
    filed_case: Case, documenter: User, settings: Any, _evidence_dir: Path
) -> None:
    settings.MARSAD_MAX_UPLOAD_BYTES = 100 * 1024
    big = CountingUpload(b"\x00" * 64 * 1024, count=50)
    with pytest.raises(EvidenceRejected, match="larger than the limit"):
        actions.add_file(filed_case, big, documenter)
    assert big.taken == 2
    assert not Evidence.objects.exists() and stored_files(_evidence_dir) == []


def test_a_file_exactly_at_the_limit_is_kept(
    filed_case: Case, documenter: User, settings: Any
) -> None:
    data = text()
    settings.MARSAD_MAX_UPLOAD_BYTES = len(data)
    assert actions.add_file(filed_case, upload(data), documenter).size == len(data)
    settings.MARSAD_MAX_UPLOAD_BYTES = len(data) - 1
    with pytest.raises(EvidenceRejected):
        actions.add_file(filed_case, upload(data), documenter)


def test_a_refused_file_leaves_nothing_behind(
    filed_case: Case, documenter: User, _evidence_dir: Path
) -> None:
    with pytest.raises(EvidenceRejected, match="web page"):
        actions.add_file(filed_case, upload(html(), "page.png"), documenter)
    assert not Evidence.objects.exists() and stored_files(_evidence_dir) == []
    assert not AuditEntry.objects.filter(action__startswith="evidence.").exists()


def test_a_failed_database_write_removes_the_stored_blob(
    filed_case: Case, documenter: User, _evidence_dir: Path
) -> None:
    unsaved = Case(receipt_code="NOT-SAVED", violation_type=filed_case.violation_type)
    with pytest.raises(Case.DoesNotExist):  # the case row cannot be locked: nothing is written
        actions.add_file(unsaved, upload(png()), documenter)
    assert stored_files(_evidence_dir) == []


def test_custody_records_who_added_viewed_and_exported(
    filed_case: Case, documenter: User, verifier: User, admin: User
) -> None:
    item = actions.add_file(filed_case, upload(png()), documenter)
    actions.read_evidence(item, verifier)
    actions.export_evidence(item, admin)
    trail = actions.custody(item)
    assert [(e.action, e.actor_label) for e in trail] == [
        ("evidence.added", "dina"),
        ("evidence.viewed", "vera"),
        ("evidence.exported", "amal"),
    ]
    assert trail[0].details == {
        "sha256": item.sha256,
        "size": len(png()),
        "media_type": "image/png",
        "kind": "upload",
    }
    assert all(e.case_ref == filed_case.pk for e in trail)
    assert audit.verify_chain() == []


def test_the_file_name_is_sealed_and_never_in_the_log(filed_case: Case, documenter: User) -> None:
    item = actions.add_file(filed_case, upload(png(), "سلمى-هوية.png"), documenter)
    assert Evidence.objects.get(pk=item.pk).original_name == "سلمى-هوية.png"
    with connection.cursor() as cursor:
        table = Evidence._meta.db_table
        cursor.execute(f"SELECT original_name FROM {table} WHERE id = %s", [item.pk])
        [raw] = cursor.fetchone()
    assert raw and "سلمى".encode() not in bytes(raw)
    assert not any("سلمى" in str(e.details) for e in AuditEntry.objects.all())


def test_the_reporter_adds_files_with_the_report(filed_case: Case) -> None:
    item = actions.add_file(filed_case, upload(png()), None, kind=EvidenceKind.REPORTER_UPLOAD)
    assert item.added_by is None and item.kind == "reporter_upload"
    assert actions.custody(item)[0].actor_label == "reporter"


def test_the_reporter_cannot_add_files_to_a_closed_case(filed_case: Case) -> None:
    Case.objects.filter(pk=filed_case.pk).update(state=State.CLOSED)
    closed = Case.objects.get(pk=filed_case.pk)
    with pytest.raises(ActionInvalid):
        actions.add_file(closed, upload(png()), None, kind=EvidenceKind.REPORTER_UPLOAD)


def test_kinds_match_who_adds_the_file(filed_case: Case, documenter: User) -> None:
    with pytest.raises(ActionRefused):
        actions.add_file(filed_case, upload(png()), None, kind=EvidenceKind.UPLOAD)
    with pytest.raises(ActionInvalid):
        actions.add_file(filed_case, upload(png()), documenter, EvidenceKind.REPORTER_UPLOAD)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("who", ["analyst", "outsider"])
def test_analysts_and_outsiders_may_not_add_or_see_evidence(
    filed_case: Case, documenter: User, who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(ActionRefused):
        actions.add_file(filed_case, upload(png()), user)
    item = actions.add_file(filed_case, upload(png()), documenter)
    with pytest.raises(ActionRefused):
        actions.read_evidence(item, user)
    with pytest.raises(ActionRefused):
        actions.export_evidence(item, user)
    assert [e.action for e in actions.custody(item)] == ["evidence.added"]


def test_a_long_description_is_refused(filed_case: Case, documenter: User) -> None:
    with pytest.raises(ActionInvalid, match="300"):
        actions.add_file(filed_case, upload(png()), documenter, description="x" * 301)


def test_a_purged_item_is_not_read(filed_case: Case, documenter: User) -> None:
    item = actions.add_file(filed_case, upload(png()), documenter)
    Evidence.objects.filter(pk=item.pk).update(purged_at=item.added_at)
    with pytest.raises(ActionInvalid, match="purged"):
        actions.read_evidence(item, documenter)


def test_blob_names_cannot_leave_the_evidence_folder() -> None:
    with pytest.raises(ValueError, match="not an evidence blob name"):
        storage.blob_path("../../etc/passwd")


def test_files_no_row_names_are_swept_once_old(
    filed_case: Case, documenter: User, _evidence_dir: Path
) -> None:
    kept = actions.add_file(filed_case, upload(png()), documenter)
    orphan = storage.new_blob_name()
    storage.write_blob(orphan, png())  # as if the transaction around it had rolled back
    assert actions.remove_orphan_blobs(older_than_s=3600) == []
    assert actions.remove_orphan_blobs(older_than_s=-1) == [orphan]
    assert stored_files(_evidence_dir) == [storage.blob_path(kept.blob_name)]
    assert AuditEntry.objects.get(action="evidence.orphans_removed").details == {"count": 1}
    assert actions.read_evidence(kept, documenter) == png()
