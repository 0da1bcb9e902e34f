"""Purging a case's personal data: an admin erases what could identify the reporter, and keeps
what the anonymised statistics count.

Erased: the reporter's name and contact details (and the contact method), the account of what
happened, the links, the location, the status passphrase's hash (the receipt code then opens
only a page saying the data was purged), the text of every note (the reporter's and the
staff's), the reference and reply text of every escalation (a platform's ticket number or
reply can point at the reporter's account), and every evidence file: its sealed blob is
deleted from disk; its row stays, marked purged, with its SHA-256, size and media type, so the
custody trail still makes sense; its file name, captured URL and description are erased.

Kept: the state, violation type, platform, perpetrator type, affected party, outcome, consent,
the report's language, the staff's public summary (written to be published, anonymised), the
workflow dates, the escalations' platform, channel, dates and outcome (days to answer), and the
audit log. The reporter's own dates (received, happened on) are coarsened to the first of their
month, which is all the statistics use.

The audit log records `case.purged` (who, when, the reason, and how many notes, files and
escalations were erased) and `evidence.purged` for each file (its hash), never the erased data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from marsad.web.cases import audit
from marsad.web.cases.actions import ActionInvalid, ActionRefused
from marsad.web.cases.models import Case, Escalation, Note
from marsad.web.cases.personas import persona_of
from marsad.web.cases.states import Persona

ERASED_CASE_FIELDS = {
    "description": "",
    "links": "",
    "location": "",
    "contact": "",
    "reporter_name": "",
    "contact_method": "",
    "wants_contact": False,
    "passphrase_hash": "",
}


@dataclass(frozen=True, slots=True)
class Purged:
    """What a purge did: `already` when the case had been purged before (nothing new erased)."""

    case: Case
    already: bool
    notes: int = 0
    evidence: int = 0
    escalations: int = 0


def purge_personal_data(case: Case, actor: Any, reason: str) -> Purged:
    """Erase the case's personal data and evidence files (admins only, with a reason).

    Idempotent: purging a purged case changes nothing and writes no entry (it only removes a
    file a killed purge may have left). Files are deleted once the transaction is committed."""
    if persona_of(actor) != Persona.ADMIN:
        raise ActionRefused("only an admin may purge a case's personal data")
    if not reason.strip():
        raise ActionInvalid("a reason is required for this decision")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.personal_data_purged_at is not None:
            _delete_files_on_commit(case)
            return Purged(case, already=True)
        result = _erase(case, actor)
        audit.record(
            actor,
            "case.purged",
            case_id=case.pk,
            details={
                "reason": reason.strip(),
                "notes": result.notes,
                "evidence": result.evidence,
                "escalations": result.escalations,
            },
        )
        _delete_files_on_commit(case)
    return result


def _erase(case: Case, actor: Any) -> Purged:
    for name, value in ERASED_CASE_FIELDS.items():
        setattr(case, name, value)
    case.received_at = _month_start(case.received_at)
    case.occurred_on = case.occurred_on.replace(day=1) if case.occurred_on else None
    case.personal_data_purged_at = timezone.now()
    case.save()
    notes = _erase_notes(case)
    escalations = Escalation.objects.filter(case=case).update(reference="", reply="")
    evidence = _purge_evidence(case, actor)
    return Purged(case, False, notes=notes, evidence=evidence, escalations=escalations)


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _erase_notes(case: Case) -> int:
    notes = list(Note.objects.filter(case=case))
    for note in notes:
        note.text = ""
    Note.objects.bulk_update(notes, ["text"])
    return len(notes)


def _purge_evidence(case: Case, actor: Any) -> int:
    from marsad.web.evidence.models import Evidence

    items = list(Evidence.objects.filter(case=case, purged_at=None))
    now = timezone.now()
    for item in items:
        item.original_name, item.source_url, item.description = "", "", ""
        item.purged_at = now
        item.save(update_fields=["original_name", "source_url", "description", "purged_at"])
        audit.record(
            actor,
            "evidence.purged",
            case_id=case.pk,
            evidence_id=item.pk,
            details={"sha256": item.sha256, "size": item.size},
        )
    return len(items)


def _delete_files_on_commit(case: Case) -> None:
    """The sealed blobs of the case's purged items go once the purge is committed (a rolled
    back purge keeps them); one left by a killed process goes on the next purge or sweep."""
    from marsad.web.evidence import storage
    from marsad.web.evidence.models import Evidence

    names = list(
        Evidence.objects.filter(case=case, purged_at__isnull=False).values_list(
            "blob_name", flat=True
        )
    )

    def delete() -> None:
        for name in names:
            storage.delete_blob(name)

    transaction.on_commit(delete, robust=True)
