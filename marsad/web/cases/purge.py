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
audit log. The reporter's own dates (received, happened on, and when the reporter added a note
or a file) are coarsened to the first of their month, which is all the statistics use. The
audit log, which cannot be changed, keeps when each action happened, the filing included; only
staff read it.

The audit log records `case.purged` (who, when, the reason, and how many notes, files and
escalations were erased) and `evidence.purged` for each file (its hash), never the erased data.

Nothing personal can be added to a purged case (notes, files, captures and escalations are
refused, `marsad.web.cases.actions.refuse_if_purged`); purging it again still erases whatever
is left (a row some older process wrote past these checks), and records
`case.purged` again only when it erased something.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
    """What a purge did: `already` when the case had been purged before and nothing was left
    to erase."""

    case: Case
    already: bool
    notes: int = 0
    evidence: int = 0
    escalations: int = 0

    @property
    def erased(self) -> bool:
        return bool(self.notes or self.evidence or self.escalations)


def purge_personal_data(case: Case, actor: Any, reason: str) -> Purged:
    """Erase the case's personal data and evidence files (admins only, with a reason).

    Purging a purged case erases only what is left, and writes no entry when nothing was (it
    also removes a file a killed purge may have left). Files are deleted once the transaction
    is committed."""
    if persona_of(actor) != Persona.ADMIN:
        raise ActionRefused(_("only an admin may purge a case's personal data"))
    if not reason.strip():
        raise ActionInvalid(_("a reason is required for this decision"))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        first = case.personal_data_purged_at is None
        if first:
            _erase_case(case)
        result = _erase_rows(case, actor)
        if first or result.erased:
            details = {
                "reason": reason.strip(),
                "notes": result.notes,
                "evidence": result.evidence,
                "escalations": result.escalations,
            }
            audit.record(actor, "case.purged", case_id=case.pk, details=details)
        _delete_files_on_commit(case)
    return Purged(
        case,
        already=not first and not result.erased,
        notes=result.notes,
        evidence=result.evidence,
        escalations=result.escalations,
    )


def _erase_case(case: Case) -> None:
    for name, value in ERASED_CASE_FIELDS.items():
        setattr(case, name, value)
    case.received_at = _month_start(case.received_at)
    case.occurred_on = case.occurred_on.replace(day=1) if case.occurred_on else None
    case.personal_data_purged_at = timezone.now()
    case.save()


def _erase_rows(case: Case, actor: Any) -> Purged:
    """Erase the case's notes, escalation texts and evidence not erased yet; their counts."""
    notes = _erase_notes(case)
    _coarsen_reporter_dates(case)
    escalations = (
        Escalation.objects.filter(case=case)
        .exclude(reference="", reply="")
        .update(reference="", reply="")
    )
    evidence = _purge_evidence(case, actor)
    return Purged(case, False, notes=notes, evidence=evidence, escalations=escalations)


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _coarsen_reporter_dates(case: Case) -> None:
    """When the reporter added each note and file: only the month stays."""
    from marsad.web.evidence.models import Evidence, EvidenceKind

    notes = list(Note.objects.filter(case=case, from_reporter=True))
    for note in notes:
        note.created_at = _month_start(note.created_at)
    Note.objects.bulk_update(notes, ["created_at"])
    uploads = list(Evidence.objects.filter(case=case, kind=EvidenceKind.REPORTER_UPLOAD))
    for item in uploads:
        item.added_at = _month_start(item.added_at)
    Evidence.objects.bulk_update(uploads, ["added_at"])


def _erase_notes(case: Case) -> int:
    """Erase the text of the case's notes that still have one (sealed: read to be checked)."""
    notes = [note for note in Note.objects.filter(case=case) if note.text]
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
