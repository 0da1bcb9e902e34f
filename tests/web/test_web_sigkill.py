"""SIGKILL during web writes: reporters send reports with a file each and a verifier moves cases
while the whole `marsad serve` process group is killed, at a different moment each round. After
every restart, each report that got its receipt is stored with its file readable and matching
its hash, no case or evidence row is half-written, files of killed writes are found and swept,
and `marsad audit verify` passes."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from marsad.project import init_project

from . import serving
from .test_cli_web import environment, marsad

pytestmark = pytest.mark.slow

REPORTERS = 4
KILL_AFTER_S = (0.8, 2.0, 3.5)  # one round per moment
STAFF = ("vera-kill", "a long staff password 42")
NO_2FA = {"MARSAD_REQUIRE_2FA": "false"}  # the staff thread logs in with its password only


@dataclass
class Load:
    """What the clients were told: reports acknowledged (name -> file hash), cases moved."""

    acknowledged: dict[str, str] = field(default_factory=dict)
    moved: set[int] = field(default_factory=set)
    attempts: int = 0
    rounds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)


def reporter(server: serving.Server, load: Load, tag: str) -> None:
    with serving.browser(server) as client:
        for n in range(10_000):
            if load.stop.is_set():
                return
            name = f"Reporter {tag} number {n}"
            attachment = serving.PNG + f"sent by {name}".encode()
            person = serving.Reporter(
                name,
                f"{tag}.{n}@example.org",
                f"passphrase {tag} {n} ok",
                f"What happened to {name}",
            )
            with load.lock:
                load.attempts += 1
            try:
                sent = serving.post_form(
                    client,
                    "/report/",
                    serving.report_fields(person),
                    files={"attachments": ("notice.png", attachment, "image/png")},
                )
            except httpx.TransportError:
                return
            if sent.status_code == 302 and sent.headers["location"].endswith("/report/receipt/"):
                with load.lock:
                    load.acknowledged[name] = hashlib.sha256(attachment).hexdigest()


def staff(server: serving.Server, load: Load) -> None:
    """Log in, then move received cases to triaged, one after another, until the kill."""
    try:
        with serving.browser(server) as client:
            login = {"username": STAFF[0], "password": STAFF[1]}
            assert serving.post_form(client, "/staff/login/", login).status_code == 302
            while not load.stop.is_set():
                queue = client.get("/staff/?state=received").text
                ids = sorted({int(i) for i in re.findall(r"/staff/cases/(\d+)/", queue)})
                for case_id in ids[:3]:
                    page = f"/staff/cases/{case_id}/"
                    token = serving.page_fields(client.get(page).text)["csrfmiddlewaretoken"]
                    data = {"csrfmiddlewaretoken": token, "to": "triaged"}
                    if client.post(page + "move/", data=data).status_code == 302:
                        with load.lock:
                            load.moved.add(case_id)
                time.sleep(0.1)
    except httpx.TransportError:
        return


def run_round(project: Path, log: Any, kill_after: float, load: Load) -> None:
    server = serving.start(project, log, workers=2, **NO_2FA)
    load.rounds.append(kill_after)
    threads = [
        threading.Thread(target=reporter, args=(server, load, f"r{len(load.rounds)}t{i}"))
        for i in range(REPORTERS)
    ]
    threads.append(threading.Thread(target=staff, args=(server, load)))
    for thread in threads:
        thread.start()
    time.sleep(kill_after)
    server.kill()
    load.stop.set()
    for thread in threads:
        thread.join(timeout=120)
    load.stop.clear()


def after_the_kill(project: Path, load: Load) -> dict[str, Any]:
    """Restart to check the server comes back, then inspect the project in its own process."""
    with (project.parent / "restart.log").open("ab") as log:
        serving.start(project, log, workers=1, **NO_2FA).stop()
    expected = project.parent / "expected.json"
    expected.write_text(json.dumps(load.acknowledged))
    checked = subprocess.run(
        [sys.executable, "-m", "tests.web.sigkill_check", str(project), str(expected)],
        capture_output=True,
        text=True,
        env=environment() | serving.UNGUARDED,
        cwd=Path(__file__).resolve().parents[2],
        timeout=300,
    )
    assert checked.returncode == 0, checked.stderr
    return dict(json.loads(checked.stdout.strip().splitlines()[-1]))


def test_killed_web_writes_lose_no_acknowledged_report_and_leave_nothing_half_written(
    tmp_path: Path,
) -> None:
    project = tmp_path / "proj"
    init_project(project)
    made = marsad(
        "createstaff",
        "--project",
        str(project),
        "--persona",
        "verifier",
        "--username",
        STAFF[0],
        "--password",
        STAFF[1],
    )
    assert made.returncode == 0, made.stderr
    load = Load()
    with (tmp_path / "server.log").open("wb") as log:
        for kill_after in KILL_AFTER_S:
            run_round(project, log, kill_after, load)
            found = after_the_kill(project, load)
            assert (found["lost"], found["wrong_file"], found["broken"]) == ([], [], [])
            assert found["files_after_sweep"] == found["rows_with_file"] == found["cases"]
            verified = marsad("audit", "verify", "--project", str(project))
            assert verified.returncode == 0, verified.stdout + verified.stderr
    assert len(load.acknowledged) >= 3, "reports were filed before the kills"
    assert load.attempts > len(load.acknowledged), "the kills caught reports in flight"
    assert load.moved, "the verifier moved cases before the kills"
    states = {int(case_id): state for case_id, state in found["state_by_id"].items()}
    assert {states[case_id] for case_id in load.moved} == {"triaged"}
