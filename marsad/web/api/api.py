"""The JSON API (django-ninja), mounted at /api/; its OpenAPI schema is /api/openapi.json.

- `GET /api/stats?lang=ar|he|en`: the public statistics of verified cases; no token.
- Staff endpoints need `Authorization: Bearer <token>` (`marsad token create`); a missing,
  unknown or revoked token gets 401, a persona that the staff pages would refuse gets 403:
  - `GET /api/cases`: analysts get anonymised cases (pseudonymous `case`, no personal field),
    documenters, verifiers and admins get the cases with their personal fields;
  - `GET /api/cases/{id}`: one case, with notes, escalations and evidence list for case
    workers, anonymised for analysts;
  - `GET /api/escalations`: escalations to the platforms (case workers).
The rows are those of the case exports (`marsad.web.cases.exports`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.params.functions import Query as query_param
from pydantic import field_validator

from marsad import __version__
from marsad.web.api.auth import BearerToken
from marsad.web.cases import audit, exports
from marsad.web.cases.models import Case, Escalation
from marsad.web.cases.personas import can_see_personal_data, persona_of
from marsad.web.cases.states import Persona, State
from marsad.web.cases.stats import public_stats
from marsad.web.cases.taxonomy_actions import KEY_PATTERN

api = NinjaAPI(
    title="marsad",
    version=__version__,
    description="Public statistics of verified cases, and the case database for staff.",
    urls_namespace="api",
    auth=BearerToken(),
    docs_url=None,  # no docs page: its scripts would come from a CDN; read the schema instead
)

Lang = Literal["ar", "he", "en"]


class StatsRow(Schema):
    key: str
    label: str
    count: int


class PublicStatsOut(Schema):
    total: int
    by_month: list[StatsRow]
    by_type: list[StatsRow]
    by_platform: list[StatsRow]
    by_outcome: list[StatsRow]


class AnonymisedEscalationOut(Schema):
    platform: str
    channel: str
    sent_on: date
    replied_on: date | None
    days_to_answer: int | None
    outcome: str | None


class EscalationOut(AnonymisedEscalationOut):
    id: int
    case_id: int
    reference: str
    reply: str
    recorded_by: str | None
    recorded_at: datetime
    days_waiting: int | None


class AnonymisedCaseOut(Schema):
    id: int
    case: str
    state: str
    violation_type: str | None
    platform: str | None
    perpetrator: str | None
    affected_party: str | None
    language: str
    occurred_on: date | None
    received_on: date | None
    verified_on: date | None
    closed_on: date | None
    outcome: str | None
    public_summary: str
    escalations: list[AnonymisedEscalationOut]


class CaseOut(Schema):
    id: int
    case: str
    receipt_code: str
    state: str
    violation_type: str | None
    platform: str | None
    perpetrator: str | None
    affected_party: str | None
    language: str
    occurred_on: date | None
    location: str
    description: str
    links: str
    contact: str
    reporter_name: str
    wants_contact: bool
    contact_method: str
    consent: bool
    received_at: datetime
    updated_at: datetime
    verified_at: datetime | None
    closed_at: datetime | None
    withdrawn_at: datetime | None
    personal_data_purged_at: datetime | None
    assignee: str | None
    duplicate_of: int | None
    outcome: str | None
    public_summary: str


class NoteOut(Schema):
    at: datetime
    author: str | None
    text: str


class EvidenceOut(Schema):
    id: int
    kind: str
    sha256: str
    size: int
    media_type: str
    original_name: str
    source_url: str
    added_at: datetime
    purged_at: datetime | None


class CaseEscalationOut(AnonymisedEscalationOut):
    id: int
    reference: str
    reply: str
    recorded_by: str | None
    recorded_at: datetime


class CaseDetailOut(CaseOut):
    notes: list[NoteOut]
    escalations: list[CaseEscalationOut]
    evidence: list[EvidenceOut]


class CaseList(Schema):
    count: int
    limit: int
    offset: int
    items: list[CaseOut | AnonymisedCaseOut]


class EscalationList(Schema):
    count: int
    items: list[EscalationOut]


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PLATFORM_KEY = f"^{KEY_PATTERN.pattern}$"  # a taxonomy key


class CaseFilters(Schema):
    state: State | None = None
    received_from: date | None = None
    received_to: date | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)

    @field_validator("received_from", "received_to", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        """A day as the schema says (YYYY-MM-DD), not a number read as a Unix time."""
        if value is not None and not (isinstance(value, str) and ISO_DATE.fullmatch(value)):
            raise ValueError("a date is written YYYY-MM-DD")
        return value


class Problem(Schema):
    detail: str


class InvalidInput(Schema):
    detail: list[dict[str, Any]]


CASE_WORKERS = (Persona.DOCUMENTER, Persona.VERIFIER, Persona.ADMIN)
ALL_STAFF = (*CASE_WORKERS, Persona.ANALYST)
REFUSED = {401: Problem, 403: Problem, 422: InvalidInput}


def _persona(request: HttpRequest, *allowed: Persona) -> Persona:
    persona = persona_of(request.auth)  # type: ignore[attr-defined]
    if persona is None or persona not in allowed:
        raise HttpError(403, "your role may not use this endpoint")
    return persona


@api.get(
    "/stats",
    auth=None,
    response={200: PublicStatsOut, 422: InvalidInput},
    summary="Public statistics",
)
def stats(request: HttpRequest, lang: Lang = "en") -> Any:
    """Verified cases by month of receipt, violation type, platform and outcome."""
    with translation.override(lang):
        return public_stats(lang)


@api.get("/cases", response={200: CaseList, **REFUSED}, summary="List cases")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> Any:
    """Cases oldest first; anonymised for analysts."""
    persona = _persona(request, *ALL_STAFF)
    personal = can_see_personal_data(persona)
    kind = exports.ExportKind.COMPLETE if personal else exports.ExportKind.ANONYMISED
    states = [filters.state.value] if filters.state else []
    wanted = exports.Filters(states, filters.received_from, filters.received_to)
    ids = exports.matching_ids(kind, wanted)
    page = ids[filters.offset : filters.offset + filters.limit]
    items = _case_items(page, personal, detail=False)
    if personal:  # reading reporters' data in bulk is audited like an export
        details = {"rows": len(page), "offset": filters.offset, "states": states}
        audit.record(request.auth, "api.cases_read", details=details)  # type: ignore[attr-defined]
    return CaseList(count=len(ids), limit=filters.limit, offset=filters.offset, items=items)


def _case_items(ids: list[int], personal: bool, *, detail: bool) -> list[Any]:
    """The API records of these cases: every field (with notes, escalations and evidence for
    `detail`) for case workers; the anonymised row and the case id for analysts."""
    if personal:
        shape = CaseDetailOut if detail else CaseOut
        return [shape(**row) for row in exports.iter_rows(exports.ExportKind.COMPLETE, ids)]
    by_pseudonym = {exports.case_pseudonym(i): i for i in ids}
    rows = exports.iter_rows(exports.ExportKind.ANONYMISED, ids)
    return [AnonymisedCaseOut(**row, id=by_pseudonym[row["case"]]) for row in rows]


@api.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut | AnonymisedCaseOut, 404: Problem, **REFUSED},
    summary="One case",
)
def get_case(request: HttpRequest, case_id: int) -> Any:
    """One case: with its notes, escalations and evidence list for case workers; anonymised
    for analysts (as on the staff case page)."""
    persona = _persona(request, *ALL_STAFF)
    case = get_object_or_404(Case, pk=case_id)
    if State(case.state) == State.WITHDRAWN and not can_see_personal_data(persona):
        raise HttpError(404, "Not Found")
    personal = can_see_personal_data(persona)
    (item,) = _case_items([case_id], personal, detail=True)
    if personal:
        audit.record(request.auth, "api.case_read", case_id=case_id)  # type: ignore[attr-defined]
    return item


@api.get("/escalations", response={200: EscalationList, **REFUSED}, summary="List escalations")
def list_escalations(
    request: HttpRequest,
    platform: str | None = query_param(None, pattern=PLATFORM_KEY, max_length=60),
    answered: bool | None = None,
) -> Any:
    """Escalations to the platforms, oldest first; `platform` is a platform key (lower-case
    letters and digits joined by underscores)."""
    _persona(request, *CASE_WORKERS)
    found = Escalation.objects.select_related("platform", "created_by").order_by("sent_on", "id")
    if platform:
        found = found.filter(platform__key=platform)
    if answered is not None:
        found = found.filter(replied_on__isnull=not answered)
    today = timezone.now().date()
    items = [_escalation_item(e, today) for e in found]
    return EscalationList(count=len(items), items=items)


def _escalation_item(escalation: Escalation, today: date) -> EscalationOut:
    row = exports.complete_escalation(escalation)
    waiting = None if escalation.replied_on else escalation.days_waiting(today)
    return EscalationOut(**row, case_id=escalation.case_id, days_waiting=waiting)
