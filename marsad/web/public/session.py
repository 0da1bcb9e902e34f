"""What the public pages keep in the visitor's session, and nothing more: the receipt code
until it has been shown once, and which case the reporter opened on the status page (its id and
an expiry 30 minutes after the last page they opened). Never an address, a browser or a name."""

from __future__ import annotations

import time

from django.contrib.sessions.backends.base import SessionBase

from marsad.web.cases.models import Case

RECEIPT_KEY = "marsad_public_receipt"
CASE_KEY = "marsad_public_case"
CASE_MINUTES = 30


def keep_receipt(session: SessionBase, code: str) -> None:
    session[RECEIPT_KEY] = code


def take_receipt(session: SessionBase) -> str | None:
    """The receipt code to show, once: it is gone from the session after this call."""
    code: str | None = session.pop(RECEIPT_KEY, None)
    return code


def open_case(session: SessionBase, case: Case) -> None:
    session.cycle_key()  # a fresh session id once the passphrase was right
    session[CASE_KEY] = {"id": case.id, "until": time.time() + CASE_MINUTES * 60}


def close_case(session: SessionBase) -> None:
    session.pop(CASE_KEY, None)


def opened_case(session: SessionBase) -> Case | None:
    """The case opened in this session, if the 30 minutes are not over (they start again)."""
    entry = session.get(CASE_KEY)
    if not isinstance(entry, dict) or float(entry.get("until", 0)) < time.time():
        close_case(session)
        return None
    case = Case.objects.select_related("violation_type", "platform").filter(pk=entry["id"]).first()
    if case is None:
        close_case(session)
        return None
    session[CASE_KEY] = {"id": case.id, "until": time.time() + CASE_MINUTES * 60}
    return case
