"""Evidence blobs on disk: sealed with AES-256-GCM, written atomically, checked on every read.

A blob lives at `MARSAD_EVIDENCE_DIR/<first two characters>/<blob name>`; the name is random
(uuid4 hex) and is the associated data of its seal, so a file moved onto another item's name
does not open. The row keeps the SHA-256 of the plaintext taken on arrival; every read compares
it again.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from marsad.web import crypto
from marsad.web.evidence.errors import EvidenceCorrupted, EvidenceRejected

CHUNK = 64 * 1024
BLOB_NAME = re.compile(r"[0-9a-f]{32}")


class Upload(Protocol):
    """A file to add: Django's UploadedFile, or any file-like object with `.read()`."""

    def read(self, size: int = ..., /) -> bytes: ...


def new_blob_name() -> str:
    return uuid.uuid4().hex


def evidence_dir() -> Path:
    return Path(settings.MARSAD_EVIDENCE_DIR)


def blob_path(blob_name: str) -> Path:
    if not BLOB_NAME.fullmatch(blob_name):
        raise ValueError(f"not an evidence blob name: {blob_name!r}")
    return evidence_dir() / blob_name[:2] / blob_name


def _aad(blob_name: str) -> bytes:
    return b"marsad.evidence/" + blob_name.encode("ascii")


def max_bytes() -> int:
    return int(settings.MARSAD_MAX_UPLOAD_BYTES)


def _chunks(upload: Any) -> Iterator[bytes]:
    chunks = getattr(upload, "chunks", None)
    if callable(chunks):
        yield from chunks(CHUNK)
        return
    while block := upload.read(CHUNK):
        yield block


def read_limited(upload: Upload, limit: int | None = None) -> bytes:
    """The upload's bytes, read in chunks; past `limit` (default MARSAD_MAX_UPLOAD_BYTES) it
    stops reading and refuses the file."""
    limit = max_bytes() if limit is None else limit
    parts: list[bytes] = []
    total = 0
    for chunk in _chunks(upload):
        total += len(chunk)
        if total > limit:
            raise EvidenceRejected(too_large_message(limit))
        parts.append(chunk)
    return b"".join(parts)


def too_large_message(limit: int) -> str:
    size = f"{limit / (1024 * 1024):.0f} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
    return _("The file is larger than the limit of %(size)s.") % {"size": size}


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def write_blob(blob_name: str, plaintext: bytes) -> Path:
    """Seal `plaintext` and store it under `blob_name`: all of it, or nothing."""
    path = blob_path(blob_name)
    _write_atomically(path, crypto.seal(plaintext, _aad(blob_name)))
    return path


def delete_blob(blob_name: str) -> None:
    blob_path(blob_name).unlink(missing_ok=True)


def read_blob(blob_name: str, sha256: str, evidence_id: int | None) -> bytes:
    """The plaintext of a blob, after checking it opens and matches `sha256`."""
    path = blob_path(blob_name)
    try:
        sealed = path.read_bytes()
    except FileNotFoundError:
        raise EvidenceCorrupted(evidence_id, f"the file {path} is missing") from None
    try:
        plaintext = crypto.open_sealed(sealed, _aad(blob_name))
    except crypto.DecryptionError as error:
        raise EvidenceCorrupted(evidence_id, f"the file {path} does not open: {error}") from None
    found = sha256_hex(plaintext)
    if found != sha256:
        raise EvidenceCorrupted(
            evidence_id, f"SHA-256 {found} of the stored file differs from the record's {sha256}"
        )
    return plaintext


def stored_files() -> Iterator[Path]:
    """Every file in the evidence folder (blobs and unfinished temporary files)."""
    root = evidence_dir()
    if root.exists():
        yield from (p for p in root.glob("*/*") if p.is_file())


def remove_orphans(known: set[str], older_than_s: float = 3600.0) -> list[str]:
    """Delete files of the evidence folder that no row names (`known`: the rows' blob names),
    left when a transaction around an addition was rolled back or a write was killed. Only
    files older than `older_than_s` go, so an addition still in progress keeps its blob."""
    cutoff = time.time() - older_than_s
    removed = []
    for path in stored_files():
        if path.name not in known and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return sorted(removed)
