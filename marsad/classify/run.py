"""Classify in batches: the warehouse's posts (labels stored per model version) or a file.

Warehouse: `classify_warehouse` labels the posts that this model version has not labelled yet
(with their current text), `batch_size` posts per Parquet part, each part written atomically:
a run killed at any moment loses at most one batch, and the next run picks up the rest. Each
label also carries the post's day, language and dataset and whether it replaces an earlier label
of the version, and each part the posts files it read (`marsad.classify.store`, `PartInfo`).

A text that is empty or only spaces gets no label (null label and scores): there is nothing to
judge, and counting it as `none` would inflate the share of harmless posts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from marsad.classify.base import Classifier
from marsad.classify.labels import LABELS
from marsad.classify.loader import LoadedModel
from marsad.classify.store import (
    LABEL_SCHEMA,
    TEXT_HASH_SQL,
    PartInfo,
    VersionLock,
    copied_sql,
    create_labels_view,
    label_parts,
    remove_temp_parts,
    version_folder,
    write_part,
)
from marsad.classify.tabfiles import (
    Row,
    TableFileError,
    TableWriter,
    check_encoding,
    csv_header,
    json_fields,
    kind_of,
    read_rows,
)
from marsad.ingest.base import Reject
from marsad.text.langdetect import detect_languages
from marsad.warehouse import Warehouse
from marsad.warehouse.duck import COLUMNS_SQL as POST_COLUMNS_SQL
from marsad.warehouse.duck import parquet_source

SCORE_COLUMNS: tuple[str, ...] = tuple(f"score_{label}" for label in LABELS)
UNDETERMINED = "und"
SHOWN_FIELDS = 30  # column names listed when a column is missing


@dataclass(frozen=True, slots=True)
class Batch:
    """What a classifier said about a batch of texts; empty texts have no label, NaN scores."""

    labels: list[str | None]
    scores: npt.NDArray[np.float64]  # (n, len(LABELS)), LABELS order
    langs: list[str]


@dataclass(frozen=True, slots=True)
class WarehouseRun:
    model: str
    version: str
    pending: int  # posts this version had not labelled when the run started (after --limit)
    labelled: int  # posts labelled by this run
    empty: int  # of those, posts without text (no label)
    parts: int  # Parquet parts written


def has_text(text: str | None) -> bool:
    return bool(text and text.strip())


def fill_langs(texts: Sequence[str | None], langs: Sequence[str | None]) -> list[str]:
    """Each text's given language, detected where none is given ("und" for empty texts)."""
    missing = [i for i, lang in enumerate(langs) if not lang and has_text(texts[i])]
    found = detect_languages([str(texts[i]) for i in missing]) if missing else []
    filled = [lang or UNDETERMINED for lang in langs]
    for i, detection in zip(missing, found, strict=True):
        filled[i] = detection.lang
    return filled


def label_texts(
    model: LoadedModel, texts: Sequence[str | None], langs: Sequence[str | None]
) -> Batch:
    """Label `texts`; a language missing from `langs` is detected."""
    filled = fill_langs(texts, langs)
    keep = [i for i, text in enumerate(texts) if has_text(text)]
    scores = np.full((len(texts), len(LABELS)), np.nan)
    labels: list[str | None] = [None] * len(texts)
    if keep:
        kept_texts = [str(texts[i]) for i in keep]
        kept_langs = [filled[i] for i in keep]
        proba = model.classifier.predict_proba(kept_texts, kept_langs)
        scores[keep] = proba
        decided = decisions(model.classifier, proba, kept_texts, kept_langs)
        for i, label in zip(keep, decided, strict=True):
            labels[i] = label
    return Batch(labels, scores, filled)


def decisions(
    classifier: Classifier, proba: npt.NDArray[np.float64], texts: list[str], langs: list[str]
) -> list[str]:
    """`classifier.predict(texts, langs)`, from the probabilities already computed when the
    classifier uses the shared threshold rule unchanged (saves a second pass of the model)."""
    try:
        from marsad.classify.models.decision import decide
        from marsad.classify.models.rule import ThresholdRule
    except ImportError:
        return classifier.predict(texts, langs)
    rule = getattr(type(classifier), "predict", None) is ThresholdRule.predict
    if rule and isinstance(classifier, ThresholdRule):
        return list(decide(proba, classifier.routes(langs), classifier.thresholds_))
    return classifier.predict(texts, langs)


# --- the warehouse -----------------------------------------------------------------------


SOURCE_VIEW = "_posts_read"  # the snapshot's posts with the file each one is read from


def pending_sql(limit: int | None) -> str:
    """Posts whose current text this version has not labelled (view `_done`: the newest label
    of each post), with the values a label copies, the posts file and whether the post had a
    label of this version already (`replaces`)."""
    sql = (
        f"SELECT p.platform, p.post_id, p.text, p.lang, {TEXT_HASH_SQL} AS text_hash,"
        f" {copied_sql('p')}, p.posts_file, d.post_id IS NOT NULL AS replaces"
        f" FROM {SOURCE_VIEW} p LEFT JOIN _done d"
        " ON d.platform = p.platform AND d.post_id = p.post_id"
        f" WHERE d.text_hash IS DISTINCT FROM {TEXT_HASH_SQL}"
    )
    return sql if limit is None else f"{sql} LIMIT {int(limit)}"


def create_source_view(con: duckdb.DuckDBPyConnection, posts: list[Path]) -> None:
    """View SOURCE_VIEW over exactly `posts` (the snapshot's files), each row with the name
    of its file (`posts_file`)."""
    if posts:
        source = f"SELECT {POST_COLUMNS_SQL}, parse_filename(filename) AS posts_file FROM"
        source += f" {parquet_source(posts, filename=True)}"
    else:
        source = "SELECT *, CAST(NULL AS VARCHAR) AS posts_file FROM posts LIMIT 0"
    con.execute(f"CREATE TEMP VIEW {SOURCE_VIEW} AS {source}")


def label_table(model: LoadedModel, rows: pa.RecordBatch, now: datetime) -> tuple[pa.Table, int]:
    """The label rows of a batch of pending posts, and how many had no text."""
    texts: list[str | None] = rows.column("text").to_pylist()
    batch = label_texts(model, texts, rows.column("lang").to_pylist())
    n = rows.num_rows
    columns: dict[str, pa.Array | list[object]] = {
        "platform": rows.column("platform"),
        "post_id": rows.column("post_id"),
        "model": [model.key] * n,
        "model_version": [model.version] * n,
        "label": batch.labels,
    }
    for j, name in enumerate(SCORE_COLUMNS):
        columns[name] = pa.array(batch.scores[:, j], type=pa.float32(), from_pandas=True)
    columns["lang"] = batch.langs
    columns["text_hash"] = rows.column("text_hash")
    columns["classified_at"] = pa.array([now] * n, type=LABEL_SCHEMA.field("classified_at").type)
    columns["post_day"] = rows.column("post_day")
    columns["post_lang"] = rows.column("post_lang")
    columns["post_dataset"] = rows.column("post_dataset")
    columns["replaces"] = rows.column("replaces")
    table = pa.table(columns).cast(LABEL_SCHEMA)
    return table, sum(label is None for label in batch.labels)


def part_info(rows: pa.RecordBatch) -> PartInfo:
    """The PartInfo of the part holding the labels of `rows` (pending posts)."""
    files = pc.unique(rows.column("posts_file").drop_null()).to_pylist()
    replaces = int(pc.sum(pc.cast(rows.column("replaces"), pa.int64())).as_py() or 0)
    return PartInfo(tuple(str(name) for name in files), replaces)


def classify_warehouse(
    warehouse: Warehouse,
    model: LoadedModel,
    *,
    batch_size: int,
    limit: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> WarehouseRun:
    """Label the posts that `model` has not labelled yet; see the module docstring."""
    folder = version_folder(warehouse, model.key, model.version)
    with VersionLock(folder):
        remove_temp_parts(folder)
        posts = warehouse.snapshot().paths(warehouse.folders.posts)
        con = warehouse.connect()
        try:
            create_source_view(con, posts)
            create_labels_view(con, label_parts(folder), name="_done")
            pending = int(
                con.execute(f"SELECT count(*) FROM ({pending_sql(limit)})").fetchall()[0][0]
            )
            if on_start:
                on_start(pending)
            reader = con.sql(pending_sql(limit)).to_arrow_reader(batch_size)
            labelled = empty = parts = 0
            for rows in _batches(reader, batch_size):
                table, no_text = label_table(model, rows, datetime.now(UTC))
                write_part(folder, table, part_info(rows))
                labelled, empty, parts = labelled + table.num_rows, empty + no_text, parts + 1
                if on_batch:
                    on_batch(table.num_rows)
        finally:
            con.close()
    return WarehouseRun(model.key, model.version, pending, labelled, empty, parts)


def _batches(reader: pa.RecordBatchReader, size: int) -> Iterator[pa.RecordBatch]:
    """Record batches of exactly `size` rows (the last one smaller), whatever DuckDB yields."""
    buffered: list[pa.RecordBatch] = []
    rows = 0
    for batch in reader:
        buffered.append(batch)
        rows += batch.num_rows
        while rows >= size:
            table = pa.Table.from_batches(buffered).combine_chunks()
            yield table.slice(0, size).to_batches()[0]
            rest = table.slice(size)
            buffered, rows = rest.to_batches(), rest.num_rows
    if rows:
        yield pa.Table.from_batches(buffered).combine_chunks().to_batches()[0]


# --- files ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileJob:
    """`marsad classify FILE`: where to read, which columns, where to write."""

    path: Path
    text_column: str
    output: Path
    id_column: str | None = None
    encoding: str | None = None
    explain_top: int = 0  # > 0: a `features` column with that many features per row
    batch_size: int = 1000


@dataclass(frozen=True, slots=True)
class FileRun:
    model: str
    version: str
    output: Path
    rows: int  # rows written, one per readable input row, in input order
    labelled: int  # rows with a label
    empty: int  # rows whose text is empty (no label)
    rejects: list[Reject]  # lines that could not be read, not in the output


class ColumnMissing(TableFileError):
    """The text or id column is not in the file (a usage error)."""


def output_columns(job: FileJob) -> list[str]:
    head = [job.id_column] if job.id_column else []
    tail = ["features"] if job.explain_top > 0 else []
    return [*head, "label", *SCORE_COLUMNS, "lang", "model", "model_version", *tail]


def check_job(job: FileJob) -> None:
    """Stop before writing anything when the job cannot work; TableFileError says why.

    CSV: both columns must be in the header. JSON lines: each must be a field of at least one
    object of the file (an object without the text field gets an empty label)."""
    if job.output.resolve() == job.path.resolve():
        raise TableFileError(f"{job.output}: the output would overwrite the input")
    kind_of(job.output)
    check_id_column(job)
    check_encoding(job.encoding)
    wanted = [name for name in (job.text_column, job.id_column) if name]
    if kind_of(job.path) == "csv":
        columns, what = csv_header(job.path, job.encoding), "its columns"
    else:
        columns, what = json_fields(job.path, wanted, job.encoding), "the fields of its objects"
    for column in wanted:
        if column not in columns:
            listing = ", ".join(repr(name) for name in columns[:SHOWN_FIELDS]) or "(none)"
            if len(columns) > SHOWN_FIELDS:
                listing += f", ... ({len(columns) - SHOWN_FIELDS} more)"
            raise ColumnMissing(f"{job.path}: no column {column!r}; {what}: {listing}")


def check_id_column(job: FileJob) -> None:
    """TableFileError when the id column has the name of a column the output adds: its value
    and the prediction would share one output column."""
    added = output_columns(job)[1:] if job.id_column else []
    if job.id_column in added:
        raise TableFileError(
            f"--id-column {job.id_column!r} has the name of an output column"
            f" ({', '.join(added)}); give another column as the id"
        )


def classify_file(
    job: FileJob, model: LoadedModel, on_rows: Callable[[int], None] | None = None
) -> FileRun:
    """Label every row of `job.path` into `job.output`; see `tabfiles` for the formats."""
    check_job(job)
    rejects: list[Reject] = []
    rows = labelled = 0
    with TableWriter(job.output, output_columns(job)) as writer:
        for chunk in _row_chunks(read_rows(job.path, job.encoding), job.batch_size, rejects):
            for record in _labelled_records(job, model, chunk):
                writer.write(record)
                labelled += record["label"] is not None
            rows += len(chunk)
            if on_rows:
                on_rows(len(chunk))
        writer.commit()
    return FileRun(model.key, model.version, job.output, rows, labelled, rows - labelled, rejects)


def _row_chunks(
    rows: Iterator[Row | Reject], size: int, rejects: list[Reject]
) -> Iterator[list[dict[str, str]]]:
    chunk: list[dict[str, str]] = []
    for row in rows:
        if isinstance(row, Reject):
            rejects.append(row)
            continue
        chunk.append(row[1])
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _labelled_records(
    job: FileJob, model: LoadedModel, chunk: list[dict[str, str]]
) -> Iterator[dict[str, Any]]:
    texts: list[str | None] = [row.get(job.text_column, "") for row in chunk]
    batch = label_texts(model, texts, [None] * len(texts))
    for i, row in enumerate(chunk):
        record: dict[str, Any] = {"label": batch.labels[i], "lang": batch.langs[i]}
        if job.id_column:
            record[job.id_column] = row.get(job.id_column, "")
        for j, name in enumerate(SCORE_COLUMNS):
            score = float(batch.scores[i, j])
            record[name] = None if np.isnan(score) else round(score, 6)
        record["model"], record["model_version"] = model.key, model.version
        if job.explain_top > 0:
            record["features"] = _features(model, texts[i], batch.langs[i], job.explain_top)
        yield record


def _features(model: LoadedModel, text: str | None, lang: str, top: int) -> list[dict[str, Any]]:
    if not has_text(text):
        return []
    explanation = model.classifier.explain(str(text), lang, top)
    return [{"feature": c.feature, "weight": round(c.weight, 6)} for c in explanation.contributions]
