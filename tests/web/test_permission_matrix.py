"""Every staff URL for every persona: who may open it, who is refused, and how.

The case pages' URLs are checked against an explicit table. Every other URL of the `staff`
namespace (evidence, escalations, taxonomy, exports, ...) is found by walking the URL resolver
at test time, so a page added later is covered too: anonymous visitors are sent to the login
page and a user without a persona gets 403. Then each form of the case page is posted by every
persona: the allowed ones change the case and write an audit entry, the refused ones change
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from marsad.web.cases import actions
from marsad.web.cases.models import AuditEntry, Case, Escalation, Term
from marsad.web.cases.states import State
from marsad.web.evidence.models import Evidence

from .conftest import make_staff

PERSONAS = ["anonymous", "outsider", "documenter", "verifier", "analyst", "admin"]
CASE_URLS_MODULE = "marsad.web.staff.urls_cases"


@dataclass(frozen=True)
class StaffUrl:
    name: str
    params: tuple[str, ...]
    module: str


def _walk(resolver: URLResolver, params: tuple[str, ...]) -> Iterator[StaffUrl]:
    module = getattr(resolver.urlconf_name, "__name__", str(resolver.urlconf_name))
    for entry in resolver.url_patterns:
        found = params + tuple(getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            yield from _walk(entry, found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield StaffUrl(entry.name, found, module)


def staff_urls() -> list[StaffUrl]:
    """Every named URL under the `staff` namespace, with its path parameters."""
    root = get_resolver()
    staff = [r for r in root.url_patterns if getattr(r, "namespace", None) == "staff"]
    assert len(staff) == 1, "the staff URLs are one namespace under /staff/"
    return list(_walk(staff[0], tuple(staff[0].pattern.converters)))


ALL_URLS = staff_urls()
CASE_URLS = [u for u in ALL_URLS if u.module == CASE_URLS_MODULE]
OTHER_URLS = [u for u in ALL_URLS if u.module != CASE_URLS_MODULE]

# GET status per persona for the case pages' URLs. 302 for anonymous means "to the login page";
# the forms' URLs take POST only (405 to a persona allowed past the role check).
ANON, OUT, DOC, VER, ANA, ADM = PERSONAS
PAGE = {ANON: 302, OUT: 403, DOC: 200, VER: 200, ANA: 200, ADM: 200}
WORKER_FORM = {ANON: 302, OUT: 403, DOC: 405, VER: 405, ANA: 403, ADM: 405}
SENIOR_FORM = {ANON: 302, OUT: 403, DOC: 403, VER: 405, ANA: 403, ADM: 405}
EXPECTED: dict[str, dict[str, int]] = {
    "login": dict.fromkeys(PERSONAS, 200),  # open to all (logging in as someone else)
    "logout": dict.fromkeys(PERSONAS, 405),  # POST only, for everyone
    # the login's code step and enrolment: a verified session is sent on (to the queue)
    "two_factor": dict.fromkeys(PERSONAS, 302),
    "two_factor_enrol": dict.fromkeys(PERSONAS, 302),
    "queue": PAGE,  # analysts get the anonymised list
    "case": PAGE,  # analysts get the anonymised case page
    "case_move": WORKER_FORM,
    "case_assign": WORKER_FORM,
    "case_classify": WORKER_FORM,
    "case_note": WORKER_FORM,
    "case_merge": WORKER_FORM,
    "case_summary": SENIOR_FORM,
    "case_purge": {ANON: 302, OUT: 403, DOC: 403, VER: 403, ANA: 403, ADM: 200},  # admins only
}


@pytest.fixture
def users(db: None) -> dict[str, User | None]:
    people: dict[str, User | None] = {"anonymous": None, "outsider": make_staff("olaf", None)}
    for persona in PERSONAS[2:]:
        people[persona] = make_staff(f"m-{persona}", persona)
    return people


@pytest.fixture
def ids(filed_case: Case, term: Callable[[str, str], Term]) -> dict[str, int]:
    """Real rows to fill the URLs' path parameters with."""
    platform = term("platform", "instagram")
    evidence = Evidence.objects.create(
        case=filed_case,
        kind="upload",
        sha256="0" * 64,
        size=1,
        media_type="text/plain",
        blob_name="permission-matrix",
    )
    escalation = Escalation.objects.create(
        case=filed_case, platform=platform, channel="email", sent_on=date(2026, 1, 2)
    )
    return {
        "case_id": filed_case.id,
        "evidence_id": evidence.id,
        "term_id": platform.id,
        "escalation_id": escalation.id,
    }


WORDS = {"kind": "platform", "format": "csv", "fmt": "csv"}


def url_of(staff_url: StaffUrl, ids: dict[str, int]) -> str:
    values: dict[str, Any] = {}
    for param in staff_url.params:
        if param not in ids and param not in WORDS:
            raise AssertionError(
                f"staff:{staff_url.name} has a path parameter {param!r} this test cannot fill: "
                "add a value for it to `ids` or WORDS in tests/web/test_permission_matrix.py"
            )
        values[param] = ids.get(param, WORDS.get(param))
    return reverse(f"staff:{staff_url.name}", kwargs=values)


def client_as(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_case_page_url_is_in_the_table() -> None:
    assert {u.name for u in CASE_URLS} == set(EXPECTED)


def test_the_walk_finds_each_url_with_its_path_parameters() -> None:
    found = {u.name: u.params for u in ALL_URLS}
    assert (found["queue"], found["case"], found["case_move"]) == ((), ("case_id",), ("case_id",))
    assert all(u.name in found for u in OTHER_URLS) and OTHER_URLS


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("staff_url", CASE_URLS, ids=lambda u: u.name)
def test_case_pages_answer_each_persona_as_the_table_says(
    users: dict[str, User | None], ids: dict[str, int], staff_url: StaffUrl, persona: str
) -> None:
    url = url_of(staff_url, ids)
    response = client_as(users[persona]).get(url)
    expected = EXPECTED[staff_url.name][persona]
    assert response.status_code == expected, f"GET {url} as {persona}"
    if expected == 302 and persona == ANON:
        assert response["Location"].startswith("/staff/login/?next=")


@pytest.mark.parametrize("staff_url", OTHER_URLS, ids=lambda u: u.name)
def test_other_staff_pages_send_anonymous_to_login_and_refuse_outsiders(
    users: dict[str, User | None], ids: dict[str, int], staff_url: StaffUrl
) -> None:
    url = url_of(staff_url, ids)
    for persona, expected in ((ANON, 302), (OUT, 403)):
        client = client_as(users[persona])
        response = client.get(url)
        if response.status_code == 405:  # a POST-only URL: the refusal must come first
            response = client.post(url)
        assert response.status_code == expected, f"{url} as {persona}"
        if persona == ANON:
            assert response["Location"].startswith("/staff/login/?next=")


# Posting the case page's forms, persona by persona


def snapshot(case: Case) -> tuple[Any, ...]:
    case = Case.objects.get(pk=case.pk)
    return (
        case.state,
        case.assignee_id,
        case.violation_type_id,
        case.public_summary,
        case.duplicate_of_id,
        case.notes.count(),
        AuditEntry.objects.count(),
    )


@dataclass(frozen=True)
class FormPost:
    form: str
    start: State
    data: Callable[[Case, Case, User | None], dict[str, Any]]
    changed: Callable[[Case, User], bool]
    allowed: frozenset[str]


WORKERS = frozenset({DOC, VER, ADM})
SENIORS = frozenset({VER, ADM})


def _hacking() -> int:
    return Term.objects.get(kind="violation_type", key="hacking").id


POSTS = [
    FormPost(
        "move",
        State.RECEIVED,
        lambda case, other, user: {"to": "triaged"},
        lambda case, user: case.state == State.TRIAGED,
        WORKERS,
    ),
    FormPost(
        "move",
        State.DOCUMENTED,
        lambda case, other, user: {"to": "verified", "reason": "two sources confirm it"},
        lambda case, user: case.state == State.VERIFIED and case.verified_at is not None,
        SENIORS,
    ),
    FormPost(
        "assign",
        State.RECEIVED,
        lambda case, other, user: {"assignee": "me"},
        lambda case, user: case.assignee_id == user.pk,
        WORKERS,
    ),
    FormPost(
        "classify",
        State.TRIAGED,
        lambda case, other, user: {"violation_type": _hacking()},
        lambda case, user: case.violation_type.key == "hacking" and case.platform is None,
        WORKERS,
    ),
    FormPost(
        "note",
        State.TRIAGED,
        lambda case, other, user: {"text": "Reporter sent the original link by Signal."},
        lambda case, user: case.notes.get().author_id == user.pk,
        WORKERS,
    ),
    FormPost(
        "summary",
        State.VERIFIED,
        lambda case, other, user: {"summary": "An activist's posts were removed."},
        lambda case, user: case.public_summary == "An activist's posts were removed.",
        SENIORS,
    ),
    FormPost(
        "merge",
        State.TRIAGED,
        lambda case, other, user: {"original": other.receipt_code, "reason": "same event"},
        lambda case, user: case.state == State.DUPLICATE and case.duplicate_of_id is not None,
        WORKERS,
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("post", POSTS, ids=lambda p: f"{p.form}-from-{p.start.value}")
def test_each_form_changes_the_case_only_for_its_personas(
    users: dict[str, User | None],
    filed_case: Case,
    term: Callable[[str, str], Term],
    post: FormPost,
    persona: str,
) -> None:
    Case.objects.filter(pk=filed_case.pk).update(state=post.start.value)
    other = actions.submit_report(
        actions.NewReport(term("violation_type", "hacking"), "the original", consent=True),
        "passphrase of the original",
    )
    user = users[persona]
    client = client_as(user)  # signing in is audited too
    before = snapshot(filed_case)
    url = f"/staff/cases/{filed_case.id}/{post.form}/"
    response = client.post(url, post.data(filed_case, other, user))
    if persona in post.allowed:
        assert user is not None
        assert (response.status_code, response["Location"]) == (
            302,
            f"/staff/cases/{filed_case.id}/",
        )
        assert post.changed(Case.objects.get(pk=filed_case.pk), user)
        entry = AuditEntry.objects.latest("id")
        assert (entry.case_ref, entry.actor_label) == (filed_case.id, user.username)
    else:
        assert response.status_code == (302 if user is None else 403)
        assert snapshot(filed_case) == before
