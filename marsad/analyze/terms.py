"""Words of posts for labelling spikes and topics: tokens, stop words, top terms, c-TF-IDF.

A post's terms are the words (letters only, two or more) of its normalised text (`text_norm`,
else the text normalised here) after URLs, @mentions and #hashtags are removed, without the
stop words of Arabic, Hebrew and English below (normalised the same way, so that spelling
variants match). Each term counts once per post.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from marsad.text.entities import remove_urls_and_mentions
from marsad.text.normalize import normalize

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u05f3\u2019-])*[^\W\d_]|[^\W\d_]{2,}")
_HASHTAG = re.compile(r"[#＃]\S+")

_STOP_WORDS = {
    "en": """a about after all also am an and any are as at be because been before being but
        by can could did do does doing don for from had has have he her here hers him his how
        i if in into is it its just me more most my no not now of on once only or other our
        out over own same she should so some such than that the their them then there these
        they this those through to too under until up very was we were what when where which
        while who whom why will with would you your rt amp via""",
    "ar": """في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم هن انا أنا نحن
        انت أنت انتم كان كانت يكون لا لم لن ما ماذا متى أين اين كيف كل بعض او أو ثم قد لقد
        و ف ب ل ك يا أي اي إن ان أن إذا اذا بين عند حتى منذ كما لكن بل غير فقط هناك هنا
        عليه عليها فيه فيها منه منها به بها له لها لهم الله والله""",
    "he": """של את על עם זה זו זאת הוא היא הם הן אני אנחנו אתה את אתם לא כן מה מי איך למה
        כי אם או גם רק כל יש אין היה היתה הייתה להיות אל מן עד אחרי לפני בין כמו אבל
        שלא הזה הזאת האלה אלה לו לה להם בו בה כך עוד כבר""",
}
STOP_WORDS: frozenset[str] = frozenset(
    normalize(word) for words in _STOP_WORDS.values() for word in words.split()
)


def terms_of(text: str | None, text_norm: str | None = None) -> list[str]:
    """The distinct terms of a post, in order of first use."""
    norm = text_norm if text_norm is not None else normalize(text or "")
    norm = _HASHTAG.sub(" ", remove_urls_and_mentions(norm))
    words = (w for w in _WORD.findall(norm) if w not in STOP_WORDS)
    return list(dict.fromkeys(words))


def top_terms(documents: Iterable[Sequence[str]], n: int) -> list[tuple[str, int]]:
    """The `n` terms used by the most documents (ties alphabetical), with their counts."""
    counts = Counter(term for terms in documents for term in set(terms))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def class_tfidf(
    groups: Mapping[int, Sequence[Sequence[str]]], n: int
) -> dict[int, list[tuple[str, float]]]:
    """The `n` most distinctive terms of each group of documents by class-based TF-IDF: a
    term's weight in a group is its frequency there times log(1 + A / f), where f is its
    frequency over all groups and A the average number of terms per group."""
    counts = {key: Counter(t for doc in docs for t in set(doc)) for key, docs in groups.items()}
    overall: Counter[str] = Counter()
    for counter in counts.values():
        overall.update(counter)
    if not overall:
        return {key: [] for key in groups}
    average = sum(overall.values()) / len(groups)
    result = {}
    for key, counter in counts.items():
        total = sum(counter.values()) or 1
        weights = {t: c / total * math.log(1 + average / overall[t]) for t, c in counter.items()}
        result[key] = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:n]
    return result
