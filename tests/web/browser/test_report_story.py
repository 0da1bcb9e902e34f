"""The observatory's whole story in a real browser: a report filed in Arabic through the public
form is found in the staff queue by a documenter, verified by a verifier, counted on the public
dashboard, and its new state is shown to the reporter."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from marsad.web.cases.states import State
from marsad.web.public.status import SENTENCES

from .conftest import LiveSite, NewPage
from .pages import (
    Counted,
    Report,
    dashboard_counts,
    direction,
    file_report,
    log_in,
    move_case,
    open_case,
    open_status,
    say,
    term_name,
)

REPORT = Report(
    violation_type="account_suspension",
    platform="instagram",
    what_happened=(
        "عُلّق حسابي على إنستغرام دون أي تحذير بعد أن نشرتُ صوراً من الوقفة الاحتجاجية أمام "
        "البلدية. وصلتني رسالة تقول إن الحساب يخالف معايير المجتمع."
    ),
    link="https://www.instagram.com/p/C7xQ2mNs8Lk/",
    passphrase="زيتونة قرب البئر ٤٢",
)


def document(page: Page) -> None:
    """A documenter's work on a new case: triage, classify, note, mark documented."""
    move_case(page, State.TRIAGED)
    classify = page.get_by_role("region", name="Classification")
    perpetrator = term_name("perpetrator", "platform_company", "en")
    classify.get_by_label("Perpetrator type").select_option(label=perpetrator)
    affected = term_name("affected_party", "journalist", "en")
    classify.get_by_label("Affected party").select_option(label=affected)
    classify.get_by_role("button", name="Save the classification").click()
    expect(page.get_by_role("status")).to_contain_text("Classification saved.")
    page.get_by_label("Staff note").fill(
        "Called the reporter back on Signal: suspension notice matches the platform's template."
    )
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_role("status")).to_contain_text("Note added.")
    move_case(page, State.DOCUMENTED)


def test_a_report_filed_in_arabic_is_verified_counted_and_its_new_state_shown_to_the_reporter(
    new_page: NewPage, live_site: LiveSite
) -> None:
    # The dashboard's numbers are kept a minute per language, so they are read in English
    # before and in Arabic after: the Arabic page has not been computed before that.
    before = dashboard_counts(new_page("en"), "en", REPORT.violation_type)

    reporter = new_page("ar")
    reporter.goto("/report/")
    expect(reporter.locator("html")).to_have_attribute("dir", "rtl")
    assert direction(reporter) == "rtl"
    code = file_report(reporter, "ar", REPORT)

    documenter = new_page("en")
    log_in(documenter, *live_site.login("documenter"))
    open_case(documenter, code)
    expect(documenter.get_by_text(REPORT.what_happened)).to_be_visible()
    document(documenter)

    verifier = new_page("en")
    log_in(verifier, *live_site.login("verifier"))
    open_case(verifier, code)
    reason = "The suspension notice and the screenshots match; the account was active before."
    move_case(verifier, State.VERIFIED, reason)
    expect(verifier.get_by_text(reason)).to_be_visible()  # in the case's history

    after = dashboard_counts(reporter, "ar", REPORT.violation_type)
    assert after == Counted(before.total + 1, before.of_type + 1)

    open_status(reporter, "ar", code, REPORT.passphrase)
    expect(reporter.get_by_role("heading", name=say("ar", State.VERIFIED.label))).to_be_visible()
    expect(reporter.get_by_text(say("ar", SENTENCES[State.VERIFIED]))).to_be_visible()
    assert direction(reporter) == "rtl"
