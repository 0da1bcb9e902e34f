"""The ways evidence can be refused or found damaged; every message is meant for staff or the
reporter to read, and names the item, the URL or the limit concerned."""

from __future__ import annotations


class EvidenceRejected(ValueError):
    """A file was not accepted: too large, empty, or of a kind marsad does not keep.
    The message is translated and may be shown to the person who sent the file."""


class EvidenceCorrupted(RuntimeError):
    """A stored item no longer matches its record: the file is missing, does not open with the
    data key, or its SHA-256 differs from the one taken on arrival."""

    def __init__(self, evidence_id: int | None, reason: str) -> None:
        super().__init__(f"evidence {evidence_id}: {reason}")
        self.evidence_id = evidence_id
        self.reason = reason


class CaptureError(ValueError):
    """A web page could not be captured; the message names the URL and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
