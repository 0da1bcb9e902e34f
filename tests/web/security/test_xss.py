"""Cross-site scripting: a case whose every text (what happened, links, name, contact, notes,
summary, escalation reference, evidence description and file name, a taxonomy term's name)
carries script is shown escaped on every page that shows it (staff case page and its history,
queue, escalations, taxonomy, evidence pages, the public feed, dashboard and status page); the
JSON API answers JSON that no browser runs; the CSV export makes formula cells inert; evidence
is always downloaded as an attachment with nosniff, never served as HTML or SVG inline."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marsad.web.api.auth import create_token
from marsad.web.cases import actions
from marsad.web.cases.actions import NewReport, submit_report
from marsad.web.cases.exports import csv_cell
from marsad.web.cases.models import Case, Term
from marsad.web.evidence.models import Evidence

from ..conftest import PASSPHRASE
from ..test_evidence_sniff import png, text
from .hostile import FORMULAS, SCRIPT

ClientFor = Callable[[User | None], Client]
RAW = ["<script>alert", "<img src=x", 'href="javascript:', "href='javascript:"]
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _staff_pages(case: Case) -> list[str]:
    item = Evidence.objects.get(case=case)
    return [
        f"/staff/cases/{case.pk}/",
        "/staff/",
        "/staff/escalations/",
        "/staff/taxonomy/",
        f"/staff/evidence/case/{case.pk}/",
        f"/staff/evidence/{item.pk}/custody/",
    ]


def assert_escaped(html: str) -> None:
    for raw in RAW:
        assert raw not in html, f"unescaped {raw!r}"


@pytest.mark.parametrize("persona", ["verifier", "analyst", "admin"])
@pytest.mark.parametrize(
    "index", range(6), ids=["case", "queue", "escalations", "taxonomy", "evidence", "custody"]
)
def test_staff_pages_show_hostile_text_escaped(
    hostile_case: Case,
    client_for: ClientFor,
    request: pytest.FixtureRequest,
    persona: str,
    index: int,
) -> None:
    response = client_for(request.getfixturevalue(persona)).get(_staff_pages(hostile_case)[index])
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        html = response.content.decode()
        assert_escaped(html)
        assert ESCAPED in html, "the page shows the hostile text (escaped)"


def test_the_case_page_shows_every_hostile_field_escaped(
    hostile_case: Case, verifier: User, client_for: ClientFor
) -> None:
    html = client_for(verifier).get(f"/staff/cases/{hostile_case.pk}/").content.decode()
    assert_escaped(html)
    for shown in ("what ", "n", "c", "note ", "more ", "summary ", "ref", "Insta"):
        assert f"{shown}{ESCAPED}" in html, shown


@pytest.mark.parametrize("url", ["/feed.atom", "/", "/?lang=ar", "/reports/"])
def test_public_pages_show_hostile_text_escaped(hostile_case: Case, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 200
    assert_escaped(response.content.decode())


def test_the_feed_carries_the_hostile_summary_as_escaped_text(hostile_case: Case) -> None:
    body = Client().get("/feed.atom").content.decode()
    assert "summary &lt;script&gt;" in body and "<script" not in body


def test_the_status_page_shows_hostile_text_escaped(hostile_case: Case) -> None:
    client = Client()
    data = {"receipt_code": hostile_case.receipt_code, "passphrase": PASSPHRASE}
    assert client.post("/report/status/", data).status_code == 302
    html = client.get("/report/status/").content.decode()
    assert_escaped(html)
    assert "Insta" + ESCAPED in html


@pytest.mark.parametrize("path", ["/api/cases", "/api/cases/{id}", "/api/escalations"])
def test_the_api_answers_hostile_text_as_json_that_no_browser_runs(
    hostile_case: Case, verifier: User, path: str
) -> None:
    _, token = create_token(verifier.username, "tests")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    response = client.get(path.replace("{id}", str(hostile_case.pk)))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert SCRIPT in response.content.decode()  # as data, inside a JSON string


@pytest.mark.parametrize("value", [*FORMULAS, "\t=1+1", "\r=1+1", "=1+1\n", " x"])
def test_a_csv_cell_never_starts_a_formula(value: str) -> None:
    cell = csv_cell(value)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.endswith(value)


@pytest.mark.parametrize("kind", ["complete", "anonymised"])
def test_the_csv_export_makes_hostile_formulas_inert(
    db: None, term: Callable[[str, str], Term], admin: User, client_for: ClientFor, kind: str
) -> None:
    formula = FORMULAS[0]
    report = NewReport(
        violation_type=term("violation_type", "hacking"),
        description=formula,
        contact="+1+1",
        reporter_name="@SUM(1,2)",
        consent=True,
        contact_method="signal",
        wants_contact=True,
    )
    case = submit_report(report, PASSPHRASE)
    actions.set_public_summary(case, "-2+3", admin)
    response = client_for(admin).post("/staff/exports/", {"kind": kind, "format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert "'-2+3" in cells
    if kind == "complete":
        assert {"'" + formula, "'+1+1", "'@SUM(1,2)"} <= set(cells)
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]


@pytest.mark.parametrize(
    ("name", "body"), [("shot.png", png()), ("page.html", text()), ("x.svg", SVG), ("x.svg", png())]
)
def test_evidence_is_downloaded_as_an_attachment_never_as_html_or_svg(
    filed_case: Case, documenter: User, client_for: ClientFor, name: str, body: bytes
) -> None:
    client = client_for(documenter)
    upload = SimpleUploadedFile(name, body, content_type="image/svg+xml")
    response = client.post(f"/staff/evidence/case/{filed_case.pk}/add/", {"file": upload})
    if body == SVG:
        assert response.status_code == 400 and not Evidence.objects.exists()
        return
    item = Evidence.objects.get()
    download = client.get(f"/staff/evidence/{item.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    content_type = download["Content-Type"]
    assert not content_type.startswith(("text/html", "image/svg", "application/xhtml", "text/xml"))
