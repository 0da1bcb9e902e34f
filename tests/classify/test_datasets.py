"""The dataset loaders, the label mapping table and the training-data manifest.

Fixtures (written at test time by `make_dataset_fixtures.py`) copy each dataset's exact
layout with invented texts; the tests marked `data` read the real files in `../shared/data`.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from marsad.classify.base import Example
from marsad.classify.datasets import DATASETS, LabelError, licence, load, load_all, manifest
from marsad.classify.datasets.mapping import label_rows, parse_entry, table, target_rows
from marsad.classify.datasets.reading import bucket, train_dev, train_dev_test
from marsad.classify.labels import LABELS, TARGETS
from tests.classify.make_dataset_fixtures import fixture_data

FIXTURES = fixture_data()
DOC = Path(__file__).resolve().parents[2] / "docs" / "classifier.md"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
needs_data = [
    pytest.mark.data,
    pytest.mark.skipif(not SHARED.is_dir(), reason=f"the labelled datasets are not in {SHARED}"),
]


@pytest.fixture(scope="module")
def fixture_examples() -> list[Example]:
    return load_all(FIXTURES)


def find(examples: list[Example], file: str, row: int) -> Example:
    return next(e for e in examples if e.file == file and e.row == row)


@pytest.mark.parametrize("key", DATASETS)
def test_every_dataset_loads_its_fixture_files_onto_the_taxonomy(key: str) -> None:
    examples = load(key, FIXTURES)
    assert examples
    for example in examples:
        assert example.dataset == key
        assert example.label in LABELS
        assert example.target is None or example.target in TARGETS
        assert example.split in {"train", "dev", "test"}
        assert example.lang in {"ar", "he", "en"}
        assert (FIXTURES / example.file).is_file()
        assert example.row >= 1 and example.text.strip() == example.text and example.text
        assert example.source_label


def test_it_maps_osact_hate_types_to_targets_and_violence_to_incitement(
    fixture_examples: list[Example],
) -> None:
    file = "osact2022/train_data2022.csv"
    rows = (find(fixture_examples, file, r) for r in (2, 3, 4, 5, 6, 7, 8, 9, 10, 12))
    got = {e.row: (e.label, e.target) for e in rows}
    assert got == {
        2: ("offensive", None),
        3: ("hate", "national_ethnic"),
        4: ("hate", "religious"),
        5: ("hate", "political"),
        6: ("hate", "other"),
        7: ("hate", "other"),
        8: ("hate", "gender"),
        9: ("offensive", None),
        10: ("incitement", "national_ethnic"),
        12: ("none", None),
    }
    assert find(fixture_examples, file, 10).source_label == "OFF+HS1+NOT_VLG+VIO"


def test_osact_dev_file_is_the_test_split_and_line_markers_become_line_breaks(
    fixture_examples: list[Example],
) -> None:
    osact = [e for e in fixture_examples if e.dataset == "osact2022"]
    assert {e.split for e in osact if e.file.endswith("dev_data2022.csv")} == {"test"}
    assert {e.split for e in osact if e.file.endswith("train_data2022.csv")} <= {"train", "dev"}
    vulgar = find(fixture_examples, "osact2022/train_data2022.csv", 9)
    assert "<LF>" not in vulgar.text and "\n" in vulgar.text


def test_it_reads_offensive_hebrew_negative_as_offensive_and_positive_as_none(
    fixture_examples: list[Example],
) -> None:
    split_rows = [e for e in fixture_examples if e.file.endswith(("train.csv", "val.csv"))]
    pairs = {(e.source_label, e.label) for e in split_rows if e.dataset == "offensive_hebrew"}
    assert pairs == {("Negative", "offensive"), ("Positive", "none")}
    splits = {e.file: e.split for e in fixture_examples if e.dataset == "offensive_hebrew"}
    assert splits == {
        "offensive-hebrew/train.csv": "train",
        "offensive-hebrew/val.csv": "dev",
        "offensive-hebrew/test.csv": "test",
        "offensive-hebrew/AllData_OffensiveHebrew.xlsx": "train",
    }


def test_full_hebrew_labels_match_any_case_and_several_take_the_highest_priority(
    fixture_examples: list[Example],
) -> None:
    file = "offensive-hebrew/AllData_OffensiveHebrew.xlsx"
    got = {r: find(fixture_examples, file, r).label for r in (1, 2, 3, 4, 5, 6, 8, 9, 10)}
    assert got == {
        1: "none",
        2: "hate",
        3: "hate",
        4: "incitement",
        5: "incitement",
        6: "offensive",
        8: "offensive",
        9: "offensive",
        10: "incitement",
    }
    racism = find(fixture_examples, file, 7)
    assert (racism.label, racism.target, racism.source_label) == (
        "hate",
        "national_ethnic",
        "racism",
    )


def test_it_skips_and_counts_rows_without_text_or_label() -> None:
    skipped: Counter[tuple[str, str]] = Counter()
    examples = load_all(FIXTURES, skipped=skipped)
    assert skipped == {
        ("osact2022/train_data2022.csv", "empty text"): 1,
        ("offensive-hebrew/AllData_OffensiveHebrew.xlsx", "empty text"): 1,
        ("offensive-hebrew/AllData_OffensiveHebrew.xlsx", "no label"): 1,
        ("olah5000/train_Heb.xlsx", "empty text"): 1,
        ("mlma/en_dataset.csv", "empty text"): 1,
    }
    rows = {(e.file, e.row) for e in examples}
    assert ("osact2022/train_data2022.csv", 11) not in rows
    assert ("osact2022/train_data2022.csv", 12) in rows  # row numbers count records, not lines


def test_olid_test_labels_are_joined_on_id_and_group_offence_stays_offensive(
    fixture_examples: list[Example],
) -> None:
    test = {
        e.row: (e.label, e.split) for e in fixture_examples if e.file == "olid/testset-levela.tsv"
    }
    assert test == {1: ("offensive", "test"), 2: ("none", "test"), 3: ("none", "test")}
    group = find(fixture_examples, "olid/olid-training-v1.0.tsv", 4)
    assert (group.label, group.target, group.source_label) == ("offensive", None, "OFF+TIN+GRP")
    quoted = find(fixture_examples, "olid/olid-training-v1.0.tsv", 3)
    assert quoted.text.startswith('"@USER') and quoted.source_label == "OFF+UNT"


def test_mlma_multi_labels_take_priority_and_targets_only_on_hate(
    fixture_examples: list[Example],
) -> None:
    def of(file: str, row: int) -> tuple[str, str | None]:
        example = find(fixture_examples, f"mlma/{file}", row)
        return example.label, example.target

    assert of("ar_dataset.csv", 1) == ("hate", "national_ethnic")  # hateful_normal, origin
    assert of("ar_dataset.csv", 4) == ("hate", "religious")  # abusive_hateful, religion
    assert of("en_dataset.csv", 2) == ("offensive", None)  # fearful, origin
    assert of("en_dataset.csv", 3) == ("hate", "sexual_orientation")
    assert of("en_dataset.csv", 5) == ("offensive", None)  # abusive_normal, disability
    assert of("en_dataset.csv", 6) == ("none", None)  # normal, disability
    assert {e.lang for e in fixture_examples if e.file == "mlma/ar_dataset.csv"} == {"ar"}


def test_holdouts_are_about_a_tenth_each_and_follow_the_letters_of_the_text() -> None:
    texts = [f"post number {n} about {'abcdefghij'[n % 10] * (n % 7 + 1)}" for n in range(5000)]
    texts = [re.sub(r"\d", lambda m: "qwertyuiop"[int(m.group())], t) for t in texts]
    splits = Counter(train_dev_test(t) for t in texts)
    assert 400 < splits["test"] < 600 and 400 < splits["dev"] < 600
    assert 400 < Counter(train_dev(t) for t in texts)["dev"] < 600
    assert Counter(train_dev(t) for t in texts)["test"] == 0
    assert bucket("Hello, World! 123 https://x.co/a @someone") == bucket("helloworld")
    assert bucket("hello world") != bucket("hello there")


def test_the_hold_out_bucket_is_the_documented_hash() -> None:
    digest = hashlib.sha256("שלוםعالمhello".encode()).digest()
    assert bucket("שלום عالم Hello!") == int.from_bytes(digest[:8], "big") % 100


CSV_CASES = [
    ("osact2022/train_data2022.csv", 4, "Hate", "HS9"),
    ("offensive-hebrew/val.csv", 2, "label", "Neutral"),
    ("olid/olid-training-v1.0.tsv", 2, "subtask_a", "MAYBE"),
    ("davidson/labeled_data.csv", 3, "class", "7"),
    ("mlma/en_dataset.csv", 4, "sentiment", "angry"),
]


@pytest.mark.parametrize(("file", "row", "column", "value"), CSV_CASES)
def test_an_unknown_label_is_an_error_naming_dataset_file_row_and_value(
    tmp_path: Path, file: str, row: int, column: str, value: str
) -> None:
    data = copy_fixtures(tmp_path)
    replace_cell(data / file, row, column, value)
    dataset = next(k for k in DATASETS if file.split("/")[0].replace("-", "_") == k)
    with pytest.raises(LabelError) as error:
        load(dataset, data)
    message = str(error.value)
    assert f"{dataset}: {file} row {row}:" in message and repr(value) in message


def test_an_unknown_label_in_a_workbook_names_its_row(tmp_path: Path) -> None:
    data = copy_fixtures(tmp_path)
    path = data / "offensive-hebrew" / "AllData_OffensiveHebrew.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    sheet.cell(row=1 + 6, column=2, value="Hate, Sarcasm")  # data row 6, column Label
    book.save(path)
    with pytest.raises(LabelError, match=r"AllData_OffensiveHebrew.xlsx row 6: .*'Sarcasm'"):
        load("offensive_hebrew", data)


def copy_fixtures(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES, tmp_path / "data"))


def replace_cell(path: Path, row: int, column: str, value: str) -> None:
    delimiter = "\t" if path.suffix == ".tsv" else ","
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if delimiter == "\t":
        index = lines[0].rstrip("\n").split("\t").index(column)
        cells = lines[row].rstrip("\n").split("\t")
        cells[index] = value
        lines[row] = "\t".join(cells) + "\n"
        path.write_text("".join(lines), encoding="utf-8")
        return
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    records[row][records[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)


def published_values(examples: list[Example]) -> set[tuple[str, str]]:
    """(dataset, value) of every published label value of the examples' source labels."""
    seen: set[tuple[str, str]] = set()
    for example in examples:
        separators = "".join(table()[example.dataset].get("separators", {}).values())
        for value in example.source_label.split("+"):
            parts = re.split(f"[{separators}]", value) if separators else [value]
            seen.update((example.dataset, p.strip().casefold()) for p in parts if p.strip())
    return seen


def test_the_fixtures_use_every_published_value_of_the_table(
    fixture_examples: list[Example],
) -> None:
    seen = published_values(fixture_examples)
    for dataset, column, value, _label, _target in label_rows():
        assert (dataset, value.casefold()) in seen, f"{dataset}.{column}: {value} unused"
    targets = {
        row["target"]
        for name in ("ar_dataset.csv", "en_dataset.csv")
        for row in csv.DictReader((FIXTURES / "mlma" / name).open(encoding="utf-8"))
    }
    assert {value for _d, _c, value, _t in target_rows()} == targets


def test_every_entry_of_the_table_is_a_taxonomy_label() -> None:
    for _dataset, _column, _value, label, target in label_rows():
        assert label in LABELS and (not target or target in TARGETS)
    assert {t for *_, t in target_rows()} <= set(TARGETS)
    assert table()["priority"] == list(LABELS)
    with pytest.raises(ValueError, match="not a taxonomy label"):
        parse_entry("hate/weather", "test")


def doc_table(header: str) -> list[tuple[str, ...]]:
    """The rows of the Markdown table of docs/classifier.md whose header line is `header`."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index(header) + 2
    rows: list[tuple[str, ...]] = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(tuple(cell.strip().strip("`") for cell in line.strip("|").split("|")))
    return rows


def test_the_docs_mapping_tables_equal_label_map_toml() -> None:
    assert doc_table("| dataset | column | published | label | target |") == label_rows()
    assert doc_table("| dataset | column | published | target |") == target_rows()


def test_the_docs_list_every_dataset_with_its_licence() -> None:
    header = (
        "| key | files (folder/) | lang | train | dev | test | licence | forbids commercial use |"
    )
    rows = {row[0]: (row[6], row[7]) for row in doc_table(header)}
    assert rows == {
        key: (licence(key).name, "yes" if licence(key).non_commercial else "no") for key in DATASETS
    }


def test_the_manifest_gives_each_file_its_hash_rows_per_split_and_licence(
    fixture_examples: list[Example],
) -> None:
    records = {r["file"]: r for r in manifest(FIXTURES, fixture_examples)}
    assert set(records) == {e.file for e in fixture_examples}
    test_csv = records["offensive-hebrew/test.csv"]
    digest = hashlib.sha256((FIXTURES / "offensive-hebrew" / "test.csv").read_bytes()).hexdigest()
    assert test_csv["sha256"] == digest
    assert test_csv["rows"] == {"train": 0, "dev": 0, "test": 2}
    assert (test_csv["licence"], test_csv["non_commercial"]) == ("CC BY-NC-SA 4.0", True)
    assert records["davidson/labeled_data.csv"]["non_commercial"] is False
    assert records["osact2022/train_data2022.csv"]["licence"].startswith("none stated")


@pytest.fixture(scope="module")
def real_examples() -> tuple[list[Example], Counter[tuple[str, str]]]:
    if not SHARED.is_dir():
        pytest.skip(f"the labelled datasets are not in {SHARED}")
    skipped: Counter[tuple[str, str]] = Counter()
    return load_all(SHARED, skipped=skipped), skipped


@pytest.mark.data
@pytest.mark.skipif(not SHARED.is_dir(), reason=f"the labelled datasets are not in {SHARED}")
def test_every_label_of_the_real_files_is_in_the_table_and_every_row_is_counted(
    real_examples: tuple[list[Example], Counter[tuple[str, str]]],
) -> None:
    examples, skipped = real_examples  # loading raises LabelError on any unknown value
    per_file = Counter(e.file for e in examples)
    for (file, _reason), n in skipped.items():
        per_file[file] += n
    assert per_file == {
        "osact2022/train_data2022.csv": 8557,
        "osact2022/dev_data2022.csv": 1266,
        "offensive-hebrew/train.csv": 1750,
        "offensive-hebrew/val.csv": 250,
        "offensive-hebrew/test.csv": 500,
        "offensive-hebrew/AllData_OffensiveHebrew.xlsx": 15997,
        "olah5000/train_Heb.xlsx": 4173,
        "olah5000/test_Heb.xlsx": 1044,
        "olah5000/HebrewData.xlsx": 5217,
        "olid/olid-training-v1.0.tsv": 13240,
        "olid/testset-levela.tsv": 860,
        "davidson/labeled_data.csv": 24783,
        "mlma/ar_dataset.csv": 3353,
        "mlma/en_dataset.csv": 5647,
    }
    assert skipped == {
        ("offensive-hebrew/AllData_OffensiveHebrew.xlsx", "no label"): 113,
        ("offensive-hebrew/AllData_OffensiveHebrew.xlsx", "empty text"): 3,
        ("olah5000/train_Heb.xlsx", "empty text"): 8,
        ("olah5000/test_Heb.xlsx", "empty text"): 3,
    }


@pytest.mark.data
@pytest.mark.skipif(not SHARED.is_dir(), reason=f"the labelled datasets are not in {SHARED}")
def test_the_real_files_give_every_label_and_sensible_hold_outs(
    real_examples: tuple[list[Example], Counter[tuple[str, str]]],
) -> None:
    examples, _skipped = real_examples
    labels = Counter((e.dataset, e.label) for e in examples)
    assert labels[("osact2022", "incitement")] == 66  # README: VIO train 60, dev 6
    assert labels[("offensive_hebrew", "incitement")] > 0 and labels[("davidson", "hate")] > 0
    splits = Counter((e.dataset, e.split) for e in examples)
    for key in ("davidson", "mlma"):
        total = sum(n for (d, _s), n in splits.items() if d == key)
        assert 0.08 < splits[(key, "test")] / total < 0.12
        assert 0.08 < splits[(key, "dev")] / total < 0.12
