"""A small warehouse built in each test: posts written through an import, labels written as
one model version's part (as `marsad classify` writes them, or as it did before labels carried
copies of their posts' values: `Built.old_parts`), and the analysis context over them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from uuid import uuid4

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from marsad.analyze.base import Context, Params, parse_period
from marsad.classify.store import (
    LABEL_SCHEMA,
    VIEW_COLUMNS,
    PartInfo,
    connect,
    copied_sql,
    label_parts,
    version_folder,
    write_part,
)
from marsad.posts import Metrics, Post, posts_to_table
from marsad.warehouse import Warehouse
from marsad.warehouse.duck import parquet_source

MODEL = "incitement.test.v1"
VERSION = "0123456789abcdef"
COLLECTED = datetime(2026, 1, 1, tzinfo=UTC)


def at(day: str, hour: int = 12) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), tzinfo=UTC)


def post(
    post_id: str,
    day: str | None,
    *,
    platform: str = "x",
    lang: str | None = "ar",
    author: str | None = "a1",
    handle: str | None = None,
    text: str | None = "نص",
    hashtags: Sequence[str] = (),
    metrics: Metrics | None = None,
    dataset: str | None = None,
    hour: int = 12,
) -> Post:
    return Post(
        platform=platform,
        post_id=post_id,
        collected_at=COLLECTED,
        created_at=at(day, hour) if day else None,
        lang=lang,
        author_id=author,
        author_handle=handle,
        text=text,
        text_norm=text.lower() if text else None,
        hashtags=list(hashtags),
        metrics=metrics or Metrics(),
        dataset=dataset,
    )


@dataclass
class Label:
    post_id: str
    label: str | None
    platform: str = "x"
    score: float = 0.9
    model: str = MODEL
    version: str = VERSION
    classified_at: datetime = field(default_factory=lambda: datetime(2026, 2, 1, tzinfo=UTC))


def labels_table(labels: Sequence[Label]) -> pa.Table:
    rows = []
    for item in labels:
        scores = {f"score_{name}": 0.0 for name in ("incitement", "hate", "offensive", "none")}
        if item.label is not None:
            scores[f"score_{item.label}"] = item.score
        rows.append(
            {
                "platform": item.platform,
                "post_id": item.post_id,
                "model": item.model,
                "model_version": item.version,
                "label": item.label,
                **scores,
                "lang": None,
                "text_hash": "0" * 32,
                "classified_at": item.classified_at,
            }
        )
    return pa.Table.from_pylist(rows, schema=LABEL_SCHEMA)


Key = tuple[str, str]


def post_copies(warehouse: Warehouse) -> dict[Key, dict[str, Any]]:
    """What `marsad classify` copies into a label from each post, and the post's file."""
    posts = warehouse.snapshot().paths(warehouse.folders.posts)
    if not posts:
        return {}
    con = duckdb.connect()
    try:
        query = f"SELECT platform, post_id, {copied_sql('p')}, parse_filename(filename) AS file"
        table = con.sql(f"{query} FROM {parquet_source(posts, filename=True)} p").to_arrow_table()
    finally:
        con.close()
    return {(r.pop("platform"), r.pop("post_id")): r for r in table.to_pylist()}


def labelled_keys(folder: Path) -> set[Key]:
    parts = label_parts(folder)
    if not parts:
        return set()
    table = pq.read_table(parts, columns=["platform", "post_id"])
    return set(zip(table["platform"].to_pylist(), table["post_id"].to_pylist(), strict=True))


def write_as_classify(warehouse: Warehouse, folder: Path, table: pa.Table) -> None:
    """Write `table` as `marsad classify` does: each label with its post's copied values and
    `replaces`, the part with its PartInfo."""
    copies, before = post_copies(warehouse), labelled_keys(folder)
    rows, files = [], set()
    for row in table.to_pylist():
        key = (row["platform"], row["post_id"])
        copied = dict(copies.get(key, {}))
        if file := copied.pop("file", None):
            files.add(file)
        rows.append(row | copied | {"replaces": key in before})
    replaces = sum(row["replaces"] for row in rows)
    write_part(
        folder, pa.Table.from_pylist(rows, schema=LABEL_SCHEMA), PartInfo(tuple(files), replaces)
    )


def write_old_part(folder: Path, table: pa.Table) -> None:
    """Write `table` as a part written before labels carried copies of their posts' values."""
    path = folder / f"part-{uuid4().hex}.parquet"
    pq.write_table(table.select(list(VIEW_COLUMNS)), path, compression="zstd")


class Built:
    """A warehouse in a temporary folder and the contexts over it."""

    def __init__(self, root: Path, warehouse: Warehouse | None = None) -> None:
        self.warehouse = warehouse or Warehouse.create(root / "warehouse")
        self.old_parts = False  # write label parts as marsad classify did before the copies
        self._open: list[Any] = []

    def add_posts(self, posts: Sequence[Post]) -> None:
        with self.warehouse.begin_import() as tx:
            tx.add(posts_to_table(list(posts)))
            tx.commit()

    def add_labels(self, labels: Sequence[Label]) -> None:
        by_version: dict[tuple[str, str], list[Label]] = {}
        for item in labels:
            by_version.setdefault((item.model, item.version), []).append(item)
        for (model, version), items in by_version.items():
            folder = version_folder(self.warehouse, model, version)
            folder.mkdir(parents=True, exist_ok=True)
            if self.old_parts:
                write_old_part(folder, labels_table(items))
            else:
                write_as_classify(self.warehouse, folder, labels_table(items))

    def context(self, *, cached: bool = False, settings: Any = None) -> Context:
        con = connect(self.warehouse)
        self._open.append(con)
        return Context(con, settings, self.warehouse if cached else None)

    def close(self) -> None:
        for con in self._open:
            con.close()


@pytest.fixture
def built(tmp_path: Path) -> Iterator[Built]:
    result = Built(tmp_path)
    yield result
    result.close()


@pytest.fixture(params=["direct", "cached", "cached-old-parts"])
def cached(request: pytest.FixtureRequest, built: Built) -> bool:
    """Run a test on the plain connection and on the warehouse's cached daily counts, these
    from label parts as `marsad classify` writes them and as it wrote them before."""
    built.old_parts = request.param == "cached-old-parts"
    return bool(request.param != "direct")


def params(period: str | None = "2025", **kwargs: Any) -> Params:
    return Params(period=parse_period(period) if period else None, **kwargs)


Rows = Callable[..., list[dict[str, Any]]]
