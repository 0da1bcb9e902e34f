"""A load run of the public form: reporters submit at once, for a while, through a real
`marsad serve` with its proof-of-work on, and every receipt shown is a case in the database,
once. (The full-size run, 50 reporters for 60 s, is the web benchmark: `make bench`.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.web_bench import (
    cases_after,
    check_reports,
    last_case_id,
    reporters_load,
    start_server,
)
from marsad.project import init_project

REPORTERS, SECONDS = 12, 10.0


@pytest.mark.slow
def test_concurrent_reporters_lose_no_submission_and_file_none_twice(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    init_project(project)
    server = start_server(project, 2, tmp_path / "serve.log")
    try:
        before = last_case_id(project)
        reports, elapsed = reporters_load(server.base, REPORTERS, SECONDS)
    finally:
        server.stop()
    result = check_reports(reports, cases_after(project, before), elapsed)
    assert result["accepted"] >= REPORTERS, result  # each reporter got at least one through
    assert result["failed"] == {} and result["accepted_without_receipt"] == 0, result
    assert result["lost"] == 0 and result["duplicated"] == 0, result
    assert result["same_receipt_shown_twice"] == 0, result
    assert result["cases_stored"] == result["accepted"], result
