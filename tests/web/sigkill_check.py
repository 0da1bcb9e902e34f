"""Run in its own process on a project after `marsad serve` was killed (tests/web/
test_web_sigkill.py): reads the case database and the evidence folder and prints, as JSON, what
a killed write may have left behind.

    python -m tests.web.sigkill_check PROJECT EXPECTED.json

EXPECTED.json maps each acknowledged reporter name to the SHA-256 of the file sent with it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _case_problems() -> tuple[dict[str, Any], list[str]]:
    """Reporter name -> (case id, [(evidence sha256, readable)]); and the unreadable cases."""
    from marsad.web.cases.models import Case
    from marsad.web.evidence import storage

    by_name: dict[str, Any] = {}
    broken: list[str] = []
    for case_id in Case.objects.values_list("id", flat=True):
        try:
            case = Case.objects.get(pk=case_id)
            fields = (case.reporter_name, case.contact, case.description, case.links)
        except Exception as error:  # a sealed field that does not open: half-written
            broken.append(f"case {case_id}: {error}")
            continue
        if not all(fields[:3]):
            broken.append(f"case {case_id}: a sealed field is empty")
        files = []
        for item in case.evidence.all():
            try:
                storage.read_blob(item.blob_name, item.sha256, item.pk)
                files.append((item.sha256, True))
            except Exception:
                files.append((item.sha256, False))
        if len(files) != 1:
            broken.append(f"case {case_id}: {len(files)} evidence rows, one was sent")
        by_name[fields[0]] = {"id": case_id, "state": case.state, "files": files}
    return by_name, broken


def check(project: Path, expected: dict[str, str]) -> dict[str, Any]:
    from marsad.config import load_settings
    from marsad.web.boot import setup_django

    setup_django(load_settings(project))
    from marsad.web.evidence import storage
    from marsad.web.evidence.actions import remove_orphan_blobs

    by_name, broken = _case_problems()
    lost = sorted(name for name in expected if name not in by_name)
    wrong = sorted(
        name
        for name, sha in expected.items()
        if name in by_name
        and by_name[name]["files"] != [[sha, True]]
        and by_name[name]["files"] != [(sha, True)]
    )
    before = sorted(p.name for p in storage.stored_files())
    swept = remove_orphan_blobs(older_than_s=0)
    after = sorted(p.name for p in storage.stored_files())
    return {
        "cases": len(by_name),
        "state_by_id": {found["id"]: found["state"] for found in by_name.values()},
        "lost": lost,
        "wrong_file": wrong,
        "broken": broken,
        "files_before_sweep": len(before),
        "swept": swept,
        "files_after_sweep": len(after),
        "rows_with_file": sum(1 for found in by_name.values() for _sha, ok in found["files"] if ok),
    }


if __name__ == "__main__":
    result = check(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text()))
    print(json.dumps(result))
