"""Concurrent writers extend the audit chain one after another: no fork, no lost entry."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from marsad.web.cases import actions, audit
from marsad.web.cases.models import AuditEntry, Case, Term

WRITERS = 8
REPORTS_EACH = 5


def _file_reports(type_id: int) -> int:
    try:
        kind = Term.objects.get(pk=type_id)
        for n in range(REPORTS_EACH):
            actions.submit_report(
                actions.NewReport(kind, f"report {n}", consent=True), "pass phrase"
            )
        return REPORTS_EACH
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_keep_one_unbroken_chain() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is one connection; PostgreSQL runs this")
    type_id = Term.objects.get(kind="violation_type", key="hacking").pk
    with ThreadPoolExecutor(WRITERS) as pool:
        filed = sum(pool.map(_file_reports, [type_id] * WRITERS))
    assert filed == Case.objects.count() == WRITERS * REPORTS_EACH
    assert AuditEntry.objects.filter(action="case.submitted").count() == filed
    assert audit.verify_chain() == []


def _unused(_: Any) -> None: ...
