"""Web benchmark: `marsad serve` (gunicorn, production mode) over a demo project.

    python -m bench.web_bench            # 20 s of dashboard load, 60 s of 50 reporters
    python -m bench.web_bench --quick    # 5 s and 10 s

1. The demo project (`marsad demo --no-serve`) is made once into bench/work/web-demo and
   copied afresh for each run, so every run starts from the same 60 demo cases.
2. `marsad serve --project COPY --port FREE` is started and waited for.
3. **Dashboard**: `GET /` from 16 threads (one httpx client each) for 20 s: requests/s and
   p50/p99 latency. Targets: at least 200 requests/s, p99 under 250 ms.
4. **Reporters**: 50 threads, each a reporter with its own cookies, for 60 s: GET /report/ (the
   CSRF token and a violation type from the form), POST a report, follow the redirect to the
   receipt page and read the receipt code. Each reporter does the form's proof-of-work in Python
   at the default difficulty (16 bits: about 60-80 ms of the client's CPU per report, a tenth
   of a core at the reports per second measured; checking it costs the server one SHA-256 and
   one signature check). The per-address rate limit is turned off for the server
   (`MARSAD_PUBLIC_RATE_LIMIT=off`): all 50 reporters come from 127.0.0.1, and the limit
   would otherwise stop them after 10 reports in all, which is its job, not what is measured.
   Then the cases filed during the run are read from
   the project's SQLite database: every receipt a reporter was shown must be there (none lost),
   and there must be no case beyond the reports accepted (none duplicated). Target: zero of
   each.

The figures go to bench/results/web.json.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from bench.ingest_bench import machine
from marsad.web.public.challenge import solve, works

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
WORK = BENCH_DIR / "work"
BASE_PROJECT = WORK / "web-demo"
RESULTS = BENCH_DIR / "results" / "web.json"
SERVER_LOG = WORK / "web-serve.log"
TARGET_RPS = 200.0
TARGET_P99_MS = 250.0
DASHBOARD = {"threads": 16, "seconds": 20.0, "quick_seconds": 5.0}
REPORTERS = {"threads": 50, "seconds": 60.0, "quick_seconds": 10.0}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VIOLATION = re.compile(r'<select name="violation_type"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
CHALLENGE = re.compile(r'name="pow_challenge" value="([^"]+)"')
POW_SAMPLES = 20
RECEIPT = re.compile(r'id="receipt-code"[^>]*value="([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})"')


# --- the project and the server -------------------------------------------------------------------


def environment(project: Path) -> dict[str, str]:
    """The environment of the server: this one, minus anything pointing at another database."""
    dropped = ("MARSAD_DATABASE_URL", "MARSAD_ENV", "MARSAD_DEBUG")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return env | {"MARSAD_PROJECT": str(project), "MARSAD_PUBLIC_RATE_LIMIT": "off"}


def marsad(*args: str) -> list[str]:
    return [sys.executable, "-m", "marsad", *args]


def ensure_demo(console: Console) -> None:
    """bench/work/web-demo: the demo project, made once (remove it to make it again)."""
    if (BASE_PROJECT / "marsad.toml").is_file() and (BASE_PROJECT / "marsad.sqlite3").is_file():
        console.print(f"reusing the demo project {BASE_PROJECT}")
        return
    console.print(f"making the demo project {BASE_PROJECT} (marsad demo --no-serve) ...")
    shutil.rmtree(BASE_PROJECT, ignore_errors=True)
    command = marsad("demo", "--dir", str(BASE_PROJECT), "--no-serve")
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"marsad demo failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_server(project: Path, workers: int | None, log: Path) -> Server:
    port = free_port()
    command = marsad("serve", "--project", str(project), "--port", str(port))
    command += ["--workers", str(workers)] if workers else []
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=environment(project),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"marsad serve stopped:\n{log.read_text()[-3000:]}")
        try:
            httpx.get(server.base + "/api/stats", timeout=2)
            return server
        except httpx.TransportError:
            time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"marsad serve did not answer within 180 s:\n{log.read_text()[-3000:]}")


# --- load: the dashboard --------------------------------------------------------------------------


@dataclass
class Tally:
    """What the threads of one phase saw (appended under a lock)."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float | None, status: str) -> None:
        with self.lock:
            if seconds is not None:
                self.latencies.append(seconds)
            self.statuses[status] += 1


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_threads(count: int, work: Any) -> float:
    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def dashboard_load(base: str, threads: int, seconds: float) -> dict[str, Any]:
    """GET / as fast as `threads` clients can for `seconds`."""
    with httpx.Client(timeout=10) as warm:
        for _ in range(20):
            warm.get(base + "/")
    tally = Tally()
    deadline = time.perf_counter() + seconds

    def client(_: int) -> None:
        with httpx.Client(timeout=30) as http:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    status = str(http.get(base + "/").status_code)
                except httpx.HTTPError as error:
                    status = type(error).__name__
                tally.add(time.perf_counter() - start, status)

    elapsed = run_threads(threads, client)
    ok = tally.statuses.get("200", 0)
    p50, p99 = percentile(tally.latencies, 0.50), percentile(tally.latencies, 0.99)
    return {
        "threads": threads,
        "seconds": round(elapsed, 2),
        "requests": sum(tally.statuses.values()),
        "ok": ok,
        "statuses": dict(tally.statuses),
        "requests_per_second": round(ok / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(p50 * 1000, 1) if p50 is not None else None,
        "p99_ms": round(p99 * 1000, 1) if p99 is not None else None,
        "mean_ms": round(statistics.fmean(tally.latencies) * 1000, 1) if tally.latencies else None,
    }


# --- load: reporters ------------------------------------------------------------------------------


@dataclass
class Reports:
    receipts: list[str] = field(default_factory=list)
    accepted: int = 0  # POSTs answered with the redirect to the receipt page
    unshown: int = 0  # accepted, but the receipt page showed no code
    failed: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def report_form(text: str, number: int, reporter: int) -> dict[str, str]:
    token = CSRF.search(text)
    select = VIOLATION.search(text)
    options = OPTION.findall(select.group(1)) if select else []
    if not token or not options:
        raise ValueError("the report form has no CSRF token or no violation type")
    return proof_of_work(text) | {
        "csrfmiddlewaretoken": token.group(1),
        "violation_type": options[(number + reporter) % len(options)],
        "description": f"Benchmark report {reporter}-{number}: my post was taken down.",
        "links": f"https://example.org/post/{reporter}/{number}",
        "passphrase": "benchmark passphrase",
        "passphrase_again": "benchmark passphrase",
        "consent": "on",
    }


def challenge_bits(token: str) -> int:
    """The difficulty of a challenge, read from its (signed, not secret) payload."""
    import base64

    encoded = token.split(":", 1)[0]
    payload = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    return int(payload["b"])


def proof_of_work(text: str) -> dict[str, str]:
    """The challenge of the form page and its solution, as pow.js would send them ({} when
    the server asks for none)."""
    found = CHALLENGE.search(text)
    if not found:
        return {}
    token = html.unescape(found.group(1))
    return {"pow_challenge": token, "pow_solution": solve(token, challenge_bits(token))}


def pow_cost(base: str) -> dict[str, Any]:
    """What the proof-of-work costs a reporter's client here: the mean time to solve the
    server's challenges in Python."""
    with httpx.Client(timeout=30) as http:
        tokens = [CHALLENGE.search(http.get(base + "/report/").text) for _ in range(POW_SAMPLES)]
    found = [html.unescape(t.group(1)) for t in tokens if t]
    if not found:
        return {"bits": 0}
    started = time.perf_counter()
    for token in found:
        assert works(token, solve(token, challenge_bits(token)), challenge_bits(token))
    seconds = (time.perf_counter() - started) / len(found)
    return {"bits": challenge_bits(found[0]), "python_solve_ms_mean": round(seconds * 1000, 1)}


def submit_once(http: httpx.Client, base: str, number: int, reporter: int) -> tuple[str, str]:
    """One reporter's visit: (outcome, receipt code or "")."""
    # A reporter sends the form long after opening it, on a new connection: the server has
    # closed the idle one by then (gunicorn's keep-alive is 2 s; solving the work may take
    # longer than that here, with 50 threads sharing the GIL).
    form = http.get(base + "/report/", headers={"Connection": "close"})
    if form.status_code != 200:
        return f"form {form.status_code}", ""
    posted = http.post(base + "/report/", data=report_form(form.text, number, reporter))
    if posted.status_code != 302 or not posted.headers.get("location", "").endswith(
        "/report/receipt/"
    ):
        return f"post {posted.status_code}", ""
    page = http.get(base + "/report/receipt/")
    found = RECEIPT.search(page.text)
    return ("accepted", found.group(1)) if found else ("unshown", "")


def reporters_load(base: str, threads: int, seconds: float) -> tuple[Reports, float]:
    reports = Reports()
    deadline = time.perf_counter() + seconds

    def reporter(index: int) -> None:
        number = 0
        with httpx.Client(timeout=120, headers={"Accept-Language": "ar"}) as http:
            while time.perf_counter() < deadline:
                number += 1
                start = time.perf_counter()
                try:
                    outcome, code = submit_once(http, base, number, index)
                except (httpx.HTTPError, ValueError) as error:
                    outcome, code = type(error).__name__, ""
                record(reports, outcome, code, time.perf_counter() - start)

    return reports, run_threads(threads, reporter)


def record(reports: Reports, outcome: str, code: str, seconds: float) -> None:
    with reports.lock:
        reports.latencies.append(seconds)
        if outcome in ("accepted", "unshown"):
            reports.accepted += 1
        if outcome == "accepted":
            reports.receipts.append(code)
        elif outcome == "unshown":
            reports.unshown += 1
        else:
            reports.failed[outcome] += 1


def database_file(project: Path) -> Path:
    return project / "marsad.sqlite3"


def last_case_id(project: Path) -> int:
    with sqlite3.connect(database_file(project)) as con:
        return int(con.execute("SELECT coalesce(max(id), 0) FROM cases_case").fetchone()[0])


def cases_after(project: Path, case_id: int) -> list[str]:
    with sqlite3.connect(database_file(project)) as con:
        rows = con.execute("SELECT receipt_code FROM cases_case WHERE id > ?", (case_id,))
        return [code for (code,) in rows]


def check_reports(reports: Reports, stored: list[str], elapsed: float) -> dict[str, Any]:
    """Compare what reporters were shown with what the database holds."""
    shown = Counter(reports.receipts)
    in_db = set(stored)
    lost = sorted(code for code in shown if code not in in_db)
    p50, p99 = percentile(reports.latencies, 0.5), percentile(reports.latencies, 0.99)
    return {
        "seconds": round(elapsed, 2),
        "submissions": len(reports.latencies),
        "accepted": reports.accepted,
        "receipts_shown": len(reports.receipts),
        "accepted_without_receipt": reports.unshown,
        "failed": dict(reports.failed),
        "cases_stored": len(stored),
        "lost": len(lost),
        "lost_receipts": lost[:20],
        "duplicated": max(0, len(stored) - reports.accepted),
        "same_receipt_shown_twice": sum(n - 1 for n in shown.values() if n > 1),
        "reports_per_second": round(reports.accepted / elapsed, 2) if elapsed else 0.0,
        "visit_p50_ms": round(p50 * 1000) if p50 is not None else None,
        "visit_p99_ms": round(p99 * 1000) if p99 is not None else None,
    }


# --- the run --------------------------------------------------------------------------------------


def targets(dashboard: dict[str, Any], reporters: dict[str, Any]) -> dict[str, Any]:
    p99 = dashboard["p99_ms"]
    return {
        "dashboard_min_requests_per_second": TARGET_RPS,
        "dashboard_max_p99_ms": TARGET_P99_MS,
        "rps_met": dashboard["requests_per_second"] >= TARGET_RPS,
        "p99_met": p99 is not None and p99 < TARGET_P99_MS,
        "none_lost_met": reporters["lost"] == 0 and reporters["accepted_without_receipt"] == 0,
        "none_duplicated_met": reporters["duplicated"] == 0
        and reporters["same_receipt_shown_twice"] == 0,
    }


def run_benchmark(quick: bool, workers: int | None, console: Console) -> dict[str, Any]:
    ensure_demo(console)
    key = "quick_seconds" if quick else "seconds"
    load_before = [round(x, 2) for x in os.getloadavg()]  # other work on the machine skews it
    with tempfile.TemporaryDirectory(prefix="marsad-web-bench-") as tmp:
        project = Path(tmp) / "proj"
        shutil.copytree(BASE_PROJECT, project, ignore=shutil.ignore_patterns("static"))
        server = start_server(project, workers, Path(tmp) / "serve.log")
        try:
            console.print(f"server up at {server.base}; dashboard load ...")
            dashboard = dashboard_load(server.base, DASHBOARD["threads"], DASHBOARD[key])
            proof = pow_cost(server.base)
            console.print("reporters ...")
            before = last_case_id(project)
            reports, elapsed = reporters_load(server.base, REPORTERS["threads"], REPORTERS[key])
        finally:
            server.stop()
            shutil.copyfile(server.log, SERVER_LOG)  # the server's errors, for a failed run
        reporters = check_reports(reports, cases_after(project, before), elapsed)
        reporters["threads"] = REPORTERS["threads"]
        reporters["proof_of_work"] = proof
    return {
        "benchmark": "web",
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "quick": quick,
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "server": {"workers": workers or "default (2 per core + 1, at most 8)", "threads": 4},
        "dashboard": dashboard,
        "reporters": reporters,
        "targets": targets(dashboard, reporters),
    }


def print_table(console: Console, result: dict[str, Any]) -> None:
    d, r = result["dashboard"], result["reporters"]
    table = Table(title="marsad serve over the demo project")
    for name in ("load", "seconds", "requests", "per second", "p50 ms", "p99 ms", "errors"):
        table.add_column(name, justify="left" if name == "load" else "right")
    errors = sum(n for status, n in d["statuses"].items() if status != "200")
    table.add_row(
        f"GET / x{d['threads']}",
        f"{d['seconds']:.1f}",
        f"{d['requests']:,}",
        f"{d['requests_per_second']:,.1f}",
        str(d["p50_ms"]),
        str(d["p99_ms"]),
        str(errors),
    )
    table.add_row(
        f"reporters x{r['threads']}",
        f"{r['seconds']:.1f}",
        f"{r['submissions']:,}",
        f"{r['reports_per_second']:,.2f}",
        str(r["visit_p50_ms"]),
        str(r["visit_p99_ms"]),
        str(sum(r["failed"].values())),
    )
    console.print(table)
    console.print(
        f"reports accepted {r['accepted']:,}, receipts shown {r['receipts_shown']:,}, cases "
        f"stored {r['cases_stored']:,}: lost {r['lost']}, duplicated {r['duplicated']}"
    )
    console.print(
        f"load average of the machine before/after: {result['load_average_before']} / "
        f"{result['load_average_after']}"
    )
    t = result["targets"]
    met = {True: "[green]met[/green]", False: "[red]NOT met[/red]"}
    console.print(f"target: / at >= {TARGET_RPS:g} requests/s: {met[t['rps_met']]}")
    console.print(f"target: / p99 under {TARGET_P99_MS:g} ms: {met[t['p99_met']]}")
    console.print(f"target: no report lost: {met[t['none_lost_met']]}")
    console.print(f"target: no report duplicated: {met[t['none_duplicated_met']]}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.web_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5 s and 10 s instead of 20 and 60")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write JSON")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    try:
        result = run_benchmark(args.quick, args.workers, console)
    except RuntimeError as error:
        console.print(f"[red]{error}[/red]", markup=False)
        return 1
    print_table(console, result)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    console.print(f"results: {args.results}")
    return (
        1
        if args.strict and not all(v for k, v in result["targets"].items() if k.endswith("_met"))
        else 0
    )


if __name__ == "__main__":
    sys.exit(main())
