"""Oversized input: a request body over `MARSAD_MAX_REQUEST_BYTES` is refused with 413 before it
is read, on every URL; a file over `MARSAD_MAX_UPLOAD_BYTES` or more files than a form takes is
refused with the form's error; a form body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused with 400.
Nothing is filed in any of these cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marsad.web.cases.models import Case, Note, Term
from marsad.web.evidence.models import Evidence
from marsad.web.public.forms import MAX_FILES

from ..conftest import PASSPHRASE
from ..test_evidence_sniff import png

ClientFor = Callable[[User | None], Client]


def report_data(term: Callable[[str, str], Term], **changes: Any) -> dict[str, Any]:
    data = {
        "violation_type": term("violation_type", "hacking").pk,
        "description": "my account was taken over",
        "consent": "on",
        "passphrase": PASSPHRASE,
        "passphrase_again": PASSPHRASE,
    }
    return data | changes


def _nothing_filed() -> tuple[int, int, int]:
    return Case.objects.count(), Note.objects.count(), Evidence.objects.count()


def test_a_plain_report_is_filed(db: None, term: Callable[[str, str], Term]) -> None:
    assert Client().post("/report/", report_data(term)).status_code == 302


@pytest.mark.parametrize("url", ["/report/", "/report/status/", "/staff/login/", "/i18n/setlang/"])
def test_a_body_over_the_request_limit_is_refused_with_413(
    db: None, term: Callable[[str, str], Term], settings: Any, url: str
) -> None:
    settings.MARSAD_MAX_REQUEST_BYTES = 4096
    before = Case.objects.count()
    big = SimpleUploadedFile("shot.png", png() + b"\x00" * 8000, content_type="image/png")
    response = Client().post(url, report_data(term, attachments=[big]))
    assert response.status_code == 413
    assert Case.objects.count() == before


def test_a_staff_upload_over_the_request_limit_is_refused_with_413(
    filed_case: Case, documenter: User, client_for: ClientFor, settings: Any
) -> None:
    settings.MARSAD_MAX_REQUEST_BYTES = 4096
    upload = SimpleUploadedFile("shot.png", png() + b"\x00" * 8000, content_type="image/png")
    response = client_for(documenter).post(
        f"/staff/evidence/case/{filed_case.pk}/add/", {"file": upload}
    )
    assert response.status_code == 413 and not Evidence.objects.exists()


def test_a_file_over_the_upload_limit_is_refused_by_the_form(
    db: None, term: Callable[[str, str], Term], settings: Any
) -> None:
    settings.MARSAD_MAX_UPLOAD_BYTES = 1024
    before = _nothing_filed()
    big = SimpleUploadedFile("shot.png", png() + b"\x00" * 2048, content_type="image/png")
    response = Client().post("/report/", report_data(term, attachments=[big]))
    assert response.status_code == 200 and "too large" in response.content.decode()
    assert _nothing_filed() == before


def test_more_files_than_the_form_takes_are_refused(
    db: None, term: Callable[[str, str], Term]
) -> None:
    before = _nothing_filed()
    files = [
        SimpleUploadedFile(f"s{i}.png", png(), content_type="image/png")
        for i in range(MAX_FILES + 1)
    ]
    response = Client().post("/report/", report_data(term, attachments=files))
    assert response.status_code in (200, 400, 413)
    assert _nothing_filed() == before


def test_a_form_body_over_the_memory_limit_is_refused_with_400(
    db: None, term: Callable[[str, str], Term], settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = _nothing_filed()
    response = Client().post("/report/", report_data(term, description="x" * 20_000))
    assert response.status_code == 400
    assert _nothing_filed() == before
