"""Everything marsad derives from a post's text in one call (used by the ingest pipeline)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from marsad.text.entities import Entities, split_entities
from marsad.text.langdetect import Detection, detect_language, detect_languages
from marsad.text.normalize import normalize

__all__ = ["TextFeatures", "analyse_text", "analyse_texts"]


@dataclass(frozen=True, slots=True)
class TextFeatures:
    text_norm: str = ""
    lang: str = "und"
    script: str = "und"
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)


def analyse_text(text: str | None) -> TextFeatures:
    """Normalised text, language, script, hashtags, mentions and URLs of `text`.

    Language and script are detected on the text without its URLs and mentions; None or
    empty text gives "" and "und" with empty lists.
    """
    if not text:
        return TextFeatures()
    entities, rest = split_entities(text)
    return _features(text, entities, detect_language(rest))


def analyse_texts(texts: Sequence[str | None]) -> list[TextFeatures]:
    """`analyse_text` of each text, with languages detected for the whole batch at once
    (`detect_languages`): the same results, faster for many texts."""
    split = {i: split_entities(text) for i, text in enumerate(texts) if text}
    rests = [rest for _, rest in split.values()]
    detections = dict(zip(split, detect_languages(rests), strict=True))
    return [
        _features(text, split[i][0], detections[i]) if text else TextFeatures()
        for i, text in enumerate(texts)
    ]


def _features(text: str, entities: Entities, detection: Detection) -> TextFeatures:
    return TextFeatures(
        text_norm=normalize(text),
        lang=detection.lang,
        script=detection.script,
        hashtags=entities.hashtags,
        mentions=entities.mentions,
        urls=entities.urls,
    )
