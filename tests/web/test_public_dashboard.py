"""The public dashboard: verified cases only, by month, type, platform and outcome, in each
language, as tables with inline SVG bars; computed once a minute per language."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from marsad.web.cases.actions import NewReport, submit_report
from marsad.web.cases.models import Case
from marsad.web.cases.states import State
from marsad.web.public.actions import publish_report

from .conftest import PASSPHRASE


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def make_case(
    term: Callable[[str, str], Any],
    state: State,
    *,
    kind: str = "content_removal",
    platform: str | None = "facebook",
    received: datetime = datetime(2026, 3, 10, 12, tzinfo=UTC),
    **fields: Any,
) -> Case:
    """A case filed by the public action, then put in `state` (verified when it counts)."""
    report = NewReport(
        violation_type=term("violation_type", kind),
        platform=term("platform", platform) if platform else None,
        description=f"a {kind} report",
        reporter_name="Reporter Name Rania",
        contact="rania.private@example.org",
        contact_method="email",
        wants_contact=True,
        consent=True,
    )
    case = submit_report(report, PASSPHRASE)
    verified = received if state in (State.VERIFIED, State.ESCALATED, State.OUTCOME) else None
    values = {"state": state.value, "received_at": received, "verified_at": verified} | fields
    Case.objects.filter(pk=case.pk).update(**values)
    return Case.objects.get(pk=case.pk)


def total_on(html: str) -> int:
    found = re.search(r'<span class="total-number">(\d+)</span>', html)
    assert found is not None
    return int(found.group(1))


def row(html: str, label: str) -> int:
    pattern = rf'<th scope="row">{re.escape(label)}</th>\s*<td class="num">(\d+)</td>'
    found = re.search(pattern, html)
    assert found is not None, f"no row {label!r}"
    return int(found.group(1))


@pytest.fixture
def cases(db: None, term: Callable[[str, str], Any]) -> list[Case]:
    april = datetime(2026, 4, 2, 9, tzinfo=UTC)
    return [
        make_case(term, State.VERIFIED),
        make_case(term, State.ESCALATED, kind="account_suspension", platform="instagram"),
        make_case(term, State.OUTCOME, outcome="restored", received=april),
        make_case(term, State.OUTCOME, outcome="no_response", platform=None, received=april),
        make_case(term, State.RECEIVED),
        make_case(term, State.DOCUMENTED),
        make_case(term, State.REJECTED),
        make_case(term, State.WITHDRAWN),
        make_case(term, State.DUPLICATE),
    ]


@pytest.mark.parametrize("lang", ["ar", "he", "en"])
def test_only_verified_cases_are_counted_in_each_language(
    cases: list[Case], term: Callable[[str, str], Any], lang: str
) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE=lang).get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert total_on(html) == 4
    assert row(html, term("violation_type", "content_removal").name(lang)) == 3
    assert row(html, term("violation_type", "account_suspension").name(lang)) == 1
    assert row(html, term("platform", "facebook").name(lang)) == 2
    assert row(html, term("platform", "instagram").name(lang)) == 1
    assert html.count('<svg class="bar"') == 2 + 2 + 2 + 2  # months, types, platforms, outcomes


def test_months_and_outcomes_are_labelled(cases: list[Case]) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    assert re.search(r'<time datetime="2026-03">March 2026</time></th>\s*<td class="num">2<', html)
    assert re.search(r'<time datetime="2026-04">April 2026</time></th>\s*<td class="num">2<', html)
    assert row(html, "Restored") == 1 and row(html, "No response") == 1


def test_the_bars_grow_from_the_start_side_of_the_language(cases: list[Case]) -> None:
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    arabic = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/").content.decode()
    # content removal (3) is the longest bar; account suspension (1) a third of it
    assert '<rect x="0" y="0" width="100" height="10">' in english
    assert '<rect x="0" y="0" width="33.3" height="10">' in english
    assert '<rect x="66.7" y="0" width="33.3" height="10">' in arabic


def test_the_method_is_stated_next_to_the_numbers(db: None) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    assert total_on(html) == 0
    assert "only cases that our staff verified are counted" in html
    assert "No verified cases yet." in html


def test_the_page_needs_no_script_and_no_outside_asset(cases: list[Case]) -> None:
    html = Client().get("/").content.decode()
    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_the_numbers_are_kept_for_a_minute_per_language(
    cases: list[Case], term: Callable[[str, str], Any]
) -> None:
    english, arabic = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="ar")
    assert total_on(english.get("/").content.decode()) == 4
    make_case(term, State.VERIFIED)
    assert total_on(english.get("/").content.decode()) == 4
    assert total_on(arabic.get("/").content.decode()) == 5
    cache.clear()
    assert total_on(english.get("/").content.decode()) == 5


def test_nothing_personal_is_on_the_dashboard(cases: list[Case]) -> None:
    Case.objects.filter(pk=cases[0].pk).update(public_summary="An account was restored.")
    html = Client().get("/").content.decode()
    assert "An account was restored." in html
    for case in cases:
        assert case.receipt_code not in html
    for secret in ("Reporter Name Rania", "rania.private@example.org", "a content_removal report"):
        assert secret not in html


def test_the_latest_published_reports_are_listed(db: None, tmp_path: Any) -> None:
    pdf = tmp_path / "index-2025.pdf"
    pdf.write_bytes(b"%PDF-1.7 racism and incitement index")
    publish_report(pdf, "Index of Racism and Incitement 2025", "en")
    html = Client().get("/").content.decode()
    assert "Index of Racism and Incitement 2025" in html
    assert "/reports/" in html
