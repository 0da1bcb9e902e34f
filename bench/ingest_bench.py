"""Ingest benchmark: end-to-end `marsad ingest` against the bare cost of parsing the file.

    python -m bench.ingest_bench              # 1,000,000 X API v2 posts
    python -m bench.ingest_bench --posts 20000

It generates an X API v2 JSON-lines file of synthetic posts into bench/work/ (reused while its
marker says the same posts, seed, generator and size), then, in one run, measures in separate
subprocesses:

1. the parse baseline: read the file and `orjson.loads` every line, counting the tweets;
2. end to end: `marsad init` of a fresh project, then `marsad ingest FILE --project P --quiet`.

Each subprocess's wall time and peak RSS (`ru_maxrss` from `os.wait4`) are reported, with the
targets: end to end within 3x of the parse time, peak RSS under 1024 MiB. The figures go to
bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
WORK = BENCH_DIR / "work"
RESULTS = BENCH_DIR / "results" / "ingest.json"
DEFAULT_POSTS = 1_000_000
SEED = 7
TARGET_RATIO = 3.0  # end to end within this many times the parse baseline
TARGET_RSS_MIB = 1024.0

BASELINE_CODE = """
import sys, orjson
count = 0
with open(sys.argv[1], "rb") as lines:
    for line in lines:
        if line.strip():
            count += len(orjson.loads(line).get("data", ()))
print(count)
"""


@dataclass(frozen=True, slots=True)
class Measured:
    """One subprocess: wall seconds, peak resident memory, exit code and output."""

    seconds: float
    peak_rss_mib: float
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True, slots=True)
class Dataset:
    path: Path
    posts: int
    bytes: int
    generated_seconds: float | None  # None when an earlier file was reused


# --- the input file ---------------------------------------------------------------------------


def generator_version() -> str:
    """A hash of the generator's source, so a changed generator makes a new file."""
    import marsad.demo.synth as synth

    return hashlib.sha256(Path(synth.__file__).read_bytes()).hexdigest()[:16]


def marker_for(path: Path) -> Path:
    return path.with_suffix(".marker.json")


def expected_marker(posts: int, seed: int) -> dict[str, Any]:
    return {"posts": posts, "seed": seed, "generator": generator_version()}


def reusable(path: Path, posts: int, seed: int) -> bool:
    marker = marker_for(path)
    if not (path.is_file() and marker.is_file()):
        return False
    try:
        recorded = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    wanted = {**expected_marker(posts, seed), "bytes": path.stat().st_size}
    return bool(recorded == wanted)


def ensure_dataset(posts: int, seed: int, console: Console) -> Dataset:
    """The benchmark file for `posts` posts: reused when its marker matches, else written."""
    from marsad.demo.synth import write_x_v2_jsonl

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"x_v2_{posts}.jsonl"
    if reusable(path, posts, seed):
        console.print(f"reusing {path} ({path.stat().st_size / 2**20:,.0f} MiB)")
        return Dataset(path, posts, path.stat().st_size, None)
    console.print(f"generating {posts:,} X API v2 posts into {path} ...")
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    written = write_x_v2_jsonl(partial, posts, seed=seed, page_size=100)
    elapsed = time.perf_counter() - started
    partial.replace(path)
    size = path.stat().st_size
    marker = {**expected_marker(posts, seed), "bytes": size}
    marker_for(path).write_text(json.dumps(marker, indent=2) + "\n")
    console.print(f"  {written:,} posts, {size / 2**20:,.0f} MiB in {elapsed:.1f} s")
    return Dataset(path, written, size, elapsed)


# --- measuring subprocesses ---------------------------------------------------------------------


def measure(command: list[str], cwd: Path = REPO) -> Measured:
    """Run `command`, wait for it with os.wait4, and return its wall time and peak memory:
    the larger of its own peak RSS and the peak of the summed RSS of it and every process it
    started (sampled every 20 ms), so worker processes count too."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            seconds=seconds,
            peak_rss_mib=max(usage.ru_maxrss, sampler.peak_kib) / 1024,  # KiB on Linux
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


class TreeSampler(threading.Thread):
    """Samples the summed resident memory of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.interval):
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.pid))

    def stop(self) -> None:
        self._done.set()
        self.join()


def tree_rss_kib(root: int) -> int:
    """Resident memory (KiB) of `root` and its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent, kib = _ppid_and_rss(entry)
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
                rss[int(entry.name)] = kib
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def _ppid_and_rss(entry: Path) -> tuple[int | None, int]:
    try:
        status = (entry / "status").read_text()
    except OSError:
        return None, 0
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    kib = int(fields.get("VmRSS", "0 kB").split()[0])
    return int(fields.get("PPid", "0").strip() or 0), kib


def marsad(*args: str) -> list[str]:
    return [sys.executable, "-m", "marsad", *args]


def run_baseline(data: Dataset) -> Measured:
    return measure([sys.executable, "-c", BASELINE_CODE, str(data.path)])


def run_end_to_end(data: Dataset, project: Path) -> tuple[Measured, Measured]:
    """`marsad init`, then `marsad ingest` into that project; (init, ingest)."""
    init = measure(marsad("init", str(project)))
    if init.returncode:
        return init, init
    ingest = measure(
        marsad("ingest", str(data.path), "--project", str(project), "--quiet", "--json")
    )
    return init, ingest


# --- reporting ------------------------------------------------------------------------------------


def figures(run: Measured, posts: int | None, baseline: Measured) -> dict[str, Any]:
    return {
        "seconds": round(run.seconds, 3),
        "posts_per_second": round(posts / run.seconds) if posts and run.seconds else None,
        "peak_rss_mib": round(run.peak_rss_mib, 1),
        "ratio_to_baseline": round(run.seconds / baseline.seconds, 2) if baseline.seconds else None,
        "returncode": run.returncode,
    }


def ingest_summary(run: Measured) -> dict[str, Any] | None:
    """The JSON summary `marsad ingest --json` prints, when it printed one."""
    for line in reversed(run.stdout.strip().splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    try:
        value = json.loads(run.stdout)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def machine() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "cpu": cpu_model(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def targets(baseline: Measured, ingest: Measured) -> dict[str, Any]:
    ok = ingest.returncode == 0
    ratio = ingest.seconds / baseline.seconds if baseline.seconds else float("inf")
    return {
        "end_to_end_max_ratio_to_baseline": TARGET_RATIO,
        "peak_rss_max_mib": TARGET_RSS_MIB,
        "ratio_met": ok and ratio <= TARGET_RATIO,
        "rss_met": ok and ingest.peak_rss_mib < TARGET_RSS_MIB,
    }


def print_table(console: Console, result: dict[str, Any]) -> None:
    table = Table(title=f"ingest of {result['input']['posts']:,} X API v2 posts")
    for name in ("", "seconds", "posts/s", "peak RSS MiB", "ratio to baseline"):
        table.add_column(name, justify="left" if not name else "right")
    rows = (("parse baseline", "parse_baseline"), ("end-to-end ingest", "end_to_end"))
    for label, key in rows:
        f = result["results"][key]
        table.add_row(
            label,
            f"{f['seconds']:.2f}",
            f"{f['posts_per_second']:,}" if f["posts_per_second"] else "-",
            f"{f['peak_rss_mib']:,.0f}",
            f"{f['ratio_to_baseline']:.2f}x" if f["ratio_to_baseline"] else "-",
        )
    console.print(table)
    t = result["targets"]
    met = {True: "[green]met[/green]", False: "[red]NOT met[/red]"}
    console.print(
        f"target: end to end within {t['end_to_end_max_ratio_to_baseline']:g}x of parse "
        f"time: {met[t['ratio_met']]}"
    )
    console.print(f"target: peak RSS under {t['peak_rss_max_mib']:g} MiB: {met[t['rss_met']]}")


def report_failure(console: Console, label: str, run: Measured) -> None:
    console.print(f"[red]{label} failed with exit code {run.returncode}[/red]")
    tail = (run.stderr or run.stdout).strip().splitlines()[-15:]
    for line in tail:
        console.print(f"  {line}", markup=False, highlight=False)


def run_benchmark(posts: int, seed: int, console: Console, keep: bool) -> dict[str, Any]:
    data = ensure_dataset(posts, seed, console)
    console.print("parse baseline ...")
    baseline = run_baseline(data)
    if baseline.returncode:
        report_failure(console, "parse baseline", baseline)
    elif int(baseline.stdout.strip() or -1) != data.posts:
        console.print(f"[red]baseline counted {baseline.stdout.strip()} tweets[/red]")
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        project = Path(tmp) / "proj"
        console.print(f"end to end: marsad init + marsad ingest into {project} ...")
        init, ingest = run_end_to_end(data, project)
        if keep:
            kept = WORK / "proj"
            subprocess.run(["rm", "-rf", str(kept)], check=False)
            subprocess.run(["cp", "-a", str(project), str(kept)], check=False)
    if ingest.returncode:
        report_failure(console, "end-to-end ingest", ingest)
    return {
        "benchmark": "ingest",
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "input": {
            "format": "x.v2 JSON lines, 100 posts a page",
            "posts": data.posts,
            "bytes": data.bytes,
            "seed": seed,
            "generator": generator_version(),
            "generated_seconds": round(data.generated_seconds, 2)
            if data.generated_seconds is not None
            else None,
        },
        "results": {
            "parse_baseline": figures(baseline, data.posts, baseline),
            "init": figures(init, None, baseline),
            "end_to_end": figures(ingest, data.posts, baseline),
        },
        "ingest_summary": ingest_summary(ingest),
        "targets": targets(baseline, ingest),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest_bench", description=__doc__)
    parser.add_argument("--posts", type=int, default=DEFAULT_POSTS, help="posts in the file")
    parser.add_argument("--seed", type=int, default=SEED, help="generator seed")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write JSON")
    parser.add_argument("--keep", action="store_true", help="keep the project in bench/work")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    result = run_benchmark(args.posts, args.seed, console, args.keep)
    print_table(console, result)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    console.print(f"results: {args.results}")
    failed = result["results"]["end_to_end"]["returncode"] != 0
    missed = not (result["targets"]["ratio_met"] and result["targets"]["rss_met"])
    return 1 if failed or (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
