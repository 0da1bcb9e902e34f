"""How the status page describes a case to its reporter: one plain sentence per state, the steps
reached (verified, escalated, the outcome) and the dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from marsad.web.cases.actions import open_to_reporter
from marsad.web.cases.models import Case
from marsad.web.cases.states import COUNTED, Outcome, State

SENTENCES: dict[State, Promise] = {
    State.RECEIVED: _("We received your report. Nobody has reviewed it yet."),
    State.TRIAGED: _("A member of our staff has read your report and is looking into it."),
    State.DOCUMENTED: _("Our staff have documented your report and are now verifying it."),
    State.VERIFIED: _(
        "We verified your report. It now counts in our public statistics, without anything "
        "that could identify you."
    ),
    State.ESCALATED: _("We verified your report and raised it with the platform."),
    State.OUTCOME: _("We verified your report, raised it with the platform, and got an outcome."),
    State.CLOSED: _("Your case is closed. Thank you for reporting it."),
    State.REJECTED: _(
        "We could not accept this report as a documented violation, so it is not counted."
    ),
    State.DUPLICATE: _(
        "This report describes a case we already have: we handle both together as one case."
    ),
    State.WITHDRAWN: _(
        "You withdrew this report. We no longer work on it and it is not counted anywhere."
    ),
}


PURGED = _(
    "The personal data of this report was purged: what you told us, your contact details and "
    "your files are erased, and nothing more about the report can be shown."
)


@dataclass(frozen=True, slots=True)
class Milestone:
    label: str
    at: datetime | None


def counted(case: Case) -> bool:
    """Whether the case stands verified now (a verification sent back or a case rejected after
    it no longer does, whatever dates it keeps)."""
    return State(case.state) in COUNTED


def steps(case: Case) -> list[str]:
    """What the case reached, in order: verified, escalated to the platform, the outcome; none
    while the case does not stand verified."""
    reached: list[str] = []
    if not counted(case):
        return reached
    if case.verified_at is not None:
        reached.append(str(State.VERIFIED.label))
    if case.escalations.exists():
        reached.append(str(State.ESCALATED.label))
    if case.outcome:
        reached.append(str(Outcome(case.outcome).label))
    return reached


def milestones(case: Case) -> list[Milestone]:
    dated = [
        (_("Received"), case.received_at),
        (_("Verified"), case.verified_at if counted(case) else None),
        (_("Withdrawn"), case.withdrawn_at),
        (_("Closed"), case.closed_at if case.state != State.WITHDRAWN else None),
        (_("Last change"), case.updated_at),
    ]
    return [Milestone(str(label), at) for label, at in dated if at is not None]


def is_purged(case: Case) -> bool:
    """Whether an admin purged the report's personal data (the status page then says only
    that)."""
    return case.personal_data_purged_at is not None


def is_open(case: Case) -> bool:
    """Whether the reporter may still add information or withdraw."""
    return open_to_reporter(case)


def sentence(case: Case) -> str:
    return str(PURGED if is_purged(case) else SENTENCES[State(case.state)])
