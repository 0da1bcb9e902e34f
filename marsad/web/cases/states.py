"""The case workflow: states, outcomes and who may move a case from one state to another.

received -> triaged -> documented -> verified -> escalated -> outcome -> closed, or rejected /
duplicate; a verifier can send a case back a step. The reporter may withdraw a case that is not
closed. Only verified cases (verified, escalated, outcome, closed after verification) count in
public statistics.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRIAGED = "triaged", _("Triaged")
    DOCUMENTED = "documented", _("Documented")
    VERIFIED = "verified", _("Verified")
    ESCALATED = "escalated", _("Escalated to the platform")
    OUTCOME = "outcome", _("Outcome recorded")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn by the reporter")


class Outcome(models.TextChoices):
    RESTORED = "restored", _("Restored")
    REMOVED = "removed", _("Removed")
    PARTIALLY_RESTORED = "partially_restored", _("Partially restored")
    NO_RESPONSE = "no_response", _("No response")


class Persona(models.TextChoices):
    DOCUMENTER = "documenter", _("Documenter")
    VERIFIER = "verifier", _("Verifier")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


S = State
DOC = frozenset({Persona.DOCUMENTER, Persona.VERIFIER, Persona.ADMIN})
SENIOR = frozenset({Persona.VERIFIER, Persona.ADMIN})

# (from, to) -> personas allowed to make the move.
TRANSITIONS: dict[tuple[State, State], frozenset[Persona]] = {
    (S.RECEIVED, S.TRIAGED): DOC,
    (S.TRIAGED, S.DOCUMENTED): DOC,
    (S.DOCUMENTED, S.VERIFIED): SENIOR,
    (S.VERIFIED, S.ESCALATED): SENIOR,
    (S.ESCALATED, S.OUTCOME): SENIOR,
    (S.OUTCOME, S.CLOSED): SENIOR,
    (S.VERIFIED, S.CLOSED): SENIOR,
    # sending back
    (S.TRIAGED, S.RECEIVED): SENIOR,
    (S.DOCUMENTED, S.TRIAGED): SENIOR,
    (S.VERIFIED, S.DOCUMENTED): SENIOR,
    (S.ESCALATED, S.VERIFIED): SENIOR,
    # rejecting, reopening
    (S.RECEIVED, S.REJECTED): DOC,
    (S.TRIAGED, S.REJECTED): DOC,
    (S.DOCUMENTED, S.REJECTED): SENIOR,
    (S.REJECTED, S.TRIAGED): SENIOR,
    # duplicates are made by merging (actions.merge_duplicate)
    (S.RECEIVED, S.DUPLICATE): DOC,
    (S.TRIAGED, S.DUPLICATE): DOC,
    (S.DOCUMENTED, S.DUPLICATE): DOC,
}

# States reached through their own action, never by a plain move: a duplicate by merging it
# into its original, `escalated` by recording the escalation that was sent.
BY_ACTION = frozenset({S.DUPLICATE, S.ESCALATED})
# States in which the reporter may still add information or withdraw.
OPEN_TO_REPORTER = frozenset(
    {S.RECEIVED, S.TRIAGED, S.DOCUMENTED, S.VERIFIED, S.ESCALATED, S.OUTCOME}
)
# States whose cases count in public statistics.
COUNTED = frozenset({S.VERIFIED, S.ESCALATED, S.OUTCOME, S.CLOSED})


def allowed_moves(state: State, persona: Persona | None) -> list[State]:
    """The states this persona may move a case in `state` to."""
    if persona is None:
        return []
    return [to for (frm, to), who in TRANSITIONS.items() if frm == state and persona in who]


def may_move(state: State, to: State, persona: Persona | None) -> bool:
    return persona is not None and persona in TRANSITIONS.get((state, to), frozenset())


ORDER = [S.RECEIVED, S.TRIAGED, S.DOCUMENTED, S.VERIFIED, S.ESCALATED, S.OUTCOME, S.CLOSED]


def is_sending_back(frm: State, to: State) -> bool:
    return frm in ORDER and to in ORDER and ORDER.index(to) < ORDER.index(frm)


def needs_reason(frm: State, to: State) -> bool:
    """Rejections, duplicates, verifications and sending back need a recorded reason."""
    return to in (S.REJECTED, S.DUPLICATE, S.VERIFIED) or is_sending_back(frm, to)
