"""Pseudonyms of posts and accounts in analysis results, so that a published table does not
name who wrote what.

With the project's settings, a pseudonym is keyed with the project's secret key (the same
HMAC-SHA256 as `marsad ingest --pseudonymise`, `marsad.ingest.pseudonymise`): stable across
runs and projects' reports, and not reversible without the key. Without settings (a library
call with no project), it is an unkeyed SHA-256, which anyone holding a candidate id can
recompute: pass the settings for anything published. @mentions in quoted texts are replaced
by the mentioned account's pseudonym (keyed) or by `@user`.
"""

from __future__ import annotations

import hashlib
import re

from marsad.analyze.base import AnalysisError
from marsad.config import Settings
from marsad.ingest.pseudonymise import Pseudonymiser, SecretKeyError, load_pseudonymiser

_MENTION = re.compile(r"(?<![\w@＠])[@＠][A-Za-z0-9_][A-Za-z0-9_.-]*")


class Pseudonyms:
    def __init__(self, settings: Settings | None) -> None:
        self._keyed: Pseudonymiser | None = None
        if settings is not None:
            try:
                self._keyed = load_pseudonymiser(settings.path("project.secret_file"))
            except SecretKeyError as error:
                raise AnalysisError(str(error)) from None

    def _digest(self, platform: str, kind: str, value: str) -> str:
        if self._keyed is not None:
            return self._keyed.pseudonym(platform, kind, value).split("_", 1)[1]
        return hashlib.sha256(f"{platform}\x00{kind}\x00{value}".encode()).hexdigest()[:16]

    def post(self, platform: str, post_id: str) -> str:
        return "post_" + self._digest(platform, "post", post_id)

    def account(self, platform: str, author_id: str) -> str:
        return "acct_" + self._digest(platform, "id", author_id)

    def text(self, platform: str, text: str) -> str:
        if self._keyed is not None:
            return self._keyed.text(platform, text)
        return _MENTION.sub("@user", text)


def truncate(text: str | None, chars: int) -> str:
    """`text` cut to `chars` characters (an ellipsis marking a cut), whitespace collapsed."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= chars else flat[: max(chars - 1, 0)].rstrip() + "…"
