"""What the browser tests do on the site, through what a user sees: labels, button names,
headings and roles. Texts come from the site's own forms and gettext catalogues, so a test
finds the fields of the Arabic page by their Arabic labels."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django_otp.oath import hotp
from playwright.sync_api import Page, expect

from marsad.web.cases.receipts import ALPHABET
from marsad.web.cases.states import State
from marsad.web.cases.taxonomy import seed_terms
from marsad.web.public.forms import ReportForm, StatusLoginForm

RECEIPT = re.compile(f"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")
NAME_COLUMN = {"en": 1, "ar": 2, "he": 3}  # in seed_terms(): (key, en, ar, he)


def say(lang: str, text: str | Promise) -> str:
    """`text` as the site shows it in `lang`; fails if Arabic or Hebrew has no translation."""
    with translation.override(lang):
        shown = gettext(text) if isinstance(text, str) else str(text)
    if lang != "en":
        with translation.override("en"):
            english = str(text)
        assert shown != english, f"{english!r} is not translated into {lang}"
    return shown


def label(form: type[forms.Form], field: str, lang: str) -> str:
    return say(lang, form.base_fields[field].label or "")


def term_name(kind: str, key: str, lang: str) -> str:
    """A taxonomy term's name in `lang`, as seeded into a new project."""
    names = {row[0]: row[NAME_COLUMN[lang]] for row in seed_terms()[kind]}
    return names[key]


def direction(page: Page) -> str:
    """The writing direction the page's main content is laid out in: "rtl" or "ltr"."""
    value = page.get_by_role("main").evaluate("main => getComputedStyle(main).direction")
    return str(value)


@dataclass(frozen=True)
class Report:
    violation_type: str  # taxonomy keys
    platform: str
    what_happened: str
    link: str
    passphrase: str


def fill_report(page: Page, lang: str, report: Report) -> None:
    def field(name: str) -> Any:
        return page.get_by_label(label(ReportForm, name, lang), exact=True)

    kind = term_name("violation_type", report.violation_type, lang)
    field("violation_type").select_option(label=kind)
    field("platform").select_option(label=term_name("platform", report.platform, lang))
    field("description").fill(report.what_happened)
    field("links").fill(report.link)
    field("consent").check()
    field("passphrase").fill(report.passphrase)
    field("passphrase_again").fill(report.passphrase)


def read_receipt(page: Page, lang: str) -> str:
    """The receipt code the page shows after filing."""
    heading = say(lang, "Thank you: we received your report")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    code = page.get_by_label(say(lang, "Receipt code"), exact=True).input_value()
    assert RECEIPT.fullmatch(code), f"{code!r} is not a receipt code"
    return code


def file_report(page: Page, lang: str, report: Report) -> str:
    """Fill the form at /report/ in `lang`, send it, and return the receipt code."""
    page.goto("/report/")
    fill_report(page, lang, report)
    page.get_by_role("button", name=say(lang, "Send the report"), exact=True).click()
    return read_receipt(page, lang)


def open_status(page: Page, lang: str, code: str, passphrase: str) -> None:
    page.goto("/report/status/")
    page.get_by_label(label(StatusLoginForm, "receipt_code", lang), exact=True).fill(code)
    page.get_by_label(label(StatusLoginForm, "passphrase", lang), exact=True).fill(passphrase)
    page.get_by_role("button", name=say(lang, "Open the report"), exact=True).click()


def log_in(page: Page, username: str, password: str, key: bytes) -> None:
    """The two steps of the staff login: the password, then the authenticator app's code."""
    page.goto("/staff/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill(app_code(key))
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", name="Case queue")).to_be_visible()


_LAST_STEP: dict[bytes, int] = {}


def app_code(key: bytes, step_seconds: int = 30) -> str:
    """The code an authenticator app shows for `key`: the current 30-second step's, or the next
    one's when this key's current code was used already (a code is accepted only once)."""
    while True:
        now = int(time.time()) // step_seconds
        step = max(now, _LAST_STEP.get(key, -1) + 1)
        if step <= now + 1:  # the site accepts the codes of one step either side
            break
        time.sleep(1)
    _LAST_STEP[key] = step
    return f"{hotp(key, step):06d}"


def open_case(page: Page, code: str) -> None:
    """Find the case in the queue by its receipt code and open it."""
    filters = page.get_by_role("search", name="Filter the cases")
    filters.get_by_label("Receipt code").fill(code)
    filters.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("link", name=code, exact=True)).to_have_count(1)
    page.get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def move_case(page: Page, to: State, reason: str = "") -> None:
    """Press the case page's button for this move, with its reason."""
    button = page.get_by_role("button", name=f"Move to “{to.label}”", exact=True)
    if reason:
        page.locator("form").filter(has=button).get_by_label("Reason").fill(reason)
    button.click()
    expect(page.get_by_role("status")).to_contain_text(f"Moved to “{to.label}”.")


@dataclass(frozen=True)
class Counted:
    total: int
    of_type: int


def dashboard_counts(page: Page, lang: str, violation_type: str) -> Counted:
    """The public dashboard's total of verified cases and its count for one violation type
    (0 while the type is not listed)."""
    page.goto("/")
    total = page.get_by_text(say(lang, "verified cases in total")).inner_text()
    number = re.search(r"\d+", total)
    assert number, f"no number in the dashboard's total: {total!r}"
    table = page.get_by_role("table", name=say(lang, "By kind of violation"))
    kind = term_name("violation_type", violation_type, lang)
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=kind, exact=True))
    count = int(row.get_by_role("cell").first.inner_text()) if row.count() else 0
    return Counted(int(number.group()), count)
