"""Every change to a case goes through one of these functions; each writes the audit log in
the same transaction as the change, and refuses what the actor's persona may not do.

The audit details never hold personal data: ids, states, outcomes, counts and the reasons
staff write for their decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marsad.web.cases import audit
from marsad.web.cases.models import Case, Escalation, Note, Term
from marsad.web.cases.personas import persona_of
from marsad.web.cases.receipts import new_receipt_code, normalise_receipt_code
from marsad.web.cases.states import (
    OPEN_TO_REPORTER,
    Outcome,
    Persona,
    State,
    may_move,
    needs_reason,
)


class ActionRefused(PermissionError):
    """The actor may not do this; the message says why (shown to staff)."""


class ActionInvalid(ValueError):
    """The action cannot be done in the case's present state or with these values."""


@dataclass(frozen=True, slots=True)
class NewReport:
    violation_type: Term
    description: str
    platform: Term | None = None
    occurred_on: date | None = None
    links: str = ""
    language: str = "en"
    location: str = ""
    wants_contact: bool = False
    contact_method: str = ""
    contact: str = ""
    reporter_name: str = ""
    consent: bool = False


def submit_report(report: NewReport, passphrase: str) -> Case:
    """File a public report: a new case in `received`, with a fresh receipt code."""
    return submit_hashed_report(report, hash_passphrase(passphrase))


def hash_passphrase(passphrase: str) -> str:
    """The passphrase's password hash. Slow by design: call it before opening a transaction
    (on SQLite the write lock is held from the transaction's start, and every other reporter
    would wait for the hash)."""
    return make_password(passphrase)


def submit_hashed_report(report: NewReport, passphrase_hash: str) -> Case:
    """`submit_report` with the passphrase already hashed by `hash_passphrase`."""
    if not report.consent:
        raise ActionInvalid(_("the reporter did not consent"))
    fields = {k: getattr(report, k) for k in NewReport.__dataclass_fields__}
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    receipt_code=new_receipt_code(), passphrase_hash=passphrase_hash, **fields
                )
                audit.record(audit.REPORTER, "case.submitted", case_id=case.id)
                return case
        except IntegrityError:  # a receipt code collision: draw again
            continue
    raise ActionInvalid(_("could not draw a free receipt code"))


def find_by_receipt(code: str, passphrase: str) -> Case | None:
    """The case with this receipt code and passphrase, or None (same answer for both errors).

    A purged case has no passphrase any more: its receipt code alone opens it, and the status
    page then says only that its personal data was purged."""
    case = Case.objects.filter(receipt_code=normalise_receipt_code(code)).first()
    if case is None or case.personal_data_purged_at is not None:
        make_password(passphrase)  # same work either way: no timing hint that a code exists
        return case
    return case if check_password(passphrase, case.passphrase_hash) else None


def open_to_reporter(case: Case) -> bool:
    """Whether the reporter may still add information or withdraw."""
    return State(case.state) in OPEN_TO_REPORTER and case.personal_data_purged_at is None


def _require(actor: Any, *personas: Persona) -> Persona:
    persona = persona_of(actor)
    if persona not in personas:
        raise ActionRefused(_("your role may not do this"))
    assert persona is not None
    return persona


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def refuse_if_purged(case: Case) -> None:
    """Nothing personal is added to a case whose personal data was purged (call it on the
    locked case, inside the transaction that adds)."""
    if case.personal_data_purged_at is not None:
        raise ActionInvalid(_("this case's personal data was purged: nothing can be added to it"))


def transition(case: Case, to: State, actor: Any, reason: str = "") -> Case:
    """Move a case to `to` if the actor's persona may; reasons are required where it matters."""
    with transaction.atomic():
        case = _locked(case)
        frm = State(case.state)
        if not may_move(frm, to, persona_of(actor)):
            raise ActionRefused(
                _("moving a case from %(from)s to %(to)s is not allowed")
                % {"from": frm.label, "to": to.label}
            )
        if needs_reason(frm, to) and not reason.strip():
            raise ActionInvalid(_("a reason is required for this decision"))
        if to == State.DUPLICATE:
            raise ActionInvalid(_("mark a duplicate by merging it into the original case"))
        if to == State.ESCALATED:
            raise ActionInvalid(_("a case is escalated by recording the escalation sent"))
        if to == State.OUTCOME and not case.outcome:
            raise ActionInvalid(_("record the outcome first"))
        _apply_state(case, to)
        audit.record(actor, "case.transition", case_id=case.id, details=_move(frm, to, reason))
    return case


def _move(frm: State, to: State, reason: str) -> dict[str, str]:
    return {"from": frm.value, "to": to.value, "reason": reason.strip()}


def _apply_state(case: Case, to: State) -> None:
    now = timezone.now()
    case.state = to.value
    if to == State.VERIFIED and case.verified_at is None:
        case.verified_at = now
    ends = (State.CLOSED, State.REJECTED, State.DUPLICATE, State.WITHDRAWN)
    case.closed_at = now if to in ends else None
    case.save()


def merge_duplicate(case: Case, original: Case, actor: Any, reason: str) -> Case:
    """Mark `case` as a duplicate of `original`; its notes and evidence stay on it, linked."""
    if case.pk == original.pk:
        raise ActionInvalid(_("a case cannot duplicate itself"))
    if original.state == State.DUPLICATE:
        raise ActionInvalid(_("merge into the original case, not into another duplicate"))
    if original.state == State.WITHDRAWN:
        raise ActionInvalid(_("the original case was withdrawn by its reporter: keep this one"))
    with transaction.atomic():
        case = _locked(case)
        frm = State(case.state)
        if not may_move(frm, State.DUPLICATE, persona_of(actor)):
            raise ActionRefused(
                _("a case in %(state)s cannot be marked as a duplicate by you")
                % {"state": frm.label}
            )
        if not reason.strip():
            raise ActionInvalid(_("a reason is required for this decision"))
        case.duplicate_of = original
        _apply_state(case, State.DUPLICATE)
        details = _move(frm, State.DUPLICATE, reason) | {"original": original.id}
        audit.record(actor, "case.merged", case_id=case.id, details=details)
    return case


def assign(case: Case, assignee: Any, actor: Any) -> Case:
    _require(actor, Persona.DOCUMENTER, Persona.VERIFIER, Persona.ADMIN)
    if assignee is not None and persona_of(assignee) in (None, Persona.ANALYST):
        raise ActionInvalid(_("cases can be assigned to documenters, verifiers and admins only"))
    with transaction.atomic():
        case = _locked(case)
        case.assignee = assignee
        case.save(update_fields=["assignee", "updated_at"])
        to = assignee.get_username() if assignee is not None else None
        audit.record(actor, "case.assigned", case_id=case.id, assignee=to)
    return case


CLASSIFY_FIELDS = ("violation_type", "platform", "perpetrator", "affected_party")


def classify_case(case: Case, actor: Any, **terms: Term | None) -> Case:
    """Set the case's taxonomy terms (violation type, platform, perpetrator, affected party)."""
    _require(actor, Persona.DOCUMENTER, Persona.VERIFIER, Persona.ADMIN)
    unknown = set(terms) - set(CLASSIFY_FIELDS)
    if unknown:
        raise ActionInvalid(
            _("unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        case = _locked(case)
        changed = {k: v.key if v else None for k, v in terms.items() if getattr(case, k) != v}
        for name, term in terms.items():
            setattr(case, name, term)
        case.save()
        audit.record(actor, "case.classified", case_id=case.id, changed=changed)
    return case


def set_public_summary(case: Case, summary: str, actor: Any) -> Case:
    _require(actor, Persona.VERIFIER, Persona.ADMIN)
    with transaction.atomic():
        case = _locked(case)
        case.public_summary = summary.strip()
        case.save(update_fields=["public_summary", "updated_at"])
        audit.record(actor, "case.summary_set", case_id=case.id, length=len(case.public_summary))
    return case


def add_staff_note(case: Case, text: str, actor: Any) -> Note:
    _require(actor, Persona.DOCUMENTER, Persona.VERIFIER, Persona.ADMIN)
    if not text.strip():
        raise ActionInvalid(_("the note is empty"))
    with transaction.atomic():
        case = _locked(case)
        refuse_if_purged(case)
        note = Note.objects.create(case=case, author=actor, text=text.strip())
        audit.record(actor, "case.note_added", case_id=case.id, note=note.id)
    return note


def reporter_add_information(case: Case, text: str) -> Note:
    """The reporter adds information through the status page (receipt code + passphrase)."""
    if not text.strip():
        raise ActionInvalid(_("the message is empty"))
    with transaction.atomic():
        case = _locked(case)  # a purge or a move committed meanwhile is seen here
        if not open_to_reporter(case):
            raise ActionInvalid(_("this case is closed to new information"))
        note = Note.objects.create(case=case, from_reporter=True, text=text.strip())
        audit.record(audit.REPORTER, "case.reporter_added", case_id=case.id, note=note.id)
    return note


def reporter_withdraw(case: Case) -> Case:
    """The reporter withdraws the report; it leaves the queue and every statistic."""
    with transaction.atomic():
        case = _locked(case)
        frm = State(case.state)
        if not open_to_reporter(case):
            raise ActionInvalid(_("this case can no longer be withdrawn"))
        case.withdrawn_at = timezone.now()
        _apply_state(case, State.WITHDRAWN)
        audit.record(audit.REPORTER, "case.withdrawn", case_id=case.id, details={"from": frm.value})
    return case


@dataclass(frozen=True, slots=True)
class EscalationInput:
    platform: Term
    channel: str
    sent_on: date
    reference: str = ""


def record_escalation(case: Case, data: EscalationInput, actor: Any) -> Escalation:
    """Record that the case was sent to a platform; a verified case moves to `escalated`."""
    _require(actor, Persona.VERIFIER, Persona.ADMIN)
    with transaction.atomic():
        case = _locked(case)
        refuse_if_purged(case)
        if State(case.state) not in (State.VERIFIED, State.ESCALATED):
            raise ActionInvalid(_("only verified cases are escalated"))
        escalation = Escalation.objects.create(
            case=case,
            created_by=actor,
            **{k: getattr(data, k) for k in EscalationInput.__dataclass_fields__},
        )
        details = {
            "escalation": escalation.id,
            "platform": data.platform.key,
            "channel": data.channel,
        }
        audit.record(actor, "escalation.sent", case_id=case.id, details=details)
        if case.state == State.VERIFIED:
            _apply_state(case, State.ESCALATED)
            audit.record(
                actor,
                "case.transition",
                case_id=case.id,
                details=_move(State.VERIFIED, State.ESCALATED, "escalated"),
            )
    return escalation


def record_reply(
    escalation: Escalation, actor: Any, *, reply: str, replied_on: date | None, outcome: str
) -> Escalation:
    """Record the platform's answer and outcome; the case takes the outcome."""
    _require(actor, Persona.VERIFIER, Persona.ADMIN)
    if outcome and outcome not in Outcome.values:
        raise ActionInvalid(_("unknown outcome %(outcome)s") % {"outcome": repr(outcome)})
    if replied_on is not None and replied_on < escalation.sent_on:
        raise ActionInvalid(_("the reply cannot come before the escalation was sent"))
    with transaction.atomic():
        case = _locked(escalation.case)
        refuse_if_purged(case)
        if State(case.state) not in (State.ESCALATED, State.OUTCOME):
            raise ActionInvalid(_("replies are recorded on escalated cases only"))
        escalation.reply, escalation.replied_on, escalation.outcome = reply, replied_on, outcome
        escalation.save()
        if outcome:
            case.outcome = outcome
            case.save(update_fields=["outcome", "updated_at"])
        details = {
            "escalation": escalation.id,
            "outcome": outcome,
            "days": escalation.days_to_answer,
        }
        audit.record(actor, "escalation.reply", case_id=case.id, details=details)
    return escalation
