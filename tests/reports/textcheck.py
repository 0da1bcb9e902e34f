"""Reading a report's PDF back as text (poppler's pdftotext) and comparing it as words."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

# Direction marks and embeddings: invisible, written by pdftotext around right-to-left runs.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
WORD = re.compile(r"\w+")


def needs_pdftotext() -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: `make system-packages` installs poppler-utils")


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def words(text: str) -> list[str]:
    """The words of `text` in reading order. Direction marks count as spaces: pdftotext puts
    them where a run of the other direction starts or ends, sometimes moving a space."""
    return WORD.findall(unicodedata.normalize("NFKC", BIDI_CONTROLS.sub(" ", text)))


def find_words(haystack: list[str], needle: list[str], start: int = 0) -> int:
    """Where `needle` first occurs as a run of whole words in `haystack` from `start`; -1 if
    it does not."""
    for i in range(start, len(haystack) - len(needle) + 1):
        if haystack[i : i + len(needle)] == needle:
            return i
    return -1
