"""`marsad classify FILE`: input that is malformed, oddly encoded or oddly named."""

from __future__ import annotations

import gzip
import io
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from marsad.classify.classify_cli import print_file_run
from marsad.classify.loader import LoadedModel
from marsad.classify.run import ColumnMissing, FileJob, FileRun, classify_file
from marsad.classify.tabfiles import TableFileError, remove_stale_temps
from marsad.cli import main
from marsad.ingest.base import Reject
from tests.classify.labelling import read_jsonl
from tests.classify.standin import KEY


def classify(
    source: Path, model: LoadedModel, id_column: str | None = None, encoding: str | None = None
) -> tuple[FileRun, list[dict[str, object]]]:
    """Classify the text column of `source` into out.jsonl beside it: the run and its rows."""
    out = source.with_name("out.jsonl")
    run = classify_file(FileJob(source, "text", out, id_column, encoding), model)
    return run, read_jsonl(out)


def run_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


# --- 1. malformed CSV quoting ----------------------------------------------------------------


def test_an_unclosed_quote_is_rejected_with_its_line_and_the_following_rows_are_kept(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        'id,text\n1,good morning\n2,"kill them "all" tonight\n3,you idiot\n4,good morning\n'
    )
    run, out = classify(source, model, id_column="id")
    assert [(r.record, r.reason.split(":")[0]) for r in run.rejects] == [
        (3, "malformed CSV in line 3")
    ]
    assert [row["id"] for row in out] == ["1", "3", "4"]


def test_a_quoted_field_spanning_lines_is_one_row_and_keeps_its_line_number(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.csv"
    source.write_text('id,text\n1,"good\nmorning"\n2,"bad"x\n3,kill them all\n')
    run, out = classify(source, model, id_column="id")
    assert [r.record for r in run.rejects] == [4]
    assert [row["id"] for row in out] == ["1", "3"]


# --- 2. duplicate header names ---------------------------------------------------------------


def test_a_column_named_twice_in_the_header_is_refused_naming_file_and_column(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,text,text\n1,hello,kill them\n")
    with pytest.raises(TableFileError, match=r"in\.csv: column 'text' appears twice"):
        classify(source, model)
    assert not (tmp_path / "out.jsonl").exists()


# --- 3. an id column named like an output column ---------------------------------------------


@pytest.mark.parametrize("name", ["label", "score_hate", "lang", "model", "model_version"])
def test_an_id_column_named_like_an_output_column_is_refused(
    tmp_path: Path, model: LoadedModel, name: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(f"{name},text\n1,hello\n")
    with pytest.raises(TableFileError, match=rf"--id-column '{name}' has the name of an output"):
        classify(source, model, id_column=name)


def test_features_is_refused_as_the_id_only_when_explaining(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("features,text\nf1,kill them all\n")
    _, out = classify(source, model, id_column="features")
    assert out[0]["features"] == "f1"
    with pytest.raises(TableFileError, match="'features' has the name of an output column"):
        classify_file(FileJob(source, "text", tmp_path / "o.csv", "features", explain_top=2), model)


def test_the_cli_refuses_an_id_column_named_label_with_exit_status_2(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("label,text\nx,hello\n")
    out = tmp_path / "out.csv"
    args = ("classify", source, "--text-column", "text", "--id-column", "label", "--output", out)
    result = run_cli(*args, "--model", model.folder, "--quiet")
    assert result.exit_code == 2
    assert "--id-column 'label' has the name of an output column" in result.output
    assert not out.exists()


# --- 4. the column check --------------------------------------------------------------------


def test_a_header_only_csv_gives_an_empty_output_not_a_missing_column(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,text\n")
    run, out = classify(source, model, id_column="id")
    assert (run.rows, run.rejects, out) == (0, [], [])


def test_a_csv_whose_first_rows_are_bad_is_checked_against_its_header(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,text\n1,a,b,c\n2,kill them all\n")
    run, out = classify(source, model)
    assert [r.record for r in run.rejects] == [2]
    assert [row["label"] for row in out] == ["incitement"]


def test_a_jsonl_whose_first_object_lacks_the_text_field_labels_it_empty(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1}\n{"id": 2, "text": "kill them all tonight"}\n')
    run, out = classify(source, model, id_column="id")
    assert [(row["id"], row["label"]) for row in out] == [("1", None), ("2", "incitement")]
    assert (run.rows, run.labelled, run.empty) == (2, 1, 1)


def test_a_jsonl_where_no_object_has_the_text_field_is_refused_listing_the_fields(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "body": "x"}\n{"id": 2, "lang": "ar"}\n')
    with pytest.raises(ColumnMissing, match=r"no column 'text'; the fields .*'body', 'lang'"):
        classify(source, model)


def test_a_file_with_nothing_readable_quotes_the_first_problem(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("{oops\n[1, 2]\n")
    with pytest.raises(TableFileError, match=r"no readable line; .* line 1: malformed JSON"):
        classify(source, model)


def test_a_malformed_csv_header_is_refused_naming_the_file(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.csv"
    source.write_text('id,"te"xt\n1,hello\n')
    with pytest.raises(TableFileError, match=r"in\.csv: malformed CSV header"):
        classify(source, model)


def test_a_one_column_tsv_is_split_on_tabs_not_on_commas(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.tsv"
    source.write_text("text\nkill them, all of them, tonight\ngood morning, friends\n")
    run, out = classify(source, model)
    assert run.rejects == []
    assert [row["label"] for row in out] == ["incitement", "none"]


# --- 5. an unknown encoding ------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["klingon", "rot13"])
def test_an_unknown_encoding_is_a_bad_encoding_value_before_anything_is_read(
    tmp_path: Path, model: LoadedModel, encoding: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("text\nhello\n")
    out = tmp_path / "out.csv"
    args = ("classify", source, "--text-column", "text", "--output", out, "--encoding", encoding)
    result = run_cli(*args, "--model", model.folder)
    assert result.exit_code == 2
    assert f"Invalid value for --encoding: {encoding!r} is not a known text" in result.output
    assert not out.exists()


# --- 6. reject lines on the screen ------------------------------------------------------------


def test_reject_lines_are_printed_yellow_with_the_files_brackets_as_they_are() -> None:
    reject = Reject("in.csv", 3, "malformed CSV in line 3: [bold]x[/bold] unexpected")
    result = FileRun(KEY, "v1", Path("out.csv"), 0, 0, 0, [reject])
    screen = io.StringIO()
    errors = Console(file=screen, force_terminal=True, color_system="standard", width=200)
    print_file_run(result, Console(file=io.StringIO()), errors)
    printed = screen.getvalue()
    assert "[yellow]" not in printed
    assert "\x1b[33m" in printed
    assert "in.csv:3: malformed CSV in line 3: [bold]x[/bold] unexpected" in printed


# --- 7. JSON lines in other encodings ---------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "cp1256"])
def test_jsonl_in_another_encoding_is_read_detected_or_given(
    tmp_path: Path, model: LoadedModel, encoding: str
) -> None:
    source = tmp_path / "in.jsonl"
    lines = ['{"id": 1, "text": "اقتلوهم جميعا الليلة"}', '{"id": 2, "text": "صباح الخير"}']
    source.write_bytes("".join(line + "\n" for line in lines).encode(encoding))
    for given in (None, encoding):
        run, out = classify(source, model, id_column="id", encoding=given)
        assert run.rejects == []
        assert [(row["id"], row["label"]) for row in out] == [("1", "incitement"), ("2", "none")]


def test_a_jsonl_line_with_undecodable_bytes_is_rejected_and_the_others_kept(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.jsonl.gz"
    data = '{"text": "صباح الخير يا اصدقائي"}\n'.encode() * 20 + b'{"text": "\xff\xfe"}\n'
    source.write_bytes(gzip.compress(data + b'{"text": "kill them all"}\n'))
    run, out = classify(source, model)
    assert [(r.record, r.reason) for r in run.rejects] == [
        (21, "line 21: undecodable bytes; give --encoding")
    ]
    assert len(out) == 21


# --- 8. temporaries of killed runs ------------------------------------------------------------


def test_stale_temporaries_of_the_same_output_are_removed_and_fresh_ones_kept(
    tmp_path: Path, model: LoadedModel
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("text\nhello\n")
    out = tmp_path / "out.csv"
    stale = tmp_path / ".out.csv.0123456789ab.tmp"
    running = tmp_path / ".out.csv.ba9876543210.tmp"
    other = tmp_path / ".other.csv.0123456789ab.tmp"
    for temp in (stale, running, other):
        temp.write_text("partial")
    two_hours_ago = time.time() - 7200
    for temp in (stale, other):
        os.utime(temp, (two_hours_ago, two_hours_ago))
    classify_file(FileJob(source, "text", out), model)
    assert not stale.exists()
    assert running.exists() and other.exists() and out.exists()


def test_removing_stale_temporaries_ignores_names_that_are_not_ours(tmp_path: Path) -> None:
    out = tmp_path / "a[1].csv"
    ours = tmp_path / ".a[1].csv.00000000000f.tmp"
    lookalike = tmp_path / ".a[1].csv.backup.tmp"
    for temp in (ours, lookalike):
        temp.write_text("x")
        os.utime(temp, (0, 0))
    assert remove_stale_temps(out) == [ours]
    assert lookalike.exists()
