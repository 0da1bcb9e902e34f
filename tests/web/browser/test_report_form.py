"""The public report form in a real browser: how it is drawn in Arabic, Hebrew and English on a
phone and a desktop (screenshots kept as test artifacts), filing without JavaScript, and
filing with the keyboard alone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from marsad.web.cases.states import State
from marsad.web.public import challenge

from .conftest import ARTIFACTS, BROWSER_POW_BITS, DESKTOP, NewPage
from .pages import Report, direction, file_report, open_status, read_receipt, say
from .png import read_png

DEVICES: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844}, "desktop": DESKTOP}
DIRECTION = {"ar": "rtl", "he": "rtl", "en": "ltr"}

# The report form's fields, in the order of the page.
FORM_FIELDS = [
    "violation_type",
    "platform",
    "description",
    "occurred_on",
    "links",
    "attachments",
    "wants_contact",
    "contact_method",
    "contact",
    "reporter_name",
    "consent",
    "passphrase",
    "passphrase_again",
]


def keep_artifact(shot: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, ARTIFACTS / shot.name)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("lang", DIRECTION)
def test_the_form_is_drawn_in_its_language_and_direction_on_a_phone_and_a_desktop(
    new_page: NewPage, tmp_path: Path, lang: str, device: str
) -> None:
    viewport = DEVICES[device]
    page = new_page(lang, viewport=viewport)
    page.goto("/report/")
    heading = say(lang, "Report a digital-rights violation")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("dir", DIRECTION[lang])
    assert direction(page) == DIRECTION[lang]

    shot = tmp_path / f"report-{lang}-{device}.png"
    page.screenshot(path=shot, full_page=True)
    keep_artifact(shot)
    image = read_png(shot.read_bytes())
    # As wide as the screen (nothing sticks out sideways), as long as the whole form.
    assert image.width == viewport["width"]
    assert image.height > viewport["height"]
    assert image.variance() > 100, f"{shot.name} is nearly one colour"
    assert image.share_unlike_corner() > 0.05, f"{shot.name} is nearly all background"


def test_the_form_files_a_report_with_javascript_turned_off(new_page: NewPage) -> None:
    page = new_page("he", javascript=False)
    report = Report(
        violation_type="hate_speech",
        platform="x",
        what_happened="קיבלתי עשרות תגובות שנאה ואיומים אחרי שפרסמתי כתבה על ההפגנה בחיפה.",
        link="https://x.com/someone/status/1790000000000000000",
        passphrase="עץ תאנה ליד הבאר",
    )
    code = file_report(page, "he", report)
    open_status(page, "he", code, report.passphrase)
    expect(page.get_by_role("heading", name=say("he", State.RECEIVED.label))).to_be_visible()


def test_the_browser_does_the_proof_of_work_and_the_report_is_accepted(new_page: NewPage) -> None:
    """pow.js (a static script: the page has no inline script) solves the server's signed
    challenge with Web Crypto, says so, and the report goes through."""
    page = new_page("ar")
    page.goto("/report/")
    form = page.locator("form[data-pow-bits]")
    expect(form).to_have_attribute("data-pow-bits", str(BROWSER_POW_BITS))
    expect(form).to_have_attribute("data-pow-ms", re.compile(r"^\d+$"))
    expect(page.locator(".pow-status")).to_have_text(say("ar", "The form is ready to be sent."))
    token = page.locator("input[name=pow_challenge]").get_attribute("value") or ""
    counter = page.locator("input[name=pow_solution]").input_value()
    assert challenge.works(token, counter, BROWSER_POW_BITS)
    report = Report(
        violation_type="content_removal",
        platform="facebook",
        what_happened="حُذف منشوري عن الاعتقالات بعد دقائق من نشره.",
        link="https://www.facebook.com/story.php?id=42",
        passphrase="شجرة زيتون قرب البئر",
    )
    code = file_report(page, "ar", report)
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code)


def focused_field(page: Page) -> str:
    """The name of the form field that has the keyboard focus (else the element's text)."""
    name = page.evaluate(
        "() => { const e = document.activeElement;"
        " return e ? (e.name || e.textContent || '').trim() : '' }"
    )
    return str(name)


def test_the_keyboard_alone_fills_the_form_and_sends_it(new_page: NewPage) -> None:
    """Tab from the top of the page through every field to the button, typing into the
    required ones, and press Enter."""
    page = new_page("en")
    page.goto("/report/")
    typed = {"description": "My page was removed after I posted about the strike."}
    typed |= {"passphrase": "fig tree by the well", "passphrase_again": "fig tree by the well"}
    visited: list[str] = []
    for _ in range(80):  # key presses
        if visited[-1:] == ["Send the report"]:
            break
        page.keyboard.press("Tab")
        field = focused_field(page)
        if visited[-1:] == [field]:
            continue  # another part of the same field (a date's day, month and year)
        visited.append(field)
        if field == "violation_type":
            page.keyboard.press("ArrowDown")  # the first kind of violation
        elif field == "consent":
            page.keyboard.press("Space")
        elif field in typed:
            page.keyboard.type(typed[field])
    fields = [name for name in visited if name in FORM_FIELDS]
    assert fields == FORM_FIELDS, f"the keyboard went {visited}"
    assert visited[-1] == "Send the report", f"the keyboard went {visited}"
    page.keyboard.press("Enter")
    read_receipt(page, "en")


def test_the_language_buttons_switch_the_page_without_javascript(new_page: NewPage) -> None:
    page = new_page("en", javascript=False)
    page.goto("/report/")
    page.get_by_role("button", name="עברית", exact=True).click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    heading = say("he", "Report a digital-rights violation")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def luminance(css_colour: str) -> float:
    """The relative luminance (WCAG 2) of a computed `rgb(r, g, b)` colour."""
    channels = [int(part) / 255 for part in re.findall(r"\d+", css_colour)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def transparent(css_colour: str) -> bool:
    return css_colour.replace(" ", "").endswith(",0)")


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_every_button_of_the_form_page_can_be_read(new_page: NewPage) -> None:
    """Each button's text stands out from the button's own background (WCAG AA: 4.5:1);
    buttons without a background of their own (the file chooser) are left out."""
    page = new_page("en")
    page.goto("/report/")
    buttons = page.get_by_role("button")
    colours = buttons.evaluate_all(
        "all => all.map(b => [b.textContent.trim(), getComputedStyle(b).color,"
        " getComputedStyle(b).backgroundColor])"
    )
    drawn = [(text, fg, bg) for text, fg, bg in colours if not transparent(bg)]
    assert len(drawn) >= 4  # three languages and "Send the report"
    unreadable = [(text, fg, bg) for text, fg, bg in drawn if contrast(fg, bg) < 4.5]
    assert not unreadable, f"text too faint on its button: {unreadable}"
