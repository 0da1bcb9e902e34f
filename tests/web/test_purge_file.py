"""A purge on a real SQLite project file: the erased values (the sealed fields' ciphertexts and
the plain columns alike) are gone from the database file's bytes, not left in its free pages
(`PRAGMA secure_delete`, marsad/web/settings.py). Runs `marsad manage shell` on a project made
by `marsad init`, as an admin would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from marsad.config import load_settings
from marsad.project import init_project

from .test_cli_web import PASSWORD, environment, marsad

LOCATION = "Hebron, near the old market by the well"
REFERENCE = "TICKET-PURGE-FILE-4411"

FILE_AND_PURGE = f'''
from datetime import date
from django.contrib.auth.models import User
from marsad.web.cases import actions
from marsad.web.cases.models import Case, Term
from marsad.web.cases.states import State

term = lambda kind, key: Term.objects.get(kind=kind, key=key)
report = actions.NewReport(
    violation_type=term("violation_type", "account_suspension"),
    platform=term("platform", "instagram"),
    description="my account was suspended after the photos of the demolition",
    links="https://www.instagram.com/p/Cx1example/",
    language="en",
    wants_contact=True,
    contact_method="signal",
    contact="+970 59 000 0000",
    reporter_name="Salma",
    consent=True,
)
case = actions.submit_report(report, "a passphrase of the reporter")
Case.objects.filter(pk=case.pk).update(location="{LOCATION}")
admin = User.objects.get(username="purger")
for to in (State.TRIAGED, State.DOCUMENTED):
    case = actions.transition(case, to, admin)
case = actions.transition(case, State.VERIFIED, admin, "confirmed")
sent = actions.EscalationInput(term("platform", "instagram"), "email", date(2026, 3, 1),
                               "{REFERENCE}")
actions.record_escalation(case, sent, admin)
print("CASE", case.pk)
'''


def run_shell(project: Path, code: str) -> str:
    done = marsad("manage", "--project", str(project), "shell", "-c", code)
    assert done.returncode == 0, done.stderr
    return done.stdout


def sealed_values(database: Path, case_id: int) -> list[bytes]:
    with sqlite3.connect(database) as con:
        row = con.execute(
            "SELECT description, contact, reporter_name, links FROM cases_case WHERE id = ?",
            [case_id],
        ).fetchone()
    return [bytes(value) for value in row]


def test_a_purge_leaves_no_erased_value_in_the_database_file(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    init_project(project)
    made = marsad(
        "createstaff", "--project", str(project), "--persona", "admin",
        "--username", "purger", "--password", PASSWORD,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    database = Path(load_settings(project, environment()).database_url.removeprefix("sqlite:///"))
    case_id = int(run_shell(project, FILE_AND_PURGE).split("CASE", 1)[1].split()[0])
    sealed = sealed_values(database, case_id)
    before = database.read_bytes()
    erased = [LOCATION.encode(), REFERENCE.encode(), *sealed]
    assert all(value in before for value in erased)  # the search can find them
    purge = (
        "from django.contrib.auth.models import User\n"
        "from marsad.web.cases.models import Case\n"
        "from marsad.web.cases.purge import purge_personal_data\n"
        f"purge_personal_data(Case.objects.get(pk={case_id}),"
        " User.objects.get(username='purger'), 'asked by the reporter')\n"
    )
    run_shell(project, purge)
    after = database.read_bytes()
    assert [value for value in erased if value in after] == []
    assert not [p for p in database.parent.iterdir() if p.name.endswith(("-wal", "-journal"))]
