"""Nothing about a reporter's connection is stored, and their personal data is stored only sealed.

A report with files is filed, added to and withdrawn through the public pages from a
distinctive address and browser; then every row of every table (raw, as the database holds it,
and the sessions decoded) and every file of the project's folders are searched for the address,
the browser, the reporter's name, contact and passphrase. None is found.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from marsad.web.cases.models import Case, Note
from marsad.web.evidence.models import Evidence

from .conftest import PASSPHRASE
from .test_public_report import PNG, form_data

ADDRESS = "203.0.113.77"
FORWARDED = "198.51.100.23"
BROWSER = "MarsadProbeBrowser/9.9 (distinctive-ua-7f3c)"
NAME = "Yara Distinctname"
CONTACT = "yara.distinct@example.org"
DESCRIPTION = "My account was suspended after I posted the checkpoint video"
NOTE = "The platform sent me notice 5531-unique"
CONNECTION = {
    "REMOTE_ADDR": ADDRESS,
    "HTTP_USER_AGENT": BROWSER,
    "HTTP_X_FORWARDED_FOR": FORWARDED,
    "HTTP_X_REAL_IP": FORWARDED,
}
CLEARTEXT = (NAME, CONTACT, PASSPHRASE, DESCRIPTION, NOTE)  # stored sealed, never as text
NEVER = (ADDRESS, FORWARDED, BROWSER, "distinctive-ua", *CLEARTEXT)


@pytest.fixture(autouse=True)
def _no_form_guards(settings: Any) -> None:
    """The proof-of-work and the rate limit are tested elsewhere; here they would only slow
    the reporter down."""
    settings.MARSAD_POW_BITS = 0
    settings.MARSAD_PUBLIC_RATE_LIMIT = None


def reporter_session(term: Callable[[str, str], Any]) -> Case:
    """File (with a file), open the status page, add information (with a file), withdraw."""
    client = Client(**CONNECTION)
    report = form_data(
        term,
        description=DESCRIPTION,
        reporter_name=NAME,
        contact=CONTACT,
        attachments=[SimpleUploadedFile("notice.png", PNG, content_type="image/png")],
    )
    assert client.post("/report/", report).status_code == 302
    assert client.get("/report/receipt/").status_code == 200
    case = Case.objects.get()
    login = {"receipt_code": case.receipt_code, "passphrase": PASSPHRASE}
    assert client.post("/report/status/", login).status_code == 302
    more = {"text": NOTE, "attachments": [SimpleUploadedFile("n.txt", b"more", "text/plain")]}
    assert client.post(reverse("public:status_add"), more).status_code == 302
    assert client.post(reverse("public:status_withdraw"), {"confirm": "on"}).status_code == 302
    return Case.objects.get()


def as_text(value: Any) -> str:
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).decode("latin-1")  # the raw bytes, searched as they are
    return str(value)


def every_row_as_text() -> Iterator[tuple[str, str]]:
    """(table, row as text) for every row of every table of the database, read raw."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            for row in cursor.fetchall():
                yield table, " | ".join(as_text(value) for value in row)


def decoded_sessions() -> Iterator[tuple[str, str]]:
    for session in Session.objects.all():
        yield "django_session (decoded)", json.dumps(session.get_decoded(), ensure_ascii=False)


def every_file_as_text(folder: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        yield str(path), path.read_bytes().decode("latin-1")


def found(places: Iterator[tuple[str, str]], values: tuple[str, ...]) -> list[tuple[str, str]]:
    """(place, value) for each value found; UTF-8 values are searched as their bytes too."""
    hits = []
    for place, content in places:
        for value in values:
            if value in content or value.encode().decode("latin-1") in content:
                hits.append((place, value))
    return hits


@pytest.fixture
def withdrawn(db: None, term: Callable[[str, str], Any]) -> Case:
    return reporter_session(term)


def test_the_flow_stored_what_the_scan_looks_for(withdrawn: Case) -> None:
    """The scan below can fail: the data is there, sealed, and readable through the models."""
    assert (withdrawn.reporter_name, withdrawn.contact) == (NAME, CONTACT)
    assert withdrawn.description == DESCRIPTION and withdrawn.state == "withdrawn"
    assert Note.objects.get(case=withdrawn).text == NOTE
    assert Evidence.objects.filter(case=withdrawn).count() == 2
    assert found(every_row_as_text(), (withdrawn.receipt_code,)) != []


def test_no_table_holds_the_address_the_browser_or_cleartext_personal_data(
    withdrawn: Case,
) -> None:
    assert found(every_row_as_text(), NEVER) == []
    assert found(decoded_sessions(), NEVER) == []


def test_no_file_of_the_project_holds_them(withdrawn: Case, _evidence_dir: Path) -> None:
    folder = _evidence_dir.parent  # the evidence folder and the published reports beside it
    assert list(_evidence_dir.rglob("*")), "the files were stored"
    assert found(every_file_as_text(folder), NEVER) == []


def test_a_failed_staff_login_stores_no_address_either(db: None) -> None:
    client = Client(**CONNECTION)
    client.post("/staff/login/", {"username": "nobody-here", "password": "wrong password 1"})
    assert found(every_row_as_text(), (ADDRESS, FORWARDED, BROWSER)) == []
