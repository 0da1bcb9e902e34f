"""`spikes`: days significantly above the baseline, with their top posts, hashtags and terms."""

from __future__ import annotations

import hashlib
import math
from datetime import date
from pathlib import Path

import pytest

from marsad.analyze.base import AnalysisError
from marsad.analyze.spikes import SpikesAnalysis
from marsad.config import load_settings
from marsad.ingest.pseudonymise import Pseudonymiser
from tests.analyze.conftest import Built, Label, params, post

RULE = {"window": 3, "min_days": 3, "min_count": 3, "alpha": 0.01}
SPIKE_TEXTS = [
    ("burn the village #Rage @ali", 0.9),
    ("burn them #rage", 0.8),
    ("attack the village", 0.7),
    ("burn houses", 0.6),
    ("attack now #Other", 0.5),
]


def day_of(built_posts: list, labels: list, day: str, flagged: int, total: int) -> None:
    for i in range(total):
        post_id = f"{day}-{i}"
        built_posts.append(post(post_id, day, text=f"quiet day {i}"))
        labels.append(Label(post_id, "incitement" if i < flagged else "none"))


def fill(built: Built) -> None:
    posts: list = []
    labels: list = []
    for day in ("2025-03-01", "2025-03-02", "2025-03-03"):
        day_of(posts, labels, day, 1, 10)  # baseline share 0.1
    for i, (text, score) in enumerate(SPIKE_TEXTS):
        posts.append(
            post(
                f"s{i}",
                "2025-03-04",
                text=text,
                hashtags=[w[1:] for w in text.split() if w[0] == "#"],
            )
        )
        labels.append(Label(f"s{i}", "incitement", score=score))
    for i in range(5):
        posts.append(post(f"n{i}", "2025-03-04", text="nothing"))
        labels.append(Label(f"n{i}", "none"))
    day_of(posts, labels, "2025-03-05", 3, 20)  # expected 2: not significant
    built.add_posts(posts)
    built.add_labels(labels)


def run(built: Built, **kwargs: object) -> list[dict]:
    options = {**RULE, **kwargs.pop("options", {})}  # type: ignore[dict-item]
    p = params("2025-03-04..2025-03-05", options=options, **kwargs)  # type: ignore[arg-type]
    return SpikesAnalysis().run(built.context(settings=kwargs.get("settings")), p).to_pylist()


def test_a_day_far_above_its_baseline_is_a_spike_and_a_busier_day_is_not(
    built: Built, cached: bool
) -> None:
    fill(built)
    p = params("2025-03-04..2025-03-05", options=RULE)
    spikes = SpikesAnalysis().run(built.context(cached=cached), p).to_pylist()
    assert [(s["day"], s["count"], s["classified"]) for s in spikes] == [(date(2025, 3, 4), 5, 10)]
    spike = spikes[0]
    assert spike["baseline_share"] == pytest.approx(0.1)
    assert spike["expected"] == pytest.approx(1.0)
    assert spike["ratio"] == pytest.approx(5.0)
    # P(X >= 5) for X ~ Poisson(1)
    assert spike["p_value"] == pytest.approx(1 - math.exp(-1) * (1 + 1 + 1 / 2 + 1 / 6 + 1 / 24))


def test_a_spike_lists_its_top_posts_hashtags_and_terms(built: Built, cached: bool) -> None:
    fill(built)
    p = params("2025-03-04..2025-03-05", options={**RULE, "posts": 2})
    spike = SpikesAnalysis().run(built.context(cached=cached), p).to_pylist()[0]
    digest = hashlib.sha256(b"x\x00post\x00s0").hexdigest()[:16]
    assert spike["top_posts"] == [
        {
            "platform": "x",
            "post": f"post_{digest}",
            "text": "burn the village #Rage @user",
            "score": pytest.approx(0.9),
        },
        {
            "platform": "x",
            "post": spike["top_posts"][1]["post"],
            "text": "burn them #rage",
            "score": pytest.approx(0.8),
        },
    ]
    assert spike["top_hashtags"] == [
        {"hashtag": "rage", "posts": 2},
        {"hashtag": "other", "posts": 1},
    ]
    assert spike["top_terms"] == [
        {"term": "burn", "posts": 3},
        {"term": "attack", "posts": 2},
        {"term": "village", "posts": 2},
        {"term": "houses", "posts": 1},
    ]


def test_with_a_project_posts_are_pseudonymised_with_its_secret_key(
    built: Built, tmp_path: Path
) -> None:
    fill(built)
    key = "ab" * 32
    (tmp_path / "secret.key").write_text(key + "\n")
    settings = load_settings(tmp_path)
    p = params("2025-03-04..2025-03-05", options=RULE)
    spike = SpikesAnalysis().run(built.context(settings=settings), p).to_pylist()[0]
    keyed = Pseudonymiser(bytes.fromhex(key)).pseudonym("x", "post", "s0").split("_")[1]
    assert spike["top_posts"][0]["post"] == f"post_{keyed}"
    assert "@ali" not in spike["top_posts"][0]["text"]


def test_the_text_is_truncated(built: Built) -> None:
    fill(built)
    spike = run(built, options={"chars": 10})[0]
    assert spike["top_posts"][0]["text"] == "burn the…"


def test_filters_apply_to_spikes(built: Built) -> None:
    fill(built)
    assert run(built, platforms=("telegram",)) == []


def test_another_label_can_be_watched_and_a_wrong_one_is_named(built: Built) -> None:
    fill(built)
    assert run(built, options={"label": "hate"}) == []
    with pytest.raises(AnalysisError, match="label=violence"):
        run(built, options={"label": "violence"})
