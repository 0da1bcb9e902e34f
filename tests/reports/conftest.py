"""The three reports in the three languages, rendered once from the hand-built sample data."""

from __future__ import annotations

import pytest

from marsad.reports import REPORTS
from marsad.reports.build import Written, write_report
from marsad.reports.i18n import LANGS
from tests.reports.sample import PERIOD, report_data


@pytest.fixture(scope="session")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Written]:
    """(report, lang) -> the files written, PDFs included."""
    out = tmp_path_factory.mktemp("reports")
    data = report_data()
    return {
        (report, lang): write_report(report, data, lang, PERIOD, out)
        for report in REPORTS
        for lang in LANGS
    }
