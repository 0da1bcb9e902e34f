"""Every change to evidence, and every look at it, goes through these functions; each writes
the custody trail (audit entries with the item's id) in the same transaction.

The audit details hold the hash, size, media type and kind, never the file's name or the
captured URL (they may be personal; both are sealed on the row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from marsad.web.cases import audit
from marsad.web.cases.actions import (
    ActionInvalid,
    ActionRefused,
    open_to_reporter,
    refuse_if_purged,
)
from marsad.web.cases.models import AuditEntry, Case
from marsad.web.cases.personas import persona_of
from marsad.web.cases.states import Persona
from marsad.web.evidence import storage
from marsad.web.evidence.dangerous import accept
from marsad.web.evidence.errors import CaptureError, EvidenceCorrupted, EvidenceRejected
from marsad.web.evidence.models import Evidence, EvidenceKind

__all__ = [
    "ActionInvalid",
    "ActionRefused",
    "CaptureError",
    "EvidenceCorrupted",
    "EvidenceRejected",
    "add_file",
    "custody",
    "export_evidence",
    "read_evidence",
    "remove_orphan_blobs",
]

EVIDENCE_WORKERS = (Persona.DOCUMENTER, Persona.VERIFIER, Persona.ADMIN)
DESCRIPTION_MAX = 300
PURPOSE = re.compile(r"[a-z][a-z_]{0,30}")


def is_reporter(actor: Any) -> bool:
    return actor is None or not getattr(actor, "is_authenticated", False)


def require_evidence_worker(actor: Any) -> None:
    """Documenters, verifiers and admins handle evidence; analysts never see it."""
    if persona_of(actor) not in EVIDENCE_WORKERS:
        raise ActionRefused(_("Your role may not handle evidence."))


def _check_adder(case: Case, actor: Any, kind: EvidenceKind) -> None:
    if is_reporter(actor):
        if kind != EvidenceKind.REPORTER_UPLOAD:
            raise ActionRefused(_("Reporters may only send files with their report."))
        if not open_to_reporter(case):
            raise ActionInvalid(_("This case is closed to new information."))
        return
    require_evidence_worker(actor)
    if kind == EvidenceKind.REPORTER_UPLOAD:
        raise ActionInvalid(_("Staff files are not reporter uploads."))


@dataclass(frozen=True, slots=True)
class Arrival:
    """A file's bytes and what is known of them when they arrive."""

    data: bytes
    media_type: str
    kind: EvidenceKind
    description: str = ""
    original_name: str = ""
    source_url: str = ""
    captured_at: datetime | None = None
    http_status: int | None = None


def add_file(
    case: Case,
    upload: Any,
    actor: Any,
    kind: EvidenceKind = EvidenceKind.UPLOAD,
    description: str = "",
) -> Evidence:
    """Add a file to a case: read it in chunks up to the size limit, hash it, sniff its type
    and refuse dangerous files (`dangerous.accept`), store it sealed and audit
    `evidence.added`. `actor` None (or anonymous) is the reporter. Raises EvidenceRejected
    (readable by the sender, naming the file) for a file marsad does not keep."""
    _check_adder(case, actor, kind)
    description = clean_description(description)
    data = storage.read_limited(upload)
    name = str(getattr(upload, "name", "") or "")[:255]
    arrival = Arrival(
        data=data,
        media_type=_accepted(data, name),
        kind=kind,
        description=description,
        original_name=name,
    )
    return store_arrival(case, arrival, actor, "evidence.added")


def _accepted(data: bytes, name: str) -> str:
    """The file's media type; refused files (`dangerous.accept`) are refused by name."""
    try:
        return accept(data)
    except EvidenceRejected as refused:
        if not name:
            raise
        message = _("“%(name)s”: %(reason)s") % {"name": name, "reason": refused}
        raise EvidenceRejected(message) from None


def clean_description(description: str) -> str:
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        raise ActionInvalid(
            _("The description is longer than %(n)d characters.") % {"n": DESCRIPTION_MAX}
        )
    return description


def store_arrival(
    case: Case, arrival: Arrival, actor: Any, action: str, **details: Any
) -> Evidence:
    """Store the sealed blob, then the row and its audit entry (with `details` added) in one
    transaction; if anything fails, the blob is removed again."""
    blob_name = storage.new_blob_name()
    storage.write_blob(blob_name, arrival.data)
    try:
        with transaction.atomic():
            refuse_if_purged(Case.objects.select_for_update().get(pk=case.pk))
            evidence = _create_row(case, arrival, actor, blob_name)
            audit.record(
                audit.REPORTER if is_reporter(actor) else actor,
                action,
                case_id=case.pk,
                evidence_id=evidence.pk,
                details=audit_details(evidence) | details,
            )
    except BaseException:
        storage.delete_blob(blob_name)
        raise
    return evidence


def _create_row(case: Case, arrival: Arrival, actor: Any, blob_name: str) -> Evidence:
    return Evidence.objects.create(
        case=case,
        kind=arrival.kind.value,
        sha256=storage.sha256_hex(arrival.data),
        size=len(arrival.data),
        media_type=arrival.media_type,
        original_name=arrival.original_name,
        source_url=arrival.source_url,
        description=arrival.description,
        blob_name=blob_name,
        captured_at=arrival.captured_at,
        http_status=arrival.http_status,
        added_by=None if is_reporter(actor) else actor,
    )


def audit_details(evidence: Evidence) -> dict[str, Any]:
    return {
        "sha256": evidence.sha256,
        "size": evidence.size,
        "media_type": evidence.media_type,
        "kind": evidence.kind,
    }


def _fresh(evidence: Evidence) -> Evidence:
    """The row as stored now (so an edited hash is compared, not the caller's copy)."""
    fresh = Evidence.objects.get(pk=evidence.pk)
    if fresh.purged_at is not None:
        raise ActionInvalid(_("This evidence was purged."))
    return fresh


def _checked_bytes(evidence: Evidence, actor: Any) -> bytes:
    """The item's plaintext; a failed check is itself recorded in the custody trail."""
    try:
        return storage.read_blob(evidence.blob_name, evidence.sha256, evidence.pk)
    except EvidenceCorrupted as error:
        with transaction.atomic():
            audit.record(
                actor,
                "evidence.check_failed",
                case_id=evidence.case_id,
                evidence_id=evidence.pk,
                details={"sha256": evidence.sha256, "reason": error.reason},
            )
        raise


def read_evidence(evidence: Evidence, actor: Any, purpose: str = "viewed") -> bytes:
    """The item's bytes for a staff member, checked against its hash; audits
    `evidence.<purpose>` (default `evidence.viewed`)."""
    require_evidence_worker(actor)
    if not PURPOSE.fullmatch(purpose):
        raise ActionInvalid(f"not a purpose: {purpose!r}")
    evidence = _fresh(evidence)
    data = _checked_bytes(evidence, actor)
    with transaction.atomic():
        audit.record(
            actor,
            f"evidence.{purpose}",
            case_id=evidence.case_id,
            evidence_id=evidence.pk,
            details={"sha256": evidence.sha256},
        )
    return data


def export_evidence(evidence: Evidence, actor: Any) -> bytes:
    """The item's bytes to take out of marsad, its hash re-checked against the stored row;
    audits `evidence.exported`."""
    return read_evidence(evidence, actor, purpose="exported")


def remove_orphan_blobs(older_than_s: float = 3600.0) -> list[str]:
    """Delete stored files that belong to no live evidence row (an addition rolled back by an
    outer transaction, a killed write, or a purged item's file a killed purge left); logged as
    `evidence.orphans_removed` with their count."""
    live = Evidence.objects.filter(purged_at=None)
    known = set(live.values_list("blob_name", flat=True))
    removed = storage.remove_orphans(known, older_than_s)
    if removed:
        with transaction.atomic():
            audit.record(audit.SYSTEM, "evidence.orphans_removed", count=len(removed))
    return removed


def custody(evidence: Evidence) -> list[AuditEntry]:
    """The item's custody trail: who added, viewed, exported or checked it, in order."""
    entries = AuditEntry.objects.filter(evidence_ref=evidence.pk).select_related("actor")
    return list(entries.order_by("id"))
