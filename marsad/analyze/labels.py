"""Which labels an analysis reads: one model version among those stored in the warehouse.

`--model KEY@VERSION` names one; `--model KEY` the newest version of that key; no `--model`
the newest labels present (the version whose latest `classified_at` is the latest). "Newest"
comes from the label parts' Parquet statistics when the context has the warehouse, else from
the `labels` view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq

from marsad.analyze.base import AnalysisError, Context
from marsad.classify.store import label_parts, labels_root, version_folder
from marsad.warehouse.duck import parquet_source, sql_string

NO_LABELS = "the warehouse has no labels yet: run `marsad classify` first"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class LabelSource:
    """One model version's labels."""

    model: str
    version: str

    def __str__(self) -> str:
        return f"{self.model}@{self.version}"


@dataclass(frozen=True, slots=True)
class StoredVersion:
    source: LabelSource
    newest: datetime  # the latest classified_at of its labels


def stored_versions(ctx: Context) -> list[StoredVersion]:
    """Every model version with labels, newest first."""
    found = _from_folders(ctx) if ctx.warehouse is not None else _from_view(ctx)
    return sorted(found, key=lambda v: (v.newest, v.source.model, v.source.version), reverse=True)


def _from_view(ctx: Context) -> list[StoredVersion]:
    rows = ctx.con.execute(
        "SELECT model, model_version, max(classified_at) FROM labels GROUP BY ALL"
    ).fetchall()
    return [StoredVersion(LabelSource(str(m), str(v)), newest) for m, v, newest in rows]


def _from_folders(ctx: Context) -> list[StoredVersion]:
    assert ctx.warehouse is not None
    root = labels_root(ctx.warehouse)
    found: list[StoredVersion] = []
    for folder in sorted(root.glob("*/*")) if root.is_dir() else []:
        parts = label_parts(folder)
        if parts and folder.is_dir():
            newest = max(_newest_in(part) for part in parts)
            found.append(StoredVersion(LabelSource(folder.parent.name, folder.name), newest))
    return found


def _newest_in(part: Path) -> datetime:
    """The latest classified_at of a part, from its row groups' statistics."""
    metadata = pq.ParquetFile(part).metadata
    index = metadata.schema.names.index("classified_at")
    newest = EPOCH
    for group in range(metadata.num_row_groups):
        stats = metadata.row_group(group).column(index).statistics
        if stats is not None and stats.has_min_max:
            value = stats.max
            newest = max(newest, value if value.tzinfo else value.replace(tzinfo=UTC))
    return newest


def choose_labels(ctx: Context, spec: str | None) -> LabelSource:
    """The labels that `spec` ("KEY", "KEY@VERSION" or None: the newest) names; AnalysisError
    when the warehouse has none, or none of that model."""
    versions = stored_versions(ctx)
    if not versions:
        raise AnalysisError(NO_LABELS)
    if spec is None:
        return versions[0].source
    key, _, version = spec.partition("@")
    for stored in versions:
        if stored.source.model == key and version in ("", stored.source.version):
            return stored.source
    present = ", ".join(str(v.source) for v in versions)
    raise AnalysisError(f"--model {spec}: no labels of that model; labels present: {present}")


LABEL_COLUMNS = ("label", "score_incitement", "score_hate", "score_offensive", "score_none")


def labels_relation(ctx: Context, source: LabelSource, only: str | None = None) -> str:
    """SQL of `source`'s labels, one row per post (its newest): platform, post_id, label and the
    four scores; with `only` (SQL of a relation with platform and post_id), of those posts only.
    With the warehouse, read from the version's parts with an aggregate, much faster on
    millions of labels than the `labels` view's window; else from the view."""
    folder = version_folder(ctx.warehouse, source.model, source.version) if ctx.warehouse else None
    parts = label_parts(folder) if folder else []
    keep = f" SEMI JOIN {only} USING (platform, post_id)" if only else ""
    if not parts:
        model, version = sql_string(source.model), sql_string(source.version)
        return (
            f"(SELECT platform, post_id, {', '.join(LABEL_COLUMNS)} FROM labels{keep}"
            f" WHERE model = {model} AND model_version = {version})"
        )
    fields = ", ".join(f"'{name}': {name}" for name in LABEL_COLUMNS)
    newest = ", ".join(f"newest.{name} AS {name}" for name in LABEL_COLUMNS)
    return (
        f"(SELECT platform, post_id, {newest} FROM (SELECT platform, post_id,"
        f" arg_max_null({{{fields}}}, classified_at) AS newest FROM {parquet_source(parts)}{keep}"
        " GROUP BY platform, post_id))"
    )
