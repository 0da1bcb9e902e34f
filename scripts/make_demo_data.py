"""Write the bundled demo exports in marsad/demo/data/ from the synthetic generator.

Run once, then commit the outputs: `python scripts/make_demo_data.py`. The seeds are fixed, so
running it again rewrites the same bytes (a test checks that the files exist and parse).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import orjson

from marsad.demo.synth import generate_table_rows, generate_x_v2_pages

DATA_DIR = Path(__file__).resolve().parent.parent / "marsad" / "demo" / "data"
START = datetime(2025, 1, 1, tzinfo=UTC)


def write_x_search(path: Path) -> int:
    """~300 posts over 2025 as X API v2 search pages, one page a line."""
    pages = generate_x_v2_pages(300, seed=2025, page_size=100, start=START, days=365)
    return _write_lines(path, (orjson.dumps(page) for page in pages))


def write_x_timeline(path: Path) -> int:
    """One X API v2 user-timeline page of 50 posts, as a single (indented) JSON document."""
    page = next(
        generate_x_v2_pages(50, seed=2026, page_size=50, start=START, days=120, single_author=True)
    )
    path.write_bytes(orjson.dumps(page, option=orjson.OPT_INDENT_2) + b"\n")
    return int(page["meta"]["result_count"])


def write_telegram_sheet(path: Path) -> int:
    """An NGO's spreadsheet of Telegram channel posts: UTF-8 with a BOM, as Excel saves it."""
    rows = generate_table_rows(80, seed=2027, platform="telegram", start=START, days=365)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["message_id", "date", "channel", "text", "link"])
        for row in rows:
            writer.writerow([row["id"], row["date"], row["author"], row["text"], row["url"]])
    return len(rows)


def write_facebook_comments(path: Path) -> int:
    """Facebook comments as JSON lines with Graph API field names."""
    rows = generate_table_rows(60, seed=2028, platform="facebook", start=START, days=365)
    return _write_lines(
        path,
        (
            orjson.dumps(
                {
                    "id": row["id"],
                    "created_time": row["date"],
                    "from_name": row["author"],
                    "message": row["text"],
                    "permalink": row["url"],
                }
            )
            for row in rows
        ),
    )


def _write_lines(path: Path, lines: Iterable[bytes]) -> int:
    count = 0
    with path.open("wb") as out:
        for line in lines:
            out.write(line + b"\n")
            count += 1
    return count


WRITERS = {
    "x_search_2025.jsonl": write_x_search,
    "x_timeline.json": write_x_timeline,
    "telegram_channel_sheet.csv": write_telegram_sheet,
    "facebook_comments.jsonl": write_facebook_comments,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="folder to write into")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, write in WRITERS.items():
        path = args.out / name
        count = write(path)
        print(f"{path}: {count} records, {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
