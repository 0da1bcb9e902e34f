"""Classifying in batches: the warehouse (labels per model version) and CSV/JSONL files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from marsad.classify.loader import LoadedModel, ModelError, load_model
from marsad.classify.run import (
    ColumnMissing,
    FileJob,
    classify_file,
    classify_warehouse,
    decisions,
    fill_langs,
)
from marsad.classify.store import (
    PartInfo,
    connect,
    label_parts,
    labels_root,
    read_part_info,
    version_folder,
)
from marsad.classify.tabfiles import TableFileError
from marsad.warehouse import Warehouse
from tests.classify.labelling import (
    POSTS,
    invoke,
    make_project,
    read_jsonl,
    save_model,
    write_export,
)
from tests.classify.standin import KEY, TRAINING

ROOT = Path(__file__).resolve().parents[2]


def warehouse_of(project: Path) -> Warehouse:
    return Warehouse(project / "warehouse")


def label_rows(project: Path) -> list[tuple[str, str, str | None]]:
    con = connect(warehouse_of(project))
    rows = con.execute("SELECT post_id, model_version, label FROM labels ORDER BY ALL").fetchall()
    return [(str(a), str(b), c) for a, b, c in rows]


# --- the warehouse -----------------------------------------------------------------------


def test_it_labels_every_post_once_with_scores_language_and_model(
    tmp_path: Path, model: LoadedModel
) -> None:
    project = make_project(tmp_path)
    run = classify_warehouse(warehouse_of(project), model, batch_size=3)
    assert (run.pending, run.labelled, run.empty, run.parts) == (7, 7, 0, 3)
    con = connect(warehouse_of(project))
    rows = con.execute(
        "SELECT p.text, l.label, l.lang, l.model,"
        " l.score_incitement + l.score_hate + l.score_offensive + l.score_none"
        " FROM labels l JOIN posts p USING (platform, post_id)"
    ).fetchall()
    by_text = {text: (label, lang, key) for text, label, lang, key, _ in rows}
    assert by_text["kill them all tonight"] == ("incitement", "en", KEY)
    assert by_text["בוקר טוב חברים"] == ("none", "he", KEY)
    assert by_text["اقتلوهم جميعا الليلة"] == ("incitement", "ar", KEY)
    assert all(abs(total - 1) < 1e-5 for *_, total in rows)


def test_a_rerun_labels_only_the_posts_this_version_has_not_labelled(
    tmp_path: Path, model: LoadedModel
) -> None:
    project = make_project(tmp_path)
    first = classify_warehouse(warehouse_of(project), model, batch_size=10, limit=4)
    assert (first.pending, first.labelled) == (4, 4)
    later = write_export(tmp_path / "later.jsonl", {100: "good evening friends"})
    assert invoke("ingest", str(later), "--project", str(project), "--quiet").exit_code == 0
    second = classify_warehouse(warehouse_of(project), model, batch_size=10)
    assert (second.pending, second.labelled) == (4, 4)
    third = classify_warehouse(warehouse_of(project), model, batch_size=10)
    assert (third.pending, third.labelled, third.parts) == (0, 0, 0)
    assert len(label_rows(project)) == 8


def test_a_new_model_version_keeps_the_labels_of_the_old_one(
    tmp_path: Path, model: LoadedModel
) -> None:
    project = make_project(tmp_path)
    classify_warehouse(warehouse_of(project), model, batch_size=10)
    retrained = save_model(tmp_path / "model-2", delay=0.001)  # other content, other version
    newer = load_model(str(retrained))
    assert newer.version != model.version
    assert classify_warehouse(warehouse_of(project), newer, batch_size=10).labelled == 7
    versions = [version for _, version, _ in label_rows(project)]
    assert versions.count(model.version) == versions.count(newer.version) == 7
    assert len(list((labels_root(warehouse_of(project)) / KEY).iterdir())) == 2


def test_a_post_whose_text_changed_is_labelled_again_and_its_new_label_wins(
    tmp_path: Path, model: LoadedModel
) -> None:
    project = make_project(tmp_path, {1: "good morning friends"})
    classify_warehouse(warehouse_of(project), model, batch_size=10)
    edited = write_export(
        tmp_path / "edited.jsonl", {1: "kill them all tonight"}, datetime(2025, 7, 1, tzinfo=UTC)
    )
    assert invoke("ingest", str(edited), "--project", str(project), "--quiet").exit_code == 0
    run = classify_warehouse(warehouse_of(project), model, batch_size=10)
    assert run.labelled == 1
    assert [label for *_, label in label_rows(project)] == ["incitement"]


def test_labels_carry_their_posts_day_language_dataset_and_files(
    tmp_path: Path, model: LoadedModel
) -> None:
    project = make_project(tmp_path, {1: "good morning friends", 2: "kill them all tonight"})
    campaign = write_export(tmp_path / "campaign.jsonl", {3: "صباح الخير", 4: "good night"})
    args = ("ingest", str(campaign), "--project", str(project), "--dataset", "campaign-a")
    assert invoke(*args, "--quiet").exit_code == 0
    warehouse = warehouse_of(project)
    classify_warehouse(warehouse, model, batch_size=10)
    files = warehouse.snapshot().files
    con = connect(warehouse)
    folder = version_folder(warehouse, model.key, model.version)
    copies = con.execute(
        "SELECT l.post_day = CAST(p.created_at AS DATE), l.post_lang IS NOT DISTINCT FROM p.lang,"
        " l.post_dataset IS NOT DISTINCT FROM p.dataset, l.replaces"
        f" FROM read_parquet('{folder}/*.parquet') l JOIN posts p USING (platform, post_id)"
    ).fetchall()
    assert copies == [(True, True, True, False)] * 4
    datasets = con.execute(
        f"SELECT post_id, post_dataset FROM read_parquet('{folder}/*.parquet') ORDER BY post_id"
    ).fetchall()
    assert [dataset for _, dataset in datasets] == [None, None, "campaign-a", "campaign-a"]
    [part] = label_parts(version_folder(warehouse, model.key, model.version))
    assert read_part_info(part) == PartInfo(tuple(sorted(files)), 0)


def test_a_label_of_a_post_labelled_before_says_it_replaces_one(
    tmp_path: Path, model: LoadedModel
) -> None:
    project = make_project(tmp_path, {1: "good morning friends", 2: "good evening"})
    classify_warehouse(warehouse_of(project), model, batch_size=10)
    edited = write_export(
        tmp_path / "edited.jsonl", {1: "kill them all tonight"}, datetime(2025, 7, 1, tzinfo=UTC)
    )
    assert invoke("ingest", str(edited), "--project", str(project), "--quiet").exit_code == 0
    warehouse = warehouse_of(project)
    classify_warehouse(warehouse, model, batch_size=10)
    folder = version_folder(warehouse, model.key, model.version)
    infos = [read_part_info(part) for part in label_parts(folder)]
    assert sorted(info.replaces for info in infos if info) == [0, 1]
    replaced = connect(warehouse).execute(
        f"SELECT label, replaces FROM read_parquet('{folder}/*.parquet') WHERE replaces"
    )
    assert replaced.fetchall() == [("incitement", True)]


def test_posts_without_text_are_stored_without_a_label(tmp_path: Path, model: LoadedModel) -> None:
    project = make_project(tmp_path, {1: "good morning friends", 2: "   "})
    run = classify_warehouse(warehouse_of(project), model, batch_size=10)
    con = connect(warehouse_of(project))
    nulls = con.execute("SELECT count(*) FROM labels WHERE label IS NULL").fetchone()
    assert (run.labelled, run.empty, nulls) == (2, 1, (1,))
    assert classify_warehouse(warehouse_of(project), model, batch_size=10).pending == 0


def test_it_detects_the_language_of_texts_that_have_none() -> None:
    texts = ["בוקר טוב חברים ומשפחה", "صباح الخير يا اصدقائي", ""]
    assert fill_langs(texts, [None, "ar", None]) == ["he", "ar", "und"]


CHILD = """
import sys
sys.path.insert(0, {root!r})
from tests.classify.standin import register
register()
from marsad.cli import main
main(["classify", "--project", {project!r}, "--model", {model!r}, "--quiet"])
"""


def test_a_killed_run_loses_at_most_a_batch_and_a_rerun_completes_without_duplicates(
    tmp_path: Path,
) -> None:
    texts = {n: f"{POSTS[n % len(POSTS)]} {n}" for n in range(400)}
    project = make_project(tmp_path, texts)
    model = save_model(tmp_path / "slow-model", delay=0.2)
    code = CHILD.format(root=str(ROOT), project=str(project), model=str(model))
    env = {**os.environ, "MARSAD_CLASSIFY_BATCH_SIZE": "20"}
    child = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE)
    folder = labels_root(warehouse_of(project))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(label_parts(folder)) < 2:
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    stored = len(label_rows(project))
    assert 40 <= stored < 400 and stored % 20 == 0
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    con = connect(warehouse_of(project))
    counts = con.execute(
        "SELECT count(*), count(DISTINCT post_id) FROM read_parquet(?)",
        [[str(p) for p in label_parts(folder)]],
    ).fetchone()
    assert counts == (400, 400)


# --- files ---------------------------------------------------------------------------------


def test_a_file_gets_one_row_per_input_row_in_order(tmp_path: Path, model: LoadedModel) -> None:
    source = tmp_path / "in.jsonl"
    rows = [{"id": 3, "body": "kill them all tonight"}, {"id": 1, "body": ""}]
    rows.append({"id": 2, "body": "בוקר טוב חברים"})
    source.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))
    job = FileJob(source, "body", tmp_path / "out.jsonl", id_column="id")
    run = classify_file(job, model)
    out = read_jsonl(tmp_path / "out.jsonl")
    assert [(row["id"], row["label"], row["lang"]) for row in out] == [
        ("3", "incitement", "en"),
        ("1", None, "und"),
        ("2", "none", "he"),
    ]
    assert out[1]["score_none"] is None
    assert (run.rows, run.labelled, run.empty, run.rejects) == (3, 2, 1, [])


def test_bad_lines_are_reported_with_their_number_and_the_others_kept(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"t": "good morning"}\n{"t": broken\n[1, 2]\n{"t": "you idiot"}\n')
    run = classify_file(FileJob(source, "t", tmp_path / "out.csv"), model)
    assert [(reject.record, reject.reason.split(":")[0]) for reject in run.rejects] == [
        (2, "malformed JSON in line 2"),
        (3, "line 3 is not a JSON object"),
    ]
    assert run.rows == 2


def test_a_windows_1256_csv_is_read_and_the_csv_output_opens_in_spreadsheets(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes("رقم;نص\n1;اقتلوهم جميعا الليلة\n2;صباح الخير يا اصدقائي\n".encode("cp1256"))
    classify_file(FileJob(source, "نص", tmp_path / "out.csv", id_column="رقم"), model)
    data = (tmp_path / "out.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:2] == ["رقم", "label"]
    assert [line.split(",")[1] for line in lines[1:]] == ["incitement", "none"]


def test_a_missing_text_column_names_the_file_and_lists_its_columns(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,message\n1,hello\n")
    with pytest.raises(ColumnMissing, match=r"in\.csv: no column 'text'; its columns: 'id', 'me"):
        classify_file(FileJob(source, "text", tmp_path / "out.csv"), model)
    assert not (tmp_path / "out.csv").exists()


def test_the_output_is_not_left_half_written_when_a_run_fails(
    tmp_path: Path, model: LoadedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("text\n" + "good morning\n" * 30)
    calls = []

    def failing(texts: list[str], langs: list[str] | None = None) -> list[str]:
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("model crashed")
        return ["none"] * len(texts)

    monkeypatch.setattr(model.classifier, "predict", failing)
    with pytest.raises(RuntimeError):
        classify_file(FileJob(source, "text", tmp_path / "out.csv", batch_size=10), model)
    assert sorted(os.listdir(tmp_path)) == ["in.csv", "model"]


def test_an_output_with_an_unknown_extension_is_refused_before_reading(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("text\nhello\n")
    with pytest.raises(TableFileError, match=r"out\.xlsx"):
        classify_file(FileJob(source, "text", tmp_path / "out.xlsx"), model)


# --- models ----------------------------------------------------------------------------------


def test_a_folder_without_a_model_card_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"model\.json is missing"):
        load_model(str(tmp_path))


def test_an_unknown_classifier_key_is_named_with_the_known_ones(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text('{"key": "nope.v9"}')
    with pytest.raises(ModelError, match=rf"unknown classifier 'nope.v9'; known: .*{KEY}"):
        load_model(str(tmp_path))


def test_the_same_files_give_the_same_version_wherever_they_are(tmp_path: Path) -> None:
    first = load_model(str(save_model(tmp_path / "a")))
    copy = load_model(str(save_model(tmp_path / "b")))
    assert first.version == copy.version and len(first.version) == 16


def test_labels_from_computed_scores_are_the_classifiers_own_decisions() -> None:
    from marsad.classify.models import tfidf

    texts, labels = zip(*TRAINING, strict=True)
    classifier = tfidf.TfidfClassifier(min_df=1).fit(list(texts) * 3, list(labels) * 3)
    classifier.thresholds_ = {route: 0.35 for route in classifier.thresholds_}
    probe = ["kill them all tonight", "good morning", "انت غبي", "בוקר טוב", "hello idiot"]
    langs = ["en", "en", "ar", "he", "en"]
    proba = classifier.predict_proba(probe, langs)
    assert decisions(classifier, proba, probe, langs) == classifier.predict(probe, langs)
