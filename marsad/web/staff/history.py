"""A case's history in plain words: its audit entries, each as one translated sentence.

Case workers see who did what, when and why; analysts see only the state changes and their
dates (the reasons staff write may name people).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from marsad.web.cases import audit
from marsad.web.cases.models import AuditEntry, Channel, Term
from marsad.web.cases.states import Outcome, State


@dataclass(frozen=True, slots=True)
class HistoryLine:
    at: datetime
    actor: str
    text: str
    reason: str = ""


Names = Mapping[tuple[str, str], str]


def term_names() -> dict[tuple[str, str], str]:
    """(kind, key) -> the term's name in the active language."""
    return {(t.kind, t.key): t.name() for t in Term.objects.all()}


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _transition(d: Mapping[str, Any], names: Names) -> str:
    return _("Moved from “%(from)s” to “%(to)s”") % {
        "from": _label(State, d.get("from")),
        "to": _label(State, d.get("to")),
    }


def _merged(d: Mapping[str, Any], names: Names) -> str:
    return _("Marked as a duplicate of case %(id)s") % {"id": d.get("original")}


def _assigned(d: Mapping[str, Any], names: Names) -> str:
    if not d.get("assignee"):
        return _("Unassigned")
    return _("Assigned to %(user)s") % {"user": d["assignee"]}


def _classified(d: Mapping[str, Any], names: Names) -> str:
    changed = d.get("changed") or {}
    if not changed:
        return _("Classification saved without changes")
    parts = [names.get((kind, k), k) if k else _("none") for kind, k in sorted(changed.items())]
    return _("Classified as: %(terms)s") % {"terms": ", ".join(parts)}


def _escalated(d: Mapping[str, Any], names: Names) -> str:
    return _("Escalated to %(platform)s (%(channel)s)") % {
        "platform": names.get(("platform", d.get("platform", "")), d.get("platform")),
        "channel": _label(Channel, d.get("channel")),
    }


def _replied(d: Mapping[str, Any], names: Names) -> str:
    outcome = _label(Outcome, d["outcome"]) if d.get("outcome") else _("no outcome yet")
    if d.get("days") is None:
        return _("Platform reply recorded: %(outcome)s") % {"outcome": outcome}
    return _("Platform reply recorded after %(days)s days: %(outcome)s") % {
        "days": d["days"],
        "outcome": outcome,
    }


def _fixed(text: Callable[[], str]) -> Callable[[Mapping[str, Any], Names], str]:
    return lambda d, names: text()


# Every audited action that names a case has a sentence here (the test
# tests/web/test_staff_history_sentences.py collects them from the code).
SENTENCES: dict[str, Callable[[Mapping[str, Any], Names], str]] = {
    "case.submitted": _fixed(lambda: _("Report received")),
    "case.transition": _transition,
    "case.merged": _merged,
    "case.assigned": _assigned,
    "case.classified": _classified,
    "case.summary_set": _fixed(lambda: _("Public summary updated")),
    "case.note_added": _fixed(lambda: _("Staff note added")),
    "case.reporter_added": _fixed(lambda: _("The reporter added information")),
    "case.withdrawn": _fixed(lambda: _("The reporter withdrew the report")),
    "escalation.sent": _escalated,
    "escalation.reply": _replied,
    "evidence.added": _fixed(lambda: _("Evidence added")),
    "evidence.captured": _fixed(lambda: _("Web page captured as evidence")),
    "evidence.viewed": _fixed(lambda: _("Evidence viewed")),
    "evidence.exported": _fixed(lambda: _("Evidence exported")),
    "evidence.check_failed": _fixed(lambda: _("An evidence file failed its integrity check")),
    "evidence.purged": _fixed(lambda: _("Evidence purged")),
    "case.purged": _fixed(lambda: _("Personal data purged")),
    "api.case_read": _fixed(lambda: _("Case read through the API")),
}
# Actions whose dates analysts see (no actor, no reason).
ANONYMISED = frozenset(
    {
        "case.submitted",
        "case.transition",
        "case.merged",
        "case.withdrawn",
        "escalation.sent",
        "escalation.reply",
    }
)


def _actor(entry: AuditEntry) -> str:
    if entry.actor_label == audit.REPORTER:
        return _("the reporter")
    if entry.actor_label == audit.SYSTEM:
        return _("the system")
    return entry.actor_label


def describe(entry: AuditEntry, names: Names) -> HistoryLine:
    """One audit entry in plain words, with the reason staff gave if any."""
    sentence = SENTENCES.get(entry.action)
    text = sentence(entry.details, names) if sentence else entry.action
    reason = str(entry.details.get("reason", "")) if entry.action.startswith("case.") else ""
    return HistoryLine(entry.at, _actor(entry), text, reason)


def case_history(case_id: int, *, anonymised: bool = False) -> list[HistoryLine]:
    names = term_names()
    entries = audit.history(case_id)
    if anonymised:
        lines = (describe(e, names) for e in entries if e.action in ANONYMISED)
        return [replace(line, actor="", reason="") for line in lines]
    return [describe(e, names) for e in entries]
