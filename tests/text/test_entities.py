"""Hashtags, mentions and URLs extracted from post text."""

import pytest
from hypothesis import given

from marsad.text.entities import (
    Entities,
    extract_entities,
    extract_hashtags,
    extract_mentions,
    extract_urls,
    remove_urls_and_mentions,
    split_entities,
)
from tests.text.strategies import any_text


# --- hashtags -------------------------------------------------------------------------------
def test_it_finds_arabic_hashtags_with_underscores() -> None:
    post = "القصف مستمر منذ الفجر #غزة_تحت_القصف #أنقذوا_حي_الشيخ_جراح"
    assert extract_hashtags(post) == ["غزة_تحت_القصف", "أنقذوا_حي_الشيخ_جراح"]


def test_it_ends_a_hashtag_at_arabic_punctuation() -> None:
    assert extract_hashtags("مظاهرة اليوم في #حيفا، و#يافا؟ و#عكا.") == ["حيفا"]


def test_it_keeps_harakat_and_tatweel_inside_a_hashtag() -> None:
    post = "#إِعْلَامٌ_حُرٌّ كفى #مـــوت_الصحافة"
    assert extract_hashtags(post) == ["إِعْلَامٌ_حُرٌّ", "مـــوت_الصحافة"]


def test_it_finds_hebrew_hashtags_with_gershayim_geresh_and_maqaf() -> None:
    post = "דיון על #צה״ל ו #ישראל_בוערת, גם #ג׳נין ו #בית־שמש"
    assert extract_hashtags(post) == ["צה״ל", "ישראל_בוערת", "ג׳נין", "בית־שמש"]


def test_it_finds_latin_hashtags_as_written() -> None:
    post = "Solidarity! #FreePalestine🇵🇸 #DigitalRights #StopTheCensorship."
    assert extract_hashtags(post) == ["FreePalestine", "DigitalRights", "StopTheCensorship"]


def test_it_keeps_the_first_of_repeated_hashtags_in_order() -> None:
    post = "#غزة #Gaza #غزة #gaza #Gaza"
    assert extract_hashtags(post) == ["غزة", "Gaza", "gaza"]


def test_it_accepts_a_fullwidth_hash_sign() -> None:
    assert extract_hashtags("＃حرية_التعبير") == ["حرية_التعبير"]


def test_it_keeps_a_persian_zero_width_non_joiner() -> None:
    assert extract_hashtags("#می\u200cخواهم_آزادی") == ["می\u200cخواهم_آزادی"]


def test_it_accepts_digits_next_to_letters() -> None:
    assert extract_hashtags("ذكرى #النكبة76 و #7أكتوبر") == ["النكبة76", "7أكتوبر"]


@pytest.mark.parametrize(
    "text",
    [
        "room #123 and #٢٠٢٤ and #___",  # no letter
        "abc#def and كلمة#وسم",  # glued after a letter
        "it&#39;s &#x27;quoted&#x27;",  # HTML character references
        "read https://example.org/report#findings now",  # URL fragment
        "open https://x.com/#/search and http://site.example/page?q=1&x=#top",
        "# nothing after the sign, #️⃣ keycap",
    ],
)
def test_it_finds_no_hashtag_in(text: str) -> None:
    assert extract_hashtags(text) == []


# --- mentions -------------------------------------------------------------------------------
def test_it_finds_mentions_without_the_at_sign() -> None:
    post = "@press_watch_ps شكراً، و @Haifa_News2: تابعوا التغطية"
    assert extract_mentions(post) == ["press_watch_ps", "Haifa_News2"]


def test_it_ignores_email_addresses() -> None:
    post = "Write to reports@observatory.example or first.last@ngo.example, cc @desk_team"
    assert extract_mentions(post) == ["desk_team"]


def test_it_ignores_handles_inside_urls() -> None:
    assert extract_mentions("https://medium.com/@some_writer/a-story") == []


def test_it_deduplicates_mentions() -> None:
    assert extract_mentions("@ngo_a @ngo_b @ngo_a ＠ngo_c") == ["ngo_a", "ngo_b", "ngo_c"]


def test_it_takes_only_latin_handle_characters() -> None:
    assert extract_mentions("@مرصد @user_1.") == ["user_1"]


# --- URLs -----------------------------------------------------------------------------------
def test_it_finds_http_https_and_www_urls() -> None:
    post = "التقرير: https://t.co/AbC123 و http://example.org/a?b=1 و www.ngo.example/ar"
    assert extract_urls(post) == [
        "https://t.co/AbC123",
        "http://example.org/a?b=1",
        "www.ngo.example/ar",
    ]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("see https://t.co/xyz.", "https://t.co/xyz"),
        ("(https://t.co/xyz)", "https://t.co/xyz"),
        ("هل رأيتم https://t.co/xyz؟", "https://t.co/xyz"),
        ("الرابط https://t.co/xyz، شاهدوه", "https://t.co/xyz"),
        ("«https://t.co/xyz»", "https://t.co/xyz"),
        ("“https://t.co/xyz”!", "https://t.co/xyz"),
        ("wow https://t.co/xyz!!!", "https://t.co/xyz"),
        ("https://t.co/xyz🔥🔥", "https://t.co/xyz"),
        ("\u200fhttps://t.co/xyz\u200f", "https://t.co/xyz"),
        ("HTTPS://Example.ORG/Path", "HTTPS://Example.ORG/Path"),
        (
            "(see https://en.wikipedia.org/wiki/Nakba_(1948)).",
            "https://en.wikipedia.org/wiki/Nakba_(1948)",
        ),
    ],
)
def test_it_trims_what_surrounds_a_url(text: str, url: str) -> None:
    assert extract_urls(text) == [url]


def test_it_keeps_url_order_and_drops_repeats() -> None:
    post = "https://b.example https://a.example https://b.example"
    assert extract_urls(post) == ["https://b.example", "https://a.example"]


@pytest.mark.parametrize(
    "text",
    ["https:// alone", "awww. so cute", "www. not an address", "user@example.org", "no links"],
)
def test_it_finds_no_url_in(text: str) -> None:
    assert extract_urls(text) == []


# --- all together ---------------------------------------------------------------------------
def test_it_extracts_all_entities_of_a_mixed_post() -> None:
    post = (
        "عاجل 🔴 اقتحام مخيم جنين الآن #جنين #Jenin via @field_reporter https://t.co/Qw3rTy ‏#צה״ל"
    )
    assert extract_entities(post) == Entities(
        hashtags=["جنين", "Jenin", "צה״ל"],
        mentions=["field_reporter"],
        urls=["https://t.co/Qw3rTy"],
    )


def test_it_returns_empty_lists_for_text_without_entities() -> None:
    assert extract_entities("صباح الخير 😊") == Entities([], [], [])
    assert extract_entities("") == Entities([], [], [])


def test_it_removes_urls_and_mentions_but_keeps_hashtag_words() -> None:
    text = "@a_b شوفوا https://t.co/x #غزة"
    assert remove_urls_and_mentions(text).split() == ["شوفوا", "#غزة"]


def test_split_entities_agrees_with_the_separate_functions() -> None:
    text = "@a_b look https://t.co/x?ref=@c #Gaza user@example.org"
    entities, rest = split_entities(text)
    assert entities == extract_entities(text)
    assert rest == remove_urls_and_mentions(text)


# --- properties -----------------------------------------------------------------------------
@given(any_text)
def test_every_hashtag_follows_a_hash_sign_in_the_text(text: str) -> None:
    tags = extract_hashtags(text)
    assert len(tags) == len(set(tags))
    for tag in tags:
        assert tag
        assert f"#{tag}" in text or f"＃{tag}" in text


@given(any_text)
def test_every_mention_follows_an_at_sign_in_the_text(text: str) -> None:
    mentions = extract_mentions(text)
    assert len(mentions) == len(set(mentions))
    for mention in mentions:
        assert f"@{mention}" in text or f"＠{mention}" in text


@given(any_text)
def test_every_url_occurs_in_the_text(text: str) -> None:
    urls = extract_urls(text)
    assert len(urls) == len(set(urls))
    for url in urls:
        assert url in text
        assert url.lower().startswith(("http://", "https://", "www."))


@given(any_text)
def test_extract_entities_agrees_with_the_separate_functions(text: str) -> None:
    entities = extract_entities(text)
    assert entities.hashtags == extract_hashtags(text)
    assert entities.mentions == extract_mentions(text)
    assert entities.urls == extract_urls(text)
    assert split_entities(text) == (entities, remove_urls_and_mentions(text))
