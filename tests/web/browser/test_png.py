"""The screenshot reader the browser tests rely on: it decodes what Chromium draws, pixel for
pixel, and refuses damaged files."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from .png import PngError, read_png

# Solid blocks at known places, over a gradient and text (which make Chromium's encoder use
# every scanline filter).
DRAWING = """<body style="margin:0;background:#fff">
<div style="position:absolute;left:0;top:0;width:200px;height:30px;
  background:linear-gradient(90deg,#102030,#f0c080)"></div>
<p style="position:absolute;left:10px;top:35px;margin:0;font:14px sans-serif">marsad مرصد</p>
<div style="position:absolute;left:30px;top:60px;width:50px;height:20px;background:#c81e3c"></div>
<div style="position:absolute;left:120px;top:70px;width:40px;height:25px;background:#1e8c50"></div>
</body>"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 200, "height": 100})
    yield context.new_page()
    context.close()


def test_a_blank_page_reads_as_one_colour(page: Page) -> None:
    page.set_content('<body style="background:#fff"></body>')
    image = read_png(page.screenshot())
    assert (image.width, image.height) == (200, 100)
    assert image.variance() == 0
    assert image.share_unlike_corner() == 0


def test_a_drawn_page_reads_back_with_its_colours_in_place(page: Page) -> None:
    page.set_content(DRAWING)
    image = read_png(page.screenshot())
    assert (image.width, image.height) == (200, 100)
    assert tuple(image.pixels[70, 50][:3]) == (0xC8, 0x1E, 0x3C)
    assert tuple(image.pixels[94, 159][:3]) == (0x1E, 0x8C, 0x50)
    assert tuple(image.pixels[99, 0][:3]) == (255, 255, 255)
    assert tuple(image.pixels[0, 0][:3]) != tuple(image.pixels[0, 199][:3])  # the gradient
    assert image.variance() > 100


def test_damaged_files_are_refused_with_the_reason(page: Page) -> None:
    page.set_content(DRAWING)
    good = page.screenshot()
    with pytest.raises(PngError, match="signature"):
        read_png(b"GIF89a" + good[6:])
    with pytest.raises(PngError, match="truncated"):
        read_png(good[: len(good) // 2])
    flipped = bytearray(good)
    flipped[50] ^= 0xFF  # inside the first data chunk
    with pytest.raises(PngError, match="damaged"):
        read_png(bytes(flipped))
