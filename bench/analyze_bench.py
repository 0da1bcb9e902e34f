"""Analyses benchmark: `index` and `hashtags` on a generated 10,000,000-post warehouse.

    python -m bench.analyze_bench                 # 10,000,000 posts
    python -m bench.analyze_bench --posts 200000

It writes a synthetic warehouse straight in the warehouse layout (posts parts, the snapshot, one
model version's label parts) into bench/work/analyze_<N>/, with numpy and pyarrow, one file of
1,000,000 rows at a time; it is reused while its marker says the same posts, seed and generator.
The label parts are written as `marsad classify` writes them: each label with its post's day,
language and dataset, each part with the posts file it labelled (`PartInfo`). Then, in one
process, it times:

1. `index` by month x platform x label, through the registry, as `marsad analyze` runs it:
   cold (no cached daily counts: the first `index` after an import or a classify run) and warm;
2. `hashtags` by month;
3. the same index computed with a straightforward pandas implementation (read the columns,
   merge posts with labels, group by), with the ratio of the two times and a check that both
   give the same counts.

Each analysis is run `--repeat` times (default 3) on a fresh connection, the cold `index` each
time after clearing the cache; the best time counts.
The figures, with the machine, go to bench/results/analyze.json.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import resource
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

from bench.ingest_bench import machine

BENCH_DIR = Path(__file__).resolve().parent
WORK = BENCH_DIR / "work"
RESULTS = BENCH_DIR / "results" / "analyze.json"
DEFAULT_POSTS = 10_000_000
FILE_ROWS = 1_000_000
ROW_GROUP_ROWS = 65_536
SEED = 11
MODEL = "incitement.tfidf.v1"
VERSION = "bench00000000000"
YEAR = 2025
TARGETS = {"index_seconds": 2.0, "hashtags_seconds": 5.0, "pandas_ratio": 10.0}
MEMORY_LIMIT = "4GB"  # DuckDB's; the whole run stays under ~8 GB

PLATFORMS = ("x", "telegram", "facebook", "instagram", "tiktok")
PLATFORM_P = (0.45, 0.25, 0.15, 0.1, 0.05)
LANGS = ("ar", "he", "en", "und")
LANG_P = (0.5, 0.25, 0.2, 0.05)
LABELS = ("incitement", "hate", "offensive", "none")
LABEL_P = (0.01, 0.04, 0.1, 0.85)
AUTHORS = 200_000
TAGS = 20_000
TEXTS = 5_000
WORDS = {
    "ar": "غزة القدس الضفة حرب سلام شعب أرض بيت طفل مدرسة مستشفى حصار شهيد أمل حرية",
    "he": "ירושלים שלום מלחמה עם ארץ בית ילד בית־ספר צבא גבול חדשות ממשלה עיר",
    "en": "gaza peace war people land home child school hospital news border city",
}


@dataclass(frozen=True, slots=True)
class Generated:
    root: Path
    posts: int
    seconds: float | None  # None when an earlier warehouse was reused


# --- the synthetic warehouse -------------------------------------------------------------------


def generator_version() -> str:
    """A hash of this module's generator, so a changed generator makes a new warehouse."""
    source = Path(__file__).read_text()
    start, end = source.index("\n# --- the synthetic"), source.index("\n# --- timing")
    return hashlib.sha256(source[start:end].encode()).hexdigest()[:16]


def text_pool(rng: np.random.Generator) -> tuple[pa.Array, pa.Array]:
    """TEXTS short sentences (each from one language's words) and their md5 hashes."""
    texts = []
    for i in range(TEXTS):
        words = WORDS[("ar", "he", "en")[i % 3]].split()
        texts.append(" ".join(rng.choice(words, size=int(rng.integers(5, 15)))))
    hashes = [hashlib.md5(text.encode()).hexdigest() for text in texts]
    return pa.array(texts), pa.array(hashes)


def zipf_indexes(rng: np.random.Generator, size: int, n: int) -> np.ndarray:
    """`size` indexes in [0, n), the low ones far more frequent (a Zipf-like draw)."""
    return (rng.zipf(1.3, size) - 1) % n


def hashtag_lists(rng: np.random.Generator, rows: int, tags: pa.Array) -> pa.Array:
    lengths = rng.choice(4, size=rows, p=(0.45, 0.3, 0.15, 0.1))
    offsets = np.zeros(rows + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    values = tags.take(pa.array(zipf_indexes(rng, int(offsets[-1]), TAGS)))
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def empty_lists(rows: int, kind: pa.DataType) -> pa.Array:
    offsets = pa.array(np.zeros(rows + 1, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, pa.array([], type=kind))


def metrics(rng: np.random.Generator, rows: int) -> pa.Array:
    from marsad.posts import METRICS_TYPE

    children = [pa.array(rng.geometric(p, rows).astype(np.int64)) for p in (0.05, 0.2, 0.3)]
    children += [pa.nulls(rows, pa.int64()), pa.array(rng.geometric(0.001, rows).astype(np.int64))]
    return pa.StructArray.from_arrays(children, fields=list(METRICS_TYPE))


def id_strings(prefix: str, numbers: np.ndarray) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pc.cast(pa.array(numbers), pa.string()), "")


def posts_chunk(rng: np.random.Generator, first: int, rows: int, pools: dict[str, Any]) -> pa.Table:
    from marsad.posts import MEDIA_TYPE, POST_SCHEMA, SOURCE_TYPE

    start = datetime(YEAR, 1, 1, tzinfo=UTC).timestamp()
    seconds = start + rng.uniform(0, 365 * 86400, rows)
    created = pa.array((seconds * 1e6).astype(np.int64)).cast(pa.timestamp("us", tz="UTC"))
    collected = pc.add(created, pa.scalar(86_400_000_000, pa.duration("us")))
    authors = id_strings("u", zipf_indexes(rng, rows, AUTHORS))
    text_index = pa.array(rng.integers(0, TEXTS, rows))
    texts = pools["texts"].take(text_index)
    columns = {
        "platform": pa.array(PLATFORMS).take(pa.array(rng.choice(5, rows, p=PLATFORM_P))),
        "post_id": id_strings("", np.arange(first, first + rows)),
        "author_id": authors,
        "author_handle": authors,
        "created_at": created,
        "collected_at": collected,
        "text": texts,
        "text_norm": texts,
        "lang": pa.array(LANGS).take(pa.array(rng.choice(4, rows, p=LANG_P))),
        "hashtags": hashtag_lists(rng, rows, pools["tags"]),
        "mentions": empty_lists(rows, pa.string()),
        "urls": empty_lists(rows, pa.string()),
        "media": empty_lists(rows, MEDIA_TYPE),
        "metrics": metrics(rng, rows),
        "source": pa.nulls(rows, SOURCE_TYPE),
        "dataset": pa.array(np.full(rows, "bench", dtype=object), pa.string()),
    }
    arrays = [columns.get(f.name, pa.nulls(rows, f.type)) for f in POST_SCHEMA]
    table = pa.Table.from_arrays(arrays, schema=POST_SCHEMA)
    return table.append_column("_text_index", text_index)


def labels_chunk(
    rng: np.random.Generator, posts: pa.Table, pools: dict[str, Any], posts_file: str
) -> pa.Table:
    """The labels of a chunk of posts, as `marsad classify` writes them (copied values and the
    part's PartInfo: the posts file, no label replacing another)."""
    from marsad.classify.store import LABEL_SCHEMA, PartInfo

    rows = posts.num_rows
    micros = posts["created_at"].combine_chunks().cast(pa.int64()).to_numpy()
    days = pa.array((micros // 86_400_000_000).astype(np.int32)).cast(pa.date32())
    scores = rng.dirichlet((0.2, 0.4, 0.8, 6.0), rows).astype(np.float32)
    columns = {
        "platform": posts["platform"],
        "post_id": posts["post_id"],
        "model": pa.array(np.full(rows, MODEL, dtype=object), pa.string()),
        "model_version": pa.array(np.full(rows, VERSION, dtype=object), pa.string()),
        "label": pa.array(LABELS).take(pa.array(rng.choice(4, rows, p=LABEL_P))),
        "lang": posts["lang"],
        "text_hash": pools["hashes"].take(posts["_text_index"]),
        "classified_at": pa.array(np.full(rows, datetime(YEAR + 1, 1, 2, tzinfo=UTC))).cast(
            pa.timestamp("us", tz="UTC")
        ),
    }
    for i, label in enumerate(LABELS):
        columns[f"score_{label}"] = pa.array(scores[:, i])
    columns |= {
        "post_day": days,
        "post_lang": posts["lang"],
        "post_dataset": posts["dataset"],
        "replaces": pa.array(np.zeros(rows, dtype=bool)),
    }
    table = pa.Table.from_arrays([columns[f.name] for f in LABEL_SCHEMA], schema=LABEL_SCHEMA)
    return table.replace_schema_metadata(PartInfo((posts_file,), 0).to_metadata())


def write_parquet(table: pa.Table, folder: Path) -> str:
    name = f"part-{uuid.uuid4().hex}.parquet"
    pq.write_table(table, folder / name, compression="zstd", row_group_size=ROW_GROUP_ROWS)
    return name


def generate(root: Path, posts: int, seed: int, console: Console) -> None:
    """Write `posts` posts and their labels in the warehouse layout under `root`."""
    from marsad.warehouse.snapshot import Snapshot, write_snapshot

    rng = np.random.default_rng(seed)
    texts, hashes = text_pool(rng)
    pools = {"texts": texts, "hashes": hashes, "tags": id_strings("tag", np.arange(TAGS))}
    posts_dir = root / "posts"
    labels_dir = root / "labels" / MODEL / VERSION
    for folder in (posts_dir, labels_dir, root / "staging"):
        folder.mkdir(parents=True, exist_ok=True)
    files = []
    for first in range(0, posts, FILE_ROWS):
        chunk = posts_chunk(rng, first, min(FILE_ROWS, posts - first), pools)
        files.append(write_parquet(chunk.drop_columns(["_text_index"]), posts_dir))
        write_parquet(labels_chunk(rng, chunk, pools, files[-1]), labels_dir)
        console.print(f"  {first + chunk.num_rows:,} posts written", highlight=False)
    snapshot = Snapshot(version=1, files=tuple(files), rows=posts, updated_at=datetime.now(UTC))
    write_snapshot(posts_dir, snapshot)


def ensure_warehouse(posts: int, seed: int, console: Console) -> Generated:
    root = WORK / f"analyze_{posts}"
    marker = root / "bench-marker.json"
    wanted = {"posts": posts, "seed": seed, "generator": generator_version()}
    if marker.is_file() and json.loads(marker.read_text()) == wanted:
        console.print(f"reusing {root}")
        return Generated(root, posts, None)
    shutil.rmtree(root, ignore_errors=True)
    console.print(f"generating a {posts:,}-post warehouse into {root} ...")
    started = time.perf_counter()
    generate(root, posts, seed, console)
    elapsed = time.perf_counter() - started
    marker.write_text(json.dumps(wanted, indent=2) + "\n")
    console.print(f"  generated in {elapsed:.1f} s")
    return Generated(root, posts, elapsed)


# --- timing ------------------------------------------------------------------------------------


def best_of(
    run: Callable[[], Any], repeat: int, before: Callable[[], None] | None = None
) -> tuple[float, Any]:
    """The best wall time of `repeat` runs (each after `before`, untimed), and the last run's
    result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        if before:
            before()
        gc.collect()
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def analysis_runner(key: str, root: Path, *, cached: bool, **options: str) -> Callable[[], Any]:
    """Run analysis `key` for YEAR by month through the registry, on a fresh connection, with
    (`cached`) or without the warehouse in its context."""
    from marsad.analyze import get_analysis
    from marsad.analyze.base import Context, Params, parse_period
    from marsad.classify.store import connect
    from marsad.warehouse import Warehouse

    def run() -> Any:
        warehouse = Warehouse(root, memory_limit=MEMORY_LIMIT)
        con = connect(warehouse)
        try:
            ctx = Context(con, None, warehouse if cached else None)
            params = Params(period=parse_period(str(YEAR)), granularity="month", options=options)
            return get_analysis(key).run(ctx, params)
        finally:
            con.close()

    return run


def clear_cache(root: Path) -> None:
    from marsad.analyze.daily import CACHE_DIR

    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)


def pandas_index(root: Path) -> Any:
    """The index counts the straightforward pandas way: read the columns, keep each post's
    newest label of the model version, merge with the posts, group by month, platform,
    language and label."""
    posts = pq.read_table(root / "posts", columns=["platform", "post_id", "created_at", "lang"])
    labels = pq.read_table(
        root / "labels",
        columns=["platform", "post_id", "model", "model_version", "label", "classified_at"],
    )
    p, lab = posts.to_pandas(), labels.to_pandas()
    lab = lab[(lab["model"] == MODEL) & (lab["model_version"] == VERSION)]
    lab = lab.sort_values("classified_at").drop_duplicates(["platform", "post_id"], keep="last")
    merged = p.merge(lab[["platform", "post_id", "label"]], on=["platform", "post_id"], how="left")
    merged = merged[merged["created_at"].dt.year == YEAR]
    merged["month"] = merged["created_at"].dt.strftime("%Y-%m-01")
    merged["lang"] = merged["lang"].fillna("und")
    return merged.groupby(["month", "platform", "lang", "label"], dropna=False).size()


def same_counts(index: pa.Table, pandas_counts: Any) -> bool:
    """Whether the index's label counts and unclassified posts equal pandas' counts."""
    ours: dict[tuple[str, str, str, str | None], int] = {}
    for row in index.to_pylist():
        cell = (str(row["bucket"]), row["platform"], row["lang"])
        if row["count"]:
            ours[(*cell, row["label"])] = row["count"]
        if row["label"] == LABELS[-1] and row["posts"] > row["classified"]:
            ours[(*cell, None)] = row["posts"] - row["classified"]
    theirs = {
        (m, pl, la, None if not isinstance(lb, str) else lb): int(n)
        for (m, pl, la, lb), n in pandas_counts.items()
    }
    return ours == theirs


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_all(root: Path, repeat: int, console: Console) -> dict[str, Any]:
    from marsad.classify.loader import DEFAULT_MODEL_DIR

    card = {"card": str(DEFAULT_MODEL_DIR)}
    figures: dict[str, Any] = {}
    console.print("index, cold (its daily counts computed and cached; the cache cleared first) ...")
    figures["index_cold_seconds"], _ = best_of(
        analysis_runner("index", root, cached=True, **card), repeat, lambda: clear_cache(root)
    )
    console.print("index, warm ...")
    seconds, index = best_of(analysis_runner("index", root, cached=True, **card), repeat)
    figures["index_seconds"], figures["index_rows"] = seconds, index.num_rows
    console.print("index through the labels view, without the warehouse's cache ...")
    figures["index_uncached_seconds"], uncached = best_of(
        analysis_runner("index", root, cached=False, **card), 1
    )
    figures["uncached_same_rows"] = uncached.equals(index)
    console.print("hashtags ...")
    seconds, tags = best_of(analysis_runner("hashtags", root, cached=True), repeat)
    figures["hashtags_seconds"], figures["hashtags_rows"] = seconds, tags.num_rows
    figures["duckdb_peak_rss_mib"] = peak_rss_mib()
    console.print("index with pandas ...")
    figures["pandas_seconds"], counts = best_of(lambda: pandas_index(root), 1)
    figures["pandas_same_counts"] = same_counts(index, counts)
    figures["peak_rss_mib"] = peak_rss_mib()
    return figures


def summarise(figures: dict[str, Any]) -> dict[str, Any]:
    pandas = figures["pandas_seconds"]
    ratios = {
        "pandas_ratio": pandas / figures["index_seconds"],
        "pandas_ratio_cold": pandas / figures["index_cold_seconds"],
        "pandas_ratio_uncached": pandas / figures["index_uncached_seconds"],
    }
    met = {
        "index_met": figures["index_seconds"] < TARGETS["index_seconds"],
        "index_cold_met": figures["index_cold_seconds"] < TARGETS["index_seconds"],
        "hashtags_met": figures["hashtags_seconds"] < TARGETS["hashtags_seconds"],
        "pandas_ratio_met": ratios["pandas_ratio"] >= TARGETS["pandas_ratio"],
    }
    rounded = {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}
    return {
        "results": rounded | {k: round(v, 1) for k, v in ratios.items()},
        "targets": TARGETS | met,
    }


def print_table(console: Console, result: dict[str, Any]) -> None:
    r = result["results"]
    table = Table(title=f"analyses on {result['input']['posts']:,} posts ({YEAR}, by month)")
    for name in ("", "seconds", "target", "pandas / this"):
        table.add_column(name, justify="left" if not name else "right")
    rows = [
        ("index (warm: cached daily counts)", r["index_seconds"], "< 2", r["pandas_ratio"]),
        (
            "index (cold: daily counts computed)",
            r["index_cold_seconds"],
            "< 2",
            r["pandas_ratio_cold"],
        ),
        (
            "index (labels view, no cache)",
            r["index_uncached_seconds"],
            "",
            r["pandas_ratio_uncached"],
        ),
        ("hashtags", r["hashtags_seconds"], "< 5", None),
        ("index with pandas", r["pandas_seconds"], "", 1.0),
    ]
    for label, seconds, target, ratio in rows:
        table.add_row(label, f"{seconds:.2f}", target, f"{ratio:.1f}x" if ratio else "")
    console.print(table)
    console.print(
        f"same counts as pandas: {r['pandas_same_counts']}; peak RSS {r['peak_rss_mib']:,.0f} MiB"
        f" (DuckDB part {r['duckdb_peak_rss_mib']:,.0f} MiB)"
    )
    t = result["targets"]
    met = {True: "[green]met[/green]", False: "[red]NOT met[/red]"}
    console.print(
        f"targets: index < 2 s {met[t['index_met']]} (cold {met[t['index_cold_met']]}); "
        f"hashtags < 5 s {met[t['hashtags_met']]}; pandas ratio >= 10x {met[t['pandas_ratio_met']]}"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.analyze_bench", description=__doc__)
    parser.add_argument("--posts", type=int, default=DEFAULT_POSTS, help="posts generated")
    parser.add_argument("--seed", type=int, default=SEED, help="generator seed")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each cold and warm index and hashtags timing"
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write JSON")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    generated = ensure_warehouse(args.posts, args.seed, console)
    result = {
        "benchmark": "analyze",
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_before": os.getloadavg(),
        "input": {
            "posts": generated.posts,
            "seed": args.seed,
            "generator": generator_version(),
            "generated_seconds": None if generated.seconds is None else round(generated.seconds, 1),
            "bytes": sum(f.stat().st_size for f in generated.root.rglob("*.parquet")),
        },
    }
    result |= summarise(measure_all(generated.root, args.repeat, console))
    result["load_average_after"] = os.getloadavg()
    print_table(console, result)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    console.print(f"results: {args.results}")
    t = result["targets"]
    missed = not (t["index_met"] and t["hashtags_met"] and t["pandas_ratio_met"])
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
