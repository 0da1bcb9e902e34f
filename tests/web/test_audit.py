"""The audit log is a hash chain: every action appends to it; edits and deletions show."""

from __future__ import annotations

import itertools
from typing import Any

from marsad.web.cases import actions, audit
from marsad.web.cases.models import AuditEntry, ChainHead
from marsad.web.cases.states import State


def _busy_log(case: Any, documenter: Any, verifier: Any) -> None:
    actions.transition(case, State.TRIAGED, documenter)
    actions.add_staff_note(case, "asked for the post link", documenter)
    actions.transition(case, State.DOCUMENTED, documenter)
    actions.transition(case, State.VERIFIED, verifier, reason="screenshots match the account")


def test_every_action_writes_one_chained_entry(
    filed_case: Any, documenter: Any, verifier: Any
) -> None:
    _busy_log(filed_case, documenter, verifier)
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == [
        "case.submitted",
        "case.transition",
        "case.note_added",
        "case.transition",
        "case.transition",
    ]
    assert [e.actor_label for e in entries] == ["reporter", "dina", "dina", "dina", "vera"]
    assert entries[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
    assert audit.verify_chain() == []


def test_an_edited_entry_is_detected(filed_case: Any, documenter: Any, verifier: Any) -> None:
    _busy_log(filed_case, documenter, verifier)
    entry = AuditEntry.objects.get(action="case.transition", details__to="verified")
    AuditEntry.objects.filter(pk=entry.pk).update(details={**entry.details, "reason": "none"})
    problems = audit.verify_chain()
    assert [(p.entry_id, "edited" in p.reason) for p in problems] == [(entry.id, True)]


def test_a_deleted_entry_is_detected(filed_case: Any, documenter: Any, verifier: Any) -> None:
    _busy_log(filed_case, documenter, verifier)
    victim = AuditEntry.objects.order_by("id")[2]
    AuditEntry.objects.filter(pk=victim.pk).delete()
    assert any("deleted" in p.reason for p in audit.verify_chain())


def test_deleting_the_last_entries_is_detected(
    filed_case: Any, documenter: Any, verifier: Any
) -> None:
    _busy_log(filed_case, documenter, verifier)
    AuditEntry.objects.order_by("-id").first().delete()  # type: ignore[union-attr]
    assert [p.entry_id for p in audit.verify_chain()] == [None]
    assert ChainHead.objects.get().count == 5


def test_deleting_the_last_entries_with_the_chain_head_is_detected(
    filed_case: Any, documenter: Any, verifier: Any
) -> None:
    _busy_log(filed_case, documenter, verifier)
    AuditEntry.objects.order_by("-id").first().delete()  # type: ignore[union-attr]
    ChainHead.objects.all().delete()
    assert [(p.entry_id, p.reason) for p in audit.verify_chain()] == [
        (None, "the chain head is missing: deleted")
    ]


def test_audit_details_hold_no_personal_data(
    filed_case: Any, documenter: Any, verifier: Any
) -> None:
    _busy_log(filed_case, documenter, verifier)
    dumped = str(list(AuditEntry.objects.values()))
    for personal in ("سلمى", "+970", "instagram.com/p", "الهدم", "asked for the post link"):
        assert personal not in dumped
