"""The PDF of a report, by WeasyPrint: Arabic shaped and Hebrew ordered by Pango, with the
Noto fonts that `make system-packages` installs from Debian (fonts-noto-core)."""

from __future__ import annotations

import logging
from pathlib import Path

from marsad.reports.base import ReportError


def write_pdf(html: str, path: Path) -> Path:
    """Render `html` (self-contained: no file or URL is fetched) to `path`."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise ReportError(
            f"cannot write {path}: WeasyPrint is not usable ({error}); install the system "
            "libraries with `make system-packages`, or pass --no-pdf"
        ) from error
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    # No protocol allowed, and a refused fetch stops the rendering: nothing is fetched.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=(), fail_on_errors=True)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=None)
    temporary = path.with_name(f".{path.name}.tmp")
    document.write_pdf(temporary)
    temporary.replace(path)
    return path
