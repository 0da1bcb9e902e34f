"""The public side's writes: filing a report with its files, adding information with files, and
publishing a report for download. Each goes through the case actions or writes the audit log
in the same transaction as the change.

Files are stored by the evidence app (`marsad.web.evidence.actions.add_file`), which hashes,
sniffs, size-checks and encrypts them; a file it refuses undoes the whole submission, so a
rejected file never leaves a half-filed case behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from marsad.web.cases import actions as case_actions
from marsad.web.cases import audit
from marsad.web.cases.models import Case, Note
from marsad.web.public.models import PublishedReport

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _add_files(case: Case, uploads: Sequence[UploadedFile]) -> None:
    from marsad.web.evidence.actions import add_file
    from marsad.web.evidence.models import EvidenceKind

    for upload in uploads:
        add_file(case, upload, actor=None, kind=EvidenceKind.REPORTER_UPLOAD)


def file_report(
    report: case_actions.NewReport, passphrase: str, uploads: Sequence[UploadedFile] = ()
) -> Case:
    """File a public report and its files together: all of it is stored, or none of it
    (`EvidenceRejected` from a refused file propagates after the rollback)."""
    passphrase_hash = case_actions.hash_passphrase(passphrase)  # slow: outside the transaction
    with transaction.atomic():
        case = case_actions.submit_hashed_report(report, passphrase_hash)
        _add_files(case, uploads)
    return case


def add_information(case: Case, text: str, uploads: Sequence[UploadedFile] = ()) -> Note:
    """The reporter's new information and files, stored together or not at all."""
    with transaction.atomic():
        note = case_actions.reporter_add_information(case, text)
        _add_files(case, uploads)
    return note


def reports_dir() -> Path:
    """The project's `reports/` folder, beside the evidence folder."""
    return Path(settings.MARSAD_EVIDENCE_DIR).parent / "reports"


def safe_file_name(name: str) -> str:
    """A file name that is safe in a URL and on disk: letters, digits, dot, dash, underscore."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = name.rpartition(".") if "." in name.strip(".") else (name, "", "")
    stem = SAFE_NAME.sub("-", stem).strip(".-")[:90] or "report"
    suffix = SAFE_NAME.sub("", suffix)[:10]
    return f"{stem}.{suffix}" if dot and suffix else stem


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_publishable(path: Path, title: str, language: str) -> None:
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    if not title.strip():
        raise ValueError(f"{path}: the report needs a title")
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValueError(f"{path}: language {language!r} is not one of {', '.join(codes)}")


def publish_report(
    path: Path | str, title: str, language: str, actor: audit.Actor = None
) -> PublishedReport:
    """Copy the file at `path` into the reports folder and list it at /reports/ (newest
    first), with its SHA-256 and size; the publication is written to the audit log."""
    source = Path(path)
    _check_publishable(source, title, language)
    name = safe_file_name(source.name)
    with transaction.atomic():
        report = PublishedReport.objects.create(
            title=title.strip(), language=language, file_name=name, sha256="", size=0
        )
        target = stored_path(report)
        _copy_atomically(source, target)
        report.sha256, report.size = _sha256(target), target.stat().st_size
        report.save(update_fields=["sha256", "size"])
        details = {"report": report.id, "sha256": report.sha256, "size": report.size}
        audit.record(actor, "report.published", details=details)
    return report


def stored_path(report: PublishedReport) -> Path:
    return reports_dir() / str(report.id) / report.file_name


def _copy_atomically(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".publishing-")
    os.close(handle)
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
