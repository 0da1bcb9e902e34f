"""CSRF: every URL of the site (found by walking the URL resolver, so a new one is covered)
refuses a POST without a CSRF token, from an anonymous visitor and from a signed-in admin, when
the client checks tokens as a browser's requests are checked: 403 wherever the view takes POSTs
(403 or 405 where it takes none), and nothing is changed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from marsad.web.cases.models import AuditEntry, Case, Escalation, Note, Term
from marsad.web.evidence.models import Evidence


def _walk(resolver: URLResolver, prefix: str) -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or str(entry.pattern)


URLS = sorted(set(_walk(get_resolver(), "/")))
# The views that take a form by POST (the walk must find them: a check that the test can fail).
POST_VIEWS = {
    "set_language",
    "login",
    "logout",
    "case_move",
    "case_assign",
    "case_classify",
    "case_note",
    "case_summary",
    "case_merge",
    "escalation_new",
    "escalation_reply",
    "taxonomy_add",
    "taxonomy_edit",
    "taxonomy_active",
    "taxonomy_move",
    "taxonomy_delete",
    "exports",
    "evidence_add",
    "evidence_capture",
    "report",
    "status",
    "status_add",
    "status_withdraw",
    "status_leave",
}


def _path(pattern: str, case: Case) -> str:
    ids = {
        "case_id": case.pk,
        "escalation_id": Escalation.objects.get(case=case).pk,
        "term_id": case.platform_id,
        "evidence_id": Evidence.objects.get(case=case).pk,
        "pk": 1,
        "kind": "platform",
        "filename": "report.pdf",
    }
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), pattern)


def _state() -> tuple[int, ...]:
    models: list[Any] = [AuditEntry, Case, Note, Term, Evidence, Escalation]
    return tuple(model.objects.count() for model in models)


def test_the_walk_finds_every_form_view() -> None:
    assert {name for _, name in URLS} >= POST_VIEWS


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "admin"])
@pytest.mark.parametrize(("pattern", "name"), URLS, ids=[name for _, name in URLS])
def test_a_post_without_a_csrf_token_is_refused(
    hostile_case: Case,
    admin: User,
    pattern: str,
    name: str,
    signed_in: bool,
) -> None:
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        client.force_login(admin)
    before = _state()
    response = client.post(_path(pattern, hostile_case), {"text": "x", "name_en": "x"})
    expected = {403} if name in POST_VIEWS else {403, 405}
    assert response.status_code in expected, (name, response.status_code)
    assert _state() == before
