"""The hash-chained audit and custody log: append an entry, verify the chain.

An entry's hash is SHA-256 over the previous hash and the entry's canonical JSON (time, actor,
action, case, evidence, details). Appending locks the single `ChainHead` row, so concurrent
writers extend the chain one at a time; it must run inside the transaction of the change it
records, so the change and its entry are stored together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from marsad.web.cases.models import AuditEntry, ChainHead

GENESIS = "0" * 64
REPORTER = "reporter"
SYSTEM = "system"

Actor = AbstractBaseUser | AnonymousUser | str | None


def _canonical(entry: AuditEntry) -> bytes:
    body = {
        "at": entry.at.isoformat(),
        "actor": entry.actor_label,
        "action": entry.action,
        "case": entry.case_ref,
        "evidence": entry.evidence_ref,
        "details": entry.details,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + _canonical(entry)).hexdigest()


def _actor(actor: Actor) -> tuple[Any, str]:
    if actor is None:
        return None, SYSTEM
    if isinstance(actor, str):
        return None, actor
    if not actor.is_authenticated:
        return None, REPORTER
    return actor, actor.get_username()


def record(
    actor: Actor,
    action: str,
    *,
    case_id: int | None = None,
    evidence_id: int | None = None,
    details: Mapping[str, Any] | None = None,
    **more: Any,
) -> AuditEntry:
    """Append one entry to the log (inside the caller's transaction, or its own); `details`
    and the other keyword arguments are its details."""
    user, label = _actor(actor)
    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(
            at=timezone.now(),
            actor=user,
            actor_label=label,
            action=action,
            case_ref=case_id,
            evidence_ref=evidence_id,
            details=_json_safe({**(details or {}), **more}),
            prev_hash=head.last_hash,
        )
        entry.entry_hash = entry_hash(head.last_hash, entry)
        entry.save()
        head.last_hash = entry.entry_hash
        head.count += 1
        head.save(update_fields=["last_hash", "count"])
    return entry


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = ChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def _json_safe(details: dict[str, Any]) -> dict[str, Any]:
    """Details as stored by a JSON column and read back (so the hash is computed on what is
    stored): a round trip through json."""
    return dict(json.loads(json.dumps(details, default=str, ensure_ascii=False)))


@dataclass(frozen=True, slots=True)
class ChainProblem:
    entry_id: int | None
    reason: str


def verify_chain() -> list[ChainProblem]:
    """Every break in the log: an edited entry, a deleted one, or a head that does not match."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    count = 0
    for entry in _entries():
        count += 1
        if entry.prev_hash != prev:
            problems.append(ChainProblem(entry.id, "previous hash does not match: entry deleted"))
        if entry_hash(entry.prev_hash, entry) != entry.entry_hash:
            problems.append(ChainProblem(entry.id, "content does not match its hash: edited"))
        prev = entry.entry_hash
    head = ChainHead.objects.filter(pk=1).first()
    if head is None and count:  # the head is written with the first entry
        problems.append(ChainProblem(None, "the chain head is missing: deleted"))
    if head is not None and (head.last_hash != prev or head.count != count):
        problems.append(ChainProblem(None, "the last entries were deleted or the head altered"))
    return problems


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("id").iterator(chunk_size=2000)


def history(case_id: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(case_ref=case_id).select_related("actor"))
