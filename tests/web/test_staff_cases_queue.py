"""The staff case queue: the filtering module and the /staff/ page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from marsad.web.cases import actions
from marsad.web.cases.models import Case
from marsad.web.cases.states import State
from marsad.web.staff import queue
from marsad.web.staff.queue import QueueFilters, filter_cases

Term = Callable[[str, str], Any]


def file_report(
    term: Term, kind: str = "hacking", platform: str | None = None, **extra: Any
) -> Case:
    report = actions.NewReport(
        violation_type=term("violation_type", kind),
        platform=term("platform", platform) if platform else None,
        description="حساب مخترق منذ أمس",
        consent=True,
        **extra,
    )
    return actions.submit_report(report, "a passphrase for the queue")


def put(case: Case, **fields: Any) -> Case:
    Case.objects.filter(pk=case.pk).update(**fields)
    return Case.objects.get(pk=case.pk)


def codes(cases: Any) -> set[str]:
    return {c.receipt_code for c in cases}


def test_by_default_the_queue_holds_the_open_cases(db: None, term: Term, documenter: User) -> None:
    open_ones = [put(file_report(term), state=s) for s in ("received", "verified", "outcome")]
    ended = [put(file_report(term), state=s) for s in ("closed", "rejected", "withdrawn")]
    found = codes(filter_cases(QueueFilters(), documenter))
    assert found == codes(open_ones)
    assert codes(filter_cases(QueueFilters(state=queue.ALL), documenter)) == codes(
        open_ones + ended
    )
    rejected = filter_cases(QueueFilters(state="rejected"), documenter)
    assert codes(rejected) == {ended[1].receipt_code}


def test_it_filters_by_type_platform_and_received_dates(
    db: None, term: Term, documenter: User
) -> None:
    hacked = file_report(term, "hacking", "facebook")
    removed = file_report(term, "content_removal", "instagram")
    old = put(
        file_report(term, "hacking", "instagram"), received_at=datetime(2024, 1, 5, tzinfo=UTC)
    )
    by_type = QueueFilters(violation_type=term("violation_type", "hacking"))
    assert codes(filter_cases(by_type, documenter)) == codes([hacked, old])
    by_platform = QueueFilters(platform=term("platform", "instagram"))
    assert codes(filter_cases(by_platform, documenter)) == codes([removed, old])
    january = QueueFilters(received_from=date(2024, 1, 5), received_to=date(2024, 1, 5))
    assert codes(filter_cases(january, documenter)) == {old.receipt_code}
    since = QueueFilters(received_from=date(2024, 1, 6))
    assert codes(filter_cases(since, documenter)) == codes([hacked, removed])


def test_it_filters_by_assignee(db: None, term: Term, documenter: User, verifier: User) -> None:
    mine = actions.assign(file_report(term), documenter, documenter)
    theirs = actions.assign(file_report(term), verifier, documenter)
    nobodys = file_report(term)
    assert codes(filter_cases(QueueFilters(assignee=queue.ME), documenter)) == {mine.receipt_code}
    unassigned = QueueFilters(assignee=queue.UNASSIGNED)
    assert codes(filter_cases(unassigned, documenter)) == {nobodys.receipt_code}
    assert len(filter_cases(QueueFilters(assignee=queue.ANYONE), documenter)) == 3
    assert codes(filter_cases(QueueFilters(assignee=queue.ME), verifier)) == {theirs.receipt_code}


def test_waiting_on_me_is_my_cases_where_my_role_has_the_next_move(
    db: None, term: Term, documenter: User
) -> None:
    to_triage = actions.assign(file_report(term), documenter, documenter)
    to_verify = actions.assign(put(file_report(term), state="documented"), documenter, documenter)
    assert to_verify.state == State.DOCUMENTED  # a verifier's move, not a documenter's
    file_report(term)  # unassigned
    waiting = filter_cases(QueueFilters(waiting_on_me=True), documenter)
    assert codes(waiting) == {to_triage.receipt_code}


@pytest.mark.parametrize(
    "typed", ["{code}", "{lower}", "{bare}", "{first} {second}", "{second}", "{mid}"]
)
def test_the_receipt_search_finds_a_code_however_it_is_typed(
    db: None, term: Term, documenter: User, typed: str
) -> None:
    wanted, other = file_report(term), file_report(term)
    code = wanted.receipt_code
    first, second, _third = code.split("-")
    text = typed.format(
        code=code,
        lower=code.lower(),
        bare=code.replace("-", ""),
        first=first,
        second=second,
        mid=code.replace("-", "")[2:7],
    )
    found = codes(filter_cases(QueueFilters(receipt=text), documenter))
    assert wanted.receipt_code in found
    if len(text.replace(" ", "")) >= 8:
        assert other.receipt_code not in found


def test_analysts_filters_ignore_receipt_and_assignee(
    db: None, term: Term, analyst: User, documenter: User
) -> None:
    one = actions.assign(file_report(term), documenter, documenter)
    two = file_report(term)
    filters = QueueFilters(receipt=one.receipt_code, assignee=queue.UNASSIGNED, waiting_on_me=True)
    assert codes(filter_cases(filters, analyst)) == codes([one, two])


def test_rows_are_newest_first_with_counts_of_notes(db: None, term: Term, documenter: User) -> None:
    older = put(file_report(term), received_at=datetime(2025, 5, 1, tzinfo=UTC))
    newer = file_report(term)
    actions.add_staff_note(older, "called the reporter back", documenter)
    actions.reporter_add_information(older, "more screenshots coming")
    rows = list(queue.with_row_details(filter_cases(QueueFilters(), documenter)))
    assert [r.receipt_code for r in rows] == [newer.receipt_code, older.receipt_code]
    assert [(r.note_count, r.evidence_count) for r in rows] == [(0, 0), (2, 0)]


# The page


def test_the_queue_page_lists_rows_with_their_details(
    db: None, term: Term, documenter: User, client_for: Callable[[User | None], Client]
) -> None:
    case = actions.assign(file_report(term, "hacking", "telegram"), documenter, documenter)
    actions.add_staff_note(case, "first call done", documenter)
    page = client_for(documenter).get("/staff/").content.decode()
    for shown in (case.receipt_code, "Hacking or account takeover", "Telegram", "Received", "dina"):
        assert shown in page
    assert f'href="/staff/cases/{case.id}/"' in page


def test_the_queue_page_applies_filters_from_the_query_string(
    db: None, term: Term, documenter: User, client_for: Callable[[User | None], Client]
) -> None:
    hacked, removed = file_report(term, "hacking"), file_report(term, "content_removal")
    type_id = term("violation_type", "content_removal").id
    page = client_for(documenter).get(f"/staff/?violation_type={type_id}").content.decode()
    assert removed.receipt_code in page and hacked.receipt_code not in page
    page = client_for(documenter).get(f"/staff/?receipt={hacked.receipt_code}").content.decode()
    assert hacked.receipt_code in page and removed.receipt_code not in page


def test_the_shortcuts_show_new_reports_and_my_waiting_cases(
    db: None, term: Term, documenter: User, client_for: Callable[[User | None], Client]
) -> None:
    new = file_report(term)
    mine = actions.assign(put(file_report(term), state="triaged"), documenter, documenter)
    client = client_for(documenter)
    page = client.get("/staff/?state=received").content.decode()
    assert new.receipt_code in page and mine.receipt_code not in page
    page = client.get("/staff/?waiting=on").content.decode()
    assert mine.receipt_code in page and new.receipt_code not in page
    assert "?state=received" in page and "?waiting=on" in page


def test_a_bad_filter_is_reported_and_the_others_still_apply(
    db: None, term: Term, documenter: User, client_for: Callable[[User | None], Client]
) -> None:
    case = file_report(term)
    response = client_for(documenter).get("/staff/?received_from=yesterday&state=nonsense")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid date" in page and "Select a valid choice" in page
    assert case.receipt_code in page


def test_the_queue_is_paginated_by_fifty(
    db: None, term: Term, documenter: User, client_for: Callable[[User | None], Client]
) -> None:
    first = file_report(term)
    for _ in range(50):
        file_report(term)
    client = client_for(documenter)
    page_one = client.get("/staff/").content.decode()
    assert page_one.count('class="code"') == 50 and first.receipt_code not in page_one
    assert "Page 1 of 2" in page_one and "page=2" in page_one
    page_two = client.get("/staff/?page=2&state=open").content.decode()
    assert page_two.count('class="code"') == 1 and first.receipt_code in page_two


def test_analysts_see_an_anonymised_list(
    db: None,
    term: Term,
    analyst: User,
    documenter: User,
    client_for: Callable[[User | None], Client],
) -> None:
    case = actions.assign(file_report(term, "hacking", "x"), documenter, documenter)
    actions.add_staff_note(case, "the reporter is a journalist in Jenin", documenter)
    page = client_for(analyst).get("/staff/").content.decode()
    assert "Hacking or account takeover" in page and "X (Twitter)" in page
    for hidden in (case.receipt_code, "Jenin", "حساب مخترق", "dina", 'name="receipt"'):
        assert hidden not in page
    assert f'href="/staff/cases/{case.id}/"' in page


def test_the_queue_names_terms_in_the_chosen_language(
    db: None, term: Term, documenter: User, client_for: Callable[[User | None], Client]
) -> None:
    file_report(term, "hate_speech")
    client = client_for(documenter)
    client.cookies["django_language"] = "ar"
    page = client.get("/staff/").content.decode()
    assert "خطاب كراهية" in page and 'dir="rtl"' in page
