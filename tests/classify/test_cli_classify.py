"""`marsad classify` and `marsad explain` through the real command line."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

from marsad.classify import loader
from marsad.classify.store import connect
from marsad.cli import main
from marsad.warehouse import Warehouse
from tests.classify.labelling import make_project, save_model
from tests.classify.standin import KEY, TRAINING, registry_with_standin


@pytest.fixture()
def model(tmp_path: Path) -> Path:
    return save_model(tmp_path / "model")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def test_classify_labels_the_warehouse_and_a_rerun_finds_nothing_left(
    tmp_path: Path, model: Path
) -> None:
    project = make_project(tmp_path)
    first = run("classify", "--project", project, "--model", model, "--json")
    assert first.exit_code == 0, first.output
    summary = orjson.loads(first.output)
    assert (summary["model"], summary["pending"], summary["labelled"]) == (KEY, 7, 7)
    again = run("classify", "--project", project, "--model", model, "--json")
    assert (orjson.loads(again.output)["pending"], orjson.loads(again.output)["labelled"]) == (0, 0)


def test_classify_takes_its_model_and_batch_size_from_the_settings(
    tmp_path: Path, model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path)
    monkeypatch.setenv("MARSAD_CLASSIFY_MODEL", str(model))
    monkeypatch.setenv("MARSAD_CLASSIFY_BATCH_SIZE", "2")
    result = run("classify", "--project", project, "--limit", "5", "--json")
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.output)["parts"] == 3


def test_classify_prints_a_summary_table(tmp_path: Path, model: Path) -> None:
    project = make_project(tmp_path)
    result = run("classify", "--project", project, "--model", model, "--quiet")
    assert result.exit_code == 0, result.output
    assert f"Classified with {KEY}" in result.output
    assert "7" in result.output


def test_classify_file_writes_the_labelled_rows_in_input_order(tmp_path: Path, model: Path) -> None:
    source = tmp_path / "posts.csv"
    source.write_text(
        "tweet_id,content\n9,kill them all tonight\n4,\n7,صباح الخير يا اصدقائي\n",
        encoding="utf-8",
    )
    out = tmp_path / "labelled.csv"
    args = ("classify", source, "--text-column", "content", "--id-column", "tweet_id")
    result = run(*args, "--output", out, "--model", model, "--quiet")
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "tweet_id",
        "label",
        "score_incitement",
        "score_hate",
        "score_offensive",
        "score_none",
        "lang",
        "model",
        "model_version",
    ]
    assert [(r["tweet_id"], r["label"], r["lang"], r["model"]) for r in rows] == [
        ("9", "incitement", "en", KEY),
        ("4", "", "und", KEY),
        ("7", "none", "ar", KEY),
    ]
    assert rows[1]["score_none"] == ""


def test_classify_file_reports_bad_jsonl_lines_and_keeps_the_others(
    tmp_path: Path, model: Path
) -> None:
    source = tmp_path / "posts.jsonl"
    source.write_text('{"text": "you are a stupid idiot"}\n{oops\n{"text": "good morning"}\n')
    out = tmp_path / "labelled.jsonl"
    args = ("classify", source, "--text-column", "text", "--output", out, "--model", model)
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    summary = orjson.loads(result.output)
    assert [(r["record"], r["file"]) for r in summary["rejected"]] == [(2, str(source))]
    labels = [orjson.loads(line)["label"] for line in out.read_bytes().splitlines()]
    assert labels == ["offensive", "none"]


def test_classify_file_with_explain_adds_the_top_features(tmp_path: Path, model: Path) -> None:
    source = tmp_path / "posts.jsonl"
    source.write_text('{"text": "kill them all tonight"}\n')
    out = tmp_path / "labelled.jsonl"
    args = ("classify", source, "--text-column", "text", "--output", out, "--model", model)
    result = run(*args, "--explain", "--top", "2", "--quiet")
    assert result.exit_code == 0, result.output
    features = orjson.loads(out.read_bytes())["features"]
    assert len(features) == 2
    assert features[0]["feature"] == 'word:"kill"' and features[0]["weight"] > 0


def test_a_missing_text_column_exits_2_naming_the_file_and_its_columns(
    tmp_path: Path, model: Path
) -> None:
    source = tmp_path / "posts.csv"
    source.write_text("id,message\n1,hello\n")
    out = tmp_path / "out.csv"
    args = ("classify", source, "--text-column", "text", "--output", out, "--model", model)
    result = run(*args)
    assert result.exit_code == 2
    assert "posts.csv: no column 'text'; its columns: 'id', 'message'" in result.output
    assert not out.exists()


def test_file_options_without_a_file_and_a_file_without_them_are_usage_errors(
    tmp_path: Path, model: Path
) -> None:
    project = make_project(tmp_path)
    no_file = run("classify", "--project", project, "--model", model, "--text-column", "t")
    assert no_file.exit_code == 2 and "--text-column needs a FILE" in no_file.output
    source = tmp_path / "posts.csv"
    source.write_text("text\nhello\n")
    no_output = run("classify", source, "--text-column", "text", "--model", model)
    assert no_output.exit_code == 2 and "needs --text-column and --output" in no_output.output


def test_a_model_folder_that_is_not_a_model_exits_2(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = run("classify", "--project", project, "--model", tmp_path)
    assert result.exit_code == 2
    assert "model.json is missing" in result.output


def test_explain_prints_the_label_scores_language_and_features(model: Path) -> None:
    result = run("explain", "kill them all tonight", "--model", model, "--top", "3")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("incitement")
    assert 'word:"kill"' in result.output
    for label in ("incitement", "hate", "offensive", "none"):
        assert label in result.output


def test_explain_json_has_scores_for_every_label_and_the_features(model: Path) -> None:
    result = run("explain", "בוקר טוב חברים", "--model", model, "--json", "--top", "2")
    assert result.exit_code == 0, result.output
    data = orjson.loads(result.output)
    assert data["label"] == "none" and data["model"] == KEY
    assert list(data["scores"]) == ["incitement", "hate", "offensive", "none"]
    assert abs(sum(data["scores"].values()) - 1) < 1e-9
    assert len(data["features"]) == 2


def test_explain_of_an_empty_text_is_a_usage_error(model: Path) -> None:
    result = run("explain", "   ", "--model", model)
    assert result.exit_code == 2 and "the text is empty" in result.output


TFIDF = ("incitement.tfidf.v1", "marsad.classify.models.tfidf:TfidfClassifier")


@pytest.fixture()
def tfidf_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real TF-IDF classifier fitted on the tiny sentences of the stand-in, saved."""
    from marsad.classify.models import tfidf

    monkeypatch.setattr(loader, "registry", lambda: {TFIDF[0]: TFIDF[1], **registry_with_standin()})
    texts, labels = zip(*TRAINING, strict=True)
    model = tfidf.TfidfClassifier(min_df=1).fit(list(texts) * 3, list(labels) * 3)
    model.save(tmp_path / "tfidf")
    return tmp_path / "tfidf"


def test_the_tfidf_classifier_labels_the_warehouse_and_explains_through_the_cli(
    tmp_path: Path, tfidf_model: Path
) -> None:
    project = make_project(tmp_path)
    result = run("classify", "--project", project, "--model", tfidf_model, "--json")
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.output)["labelled"] == 7
    con = connect(Warehouse(project / "warehouse"))
    rows = dict(
        con.execute(
            "SELECT p.text, l.label FROM labels l JOIN posts p USING (platform, post_id)"
        ).fetchall()
    )
    assert rows["kill them all tonight"] == "incitement"
    assert rows["good morning friends"] == "none"
    explained = run("explain", "kill them all tonight", "--model", tfidf_model, "--json")
    data = orjson.loads(explained.output)
    assert data["label"] == "incitement" and data["model"] == TFIDF[0]
    assert data["features"] and data["features"][0]["weight"] > 0
