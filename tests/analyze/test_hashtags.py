"""`hashtags`: top and rising hashtags per bucket, and the co-hashtag network."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from marsad.analyze.base import AnalysisError
from marsad.analyze.hashtags import HashtagsAnalysis
from tests.analyze.conftest import Built, params, post

FEB = date(2025, 2, 1)


def fill(built: Built) -> None:
    built.add_posts(
        [
            post("1", "2025-01-03", author="a1", hashtags=["Gaza"]),
            post("2", "2025-01-09", author="a2", hashtags=["gaza", "peace"]),
            post("3", "2025-01-20", author="a1", hashtags=["news"]),
            post("4", "2025-02-01", author="a1", hashtags=["Gaza"]),
            post("5", "2025-02-02", author="a2", hashtags=["gaza"]),
            post("6", "2025-02-03", author="a3", hashtags=["gaza", "news"]),
            post("7", "2025-02-04", author="a1", hashtags=["new1"]),
            post("8", "2025-02-05", author="a2", hashtags=["peace"]),
            post("9", "2025-02-06", author="a2", hashtags=["news"], platform="telegram"),
            post("10", "2025-03-01", author="a2", hashtags=["later"]),
        ]
    )


def test_it_ranks_top_and_rising_hashtags_against_the_bucket_before(built: Built) -> None:
    fill(built)
    table = HashtagsAnalysis().run(
        built.context(), params("2025-02", top=2, options={"min_posts": 1})
    )
    assert [tuple(row.values()) for row in table.to_pylist()] == [
        (FEB, "gaza", 3, 3, 2, 0.5, 1, 3),
        (FEB, "news", 2, 2, 1, 1.0, 2, 2),
        (FEB, "new1", 1, 1, 0, None, 3, 1),
    ]


def test_a_period_starting_inside_a_bucket_counts_only_its_own_days(built: Built) -> None:
    fill(built)
    # 2025-02-05 alone, by month: the February bucket holds that day's posts only (#peace),
    # not those of 1-4 February; January, the bucket before, stays whole (#peace once)
    table = HashtagsAnalysis().run(built.context(), params("2025-02-05", options={"min_posts": 1}))
    assert [(r["bucket"], r["hashtag"], r["posts"], r["previous_posts"]) for r in
            table.to_pylist()] == [(FEB, "peace", 1, 1)]  # fmt: skip
    days = HashtagsAnalysis().run(
        built.context(), params("2025-02-03..2025-02-06", options={"min_posts": 1})
    )
    counts = {r["hashtag"]: r["posts"] for r in days.to_pylist()}
    assert counts == {"gaza": 1, "news": 2, "new1": 1, "peace": 1}


def test_only_hashtags_with_enough_posts_can_be_rising(built: Built) -> None:
    fill(built)
    table = HashtagsAnalysis().run(
        built.context(), params("2025-02", top=5, options={"min_posts": 2})
    )
    rising = {row["hashtag"]: row["rising_rank"] for row in table.to_pylist()}
    assert rising == {"gaza": 2, "news": 1, "new1": None, "peace": None}


def test_the_platform_filter_applies(built: Built) -> None:
    fill(built)
    table = HashtagsAnalysis().run(
        built.context(), params("2025-02", platforms=("telegram",), options={"min_posts": 1})
    )
    assert [(r["hashtag"], r["posts"], r["previous_posts"]) for r in table.to_pylist()] == [
        ("news", 1, 0)
    ]


def clustered(built: Built) -> None:
    posts = []
    for i in range(6):
        posts.append(post(f"a{i}", "2025-04-02", hashtags=["a", "b", "c"]))
        posts.append(post(f"x{i}", "2025-04-02", hashtags=["x", "y", "z"]))
    posts.append(post("bridge", "2025-04-03", hashtags=["c", "x"]))
    built.add_posts(posts)


@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
def test_the_network_file_holds_weighted_edges_and_communities(
    built: Built, tmp_path: Path, suffix: str
) -> None:
    clustered(built)
    path = tmp_path / f"tags{suffix}"
    HashtagsAnalysis().run(built.context(), params("2025-04", options={"network": str(path)}))
    graph = nx.read_gexf(path) if suffix == ".gexf" else nx.read_graphml(path)
    assert sorted(graph.nodes) == ["a", "b", "c", "x", "y", "z"]
    assert graph.edges["a", "b"]["weight"] == 6
    assert graph.edges["c", "x"]["weight"] == 1
    assert graph.nodes["c"]["posts"] == 7
    communities = {node: graph.nodes[node]["community"] for node in graph.nodes}
    assert communities == {"a": 0, "b": 0, "c": 0, "x": 1, "y": 1, "z": 1}


def test_a_network_file_of_another_kind_is_refused(built: Built, tmp_path: Path) -> None:
    clustered(built)
    with pytest.raises(AnalysisError, match=r"gexf or \.graphml"):
        HashtagsAnalysis().run(built.context(), params("2025-04", options={"network": "n.csv"}))
