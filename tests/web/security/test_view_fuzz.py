"""Hypothesis through the real views (Django test client, each with the persona that may use
it): hostile values never make a 500, and a post the view accepts stores exactly what was sent
(the personal fields round-trip through their sealed columns)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from marsad.web.cases.models import Case, Note, Term
from marsad.web.evidence.models import Evidence

from ..conftest import PASSPHRASE
from .field_values import SAMPLE_URLS, plain_text, uploads
from .hostile import hostile_date, hostile_number, hostile_text

VIEWS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ClientFor = Callable[[User | None], Client]
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def text_or_hostile(max_size: int) -> st.SearchStrategy[str]:
    return st.one_of(plain_text(1, max_size), hostile_text(max_size))


def _newest(model: Any) -> Any:
    return model.objects.order_by("-pk").first()


@VIEWS
@given(
    description=text_or_hostile(500),
    name=text_or_hostile(150),
    contact=text_or_hostile(220),
    day=st.one_of(st.just(""), st.dates(max_value=date(2026, 1, 1)).map(str), hostile_date()),
    links=st.one_of(
        st.lists(st.sampled_from(SAMPLE_URLS), max_size=3).map(" \n".join), hostile_text(200)
    ),
)
def test_the_public_form_stores_what_was_sent_or_refuses_it(
    term: Callable[[str, str], Term],
    description: str,
    name: str,
    contact: str,
    day: str,
    links: str,
) -> None:
    data = {
        "violation_type": term("violation_type", "hacking").pk,
        "description": description,
        "occurred_on": day,
        "links": links,
        "wants_contact": "on",
        "contact_method": "signal",
        "contact": contact,
        "reporter_name": name,
        "consent": "on",
        "passphrase": PASSPHRASE,
        "passphrase_again": PASSPHRASE,
    }
    before = _newest(Case)
    response = Client().post("/report/", data)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 302)
    case = _newest(Case)
    if response.status_code == 200:
        assert case == before, "a refused report was filed"
        return
    case = Case.objects.get(pk=case.pk)
    assert (case.description, case.reporter_name) == (description.strip(), name.strip())
    assert case.contact == contact.strip()
    assert case.links == "\n".join(line.strip() for line in links.splitlines() if line.strip())
    if ISO_DAY.fullmatch(day):
        assert case.occurred_on is not None and case.occurred_on.isoformat() == day


@pytest.fixture
def reporter(filed_case: Case) -> Client:
    """A reporter's browser with the status page opened by receipt code and passphrase."""
    client = Client()
    data = {"receipt_code": filed_case.receipt_code, "passphrase": PASSPHRASE}
    assert client.post("/report/status/", data).status_code == 302
    return client


@VIEWS
@given(code=hostile_text(60), passphrase=hostile_text(220))
def test_the_status_login_refuses_hostile_codes_without_an_error(
    filed_case: Case, code: str, passphrase: str
) -> None:
    response = Client().post("/report/status/", {"receipt_code": code, "passphrase": passphrase})
    event(f"HTTP {response.status_code}")
    assert response.status_code == 200


@VIEWS
@given(text=text_or_hostile(2000), files=st.lists(uploads(), max_size=2))
def test_added_information_is_stored_as_sent_or_refused(
    filed_case: Case, reporter: Client, text: str, files: list[Any]
) -> None:
    before = _newest(Note)
    response = reporter.post("/report/status/add/", {"text": text, "attachments": files})
    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        note = _newest(Note)
        assert note != before and note.from_reporter and note.text == text.strip()


@VIEWS
@given(text=text_or_hostile(3000))
def test_a_staff_note_is_stored_as_sent_or_refused(
    filed_case: Case, documenter: User, client_for: ClientFor, text: str
) -> None:
    url = reverse("staff:case_note", args=[filed_case.pk])
    response = client_for(documenter).post(url, {"text": text})
    event(f"HTTP {response.status_code}")
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert _newest(Note).text == text.strip()


@VIEWS
@given(summary=text_or_hostile(4100))
def test_a_public_summary_is_stored_as_sent_or_refused(
    filed_case: Case, verifier: User, client_for: ClientFor, summary: str
) -> None:
    url = reverse("staff:case_summary", args=[filed_case.pk])
    response = client_for(verifier).post(url, {"summary": summary})
    event(f"HTTP {response.status_code}")
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert Case.objects.get(pk=filed_case.pk).public_summary == summary.strip()


@VIEWS
@given(upload=uploads(), description=text_or_hostile(600))
def test_an_evidence_upload_is_stored_as_sent_or_refused(
    filed_case: Case, documenter: User, client_for: ClientFor, upload: Any, description: str
) -> None:
    url = reverse("staff:evidence_add", args=[filed_case.pk])
    before = _newest(Evidence)
    response = client_for(documenter).post(url, {"file": upload, "description": description})
    event(f"HTTP {response.status_code}")
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        item = _newest(Evidence)
        assert item != before and item.description == description.strip()
        assert item.media_type not in ("text/html", "image/svg+xml")


@VIEWS
@given(
    key=st.one_of(st.from_regex(r"\A[a-z][a-z0-9_]{0,20}\Z"), hostile_text(80)),
    name=text_or_hostile(130),
)
def test_a_new_taxonomy_term_is_stored_as_sent_or_refused(
    admin: User, client_for: ClientFor, key: str, name: str
) -> None:
    url = reverse("staff:taxonomy_add", args=["platform"])
    before = _newest(Term)
    response = client_for(admin).post(url, {"key": key, "name_en": name, "name_ar": name})
    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302 and _newest(Term) != before:
        term = _newest(Term)
        assert (term.key, term.name_en, term.name_ar) == (key, name.strip(), name.strip())


QUEUE_PARAMS = [
    "state",
    "violation_type",
    "platform",
    "assignee",
    "received_from",
    "received_to",
    "receipt",
    "waiting",
    "page",
]


@VIEWS
@given(
    params=st.dictionaries(
        st.sampled_from(QUEUE_PARAMS), st.one_of(hostile_text(80), hostile_number(), hostile_date())
    )
)
@pytest.mark.parametrize("persona", ["documenter", "analyst"])
def test_hostile_queue_filters_never_break_the_queue(
    filed_case: Case,
    client_for: ClientFor,
    request: pytest.FixtureRequest,
    persona: str,
    params: dict[str, str],
) -> None:
    response = client_for(request.getfixturevalue(persona)).get("/staff/", params)
    event(f"HTTP {response.status_code}")
    assert response.status_code == 200


@VIEWS
@given(
    params=st.fixed_dictionaries(
        {},
        optional={
            "kind": st.one_of(st.sampled_from(["anonymised", "complete"]), hostile_text(40)),
            "format": st.one_of(st.sampled_from(["csv", "json"]), hostile_text(40)),
            "states": st.lists(
                st.one_of(st.sampled_from(["received", "verified"]), hostile_text(30)), max_size=3
            ),
            "received_from": hostile_date(),
            "received_to": hostile_date(),
        },
    )
)
def test_hostile_export_requests_are_answered_or_refused(
    filed_case: Case, admin: User, client_for: ClientFor, params: dict[str, Any]
) -> None:
    response = client_for(admin).post("/staff/exports/", params)
    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 400)
    if response.status_code == 200 and response.streaming:
        b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.mark.parametrize("username", ["a" * 151, "a" * 256, "ب" * 300, "a" * 10_000, "a\x00b"])
def test_a_huge_or_broken_username_at_the_login_is_refused_without_an_error(
    db: None, username: str
) -> None:
    client = Client()
    response = client.post("/staff/login/", {"username": username, "password": "x" * 300})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
