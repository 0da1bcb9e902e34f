"""Run the benchmarks: `python -m bench.run [NAME ...] [--strict] [-- ARGS for each]`.

`make bench` runs them all. Each entry names a module with `main(argv) -> int`; every one
writes its figures to bench/results/<name>.json.
"""

from __future__ import annotations

import argparse
import importlib
import sys

BENCHMARKS: dict[str, str] = {
    "ingest": "bench.ingest_bench",
    "classify": "bench.classify_bench",
    "analyze": "bench.analyze_bench",
    "web": "bench.web_bench",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"any of {', '.join(BENCHMARKS)}; default: all")
    parser.add_argument("--strict", action="store_true", help="fail when a target is missed")
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    extra = argv[split + 1 :]
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    if args.strict:
        extra.append("--strict")
    status = 0
    for name in args.names or list(BENCHMARKS):
        module = importlib.import_module(BENCHMARKS[name])
        print(f"== {name} ({BENCHMARKS[name]})", flush=True)
        status = max(status, int(module.main(extra)))
    return status


if __name__ == "__main__":
    sys.exit(main())
