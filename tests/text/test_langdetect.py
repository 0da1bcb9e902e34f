"""Script and language detection."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text import langdetect
from marsad.text.langdetect import (
    LANGID_LANGUAGES,
    SCRIPTS,
    Detection,
    detect_language,
    detect_languages,
    detect_script,
)
from tests.text.strategies import any_text

ARABIC_POSTS = {
    "msa": "أعلنت وزارة الصحة عن ارتفاع عدد الضحايا إلى ثلاثين شخصاً بعد القصف الليلي",
    "levantine": "شو عم بصير بالضفة؟ ولك هيك ما بصير، الناس ما عاد فيها تتحمل",
    "gulf": "والله ما توقعت هالشي يصير، شلونكم يا جماعة؟ عساكم بخير",
    "egyptian": "انا مش فاهم إيه اللي بيحصل ده، ليه محدش بيتكلم عن الموضوع؟",
    "vocalised": "إِنَّ الحُرِّيَّةَ حَقٌّ لِكُلِّ إِنْسَانٍ",
}
HEBREW_POSTS = {
    "plain": "המשטרה עצרה היום שני עיתונאים שסיקרו את ההפגנה במרכז העיר",
    "pointed": "שָׁלוֹם עֲלֵיכֶם, מָה שְׁלוֹמְךָ הַיּוֹם?",
    "with_english": "הדיון ב-Knesset נמשך עד הלילה על חוק ההסתה החדש #צה״ל",
}
ARABIZI_POSTS = [
    "ya3ni shu badak a3mel? wallah ma ba3ref",
    "yalla habibi ta3a la3anna",
    "ana mesh fahem leh 3amalt keda",
    "7abibi ya albi kifak?",
    "el 7ayat sa3beh ktir hal2ayam, inshallah tetla7",
    "mafi kahraba men embare7 w l nas ta3bane",
    # long posts with few marked words: two words with digits for letters settle it
    "el sahayneh kollon 5awaneh, lazem yetla3o men hon",
    "elli bishoof wa7ad menhom yekser raso w yel7a2o #Gaza",
]
ENGLISH_WITH_NUMBERS = [
    "Friends 4ever, see you 2day at 3pm with the mp3 files",
    "Covid19 cases are up again, the top10 cities are listed in 2024 report",
    "Meet me on the 2nd floor at 9am, bring the 5g router and 3d printer",
]


# --- scripts --------------------------------------------------------------------------------
@pytest.mark.parametrize("post", ARABIC_POSTS.values(), ids=ARABIC_POSTS.keys())
def test_it_detects_arabic_script_in_every_dialect(post: str) -> None:
    assert detect_script(post) == "arab"


@pytest.mark.parametrize("post", HEBREW_POSTS.values(), ids=HEBREW_POSTS.keys())
def test_it_detects_hebrew_script_with_and_without_niqqud(post: str) -> None:
    assert detect_script(post) == "hebr"


def test_it_detects_latin_cyrillic_and_other_scripts() -> None:
    assert detect_script("The account was suspended without any warning") == "latn"
    assert detect_script("Журналисты были задержаны у границы") == "cyrl"
    assert detect_script("記者が国境で拘束された") == "other"
    assert detect_script("Οι δημοσιογράφοι συνελήφθησαν") == "other"


def test_it_ignores_urls_and_mentions_when_counting_letters() -> None:
    post = "شاهدوا https://www.example.org/a-long-english-path-about-events @an_english_handle"
    assert detect_script(post) == "arab"


def test_it_counts_the_words_of_hashtags() -> None:
    assert detect_script("🇵🇸 #FreePalestine #غزة") == "latn"


def test_it_lets_the_majority_script_win_in_a_mixed_post() -> None:
    assert detect_script("Breaking news from Jenin tonight: اقتحام") == "latn"
    assert detect_script("اقتحام مخيم جنين الليلة وإصابات بين الشبان breaking") == "arab"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "😂😂🔥🇵🇸",
        "https://t.co/AbCdEf",
        "@someone",
        "2024 ١٤٤٥ ۲۰۲۳",
        "\u200f\u200e\u2066",
        "!!! ؟؟",
    ],
)
def test_it_reports_und_without_letters(text: str) -> None:
    assert detect_script(text) == "und"
    assert detect_language(text) == Detection("und", "und", 0.0)


# --- Arabizi --------------------------------------------------------------------------------
@pytest.mark.parametrize("post", ARABIZI_POSTS)
def test_it_recognises_arabizi(post: str) -> None:
    assert detect_script(post) == "arabizi"
    detection = detect_language(post)
    assert (detection.lang, detection.script) == ("ar", "arabizi")
    assert 0.0 < detection.confidence <= 1.0


@pytest.mark.parametrize("post", ENGLISH_WITH_NUMBERS)
def test_it_does_not_take_english_with_numbers_for_arabizi(post: str) -> None:
    assert detect_script(post) == "latn"
    assert detect_language(post).lang == "en"


@pytest.mark.parametrize(
    "post",
    [
        "Inshallah tomorrow will be a better day for all of us",
        "Happy birthday habibi, have a great one",
        "How to set up a mesh network at home",
    ],
)
def test_it_does_not_take_english_with_a_loanword_for_arabizi(post: str) -> None:
    assert detect_script(post) == "latn"


# --- languages ------------------------------------------------------------------------------
@pytest.mark.parametrize("post", ARABIC_POSTS.values(), ids=ARABIC_POSTS.keys())
def test_it_reports_arabic(post: str) -> None:
    detection = detect_language(post)
    assert (detection.lang, detection.script) == ("ar", "arab")
    assert detection.confidence == 1.0


def test_it_reports_the_share_of_arabic_letters_as_confidence() -> None:
    detection = detect_language("اقتحام مخيم جنين الليلة Jenin")
    assert detection.lang == "ar"
    assert 0.7 < detection.confidence < 1.0


def test_it_recognises_persian() -> None:
    assert detect_language("من امروز به بازار رفتم و چند کتاب خریدم").lang == "fa"
    assert detect_language("این یک کتاب است").lang == "fa"


def test_it_recognises_urdu() -> None:
    assert detect_language("آپ کیسے ہیں؟ میں ٹھیک ہوں، شکریہ").lang == "ur"


def test_it_keeps_iraqi_and_gulf_arabic_with_persian_letters_as_arabic() -> None:
    assert detect_language("شلونك؟ شگد حلو هذا الچاي").lang == "ar"


def test_it_keeps_arabic_typed_with_persian_yeh_as_arabic() -> None:
    assert detect_language("الحمد لله علی کل حال").lang == "ar"


@pytest.mark.parametrize("post", HEBREW_POSTS.values(), ids=HEBREW_POSTS.keys())
def test_it_reports_hebrew(post: str) -> None:
    detection = detect_language(post)
    assert (detection.lang, detection.script) == ("he", "hebr")


@pytest.mark.parametrize(
    ("post", "lang"),
    [
        ("Police detained two journalists covering the protest downtown today", "en"),
        ("Les journalistes ont été arrêtés ce matin près de la frontière", "fr"),
        ("Los periodistas fueron detenidos esta mañana cerca de la frontera", "es"),
        ("Die Journalisten wurden heute Morgen an der Grenze festgenommen", "de"),
        ("Gazeteciler bu sabah sınırda gözaltına alındı", "tr"),
        ("Журналисты были задержаны сегодня утром у границы", "ru"),
    ],
)
def test_it_identifies_languages_with_py3langid(post: str, lang: str) -> None:
    detection = detect_language(post)
    assert detection.lang == lang
    assert detection.confidence >= 0.5


def test_it_reports_high_confidence_for_a_clear_english_post() -> None:
    post = "My account was suspended after I posted photos of the demolition in the village"
    detection = detect_language(post)
    assert detection == Detection("en", "latn", detection.confidence)
    assert detection.confidence > 0.9


@pytest.mark.parametrize(
    ("text", "script"),
    [("ok", "latn"), ("Free Palestine", "latn"), ("لا", "arab"), ("כן", "hebr"), ("да", "cyrl")],
)
def test_it_reports_und_with_the_script_for_text_too_short_to_tell(text: str, script: str) -> None:
    assert detect_language(text) == Detection("und", script, 0.0)


def test_it_needs_three_letters_for_arabic() -> None:
    assert detect_language("نعم").lang == "ar"


def test_it_reports_und_when_py3langid_is_unsure() -> None:
    assert detect_language("Stop the siege now") == Detection("und", "latn", 0.0)


def test_it_detects_a_batch_in_order() -> None:
    texts = [ARABIC_POSTS["msa"], HEBREW_POSTS["plain"], ARABIZI_POSTS[0], ""]
    assert detect_languages(texts) == [detect_language(t) for t in texts]
    assert [d.lang for d in detect_languages(texts)] == ["ar", "he", "ar", "und"]


def test_detection_is_immutable() -> None:
    detection = detect_language("שלום לכולם")
    with pytest.raises(dataclasses.FrozenInstanceError):
        detection.lang = "en"  # type: ignore[misc]


def test_it_restricts_py3langid_to_codes_it_knows() -> None:
    assert len(set(LANGID_LANGUAGES)) == len(LANGID_LANGUAGES)
    assert detect_language("Une phrase assez longue pour être reconnue").lang in LANGID_LANGUAGES


# --- properties -----------------------------------------------------------------------------
@given(any_text)
def test_detect_script_returns_a_known_code(text: str) -> None:
    assert detect_script(text) in SCRIPTS


@settings(max_examples=50)
@given(any_text)
def test_detect_language_agrees_with_detect_script(text: str) -> None:
    detection = detect_language(text)
    assert detection.script == detect_script(text)
    assert 0.0 <= detection.confidence <= 1.0
    assert (detection.lang == "und") == (detection.confidence == 0.0)


# --- batches --------------------------------------------------------------------------------
LATIN_SENTENCES = (
    # English, French, Spanish, German, Italian, Portuguese, Dutch
    "the police arrested journalists today after protest and will never stop posting news",
    "les journalistes ont été arrêtés près de la frontière avec une caméra aujourd'hui",
    "los periodistas fueron detenidos esta mañana cerca del hospital según testigos",
    "die Journalisten wurden heute Morgen an der Grenze festgenommen weil Straße öffentlich",
    "il giornalista è stato arrestato questa mattina perché la polizia ha detto così",
    "os jornalistas foram presos hoje perto da fronteira não sabemos ação",
    "de journalisten zijn vanochtend gearresteerd bij de grens volgens getuigen",
    # Turkish, Indonesian, Polish, Swahili, Vietnamese, Romanian, Croatian, Swedish
    "gazeteciler bu sabah sınırda gözaltına alındı çünkü İstanbul'da protesto vardı",
    "wartawan ditangkap pagi ini di dekat perbatasan menurut saksi mata",
    "dziennikarze zostali zatrzymani dziś rano przy granicy źródło łódź",
    "waandishi wa habari walikamatwa leo asubuhi karibu na mpaka",
    "các nhà báo đã bị bắt sáng nay gần biên giới theo nhân chứng",
    "jurnaliștii au fost arestați în această dimineață lângă graniță",
    "novinari su uhićeni jutros blizu granice prema svjedocima",
    "journalisterna greps i morse nära gränsen enligt vittnen",
)
LATIN_WORDS = [word for sentence in LATIN_SENTENCES for word in sentence.split()]
LATIN_EXTRAS = (
    *("😂", "🔥🔥", "🇵🇸", "❤️", "👍🏽", "…", "!!!", "?!", "«", "»", "—", "&amp;", "2024", "10k"),
    *("https://t.co/AbCdEf", "www.example.org/a-long-path", "#FreeSpeech", "#Gaza2024"),
    *("@some_user", "e\u0301te\u0301", "ﬁnancial", "Ｆｕｌｌｗｉｄｔｈ", "ÇA VA", "\u200b", "\n\n"),
)
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàáâäçèéêëìíîïñòóôöùúûüÿßğışœ"

latin_post = st.lists(
    st.one_of(
        st.sampled_from(LATIN_WORDS),
        st.sampled_from(LATIN_EXTRAS),
        st.text(alphabet=LATIN_LETTERS, min_size=1, max_size=12),
    ),
    max_size=70,
).map(" ".join) | st.lists(st.sampled_from(LATIN_WORDS), min_size=1, max_size=12).map(
    lambda words: " ".join(words).upper()
)

SAMPLE_POSTS = [
    *ARABIC_POSTS.values(),
    *HEBREW_POSTS.values(),
    *ARABIZI_POSTS,
    *ENGLISH_WITH_NUMBERS,
    "Police detained two journalists covering the protest downtown today",
    "Les journalistes ont été arrêtés ce matin près de la frontière",
    "Los periodistas fueron detenidos esta mañana cerca de la frontera",
    "Die Journalisten wurden heute Morgen an der Grenze festgenommen",
    "Gazeteciler bu sabah sınırda gözaltına alındı",
    "Wartawan ditangkap pagi ini di dekat perbatasan, kata saksi",
    "Журналисты были задержаны сегодня утром у границы",
    "Οι δημοσιογράφοι συνελήφθησαν σήμερα το πρωί στα σύνορα",
    "記者が国境で拘束された",
    "MY ACCOUNT WAS SUSPENDED AGAIN FOR NO REASON",
    "Stop the siege now",
    "Inshallah tomorrow will be a better day for all of us",
    "So proud of you 😂😂🔥 https://t.co/AbCdEf @friend #Gaza",
    "Caf\u00e9 cr\u00e8me, cafe\u0301 cre\u0300me et cr\u00e8me br\u00fbl\u00e9e \u00e0 gogo",
    "Naïve résumé of the coöperation between the façade's owners",
    " ".join(LATIN_WORDS),  # about 1,400 characters
    "ok",
]


def assert_same_detections(batch: list[Detection], single: list[Detection]) -> None:
    assert [(d.lang, d.script) for d in batch] == [(d.lang, d.script) for d in single]
    assert all(abs(b.confidence - s.confidence) <= 1e-6 for b, s in zip(batch, single, strict=True))


def test_the_batch_classifier_reads_the_installed_py3langid() -> None:
    assert langdetect._batch_model() is not None


@pytest.mark.parametrize("cells", [langdetect._WALK_CELLS, 512, 1])
def test_the_batch_gives_py3langids_answers_bit_for_bit(
    cells: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(langdetect, "_WALK_CELLS", cells)  # chunks of 1 to all the texts
    monkeypatch.setattr(langdetect, "_WALK_TEXTS", 1)
    model = langdetect._batch_model()
    assert model is not None
    texts = [*SAMPLE_POSTS, *(post.lower() for post in SAMPLE_POSTS)]
    assert langdetect._classify_batch(model, texts) == [
        langdetect._langid_reference(text) for text in texts
    ]


def test_the_batch_handles_texts_without_features_and_very_long_texts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(langdetect, "_LONGEST", 64)  # longer texts go through classify
    model = langdetect._batch_model()
    assert model is not None
    texts = ["", " ", "a", "😂😂", "\u200b", "\U0010ffff", "ok ok", " ".join(LATIN_WORDS), "x" * 70]
    assert langdetect._classify_batch(model, texts) == [
        langdetect._langid_reference(text) for text in texts
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(latin_post, min_size=1, max_size=25), st.sampled_from([1 << 17, 700, 1]))
def test_the_batch_gives_py3langids_answers_for_any_latin_text(
    texts: list[str], cells: int
) -> None:
    model = langdetect._batch_model()
    assert model is not None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(langdetect, "_WALK_CELLS", cells)
        patch.setattr(langdetect, "_WALK_TEXTS", 1)
        batch = langdetect._classify_batch(model, texts)
    assert batch == [langdetect._langid_reference(text) for text in texts]


def test_detect_languages_gives_what_detect_language_gives() -> None:
    texts = SAMPLE_POSTS * 2  # repeated posts are classified once
    assert len(texts) >= langdetect._MIN_BATCH
    assert_same_detections(detect_languages(texts), [detect_language(t) for t in texts])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(latin_post, any_text), max_size=30))
def test_detect_languages_gives_what_detect_language_gives_for_any_text(
    texts: list[str],
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(langdetect, "_MIN_BATCH", 1)
        batch = detect_languages(texts)
    assert_same_detections(batch, [detect_language(t) for t in texts])


def test_detect_languages_falls_back_to_py3langid_per_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(langdetect, "_batch_model", lambda: None)
    assert detect_languages(SAMPLE_POSTS) == [detect_language(t) for t in SAMPLE_POSTS]


def test_detect_languages_of_nothing_is_nothing() -> None:
    assert detect_languages([]) == []
