"""`index`: counts and shares per bucket, platform, language and label, corrected for error."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from marsad.analyze.acc import ALL, Corrector, adjusted, card_confusions, rates
from marsad.analyze.base import AnalysisError
from marsad.analyze.index import IndexAnalysis
from tests.analyze.conftest import MODEL, VERSION, Built, Label, params, post

JAN, FEB = date(2025, 1, 1), date(2025, 2, 1)


def fill(built: Built) -> None:
    built.add_posts(
        [
            post("1", "2025-01-05"),
            post("2", "2025-01-05"),
            post("3", "2025-01-05"),  # not classified yet
            post("4", "2025-01-31", text=None),  # no text: its label is null
            post("5", "2025-01-20"),
            post("6", "2025-02-03"),
            post("7", "2025-01-07", platform="telegram", lang="en"),
            post("8", "2024-12-31"),  # before the period
            post("9", None),  # no date: in no bucket
        ]
    )
    built.add_labels(
        [
            Label("1", "offensive"),
            Label("2", "none"),
            Label("4", None),
            Label("5", "hate"),
            Label("6", "incitement"),
            Label("7", "none", platform="telegram"),
            Label("8", "hate"),
            # an older model version, which the newest labels replace by default
            Label("1", "hate", version="old", classified_at=datetime(2025, 6, 1, tzinfo=UTC)),
        ]
    )


def counts(table: Any) -> list[tuple[Any, ...]]:
    names = ("bucket", "platform", "lang", "label", "posts", "classified", "count")
    return [tuple(row[n] for n in names) for row in table.to_pylist()]


def test_it_counts_each_label_per_month_platform_and_language(built: Built, cached: bool) -> None:
    fill(built)
    table = IndexAnalysis().run(built.context(cached=cached), params("2025"))
    assert counts(table) == [
        (JAN, "telegram", "en", "incitement", 1, 1, 0),
        (JAN, "telegram", "en", "hate", 1, 1, 0),
        (JAN, "telegram", "en", "offensive", 1, 1, 0),
        (JAN, "telegram", "en", "none", 1, 1, 1),
        (JAN, "x", "ar", "incitement", 5, 3, 0),
        (JAN, "x", "ar", "hate", 5, 3, 1),
        (JAN, "x", "ar", "offensive", 5, 3, 1),
        (JAN, "x", "ar", "none", 5, 3, 1),
        (FEB, "x", "ar", "incitement", 1, 1, 1),
        (FEB, "x", "ar", "hate", 1, 1, 0),
        (FEB, "x", "ar", "offensive", 1, 1, 0),
        (FEB, "x", "ar", "none", 1, 1, 0),
    ]
    hate = table.to_pylist()[5]
    assert hate["share"] == pytest.approx(1 / 5)
    assert hate["classified_share"] == pytest.approx(1 / 3)
    assert (hate["model"], hate["model_version"]) == (MODEL, VERSION)


def test_without_a_model_card_the_adjusted_columns_are_empty(built: Built) -> None:
    fill(built)
    row = IndexAnalysis().run(built.context(), params("2025")).to_pylist()[0]
    assert row["adjusted_share"] is None and row["ci_low"] is None
    assert row["correction"] == ""


def test_weeks_start_on_monday_and_days_are_utc_days(built: Built, cached: bool) -> None:
    built.add_posts([post("1", "2025-01-05", hour=23), post("2", "2025-01-06", hour=0)])
    built.add_labels([Label("1", "none"), Label("2", "hate")])
    ctx = built.context(cached=cached)
    weeks = IndexAnalysis().run(ctx, params("2025-01", granularity="week"))
    assert sorted({row["bucket"] for row in weeks.to_pylist()}) == [
        date(2024, 12, 30),
        date(2025, 1, 6),
    ]
    days = IndexAnalysis().run(ctx, params("2025-01", granularity="day"))
    assert [(r["bucket"], r["count"]) for r in days.to_pylist() if r["label"] == "hate"] == [
        (date(2025, 1, 5), 0),
        (date(2025, 1, 6), 1),
    ]


def test_filters_keep_only_the_chosen_platform_and_language(built: Built, cached: bool) -> None:
    fill(built)
    ctx = built.context(cached=cached)
    table = IndexAnalysis().run(ctx, params("2025", platforms=("telegram",)))
    assert {(r["platform"], r["lang"]) for r in table.to_pylist()} == {("telegram", "en")}
    table = IndexAnalysis().run(ctx, params("2025-02", langs=("ar",)))
    assert {(r["bucket"], r["lang"]) for r in table.to_pylist()} == {(FEB, "ar")}


def test_lang_und_selects_the_posts_without_a_language_shown_as_und(
    built: Built, cached: bool
) -> None:
    built.add_posts([post("1", "2025-03-02", lang=None), post("2", "2025-03-02", lang="ar")])
    built.add_labels([Label("1", "hate"), Label("2", "none")])
    ctx = built.context(cached=cached)
    every = IndexAnalysis().run(ctx, params("2025-03"))
    assert {r["lang"] for r in every.to_pylist()} == {"ar", "und"}
    chosen = IndexAnalysis().run(ctx, params("2025-03", langs=("und",)))
    assert [row[2:] for row in counts(chosen)] == [
        ("und", "incitement", 1, 1, 0),
        ("und", "hate", 1, 1, 1),
        ("und", "offensive", 1, 1, 0),
        ("und", "none", 1, 1, 0),
    ]


def test_an_older_model_version_can_be_chosen(built: Built) -> None:
    fill(built)
    table = IndexAnalysis().run(built.context(), params("2025", model=f"{MODEL}@old"))
    rows = [r for r in table.to_pylist() if r["count"]]
    assert [(r["bucket"], r["label"], r["count"], r["classified"]) for r in rows] == [
        (JAN, "hate", 1, 1)
    ]


def test_it_says_to_classify_first_when_there_are_no_labels(built: Built) -> None:
    built.add_posts([post("1", "2025-01-05")])
    with pytest.raises(AnalysisError, match="marsad classify"):
        IndexAnalysis().run(built.context(), params("2025"))


def test_an_unknown_model_lists_the_labels_present(built: Built) -> None:
    fill(built)
    with pytest.raises(AnalysisError, match=f"{MODEL}@{VERSION}"):
        IndexAnalysis().run(built.context(), params("2025", model="other.v1"))


# --- the error correction -------------------------------------------------------------------


def write_card(folder: Path, datasets: dict[str, Any], files: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    card = {
        "key": MODEL,
        "labels": ["incitement", "hate", "offensive", "none"],
        "training": {"files": files},
        "evaluation": {"labels": ["incitement", "hate", "offensive", "none"], "datasets": datasets},
    }
    (folder / "model.json").write_text(json.dumps(card))
    return folder


# Offensive posts are found 8 times in 10 (2 called none); 1 none post in 10 is called offensive.
AR_MATRIX = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 80, 20], [0, 0, 10, 90]]
EN_MATRIX = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 50, 50], [0, 0, 0, 100]]


def two_language_card(folder: Path) -> Path:
    return write_card(
        folder,
        {
            "set_ar": {"files": ["ar/test.csv"], "label_confusion": AR_MATRIX},
            "set_en": {"files": ["en/test.csv"], "label_confusion": EN_MATRIX},
        },
        [
            {"file": "ar/test.csv", "languages": ["ar"]},
            {"file": "en/test.csv", "languages": ["en"]},
        ],
    )


def test_adjusted_share_solves_the_confusion_equations() -> None:
    # 0.8 p_off + 0.1 p_none = 0.3 and 0.2 p_off + 0.9 p_none = 0.7  ->  p_off = 2/7
    estimate = adjusted(rates(__import__("numpy").array(AR_MATRIX, float)), [0, 0, 0.3, 0.7])
    assert estimate.tolist() == pytest.approx([0, 0, 2 / 7, 5 / 7])


def test_an_impossible_solution_is_clipped_and_renormalised() -> None:
    # the exact solution is p_off = -1/14, p_none = 15/14: clipped to 0 and 1
    estimate = adjusted(rates(__import__("numpy").array(AR_MATRIX, float)), [0, 0, 0.05, 0.95])
    assert estimate.tolist() == pytest.approx([0, 0, 0, 1])


def test_test_sets_are_pooled_by_language_and_all_together() -> None:
    card = json.loads(two_language_card_text())
    pools = card_confusions(card)
    assert sorted(pools) == [ALL, "ar", "en"]
    assert pools[ALL].tolist() == [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 130, 70], [0, 0, 10, 190]]


def two_language_card_text() -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return (two_language_card(Path(tmp)) / "model.json").read_text()


def test_a_mixed_language_test_set_only_counts_in_the_pool_of_all() -> None:
    card = {
        "evaluation": {"datasets": {"mixed": {"files": ["a", "b"], "label_confusion": AR_MATRIX}}},
        "training": {
            "files": [{"file": "a", "languages": ["ar"]}, {"file": "b", "languages": ["en"]}]
        },
    }
    assert sorted(card_confusions(card)) == [ALL]


def test_the_index_corrects_each_language_with_its_own_test_sets(
    built: Built, tmp_path: Path
) -> None:
    built.add_posts(
        [post(str(i), "2025-03-02") for i in range(10)]
        + [post(f"he{i}", "2025-03-02", lang="he") for i in range(10)]
    )
    built.add_labels(
        [Label(str(i), "offensive" if i < 3 else "none") for i in range(10)]
        + [Label(f"he{i}", "offensive" if i < 3 else "none") for i in range(10)]
    )
    card = two_language_card(tmp_path / "model")
    table = IndexAnalysis().run(built.context(), params("2025-03", options={"card": str(card)}))
    rows = {(r["lang"], r["label"]): r for r in table.to_pylist()}
    assert rows[("ar", "offensive")]["adjusted_share"] == pytest.approx(2 / 7)
    assert rows[("ar", "none")]["adjusted_share"] == pytest.approx(5 / 7)
    assert rows[("ar", "offensive")]["correction"] == "ar"
    # Hebrew has no test set: the pool of all, rates off [0, 0, .65, .35], none [0, 0, .05, .95]
    # 0.65 a + 0.05 b = 0.3, a + b = 1  ->  a = 0.25 / 0.6
    assert rows[("he", "offensive")]["adjusted_share"] == pytest.approx(0.25 / 0.6)
    assert rows[("he", "offensive")]["correction"] == ALL
    for row in rows.values():
        assert row["ci_low"] <= row["adjusted_share"] <= row["ci_high"]


def test_a_label_tested_too_few_times_is_not_corrected() -> None:
    # 6 incitement test posts, 1 of 100 none posts called incitement: measured, the incitement
    # column would be nearly empty and make the equations nearly singular
    matrix = [[0, 0, 4, 2], [0, 80, 10, 10], [0, 10, 80, 10], [1, 5, 10, 84]]
    card = {"evaluation": {"datasets": {"s": {"files": ["a"], "label_confusion": matrix}}}}
    pools = card_confusions(card)
    assert pools[ALL][0].tolist() == [0, 0, 0, 0]  # 6 < MIN_TEST_EXAMPLES: the identity row
    assert rates(pools[ALL])[0].tolist() == [1, 0, 0, 0]
    everything_none = adjusted(rates(pools[ALL]), [0, 0, 0, 1])
    assert everything_none.tolist() == pytest.approx([0, 0, 0, 1])
    kept = card_confusions(card, min_examples=5)[ALL]
    assert kept[0].tolist() == [0, 0, 4, 2]


def test_the_shipped_model_corrects_a_cell_of_harmless_posts_to_harmless() -> None:
    from marsad.classify.loader import DEFAULT_MODEL_DIR

    card = json.loads((DEFAULT_MODEL_DIR / "model.json").read_text())
    corrector = Corrector(card_confusions(card), replicates=200)
    for lang in ("ar", "he", "en", None):
        estimate = corrector.estimate(lang, [0, 0, 0, 100], f"none-{lang}")
        assert estimate is not None
        assert estimate.shares.tolist() == pytest.approx([0, 0, 0, 1]), lang
    mixed = corrector.estimate("ar", [0, 10, 30, 60], "mixed")
    assert mixed is not None and 0.4 < mixed.shares[3] < 0.7  # not all moved to offensive


def test_a_label_seen_in_no_post_of_a_cell_still_has_an_interval() -> None:
    counts = {"en": __import__("numpy").array(EN_MATRIX, float)}
    estimate = Corrector(counts, replicates=400).estimate("en", [0, 0, 0, 181], "zeros")
    assert estimate is not None
    assert estimate.shares[2] == 0 and estimate.high[2] > 0.005  # 0 of 181 is not certain
    assert all(estimate.low <= estimate.shares) and all(estimate.shares <= estimate.high)


def test_the_interval_is_reproducible_and_independent_of_other_cells() -> None:
    counts = {"ar": __import__("numpy").array(AR_MATRIX, float)}
    one = Corrector(counts, replicates=200, seed=3).estimate("ar", [0, 0, 3, 7], "cell-a")
    Corrector(counts, replicates=200, seed=3).estimate("ar", [0, 0, 1, 9], "cell-b")
    again = Corrector(counts, replicates=200, seed=3).estimate("ar", [0, 0, 3, 7], "cell-a")
    assert one is not None and again is not None
    assert (one.low.tolist(), one.high.tolist()) == (again.low.tolist(), again.high.tolist())
    assert one.low[2] < 2 / 7 < one.high[2]


def test_bad_options_are_named(built: Built) -> None:
    fill(built)
    with pytest.raises(AnalysisError, match="bootstrap=many"):
        IndexAnalysis().run(built.context(), params("2025", options={"bootstrap": "many"}))
    with pytest.raises(AnalysisError, match="unknown option"):
        IndexAnalysis().run(built.context(), params("2025", options={"colour": "red"}))


def test_the_shipped_models_card_is_found_by_the_labels_version(built: Built) -> None:
    from marsad.classify.loader import DEFAULT_MODEL_DIR, folder_version, read_card

    key, version = read_card(DEFAULT_MODEL_DIR)["key"], folder_version(DEFAULT_MODEL_DIR)
    built.add_posts([post(str(i), "2025-03-02") for i in range(4)])
    built.add_labels([Label(str(i), "none", model=key, version=version) for i in range(4)])
    row = (
        IndexAnalysis()
        .run(built.context(), params("2025-03", options={"bootstrap": 50}))
        .to_pylist()[0]
    )
    assert row["correction"] in ("ar", ALL)
    assert row["adjusted_share"] is not None


def test_a_post_labelled_again_counts_once_with_its_newest_label(
    built: Built, cached: bool
) -> None:
    built.add_posts([post("1", "2025-03-02"), post("2", "2025-03-02")])
    later = datetime(2026, 3, 1, tzinfo=UTC)
    built.add_labels([Label("1", "hate"), Label("2", "none")])
    built.add_labels(
        [Label("1", "offensive", classified_at=later), Label("2", None, classified_at=later)]
    )
    table = IndexAnalysis().run(built.context(cached=cached), params("2025-03"))
    assert [(r["label"], r["posts"], r["classified"], r["count"]) for r in table.to_pylist()] == [
        ("incitement", 2, 1, 0),
        ("hate", 2, 1, 0),
        ("offensive", 2, 1, 1),
        ("none", 2, 1, 0),
    ]


def test_the_cached_counts_follow_a_new_import(built: Built) -> None:
    built.add_posts([post("1", "2025-03-02")])
    built.add_labels([Label("1", "hate")])
    first = IndexAnalysis().run(built.context(cached=True), params("2025-03"))
    built.add_posts([post("2", "2025-03-03")])
    second = IndexAnalysis().run(built.context(cached=True), params("2025-03"))
    assert first.column("posts")[0].as_py() == 1
    assert second.column("posts")[0].as_py() == 2
