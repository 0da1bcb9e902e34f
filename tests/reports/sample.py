"""Small analysis results built by hand, shaped like the analyses' tables, for section tests."""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from marsad.analyze.base import parse_period
from marsad.reports.base import Event, Facts, ModelInfo
from marsad.reports.build import ReportData

PERIOD = parse_period("2025")
LABELS = ("incitement", "hate", "offensive", "none")
MODEL = ("incitement.tfidf.v1", "0123456789abcdef")
CARD = {
    "key": MODEL[0],
    "evaluation": {
        "datasets": {
            "osact2022": {
                "tasks": {
                    "offensive": {
                        "n": 1266,
                        "macro_f1": 0.7543,
                        "precision": {"offensive": 0.6328},
                        "recall": {"offensive": 0.727},
                    }
                },
                "incitement": {
                    "n": 1266,
                    "macro_f1": 0.4986,
                    "precision": {"incitement": 0.0},
                    "recall": {"incitement": 0.0},
                },
            }
        }
    },
}


def index_rows(granularity: str) -> list[dict[str, object]]:
    """Two platforms x two languages; month buckets, or three days of March for "day"."""
    buckets = (
        [date(2025, m, 1) for m in (1, 2, 3)]
        if granularity == "month"
        else [date(2025, 3, d) for d in (17, 18, 19)]
    )
    rows: list[dict[str, object]] = []
    for b, bucket in enumerate(buckets):
        for platform, lang, posts in (("x", "ar", 100), ("x", "he", 60), ("telegram", "ar", 40)):
            counts = {"incitement": 5 + 10 * (b == 1), "hate": 8, "offensive": 12}
            counts["none"] = posts - sum(counts.values())
            for label in LABELS:
                rows.append(
                    {
                        "bucket": bucket,
                        "platform": platform,
                        "lang": lang,
                        "label": label,
                        "posts": posts,
                        "classified": posts,
                        "count": counts[label],
                        "share": counts[label] / posts,
                        "adjusted_share": counts[label] / posts * 0.9,
                        "ci_low": counts[label] / posts * 0.7,
                        "ci_high": counts[label] / posts * 1.1,
                        "model": MODEL[0],
                        "model_version": MODEL[1],
                    }
                )
    return rows


def table(rows: list[dict[str, object]]) -> pa.Table:
    """Rows with different keys in one table (missing values null)."""
    names = list(dict.fromkeys(name for row in rows for name in row))
    return pa.Table.from_pylist([{name: row.get(name) for name in names} for row in rows])


def results() -> dict[str, pa.Table]:
    violations = [
        *(
            {"dimension": "type", "key": k, "month": None, "cases": n}
            for k, n in (("content_removal", 7), ("hate_speech", 3))
        ),
        {"dimension": "type", "key": "content_removal", "month": date(2025, 1, 1), "cases": 4},
        *(
            {"dimension": "platform", "key": k, "month": None, "cases": n}
            for k, n in (("facebook", 6), ("x", 4))
        ),
        {"dimension": "perpetrator", "key": "platform_company", "month": None, "cases": 10},
        *(
            {"dimension": "outcome", "key": k, "month": None, "cases": n}
            for k, n in (("restored", 3), ("no_response", 2))
        ),
        *(
            {"dimension": "month", "key": f"2025-0{m}", "month": date(2025, m, 1), "cases": n}
            for m, n in ((1, 4), (3, 6))
        ),
    ]
    escalations = [
        {
            "dimension": "escalation",
            "key": "facebook",
            "month": None,
            "answered": 4,
            "successful": 3,
            "success_rate": 0.75,
        },
        {
            "dimension": "escalation",
            "key": "x",
            "month": None,
            "answered": 1,
            "successful": 0,
            "success_rate": 0.0,
        },
    ]
    return {
        "index.month": pa.Table.from_pylist(index_rows("month")),
        "index.day": pa.Table.from_pylist(index_rows("day")),
        "spikes": pa.Table.from_pylist(
            [
                {
                    "day": date(2025, 3, 18),
                    "label": "incitement",
                    "count": 45,
                    "classified": 200,
                    "baseline_share": 0.075,
                    "expected": 15.0,
                    "ratio": 3.0,
                    "p_value": 1e-9,
                    "top_posts": [{"platform": "x", "post": "p-1", "text": "…", "score": 0.9}],
                    "top_hashtags": [
                        {"hashtag": "غزة", "posts": 9},
                        {"hashtag": "עזה", "posts": 4},
                    ],
                    "top_terms": [{"term": "حرب", "posts": 7}, {"term": "מלחמה", "posts": 3}],
                    "model": MODEL[0],
                    "model_version": MODEL[1],
                }
            ]
        ),
        "accounts": pa.Table.from_pylist(
            [
                {
                    "ranking": "active",
                    "rank": 1,
                    "platform": "x",
                    "account": "acct-1f3a",
                    "posts": 40,
                    "flagged": 12,
                    "flagged_share": 0.3,
                },
                {
                    "ranking": "flagged",
                    "rank": 1,
                    "platform": "x",
                    "account": "acct-1f3a",
                    "posts": 40,
                    "flagged": 12,
                    "flagged_share": 0.3,
                },
                {
                    "ranking": "flagged",
                    "rank": 2,
                    "platform": "telegram",
                    "account": "acct-9b2c",
                    "posts": 20,
                    "flagged": 5,
                    "flagged_share": 0.25,
                },
            ]
        ),
        "hashtags.month": pa.Table.from_pylist(
            [
                {
                    "bucket": date(2025, 1, 1),
                    "hashtag": "غزة",
                    "posts": 30,
                    "authors": 12,
                    "previous_posts": 0,
                    "growth": None,
                    "rank": 1,
                    "rising_rank": 1,
                },
                {
                    "bucket": date(2025, 2, 1),
                    "hashtag": "غزة",
                    "posts": 60,
                    "authors": 20,
                    "previous_posts": 30,
                    "growth": 1.0,
                    "rank": 1,
                    "rising_rank": 1,
                },
                {
                    "bucket": date(2025, 2, 1),
                    "hashtag": "שלום",
                    "posts": 10,
                    "authors": 4,
                    "previous_posts": 8,
                    "growth": 0.25,
                    "rank": 2,
                    "rising_rank": 2,
                },
                {
                    "bucket": date(2025, 2, 1),
                    "hashtag": "peace",
                    "posts": 8,
                    "authors": 5,
                    "previous_posts": 0,
                    "growth": None,
                    "rank": 3,
                    "rising_rank": None,
                },
            ]
        ),
        "campaigns": pa.Table.from_pylist(
            [
                {
                    "campaign": "#SaveSheikhJarrah",
                    "bucket": date(2025, 1, 1),
                    "posts": 20,
                    "authors": 9,
                    "views": 5000,
                    "likes": 300,
                    "shares": None,
                    "languages": [{"name": "ar", "posts": 15}, {"name": "en", "posts": 5}],
                    "platforms": [{"name": "x", "posts": 20}],
                },
                {
                    "campaign": "#SaveSheikhJarrah",
                    "bucket": date(2025, 2, 1),
                    "posts": 35,
                    "authors": 14,
                    "views": 9000,
                    "likes": None,
                    "shares": 40,
                    "languages": [{"name": "ar", "posts": 35}],
                    "platforms": [{"name": "telegram", "posts": 25}, {"name": "x", "posts": 10}],
                },
            ]
        ),
        "topics": pa.Table.from_pylist(
            [
                {
                    "topic": 0,
                    "bucket": date(2025, 1, 1),
                    "posts": 25,
                    "topic_posts": 25,
                    "terms": ["حرب", "war"],
                    "terms_ar": ["حرب", "غزة", "قصف"],
                    "terms_he": [],
                    "terms_en": ["war"],
                },
                {
                    "topic": 1,
                    "bucket": date(2025, 2, 1),
                    "posts": 10,
                    "topic_posts": 10,
                    "terms": ["שלום"],
                    "terms_ar": [],
                    "terms_he": ["שלום", "הסכם"],
                    "terms_en": [],
                },
            ]
        ),
        "violations": table(violations + escalations),
    }


def facts() -> Facts:
    return Facts(
        posts=600,
        classified=600,
        platforms=(("x", 480), ("telegram", 120)),
        langs=(("ar", 420), ("he", 180)),
        datasets=(("demo", 600),),
        model=ModelInfo(MODEL[0], MODEL[1], CARD),
        cases=10,
        events=(
            Event(
                date(2025, 3, 17),
                {"en": "A raid on the camp", "ar": "اقتحام المخيم", "he": "פשיטה על המחנה"},
            ),
        ),
        generated=date(2025, 12, 31),
    )


def report_data() -> ReportData:
    return ReportData(results(), {}, facts())
