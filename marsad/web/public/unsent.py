"""Information a reporter sent from the status page after it had closed (30 minutes after the
last page they opened): the text is kept in the session until the same report is opened again,
then put back into the add-information form.

At most `KEPT_CHARS` characters are kept, sealed with the data key like the reporter's fields
in the database, for `KEPT_MINUTES`; files cannot be kept (the page asks to choose them again).
Nothing here is logged."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase

from marsad.web import crypto
from marsad.web.public.session import CASE_KEY

KEY = "marsad_public_unsent"
KEPT_CHARS = 5000
KEPT_MINUTES = 60


@dataclass(frozen=True, slots=True)
class Unsent:
    """What was kept: how much of the text, and whether files were sent with it."""

    chars: int
    cut: bool
    files: bool


def _aad(case_id: int | None) -> bytes:
    return f"marsad.public.unsent:{case_id}".encode()


def case_in_session(session: SessionBase) -> int | None:
    """The id of the case opened in this session, even if its 30 minutes are over (read it
    before `session.opened_case`, which forgets an expired case)."""
    entry = session.get(CASE_KEY)
    case_id = entry.get("id") if isinstance(entry, dict) else None
    return case_id if isinstance(case_id, int) else None


def keep(session: SessionBase, case_id: int | None, text: str, *, files: bool) -> None:
    """Keep the text written for `case_id` (None: the case is not known any more, so the next
    report opened in this session gets it)."""
    text = text.strip()
    kept = text[:KEPT_CHARS]
    sealed = crypto.seal(kept.encode("utf-8"), _aad(case_id)) if kept else b""
    session[KEY] = {
        "case": case_id,
        "text": base64.b64encode(sealed).decode("ascii"),
        "chars": len(kept),
        "cut": len(text) > KEPT_CHARS,
        "files": files,
        "until": time.time() + KEPT_MINUTES * 60,
    }


def waiting(session: SessionBase) -> Unsent | None:
    """What is kept for the next report opened, if anything (and not too old)."""
    entry = session.get(KEY)
    if not isinstance(entry, dict) or float(entry.get("until", 0)) < time.time():
        session.pop(KEY, None)
        return None
    return Unsent(int(entry["chars"]), bool(entry["cut"]), bool(entry["files"]))


def take(session: SessionBase, case_id: int) -> str:
    """The text kept for this case ("" if none), gone from the session after this call; text
    kept for another case is dropped (another person may have opened this one)."""
    if waiting(session) is None:
        return ""
    entry = session.pop(KEY)
    if entry["case"] not in (None, case_id) or not entry["text"]:
        return ""
    try:
        sealed = base64.b64decode(entry["text"])
        return crypto.open_sealed(sealed, _aad(entry["case"])).decode("utf-8")
    except (ValueError, crypto.DecryptionError):  # altered, or the data key was rotated since
        return ""
