"""Evidence leaves marsad only as it arrived: every export opens the sealed file and compares the
SHA-256 of its plaintext with the hash recorded on arrival; a mismatch refuses the export with
a message naming the item, and the refusal is itself a custody entry of the hash chain."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marsad.web.cases import audit
from marsad.web.cases.models import AuditEntry, Case
from marsad.web.evidence import actions, storage
from marsad.web.evidence.errors import EvidenceCorrupted
from marsad.web.evidence.models import Evidence

from .test_evidence_sniff import png, text


def stored(case: Case, user: User) -> Evidence:
    return actions.add_file(case, SimpleUploadedFile("shot.png", png()), user)


def trail(item: Evidence) -> list[str]:
    return [entry.action for entry in actions.custody(item)]


def flip_a_byte(path: Path) -> None:
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    path.write_bytes(bytes(damaged))


def test_a_flipped_byte_of_the_sealed_file_refuses_the_export(
    filed_case: Case, admin: User
) -> None:
    item = stored(filed_case, admin)
    flip_a_byte(storage.blob_path(item.blob_name))
    with pytest.raises(EvidenceCorrupted, match=f"evidence {item.pk}: .*does not open"):
        actions.export_evidence(item, admin)
    assert trail(item) == ["evidence.added", "evidence.check_failed"]


def test_a_flipped_byte_of_the_recorded_hash_refuses_the_export(
    filed_case: Case, admin: User
) -> None:
    item = stored(filed_case, admin)
    edited = item.sha256[:10] + ("0" if item.sha256[10] != "0" else "1") + item.sha256[11:]
    Evidence.objects.filter(pk=item.pk).update(sha256=edited)
    with pytest.raises(EvidenceCorrupted, match=f"evidence {item.pk}: SHA-256 .* differs"):
        actions.export_evidence(item, admin)
    assert trail(item) == ["evidence.added", "evidence.check_failed"]
    failed = AuditEntry.objects.get(action="evidence.check_failed")
    assert failed.details["sha256"] == edited and "differs" in failed.details["reason"]


def test_another_file_sealed_under_the_items_name_refuses_the_export(
    filed_case: Case, admin: User
) -> None:
    """A file that opens with the data key but is not the one that arrived: the hash check is
    what catches it."""
    item = stored(filed_case, admin)
    storage.write_blob(item.blob_name, text())
    with pytest.raises(EvidenceCorrupted, match=r"SHA-256 .* differs from the record"):
        actions.export_evidence(item, admin)
    assert not AuditEntry.objects.filter(action="evidence.exported").exists()


def test_an_intact_file_is_exported_and_the_export_is_in_its_custody_trail(
    filed_case: Case, admin: User
) -> None:
    item = stored(filed_case, admin)
    assert actions.export_evidence(item, admin) == png()
    assert trail(item) == ["evidence.added", "evidence.exported"]


def test_the_download_page_refuses_a_damaged_file_and_says_why(
    filed_case: Case, documenter: User, client: Client
) -> None:
    item = stored(filed_case, documenter)
    flip_a_byte(storage.blob_path(item.blob_name))
    client.force_login(documenter)
    answer = client.get(f"/staff/evidence/{item.pk}/download/", follow=True)
    html = answer.content.decode()
    assert "failed its integrity check" in html and f"evidence {item.pk}" in html
    assert answer.redirect_chain and "attachment" not in answer.get("Content-Disposition", "")


def test_custody_entries_are_links_of_the_verified_hash_chain(
    filed_case: Case, admin: User
) -> None:
    item = stored(filed_case, admin)
    flip_a_byte(storage.blob_path(item.blob_name))
    with pytest.raises(EvidenceCorrupted):
        actions.export_evidence(item, admin)
    assert audit.verify_chain() == []
    added = AuditEntry.objects.get(action="evidence.added", evidence_ref=item.pk)
    AuditEntry.objects.filter(pk=added.pk).update(details=added.details | {"sha256": "0" * 64})
    problems = audit.verify_chain()
    assert [(p.entry_id, "edited" in p.reason) for p in problems] == [(added.pk, True)]
