"""The staff case queue: which cases a filter selects, newest first.

Personal fields are sealed and cannot be searched; the text search looks at receipt codes only.
Analysts get the same filters without the receipt search and the assignee filters (their list
is anonymised).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Replace

from marsad.web.cases.models import Case, Term
from marsad.web.cases.personas import can_see_personal_data, persona_of
from marsad.web.cases.states import TRANSITIONS, State

OPEN = "open"
ALL = "all"
ENDED = frozenset({State.CLOSED, State.REJECTED, State.DUPLICATE, State.WITHDRAWN})
OPEN_STATES = frozenset(State) - ENDED

# Never loaded for a list: the queue shows none of them, and decrypting costs.
SEALED = ("description", "links", "contact", "reporter_name", "passphrase_hash")

ANYONE = "anyone"
ME = "me"
UNASSIGNED = "unassigned"


@dataclass(frozen=True, slots=True)
class QueueFilters:
    state: str = OPEN  # "open", "all" or a State value
    violation_type: Term | None = None
    platform: Term | None = None
    assignee: str = ANYONE  # "anyone", "me" or "unassigned"
    received_from: date | None = None
    received_to: date | None = None
    receipt: str = ""
    waiting_on_me: bool = False


def receipt_letters(text: str) -> str:
    """What was typed of a receipt code, upper-cased, without dashes or spaces."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def states_selected(state: str) -> frozenset[State]:
    if state == ALL:
        return frozenset(State)
    if state == OPEN:
        return OPEN_STATES
    return frozenset({State(state)})


def states_waiting_on(user: Any) -> frozenset[State]:
    """Open states in which the user's persona has a move to make (marking a duplicate is
    possible almost anywhere, so it does not count)."""
    persona = persona_of(user)
    return frozenset(
        frm
        for (frm, to), who in TRANSITIONS.items()
        if persona in who and frm in OPEN_STATES and to != State.DUPLICATE
    )


def filter_cases(filters: QueueFilters, user: Any) -> QuerySet[Case]:
    """The cases the filters select for `user`, newest first."""
    cases = Case.objects.filter(state__in=[s.value for s in states_selected(filters.state)])
    cases = _by_terms_and_dates(cases, filters)
    if can_see_personal_data(persona_of(user)):
        cases = _by_work(cases, filters, user)
    else:  # withdrawn reports leave the analysts' view, as they leave exports and the API
        cases = cases.exclude(state=State.WITHDRAWN)
    return cases.order_by("-received_at", "-id")


def _by_terms_and_dates(cases: QuerySet[Case], filters: QueueFilters) -> QuerySet[Case]:
    if filters.violation_type is not None:
        cases = cases.filter(violation_type=filters.violation_type)
    if filters.platform is not None:
        cases = cases.filter(platform=filters.platform)
    if filters.received_from is not None:
        cases = cases.filter(received_at__date__gte=filters.received_from)
    if filters.received_to is not None:
        cases = cases.filter(received_at__date__lte=filters.received_to)
    return cases


def _by_work(cases: QuerySet[Case], filters: QueueFilters, user: Any) -> QuerySet[Case]:
    """The case workers' filters: assignee, waiting on me, receipt code."""
    if filters.assignee == ME or filters.waiting_on_me:
        cases = cases.filter(assignee=user)
    elif filters.assignee == UNASSIGNED:
        cases = cases.filter(assignee__isnull=True)
    if filters.waiting_on_me:
        cases = cases.filter(state__in=[s.value for s in states_waiting_on(user)])
    if letters := receipt_letters(filters.receipt):
        bare = Replace("receipt_code", Value("-"), Value(""))
        cases = cases.alias(bare_code=bare).filter(bare_code__contains=letters)
    return cases


def with_row_details(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The terms, the assignee and the counts of notes and evidence each queue row shows."""
    return (
        cases.select_related(
            "violation_type", "platform", "perpetrator", "affected_party", "assignee"
        )
        .defer(*SEALED)
        .annotate(
            note_count=Count("notes", distinct=True),
            evidence_count=Count("evidence", distinct=True, filter=Q(evidence__purged_at=None)),
        )
    )
