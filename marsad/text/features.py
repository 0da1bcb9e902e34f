"""Everything marsad derives from a post's text in one call (used by the ingest pipeline)."""

from __future__ import annotations

from dataclasses import dataclass, field

from marsad.text.entities import split_entities
from marsad.text.langdetect import detect_language
from marsad.text.normalize import normalize

__all__ = ["TextFeatures", "analyse_text"]


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
    detection = detect_language(rest)
    return TextFeatures(
        text_norm=normalize(text),
        lang=detection.lang,
        script=detection.script,
        hashtags=entities.hashtags,
        mentions=entities.mentions,
        urls=entities.urls,
    )
