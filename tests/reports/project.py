"""A small project for end-to-end report tests: posts over four months of 2025 with a burst of
incitement on 18 March, labels of the shipped default model (so its card is found), and a few
verified cases in the case database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from marsad.classify.loader import DEFAULT_MODEL_DIR, folder_version, read_card
from marsad.classify.store import LABEL_SCHEMA, version_folder, write_part
from marsad.config import Settings, load_settings
from marsad.posts import Post, posts_to_table
from marsad.project import init_project
from marsad.warehouse import Warehouse

SPIKE = date(2025, 3, 18)
TEXTS = {
    "ar": ("نص عادي عن الأخبار", "يجب قتلهم جميعا", "هؤلاء حثالة"),
    "he": ("טקסט רגיל על החדשות", "צריך להרוג את כולם", "הם זבל"),
    "en": ("an ordinary post about the news", "they must all be killed", "what idiots"),
}
PLATFORMS = ("x", "telegram", "facebook")


def day_posts(day: date, n: int, inciting: int) -> list[tuple[Post, str]]:
    """`n` posts of `day`, the first `inciting` labelled incitement, then offensive ones."""
    made: list[tuple[Post, str]] = []
    for i in range(n):
        lang = ("ar", "he", "en")[i % 3]
        label = "incitement" if i < inciting else ("offensive" if i % 4 == 3 else "none")
        text = TEXTS[lang][{"none": 0, "incitement": 1, "offensive": 2}[label]]
        tags = ["غزة"] if lang == "ar" else (["שלום"] if lang == "he" else ["news"])
        if day == SPIKE:
            tags.append("raid")
        post = Post(
            platform=PLATFORMS[i % 3],
            post_id=f"{day.isoformat()}-{i}",
            collected_at=datetime(2026, 1, 1, tzinfo=UTC),
            created_at=datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9 + i % 8),
            lang=lang,
            author_id=f"author-{i % 7}",
            text=f"{text} {i}",
            text_norm=f"{text} {i}",
            hashtags=tags,
            dataset="tests",
        )
        made.append((post, label))
    return made


def labels_table(items: list[tuple[Post, str]], key: str, version: str) -> pa.Table:
    rows: list[dict[str, Any]] = []
    for post, label in items:
        scores = {
            f"score_{name}": 0.9 if name == label else 0.03
            for name in ("incitement", "hate", "offensive", "none")
        }
        rows.append(
            {
                "platform": post.platform,
                "post_id": post.post_id,
                "model": key,
                "model_version": version,
                "label": label,
                **scores,
                "lang": post.lang,
                "text_hash": "0" * 32,
                "classified_at": datetime(2026, 1, 2, tzinfo=UTC),
            }
        )
    return pa.Table.from_pylist(rows, schema=LABEL_SCHEMA)


def make_project(folder: Path) -> Settings:
    """The project: 6 posts a day from 1 January to 30 April 2025 (one inciting post every
    third day), and 30 posts on 18 March of which 20 incite."""
    init_project(folder)
    settings = load_settings(folder)
    warehouse = Warehouse(settings.warehouse_dir)
    items: list[tuple[Post, str]] = []
    day = date(2025, 1, 1)
    while day < date(2025, 5, 1):
        burst = day == SPIKE
        items += day_posts(day, 30 if burst else 6, 20 if burst else int(day.toordinal() % 3 == 0))
        day += timedelta(days=1)
    with warehouse.begin_import() as tx:
        tx.add(posts_to_table([post for post, _ in items]))
        tx.commit()
    key = str(read_card(DEFAULT_MODEL_DIR)["key"])
    folder_of_labels = version_folder(warehouse, key, folder_version(DEFAULT_MODEL_DIR))
    folder_of_labels.mkdir(parents=True, exist_ok=True)
    write_part(folder_of_labels, labels_table(items, key, folder_version(DEFAULT_MODEL_DIR)))
    return settings


def add_cases() -> None:
    """Verified cases (and one unverified) with escalations, in the test database."""
    from marsad.web.cases import actions
    from marsad.web.cases.models import Case, Escalation, Term

    def term(kind: str, key: str) -> Any:
        return Term.objects.get(kind=kind, key=key)

    def case(state: str, kind: str, platform: str, when: str, outcome: str = "") -> Any:
        report = actions.NewReport(
            term("violation_type", kind),
            "text",
            term("platform", platform),
            consent=True,
            language="ar",
        )
        made = actions.submit_report(report, "pass phrase")
        at = datetime.fromisoformat(when).replace(tzinfo=UTC)
        verified = at if state != "received" else None
        Case.objects.filter(pk=made.pk).update(
            state=state,
            received_at=at,
            verified_at=verified,
            outcome=outcome,
            perpetrator=term("perpetrator", "platform_company"),
        )
        return made

    first = case("verified", "content_removal", "facebook", "2025-01-05")
    second = case("outcome", "account_suspension", "instagram", "2025-02-07", "restored")
    case("closed", "content_removal", "facebook", "2025-03-08", "no_response")
    case("received", "hacking", "x", "2025-03-09")  # not verified: never counted
    Escalation.objects.create(
        case=first,
        platform=term("platform", "facebook"),
        channel="web_form",
        sent_on=date(2025, 1, 10),
        replied_on=date(2025, 1, 20),
        outcome="removed",
    )
    Escalation.objects.create(
        case=second,
        platform=term("platform", "instagram"),
        channel="web_form",
        sent_on=date(2025, 2, 10),
        replied_on=date(2025, 2, 12),
        outcome="restored",
    )
