"""`marsad train` / `marsad evaluate`: the overlap filter, dev-only tuning, the model card."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from marsad.classify import loader
from marsad.classify.base import MODEL_CARD, Example
from marsad.classify.train import (
    TrainError,
    TrainOptions,
    leave_out,
    parse_pairs,
    parse_weights,
    prepare,
    repeat,
    train,
    train_command,
)
from marsad.cli import main
from tests.classify import stub_model

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
HEBREW_TRAIN = "offensive-hebrew/train.csv"
HEBREW_TEST = "offensive-hebrew/test.csv"
OLID_TRAIN = "olid/olid-training-v1.0.tsv"
OLID_TEST = "olid/testset-levela.tsv"

# (text, label, lang, dataset, split, file), invented for these tests
ROWS = [
    ("אתה מטומטם לגמרי", "offensive", "he", "offensive_hebrew", "train", HEBREW_TRAIN),
    ("בוקר טוב לכולם", "none", "he", "offensive_hebrew", "train", HEBREW_TRAIN),
    ("@user אתה אידיוט!!", "offensive", "he", "offensive_hebrew", "train", HEBREW_TRAIN),
    ("ערב נעים", "none", "he", "offensive_hebrew", "dev", "offensive-hebrew/val.csv"),
    ("אתה אידיוט", "offensive", "he", "offensive_hebrew", "test", HEBREW_TEST),
    ("יום יפה היום", "none", "he", "offensive_hebrew", "test", HEBREW_TEST),
    ("stupid clown", "offensive", "en", "olid", "train", OLID_TRAIN),
    ("what a lovely game", "none", "en", "olid", "train", OLID_TRAIN),
    ("see you at dinner", "none", "en", "olid", "dev", OLID_TRAIN),
    ("stupid people everywhere", "offensive", "en", "olid", "test", OLID_TEST),
    ("see you at dinner!", "none", "en", "olid", "test", OLID_TEST),
]


def examples() -> list[Example]:
    return [Example(t, lab, lang, d, s, f, i + 1) for i, (t, lab, lang, d, s, f) in enumerate(ROWS)]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose files exist (for their sha256) and whose loaders give ROWS."""
    folder = tmp_path / "data"
    for file in {row[5] for row in ROWS} | {"offensive-hebrew/val.csv"}:
        (folder / file).parent.mkdir(parents=True, exist_ok=True)
        (folder / file).write_text(f"invented rows of {file}\n", "utf-8")
    rows = examples()
    monkeypatch.setattr(
        "marsad.classify.train.load_dataset",
        lambda key, _dir: [e for e in rows if e.dataset == key],
    )
    return folder


@pytest.fixture(autouse=True)
def stub_registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = loader.registry
    monkeypatch.setattr(loader, "registry", lambda: {**real(), stub_model.KEY: stub_model.SPEC})
    yield


def options(data_dir: Path, **changes: object) -> TrainOptions:
    return TrainOptions(
        data_dir,
        ("offensive_hebrew", "olid"),
        stub_model.KEY,
        **changes,  # type: ignore[arg-type]
    )


def test_it_drops_training_rows_seen_in_a_test_split() -> None:
    prepared = prepare(examples())
    texts = [e.text for e in prepared.train + prepared.dev]
    assert "@user אתה אידיוט!!" not in texts  # the test row "אתה אידיוט" with a mention
    assert "see you at dinner" not in texts  # an OLID dev row that is an OLID test row
    assert prepared.dropped_by_dataset == {"offensive_hebrew": 1, "olid": 1}
    assert prepared.dropped_by_file == {HEBREW_TRAIN: 1, OLID_TRAIN: 1}
    assert len(prepared.test) == 4


def test_it_fits_on_train_and_tunes_thresholds_on_dev_only(data_dir: Path) -> None:
    result = train(options(data_dir))
    model = result.model
    assert "ערב נעים" not in model.fitted_on_  # type: ignore[attr-defined]
    assert sorted(model.thresholds_["tuned_on"]) == ["ערב נעים"]  # type: ignore[attr-defined]
    assert not {e.text for e in result.prepared.test} & set(model.fitted_on_)  # type: ignore[attr-defined]


def test_it_scores_every_dataset_on_its_test_split(data_dir: Path) -> None:
    result = train(options(data_dir))
    assert result.evaluation.macro_f1("olid") == 1.0  # "stupid" was learnt
    assert (
        result.evaluation.datasets["offensive_hebrew"].tasks["offensive"].recall["offensive"] == 1.0
    )  # "אידיוט" came back through the other training row


def test_the_card_records_files_drops_licences_thresholds_and_figures(data_dir: Path) -> None:
    card = train(options(data_dir, command="marsad train ...")).card
    files = {f["file"]: f for f in card["training"]["files"]}
    assert files[HEBREW_TRAIN]["rows"] == {"train": 2, "dev": 0, "test": 0}
    assert files[HEBREW_TRAIN]["dropped_test_overlap"] == 1
    assert len(files[HEBREW_TRAIN]["sha256"]) == 64
    assert files[HEBREW_TEST]["rows"]["test"] == 2
    assert files[HEBREW_TRAIN]["commercial_use"] is False
    assert "NOT for commercial use" in card["licence"]
    assert "offensive_hebrew" in card["licence"]
    assert card["training"]["dropped_test_overlap"] == {"offensive_hebrew": 1, "olid": 1}
    assert card["languages"] == ["en", "he"]
    assert card["thresholds"]["*"] == 0.5
    assert card["evaluation"]["datasets"]["olid"]["tasks"]["offensive"]["macro_f1"] == 1.0
    assert card["provenance"]["command"] == "marsad train ..."


def test_without_leaves_a_file_out_of_training_but_keeps_its_test_rows() -> None:
    kept = leave_out(examples(), [OLID_TRAIN])
    assert {e.split for e in kept if e.dataset == "olid"} == {"test"}
    with pytest.raises(TrainError, match="no such data file"):
        leave_out(examples(), ["olid/missing.tsv"])


def test_a_weight_repeats_or_thins_a_datasets_training_rows_evenly() -> None:
    rows = examples()[:4]
    assert len(repeat(rows, 2)) == 8
    assert len(repeat(rows, 0.5)) == 2
    assert len(repeat(rows, 1.5)) == 6


def test_it_rejects_malformed_params_and_weights() -> None:
    assert parse_pairs(["C=4", "analyzer=char", "flag=true"], "--param") == {
        "C": 4,
        "analyzer": "char",
        "flag": True,
    }
    with pytest.raises(TrainError, match="NAME=VALUE"):
        parse_pairs(["C"], "--param")
    with pytest.raises(TrainError, match="positive"):
        parse_weights(["olid=-1"])


def test_it_names_the_known_keys_for_an_unknown_model_key(data_dir: Path) -> None:
    with pytest.raises(TrainError, match=r"unknown classifier 'nope\.v1'"):
        train(TrainOptions(data_dir, ("olid",), "nope.v1"))


def test_the_saved_card_holds_the_command_that_repeats_the_run(
    data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "model"
    flags = {"param": ["confidence=0.9"], "weight": ["olid=2"]}
    train_command(data_dir, "olid", stub_model.KEY, flags, out, Console(file=None, quiet=True))
    card = json.loads((out / MODEL_CARD).read_text("utf-8"))
    assert card["provenance"]["command"] == (
        f"marsad train --datasets olid --model-key {stub_model.KEY} --param confidence=0.9"
        f" --weight olid=2 --out {out.as_posix()}"
    )
    assert card["hyperparameters"] == {"confidence": 0.9}
    assert card["training"]["train_rows_fitted"] == 4  # 2 OLID train rows, twice


def test_train_then_evaluate_from_the_command_line(data_dir: Path, tmp_path: Path) -> None:
    out, figures = tmp_path / "model", tmp_path / "figures.json"
    common = ["--data", str(data_dir), "--datasets", "offensive_hebrew,olid"]
    runner = CliRunner()
    trained = runner.invoke(main, ["train", *common, "--model-key", stub_model.KEY, "--out", out])
    assert trained.exit_code == 0, trained.output
    assert "offensive_hebrew: dropped 1" in trained.output
    args = ["evaluate", "--model", str(out), *common, "--json", str(figures), "--cross"]
    evaluated = runner.invoke(main, args)
    assert evaluated.exit_code == 0, evaluated.output
    result = json.loads(figures.read_text("utf-8"))
    assert result["datasets"]["olid"]["tasks"]["offensive"]["macro_f1"] == 1.0
    assert set(result["cross"]) == {"offensive_hebrew", "olid"}
    assert result["cross"]["olid"]["olid"] == 1.0


def test_an_unknown_dataset_stops_the_command(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    args = ["train", "--data", str(tmp_path / "data"), "--datasets", "nope", "--out", "x"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "unknown dataset 'nope'" in result.output


@pytest.mark.data
def test_no_offensive_hebrew_test_text_is_left_in_training() -> None:
    if not DATA.is_dir():
        pytest.skip(f"the labelled datasets are not in {DATA}")
    from marsad.classify.dedup import letters_key
    from marsad.classify.train import load_examples

    prepared = prepare(load_examples(DATA, ["offensive_hebrew", "olah5000"]))
    test_keys = {letters_key(e.text) for e in prepared.test} - {""}
    assert not test_keys & {letters_key(e.text) for e in prepared.train + prepared.dev}
    assert prepared.dropped_by_file["offensive-hebrew/AllData_OffensiveHebrew.xlsx"] >= 499
