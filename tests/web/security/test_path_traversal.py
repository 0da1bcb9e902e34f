"""Path traversal: every URL part that names a file or an item (a published report's file name,
evidence and case ids) refuses `../`, its URL-encoded forms, absolute paths and NULs with 404
(or 400) and reads nothing outside its folder; names of uploaded files and published reports
never place a file outside the evidence or reports folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marsad.web.cases.models import Case
from marsad.web.evidence import storage
from marsad.web.evidence.models import Evidence
from marsad.web.public.actions import publish_report, reports_dir, safe_file_name

from ..test_evidence_sniff import png

ClientFor = Callable[[User | None], Client]
SECRET = b"secret outside the reports folder"
NAMES = [
    "../secret.txt",
    "..%2fsecret.txt",
    "%2e%2e/secret.txt",
    "%2e%2e%2fsecret.txt",
    "..%5csecret.txt",
    "....//secret.txt",
    "/etc/passwd",
    "%2fetc%2fpasswd",
    "report.pdf%00.txt",
    "report.pdf\x00",
    "..",
    ".",
]
HOSTILE_NAMES = ["../../evil.png", "..\\..\\evil.png", "/tmp/evil.png", "a\x00b.png", "a\r\nb.png"]


@pytest.fixture
def published(db: None, tmp_path: Path) -> Any:
    source = tmp_path / "index-2026.pdf"
    source.write_bytes(b"%PDF-1.7 the report")
    report = publish_report(source, "Index 2026", "en")
    reports_dir().parent.joinpath("secret.txt").write_bytes(SECRET)
    (reports_dir() / "secret.txt").write_bytes(SECRET)
    return report


def test_the_published_file_is_served(published: Any) -> None:
    response = Client().get(f"/reports/{published.pk}/{published.file_name}")
    assert response.status_code == 200


@pytest.mark.parametrize("name", NAMES)
def test_a_traversing_report_file_name_is_not_found(published: Any, name: str) -> None:
    response = Client().get(f"/reports/{published.pk}/{name}")
    assert response.status_code in (400, 404)
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    assert SECRET not in body and b"root:" not in body


@pytest.mark.parametrize(
    "part", ["..", "%2e%2e", "..%2f1", "-1", "1%00", "/etc/passwd", "0x1", "1.0"]
)
@pytest.mark.parametrize(
    "template",
    [
        "/staff/evidence/{}/download/",
        "/staff/evidence/{}/custody/",
        "/staff/cases/{}/",
        "/staff/evidence/case/{}/",
        "/reports/{}/index-2026.pdf",
    ],
)
def test_a_hostile_id_in_the_url_is_not_found(
    published: Any,
    filed_case: Case,
    documenter: User,
    client_for: ClientFor,
    part: str,
    template: str,
) -> None:
    response = client_for(documenter).get(template.format(part))
    assert response.status_code in (400, 404)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_an_uploaded_file_name_places_nothing_outside_the_evidence_folder(
    filed_case: Case, documenter: User, client_for: ClientFor, tmp_path: Path, name: str
) -> None:
    upload = SimpleUploadedFile(name, png(), content_type="image/png")
    response = client_for(documenter).post(
        f"/staff/evidence/case/{filed_case.pk}/add/", {"file": upload}
    )
    assert response.status_code in (302, 400)
    root = storage.evidence_dir().resolve()
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and root not in p.resolve().parents]
    assert outside == []
    assert not Path("/tmp/evil.png").exists()
    for item in Evidence.objects.all():
        download = client_for(documenter).get(f"/staff/evidence/{item.pk}/download/")
        assert (
            download["Content-Disposition"]
            == f'attachment; filename="evidence-{item.pk}-{item.sha256[:12]}.png"'
        )


@pytest.mark.parametrize(
    "name", [*NAMES, *HOSTILE_NAMES, "report\r\nSet-Cookie: x=1.pdf", "تقرير ٢٠٢٦.pdf"]
)
def test_a_published_report_name_is_made_safe(name: str) -> None:
    safe = safe_file_name(name)
    assert safe and safe not in (".", "..")
    assert not set(safe) & set("/\\\x00\r\n\"';%")
    assert not safe.startswith(".")
