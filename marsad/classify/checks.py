"""`check_classifier`: the contract every marsad classifier must keep (like scikit-learn's
`check_estimator`), tested on tiny Arabic, Hebrew and English data written for it.

The sentences below are synthetic: templates filled with invented groups ("the Zorbanians"),
first names and cities. They are clear-cut on purpose (calls to kill, slurs against a group,
insults, everyday news) so that even a tiny model learns them; they say nothing about how a
model does on real posts.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError

from marsad.classify.base import MODEL_CARD, Explanation
from marsad.classify.labels import LABELS

__all__ = ["CheckFailed", "check_classifier", "tiny_dataset"]

# language -> label -> (templates, fillers)
_TEMPLATES: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "en": {
        "incitement": (
            [
                "Kill {} tonight and burn their homes",
                "Take your weapons and attack {} now",
                "Everyone go out and shoot {} in the streets",
            ],
            ["the Zorbanians", "the Kelvish", "the Morvans"],
        ),
        "hate": (
            [
                "{} are vermin, filthy subhuman animals",
                "{} are a disgusting inferior race",
                "All of {} are dirty traitors by nature",
            ],
            ["the Zorbanians", "the Kelvish", "the Morvans"],
        ),
        "offensive": (
            [
                "Shut up you stupid idiot {}",
                "You are a pathetic moron {}",
                "{} you are a worthless clown and a loser",
            ],
            ["Dan", "Sami", "Rita"],
        ),
        "none": (
            [
                "The weather in {} is lovely this morning",
                "We had a great dinner with friends in {}",
                "The bus to {} leaves at nine tomorrow",
                "I am reading a new book about the history of {}",
            ],
            ["Haifa", "Amman", "Cairo"],
        ),
    },
    "ar": {
        "incitement": (
            [
                "اقتلوا {} الليلة واحرقوا بيوتهم",
                "احملوا السلاح وهاجموا {} الآن",
                "اخرجوا جميعا واطلقوا النار على {} في الشوارع",
            ],
            ["الزوربانيين", "الكلفيين", "المورفيين"],
        ),
        "hate": (
            [
                "{} حشرات قذرة وحيوانات منحطة",
                "{} عرق حقير ونجس",
                "كل {} خونة وقذرون بطبعهم",
            ],
            ["الزوربانيين", "الكلفيين", "المورفيين"],
        ),
        "offensive": (
            [
                "اسكت يا غبي يا {}",
                "انت حمار وتافه يا {}",
                "يا {} انت مهرج فاشل",
            ],
            ["سامي", "خالد", "ريم"],
        ),
        "none": (
            [
                "الطقس في {} جميل هذا الصباح",
                "تناولنا العشاء مع الأصدقاء في {}",
                "الحافلة إلى {} تغادر الساعة التاسعة غدا",
                "أقرأ كتابا جديدا عن تاريخ {}",
            ],
            ["حيفا", "عمان", "القاهرة"],
        ),
    },
    "he": {
        "incitement": (
            [
                "תהרגו את {} הלילה ותשרפו את הבתים שלהם",
                "קחו נשק ותתקפו את {} עכשיו",
                "צאו כולם לרחובות ותירו ב{}",
            ],
            ["הזורבנים", "הקלבים", "המורבים"],
        ),
        "hate": (
            [
                "{} הם חרקים מטונפים וחיות נחותות",
                "{} הם גזע נחות ומגעיל",
                "כל {} בוגדים ומלוכלכים מטבעם",
            ],
            ["הזורבנים", "הקלבים", "המורבים"],
        ),
        "offensive": (
            [
                "תשתוק יא טמבל {}",
                "אתה אידיוט ומטומטם {}",
                "{} אתה ליצן עלוב ולוזר",
            ],
            ["דני", "סמי", "רותי"],
        ),
        "none": (
            [
                "מזג האוויר בעיר {} נעים הבוקר",
                "אכלנו ארוחת ערב עם חברים בעיר {}",
                "האוטובוס לעיר {} יוצא מחר בתשע",
                "אני קורא ספר חדש על ההיסטוריה של {}",
            ],
            ["חיפה", "ירושלים", "עכו"],
        ),
    },
}


class CheckFailed(AssertionError):
    """A classifier broke the contract; the message says which part."""


def tiny_dataset() -> tuple[list[str], list[str], list[str]]:
    """(texts, labels, langs): 39 synthetic sentences per language, every label in each."""
    texts: list[str] = []
    labels: list[str] = []
    langs: list[str] = []
    for lang, by_label in _TEMPLATES.items():
        for label, (templates, fillers) in by_label.items():
            for template in templates:
                for filler in fillers:
                    texts.append(template.format(filler))
                    labels.append(label)
                    langs.append(lang)
    return texts, labels, langs


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def check_classifier(cls_or_instance: type[Any] | Any) -> None:
    """Raise `CheckFailed` (an AssertionError) naming the first broken part of the contract:
    unfitted use, fit, probabilities, labels, parameters, save/load, explain."""
    model = cls_or_instance() if isinstance(cls_or_instance, type) else clone(cls_or_instance)
    texts, labels, langs = tiny_dataset()
    _check_unfitted(model, texts, langs)
    params = _snapshot(model)
    _require(model.fit(texts, labels, langs) is model, "fit must return self")
    _require(_snapshot(model) == params, "fit must not change the hyperparameters")
    if hasattr(model, "tune_thresholds"):
        model.tune_thresholds(texts, labels, langs)
    _check_params(model)
    proba = _check_proba(model, texts, langs)
    _check_predict(model, texts, langs)
    _check_save_load(model, texts, langs, proba)
    _check_explain(model, texts[::13], langs[::13])


def _check_unfitted(model: Any, texts: list[str], langs: list[str]) -> None:
    for method in (model.predict_proba, model.predict):
        try:
            method(texts[:2], langs[:2])
        except NotFittedError:
            continue
        raise CheckFailed(f"unfitted {method.__name__} must raise sklearn's NotFittedError")


def _snapshot(model: Any) -> dict[str, Any]:
    """The hyperparameters, nested estimators as their own hyperparameters."""
    return {
        name: (type(value), _snapshot(value)) if isinstance(value, BaseEstimator) else value
        for name, value in model.get_params(deep=False).items()
    }


def _check_params(model: Any) -> None:
    again = type(model)(**model.get_params(deep=False))
    _require(_snapshot(again) == _snapshot(model), "get_params must round-trip through __init__")
    _require(_snapshot(clone(model)) == _snapshot(model), "clone must keep the hyperparameters")


def _check_proba(model: Any, texts: list[str], langs: list[str]) -> np.ndarray[Any, Any]:
    proba = np.asarray(model.predict_proba(texts, langs))
    _require(proba.shape == (len(texts), len(LABELS)), f"predict_proba shape {proba.shape}")
    _require(bool(np.all((proba >= 0) & (proba <= 1))), "probabilities must lie in [0, 1]")
    _require(bool(np.allclose(proba.sum(axis=1), 1.0)), "each row of predict_proba must sum to 1")
    return proba


def _check_predict(model: Any, texts: list[str], langs: list[str]) -> None:
    predicted = model.predict(texts, langs)
    _require(len(predicted) == len(texts), "predict must give one label per text")
    _require(set(predicted) <= set(LABELS), f"predict gave labels outside LABELS: {predicted}")


def _check_save_load(
    model: Any, texts: list[str], langs: list[str], proba: np.ndarray[Any, Any]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "model"
        model.save(folder, {"check": "tiny"})
        pickles = [p.name for p in folder.rglob("*") if p.suffix in (".pkl", ".pickle")]
        _require(not pickles, f"save must not write pickle files: {pickles}")
        _check_card(model, json.loads((folder / MODEL_CARD).read_text(encoding="utf-8")))
        loaded = type(model).load(folder)
    again = np.asarray(loaded.predict_proba(texts, langs))
    _require(np.array_equal(again, proba), "the loaded model must give identical predict_proba")
    _require(loaded.predict(texts, langs) == model.predict(texts, langs), "loaded predict differs")


def _check_card(model: Any, card: dict[str, Any]) -> None:
    _require(card.get("key") == model.key, f"model.json key {card.get('key')!r}")
    _require(card.get("labels") == list(LABELS), "model.json must list the labels in order")
    for field in ("languages", "thresholds", "hyperparameters"):
        _require(field in card, f"model.json lacks {field!r}")
    _require(card.get("check") == "tiny", "model.json must keep the card the trainer passes")


def _check_explain(model: Any, texts: list[str], langs: list[str]) -> None:
    for text, lang in zip(texts, langs, strict=True):
        explanation = model.explain(text, lang)
        _require(isinstance(explanation, Explanation), "explain must return an Explanation")
        expected = model.predict([text], [lang])[0]
        _require(
            explanation.label == expected,
            f"explain says {explanation.label!r}, predict {expected!r} for {text!r}",
        )
        _require(set(explanation.scores) == set(LABELS), "explain must score every label")
