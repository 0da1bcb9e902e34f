"""A screenshot-level check of each report in headless Chromium (Debian's, through Playwright):
the first page is not blank, runs in the language's direction, and its first chart is drawn.
Screenshots stay in the test's tmp folder and are copied to test-artifacts/reports/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marsad.reports.build import Written
from marsad.reports.i18n import direction

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
VIEWPORT = {"width": 900, "height": 1270}  # about an A4 page at 108 px per inch
CASES = [("index", "ar"), ("hashtags", "he"), ("observatory", "en")]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: `make system-packages` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def inked(path: Path) -> float:
    """The share of the picture's pixels that are not (near) white."""
    from PIL import Image

    with Image.open(path) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
    return sum(histogram[:235]) / (grey.width * grey.height)


def coloured(path: Path) -> float:
    """The share of pixels in colour (bars, lines), not grey like text, grid lines and paper."""
    from PIL import Image

    with Image.open(path) as image:
        saturation = image.convert("RGB").convert("HSV").getchannel("S")
    return sum(saturation.histogram()[80:]) / (saturation.width * saturation.height)


def keep(path: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, ARTIFACTS / path.name)


@pytest.mark.parametrize(("report", "lang"), CASES)
def test_the_first_page_shows_the_report_and_its_first_chart_is_drawn(
    browser: Any, written: dict[tuple[str, str], Written], report: str, lang: str, tmp_path: Path
) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(written[report, lang].html.as_uri())
        first = tmp_path / f"{report}-{lang}-page1.png"
        page.screenshot(path=str(first))
        keep(first)
        assert inked(first) > 0.01, "the first page is blank"
        assert page.evaluate("getComputedStyle(document.body).direction") == direction(lang)
        title = page.locator("h1").bounding_box()
        body = page.locator("body").bounding_box()
        assert title is not None and body is not None
        if direction(lang) == "rtl":  # the title starts at the right edge of the text
            assert title["x"] + title["width"] > body["x"] + body["width"] * 0.8
        else:
            assert title["x"] < body["x"] + body["width"] * 0.2
        chart = page.locator(".chart").first
        chart.scroll_into_view_if_needed()
        shot = tmp_path / f"{report}-{lang}-chart1.png"
        chart.screenshot(path=str(shot))
        keep(shot)
        svg = page.locator(".chart-svg").first.bounding_box()
        assert svg is not None and svg["width"] > 100 and svg["height"] > 15
        assert coloured(shot) > 0.003, "the chart has no bar or line drawn"
    finally:
        page.close()
