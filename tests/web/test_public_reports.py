"""Published reports: `publish_report` copies the file into the project's reports folder with its
SHA-256 and size; /reports/ lists them newest first and serves each for download."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from marsad.web.cases.audit import verify_chain
from marsad.web.cases.models import AuditEntry
from marsad.web.public.actions import publish_report, reports_dir, safe_file_name
from marsad.web.public.models import PublishedReport

PDF = b"%PDF-1.7\n" + "مؤشر العنصرية والتحريض".encode() + b"\n%%EOF\n"


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "made" / "index-2025.pdf"
    path.parent.mkdir()
    path.write_bytes(PDF)
    return path


def test_publishing_copies_the_file_with_its_hash_and_size(db: None, pdf: Path) -> None:
    report = publish_report(pdf, "مؤشر العنصرية والتحريض 2025", "ar")
    assert report.sha256 == hashlib.sha256(PDF).hexdigest()
    assert report.size == len(PDF)
    assert reports_dir() == Path(settings.MARSAD_EVIDENCE_DIR).parent / "reports"
    assert (reports_dir() / str(report.id) / "index-2025.pdf").read_bytes() == PDF
    entry = AuditEntry.objects.get(action="report.published")
    assert entry.details == {"report": report.id, "sha256": report.sha256, "size": len(PDF)}
    assert verify_chain() == []


def test_a_file_name_is_made_safe_for_urls(db: None, tmp_path: Path) -> None:
    odd = tmp_path / "تقرير 2025 (final).pdf"
    odd.write_bytes(PDF)
    report = publish_report(odd, "Report", "en")
    assert report.file_name == "2025-final.pdf"
    answer = Client().get(f"/reports/{report.id}/{report.file_name}")
    assert answer.status_code == 200


@pytest.mark.parametrize(
    ("title", "language", "message"),
    [("", "en", "needs a title"), ("Index", "fr", "language 'fr' is not one of")],
)
def test_a_report_without_title_or_with_an_unknown_language_is_refused(
    db: None, pdf: Path, title: str, language: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        publish_report(pdf, title, language)
    assert not PublishedReport.objects.exists()


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("index.pdf", "index.pdf"),
        ("../../etc/passwd", "passwd"),
        (".hidden", "hidden"),
        ("تقرير.html", "report.html"),
        ("a b.c d", "a-b.cd"),
    ],
)
def test_file_names_keep_only_safe_characters(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe


def test_a_missing_file_is_refused(db: None, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such file"):
        publish_report(tmp_path / "absent.pdf", "Index", "en")


def test_reports_are_listed_newest_first(db: None, pdf: Path) -> None:
    older = publish_report(pdf, "Hashtag Palestine 2024", "en")
    PublishedReport.objects.filter(pk=older.pk).update(
        published_at=older.published_at - timedelta(days=30)
    )
    publish_report(pdf, "مؤشر العنصرية والتحريض 2025", "ar")
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/reports/").content.decode()
    assert html.index("مؤشر العنصرية والتحريض 2025") < html.index("Hashtag Palestine 2024")
    assert hashlib.sha256(PDF).hexdigest() in html


def test_a_report_is_downloaded_with_its_bytes(db: None, pdf: Path) -> None:
    report = publish_report(pdf, "Index 2025", "en")
    answer = Client().get(f"/reports/{report.id}/index-2025.pdf")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF  # type: ignore[attr-defined]
    assert answer["Content-Disposition"] == 'attachment; filename="index-2025.pdf"'
    assert answer["Content-Type"] == "application/pdf"
    assert answer["X-Content-SHA256"] == report.sha256


@pytest.mark.parametrize("path", ["/reports/999/index-2025.pdf", "/reports/{id}/other.pdf"])
def test_an_unknown_report_is_not_found(db: None, pdf: Path, path: str) -> None:
    report = publish_report(pdf, "Index 2025", "en")
    assert Client().get(path.format(id=report.id)).status_code == 404


def test_a_report_whose_file_is_gone_is_not_found(db: None, pdf: Path) -> None:
    report = publish_report(pdf, "Index 2025", "en")
    (reports_dir() / str(report.id) / report.file_name).unlink()
    assert Client().get(f"/reports/{report.id}/index-2025.pdf").status_code == 404


def test_no_report_yet_is_said_plainly(db: None, settings: Any) -> None:
    assert "No reports are published yet." in Client().get("/reports/").content.decode()
