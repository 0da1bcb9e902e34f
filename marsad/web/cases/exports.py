"""Rows of the case exports (CSV and JSON), anonymised or complete, and their streaming.

- **Anonymised** (analysts, admins): no receipt code, no sealed personal field (what happened,
  links, contact, name), no notes, no location (a village and a date can name a person), no
  escalation reference or reply text; withdrawn cases are left out. Each case is named by a
  pseudonym: `case_` + the first 16 hex digits of an HMAC-SHA256 of its id under a key derived
  from the project's secret (`case_pseudonym`). The pseudonym is the same in every export and
  in the API, so exports made months apart can be joined; without the secret it cannot be
  turned back into the case id.
- **Complete** (admins only): every field, decrypted, with notes, escalations and the evidence
  list (metadata and hashes; the files themselves are exported from the evidence pages).

The row builders read only what was loaded with `export_cases` (terms joined, notes,
escalations and evidence prefetched), so a stream of many cases makes a few queries per chunk.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.crypto import salted_hmac

from marsad.web.cases.models import Case, Escalation, Note
from marsad.web.cases.states import State

SEALED = ("description", "links", "contact", "reporter_name")
TERMS = ("violation_type", "platform", "perpetrator", "affected_party")
CHUNK = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportKind(StrEnum):
    ANONYMISED = "anonymised"
    COMPLETE = "complete"


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


ANONYMISED_COLUMNS: tuple[str, ...] = (
    "case",
    "state",
    *TERMS,
    "language",
    "occurred_on",
    "received_on",
    "verified_on",
    "closed_on",
    "outcome",
    "public_summary",
    "escalations",
)
CASE_COLUMNS: tuple[str, ...] = (
    "id",
    "case",
    "receipt_code",
    "state",
    *TERMS,
    "language",
    "occurred_on",
    "location",
    *SEALED,
    "wants_contact",
    "contact_method",
    "consent",
    "received_at",
    "updated_at",
    "verified_at",
    "closed_at",
    "withdrawn_at",
    "personal_data_purged_at",
    "assignee",
    "duplicate_of",
    "outcome",
    "public_summary",
)
COMPLETE_COLUMNS: tuple[str, ...] = (*CASE_COLUMNS, "notes", "escalations", "evidence")


def columns_for(kind: ExportKind) -> tuple[str, ...]:
    return ANONYMISED_COLUMNS if kind == ExportKind.ANONYMISED else COMPLETE_COLUMNS


def case_pseudonym(case_id: int) -> str:
    """The case's stable pseudonym in anonymised exports and the API."""
    return "case_" + salted_hmac("marsad.exports.case", str(case_id)).hexdigest()[:16]


def _key(term: Any) -> str | None:
    return None if term is None else str(term.key)


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.date()


def anonymised_escalation(escalation: Escalation) -> dict[str, Any]:
    return {
        "platform": escalation.platform.key,
        "channel": escalation.channel,
        "sent_on": escalation.sent_on,
        "replied_on": escalation.replied_on,
        "days_to_answer": escalation.days_to_answer,
        "outcome": escalation.outcome or None,
    }


def complete_escalation(escalation: Escalation) -> dict[str, Any]:
    return anonymised_escalation(escalation) | {
        "id": escalation.id,
        "reference": escalation.reference,
        "reply": escalation.reply,
        "recorded_by": _username(escalation.created_by),
        "recorded_at": escalation.created_at,
    }


def _username(user: Any) -> str | None:
    return None if user is None else str(user.get_username())


def anonymised_row(case: Case) -> dict[str, Any]:
    """What an analyst may see of a case."""
    return {
        "case": case_pseudonym(case.id),
        "state": case.state,
        **{name: _key(getattr(case, name)) for name in TERMS},
        "language": case.language,
        "occurred_on": case.occurred_on,
        "received_on": _day(case.received_at),
        "verified_on": _day(case.verified_at),
        "closed_on": _day(case.closed_at),
        "outcome": case.outcome or None,
        "public_summary": case.public_summary,
        "escalations": [anonymised_escalation(e) for e in case.escalations.all()],
    }


def case_row(case: Case) -> dict[str, Any]:
    """Every field of the case itself, personal fields decrypted (case workers, admins)."""
    plain = ("receipt_code", "state", "language", "occurred_on", "location", *SEALED)
    times = ("received_at", "updated_at", "verified_at", "closed_at", "withdrawn_at")
    return {
        "id": case.id,
        "case": case_pseudonym(case.id),
        **{name: getattr(case, name) for name in plain},
        **{name: _key(getattr(case, name)) for name in TERMS},
        "wants_contact": case.wants_contact,
        "contact_method": case.contact_method,
        "consent": case.consent,
        **{name: getattr(case, name) for name in times},
        "personal_data_purged_at": case.personal_data_purged_at,
        "assignee": _username(case.assignee),
        "duplicate_of": case.duplicate_of_id,
        "outcome": case.outcome or None,
        "public_summary": case.public_summary,
    }


def note_row(note: Note) -> dict[str, Any]:
    author = "reporter" if note.from_reporter else _username(note.author)
    return {"at": note.created_at, "author": author, "text": note.text}


def evidence_row(item: Any) -> dict[str, Any]:
    fields = ("id", "kind", "sha256", "size", "media_type", "original_name", "source_url")
    return {name: getattr(item, name) for name in fields} | {
        "added_at": item.added_at,
        "purged_at": item.purged_at,
    }


def complete_row(case: Case) -> dict[str, Any]:
    """Everything about the case: its fields, notes, escalations and evidence list."""
    row = case_row(case)
    row["notes"] = [note_row(n) for n in case.notes.all()]
    row["escalations"] = [complete_escalation(e) for e in case.escalations.all()]
    row["evidence"] = [evidence_row(item) for item in case.evidence.all()]
    return row


# --- choosing and loading the cases --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    states: Sequence[str] = field(default_factory=tuple)
    received_from: date | None = None
    received_to: date | None = None

    def as_details(self) -> dict[str, Any]:
        return {
            "states": sorted(self.states),
            "received_from": self.received_from,
            "received_to": self.received_to,
        }


def matching_ids(kind: ExportKind, filters: Filters) -> list[int]:
    """Ids of the cases an export holds, oldest first (taken once, so the audit's row count
    and the file agree even while new reports arrive)."""
    cases = Case.objects.all()
    if kind == ExportKind.ANONYMISED:
        cases = cases.exclude(state=State.WITHDRAWN)
    if filters.states:
        cases = cases.filter(state__in=list(filters.states))
    if filters.received_from:
        cases = cases.filter(received_at__date__gte=filters.received_from)
    if filters.received_to:
        cases = cases.filter(received_at__date__lte=filters.received_to)
    return list(cases.order_by("received_at", "id").values_list("id", flat=True))


def export_cases(kind: ExportKind, ids: Sequence[int]) -> QuerySet[Case]:
    """The cases with what their rows need loaded (and, for anonymised rows, the sealed
    fields left unread)."""
    escalations = Escalation.objects.select_related("platform", "created_by")
    cases = Case.objects.filter(id__in=list(ids)).select_related(*TERMS)
    if kind == ExportKind.ANONYMISED:
        return cases.defer(*SEALED).prefetch_related(Prefetch("escalations", escalations))
    return cases.select_related("assignee").prefetch_related(
        Prefetch("escalations", escalations),
        Prefetch("notes", Note.objects.select_related("author")),
        "evidence",
    )


def iter_rows(kind: ExportKind, ids: Sequence[int], chunk: int = CHUNK) -> Iterator[dict[str, Any]]:
    build = anonymised_row if kind == ExportKind.ANONYMISED else complete_row
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        loaded = {case.id: case for case in export_cases(kind, part)}
        yield from (build(loaded[i]) for i in part if i in loaded)


# --- writing -----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_plain)


def csv_cell(value: Any) -> str:
    """A value as CSV text: lists as JSON, dates in ISO 8601, and text that a spreadsheet
    would run as a formula (=, +, -, @ first) made inert with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        text = to_json(value)
    elif isinstance(value, datetime | date):
        return value.isoformat()
    elif isinstance(value, int | float):
        return str(value)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_stream(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    """The CSV text piece by piece: a UTF-8 byte-order mark (so spreadsheets read Arabic and
    Hebrew right), the header, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: Iterable[str]) -> str:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line(columns)
    for row in rows:
        yield line(csv_cell(row.get(name)) for name in columns)


def json_stream(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON array of the rows, one object a line."""
    yield "["
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + to_json(row)
        first = False
    yield "\n]\n"
