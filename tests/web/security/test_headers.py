"""Header injection and redirects: a `next=` that leads to another site (or carries CR/LF) is
never followed, after the login or its code step or a form; a Host header not in
ALLOWED_HOSTS is refused with 400; a forged X-Forwarded-Host never reaches a link; a file name
with CR/LF never reaches a Content-Disposition header."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marsad.web.cases.models import Case
from marsad.web.public.actions import publish_report

from ..conftest import PASSWORD
from ..test_evidence_sniff import png

ClientFor = Callable[[User | None], Client]
ELSEWHERE = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "\\\\evil.example/phish",
    "https:evil.example",
    "http://testserver@evil.example/",
    " https://evil.example/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/staff/\r\nSet-Cookie: taken=1",
    "/staff/%0d%0aSet-Cookie:%20taken=1",
]


def assert_stays_here(location: str) -> None:
    assert "\r" not in location and "\n" not in location
    parts = urlsplit(location)
    assert parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver")
    assert not location.startswith(("//", "/\\", "\\"))
    assert "evil.example" not in parts.netloc + parts.path.split("?")[0]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_login_never_sends_to_another_site(documenter: User, target: str) -> None:
    data = {"username": documenter.username, "password": PASSWORD, "next": target}
    response = Client().post("/staff/login/", data)
    assert response.status_code == 302
    assert_stays_here(response["Location"])
    follow = Client()
    follow.force_login(documenter)
    step = follow.get("/staff/login/code/", {"next": target})
    assert step.status_code == 302
    assert_stays_here(step["Location"])


@pytest.mark.parametrize("target", ELSEWHERE)
def test_a_form_never_sends_to_another_site(
    filed_case: Case, documenter: User, client_for: ClientFor, target: str
) -> None:
    upload = SimpleUploadedFile("shot.png", png(), content_type="image/png")
    url = f"/staff/evidence/case/{filed_case.pk}/add/"
    response = client_for(documenter).post(url, {"file": upload, "next": target})
    assert response.status_code == 302
    assert_stays_here(response["Location"])


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_language_switch_never_sends_to_another_site(db: None, target: str) -> None:
    response = Client().post("/i18n/setlang/", {"language": "ar", "next": target})
    assert response.status_code == 302
    assert_stays_here(response["Location"])


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:80",
        "testserver.evil.example",
        "testserver\r\nX: 1",
        "[::1",
        "a b",
    ],
)
@pytest.mark.parametrize("url", ["/", "/report/", "/staff/login/", "/api/stats", "/feed.atom"])
def test_a_host_not_allowed_is_refused_with_400(db: None, host: str, url: str) -> None:
    assert Client().get(url, HTTP_HOST=host).status_code == 400


def test_a_forged_forwarded_host_never_reaches_a_link(db: None) -> None:
    for url in ("/feed.atom", "/", "/report/"):
        response = Client().get(url, HTTP_X_FORWARDED_HOST="evil.example")
        assert response.status_code == 200
        assert b"evil.example" not in response.content


def test_a_published_file_name_with_cr_lf_never_reaches_a_header(db: None, tmp_path: Path) -> None:
    source = tmp_path / "index\r\nSet-Cookie: taken=1.pdf"
    source.write_bytes(b"%PDF-1.7 report")
    report = publish_report(source, "Index", "en")
    response = Client().get(f"/reports/{report.pk}/{report.file_name}")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert "taken" not in response.cookies
