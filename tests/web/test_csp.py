"""Content-Security-Policy (django-csp): every answer says scripts, styles and frames come
only from the site, no page relies on inline script or style, and published report files are
downloads that could not run their own script in the site's origin either."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

import marsad.web
from marsad.web.cases.models import Case
from marsad.web.public.actions import publish_report

from .conftest import PASSWORD

WEB = Path(marsad.web.__file__).resolve().parent
DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    "event handler": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE),
}


def policy_of(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in ((p[0], p[1] if len(p) > 1 else "") for p in parts)}


def inline_code(html: str) -> list[str]:
    return [name for name, pattern in INLINE.items() if pattern.search(html)]


@pytest.mark.parametrize(
    "url", ["/", "/report/", "/report/status/", "/reports/", "/staff/login/", "/no-such-page/"]
)
def test_public_pages_carry_the_policy(db: None, url: str) -> None:
    response = Client().get(url)
    assert policy_of(response["Content-Security-Policy"]) == DIRECTIVES


def test_staff_pages_and_api_answers_carry_the_policy(
    documenter: User, filed_case: Case, client_for: Callable[[User | None], Client]
) -> None:
    client = client_for(documenter)
    for url in ("/staff/", f"/staff/cases/{filed_case.id}/", "/api/stats"):
        assert policy_of(client.get(url)["Content-Security-Policy"]) == DIRECTIVES, url


def test_the_policy_allows_nothing_inline_or_from_elsewhere(db: None) -> None:
    header = Client().get("/")["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert "http:" not in header and "https:" not in header and "*" not in header


def test_no_template_has_inline_script_or_style() -> None:
    templates = sorted(WEB.glob("**/templates/**/*.html"))
    assert len(templates) > 30
    found = {str(t.relative_to(WEB)): inline_code(t.read_text()) for t in templates}
    assert {name: kinds for name, kinds in found.items() if kinds} == {}


def test_rendered_pages_have_no_inline_script_or_style(
    documenter: User, filed_case: Case, client_for: Callable[[User | None], Client]
) -> None:
    public, staff = Client(), client_for(documenter)
    pages = {url: public.get(url) for url in ("/", "/report/", "/report/status/")}
    for url in ("/staff/", f"/staff/cases/{filed_case.id}/", "/staff/escalations/"):
        pages[url] = staff.get(url)
    for url, response in pages.items():
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url


def test_the_enrolment_qr_code_is_inline_svg_without_inline_style(db: None) -> None:
    from marsad.web.cases.personas import set_persona
    from marsad.web.cases.states import Persona

    user = User.objects.create_user("nour", password=PASSWORD)
    set_persona(user, Persona.DOCUMENTER)
    client = Client()
    client.post("/staff/login/", {"username": "nour", "password": PASSWORD})
    page = client.get("/staff/login/enrol/").content.decode()
    assert "<svg" in page and inline_code(page) == []


HTML_REPORT = """<!doctype html><html><head><style>body { color: #222 }</style></head>
<body><svg><rect style="fill:red" width="4" height="4"/></svg>
<script>document.title = "ran"</script></body></html>"""


def test_published_html_reports_are_downloads_under_the_strict_policy(
    db: None, tmp_path: Path
) -> None:
    """A published report's own inline styles and SVG are for reading it after download; the
    site never shows it inline, and if a browser did, the policy would stop its script."""
    source = tmp_path / "index-2025.html"
    source.write_text(HTML_REPORT)
    report = publish_report(source, "Index 2025", "en")
    response = Client().get(f"/reports/{report.id}/index-2025.html")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert policy_of(response["Content-Security-Policy"])["script-src"] == "'self'"


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        ("<script>alert(1)</script>", "inline script"),
        ("<style>p{}</style>", "style element"),
        ('<p style="color:red">', "style attribute"),
        ('<img src="x" onerror="go()">', "event handler"),
        ('<a href="javascript:go()">', "javascript: URL"),
    ],
)
def test_the_inline_check_finds_each_kind_of_inline_code(html: str, kind: str) -> None:
    assert inline_code(html) == [kind]
    assert inline_code('<script src="/static/marsad/pow.js"></script>') == []
