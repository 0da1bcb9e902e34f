"""analyse_text and analyse_texts: everything derived from a post's text in one call."""

import dataclasses
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.ingest.enrich import enrich_post, enrich_posts
from marsad.posts import Post
from marsad.text import langdetect
from marsad.text.entities import extract_entities
from marsad.text.features import TextFeatures, analyse_text, analyse_texts
from marsad.text.langdetect import SCRIPTS
from marsad.text.normalize import normalize
from tests.text.strategies import any_text
from tests.text.test_langdetect import SAMPLE_POSTS, latin_post


@pytest.mark.parametrize("text", [None, ""])
def test_it_gives_empty_features_for_missing_text(text: str | None) -> None:
    assert analyse_text(text) == TextFeatures("", "und", "und", [], [], [])


def test_it_gives_und_for_blank_or_emoji_only_text() -> None:
    assert analyse_text("  \u200f ") == TextFeatures("", "und", "und", [], [], [])
    features = analyse_text("😂😂😂 🔥")
    assert (features.lang, features.script, features.text_norm) == ("und", "und", "😂😂😂 🔥")


def test_it_handles_a_post_that_is_only_a_url() -> None:
    assert analyse_text("https://t.co/AbCdEf") == TextFeatures(
        "https://t.co/abcdef", "und", "und", [], [], ["https://t.co/AbCdEf"]
    )


def test_it_handles_a_post_that_is_only_digits() -> None:
    features = analyse_text("١٤٤٥ 2024")
    assert (features.text_norm, features.lang, features.script) == ("1445 2024", "und", "und")


def test_it_survives_lone_surrogates_from_broken_exports() -> None:
    features = analyse_text("مرحبا بالجميع \ud83d #غزة @x_y")
    assert (features.lang, features.hashtags, features.mentions) == ("ar", ["غزة"], ["x_y"])


def test_it_analyses_an_arabic_post_with_entities() -> None:
    post = (
        "عاجل: قوات الاحتلال تقتحم مخيم جنين فجر اليوم وتعتقل عدداً من الشبانننن 💔 "
        "#جنين_تحت_القصف @field_reporter https://t.co/AbCdEf123."
    )
    assert analyse_text(post) == TextFeatures(
        text_norm=(
            "عاجل: قوات الاحتلال تقتحم مخيم جنين فجر اليوم وتعتقل عددا من الشبانن 💔 "
            "#جنين_تحت_القصف @field_reporter https://t.co/abcdef123."
        ),
        lang="ar",
        script="arab",
        hashtags=["جنين_تحت_القصف"],
        mentions=["field_reporter"],
        urls=["https://t.co/AbCdEf123"],
    )


def test_it_analyses_a_hebrew_post() -> None:
    features = analyse_text("הַמִּשְׁטָרָה עָצְרָה עִתּוֹנָאִים בְּחֵיפָה #חופש_העיתונות")
    assert (features.lang, features.script) == ("he", "hebr")
    assert features.text_norm == "המשטרה עצרה עתונאים בחיפה #חופש_העיתונות"
    assert features.hashtags == ["חופש_העיתונות"]


def test_it_analyses_an_english_post() -> None:
    post = "My account was suspended after posting about the demolitions #DigitalRights"
    features = analyse_text(post)
    assert (features.lang, features.script) == ("en", "latn")
    assert features.hashtags == ["DigitalRights"]
    assert features.text_norm == post.lower()


def test_it_analyses_an_arabizi_post() -> None:
    features = analyse_text("ya3ni shu badak a3mel? wallah ma ba3ref @friend_1")
    assert (features.lang, features.script) == ("ar", "arabizi")
    assert features.mentions == ["friend_1"]


def test_it_detects_the_language_without_urls_and_mentions() -> None:
    post = (
        "החשבון נחסם שוב "
        "@international_press_freedom_watch @digital_rights_monitor "
        "https://www.example.org/reports/social-media-censorship-during-the-war"
    )
    features = analyse_text(post)
    assert (features.lang, features.script) == ("he", "hebr")


def test_its_text_norm_is_the_normalised_text_and_its_entities_are_extracted() -> None:
    post = "Soooo ANGRY!!! ‏#FreeSpeech https://T.co/Xy @Ngo_Desk"
    features = analyse_text(post)
    assert features.text_norm == normalize(post)
    entities = extract_entities(post)
    assert (features.hashtags, features.mentions, features.urls) == (
        entities.hashtags,
        entities.mentions,
        entities.urls,
    )


def test_features_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        analyse_text("مرحبا").lang = "en"  # type: ignore[misc]


@settings(max_examples=50)
@given(any_text)
def test_it_never_raises_and_stays_consistent(text: str) -> None:
    features = analyse_text(text)
    assert features.script in SCRIPTS
    assert features.text_norm == normalize(text)
    assert (features.lang == "und") or features.script != "und"


# --- batches --------------------------------------------------------------------------------
MIXED_POSTS: list[str | None] = [
    None,
    "",
    "  \u200f ",
    "😂😂😂 🔥",
    "https://t.co/AbCdEf",
    "١٤٤٥ 2024",
    "مرحبا بالجميع \ud83d #غزة @x_y",
    "عاجل: قوات الاحتلال تقتحم مخيم جنين فجر اليوم #جنين_تحت_القصف @field_reporter",
    "הַמִּשְׁטָרָה עָצְרָה עִתּוֹנָאִים בְּחֵיפָה #חופש_העיתונות",
    "ya3ni shu badak a3mel? wallah ma ba3ref @friend_1",
    "Soooo ANGRY!!! ‏#FreeSpeech https://T.co/Xy @Ngo_Desk",
    *SAMPLE_POSTS,
]


def test_analyse_texts_gives_what_analyse_text_gives() -> None:
    posts = MIXED_POSTS * 2
    assert analyse_texts(posts) == [analyse_text(post) for post in posts]


def test_analyse_texts_of_nothing_is_nothing() -> None:
    assert analyse_texts([]) == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), any_text, latin_post), max_size=30))
def test_analyse_texts_gives_what_analyse_text_gives_for_any_text(
    texts: list[str | None],
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(langdetect, "_MIN_BATCH", 1)  # py3langid in a batch however few
        batch = analyse_texts(texts)
    assert batch == [analyse_text(text) for text in texts]


def test_enrich_posts_fills_posts_as_enrich_post_does() -> None:
    def posts() -> list[Post]:
        at = datetime(2025, 1, 1, tzinfo=UTC)
        made = [Post("x", str(i), at, text=text) for i, text in enumerate(MIXED_POSTS)]
        made[5].lang, made[6].script, made[7].hashtags = "fa", "latn", ["given"]
        made[8].text_norm, made[9].mentions, made[10].urls = "given", ["given"], ["given"]
        return made

    assert enrich_posts(posts()) == [enrich_post(post) for post in posts()]
