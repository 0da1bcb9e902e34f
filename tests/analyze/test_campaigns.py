"""`campaigns`: volume, reach, authors, languages and platforms of campaigns over time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from marsad.analyze.base import AnalysisError
from marsad.analyze.campaigns import CampaignsAnalysis
from marsad.posts import Metrics
from tests.analyze.conftest import Built, params, post

OCT, NOV = date(2025, 10, 1), date(2025, 11, 1)


def fill(built: Built) -> None:
    built.add_posts(
        [
            post(
                "1",
                "2025-10-02",
                author="a1",
                hashtags=["zaytoun"],
                metrics=Metrics(likes=5, views=100),
            ),
            post(
                "2",
                "2025-10-05",
                author="a2",
                platform="telegram",
                text="The OLIVE Harvest begins",
                metrics=Metrics(likes=3),
            ),
            post("3", "2025-11-01", author="a1", lang="en", hashtags=["ZAYTOUN"]),
            post("4", "2025-10-03", author="a3", hashtags=["other"], text="nothing"),
        ]
    )


def test_a_campaign_counts_posts_by_hashtag_or_keyword_per_month(built: Built) -> None:
    fill(built)
    options = {"name": "harvest", "hashtags": "#Zaytoun", "keywords": "olive harvest"}
    table = CampaignsAnalysis().run(built.context(), params("2025", options=options))
    assert table.to_pylist() == [
        {
            "campaign": "harvest",
            "bucket": OCT,
            "posts": 2,
            "authors": 2,
            "views": 100,
            "likes": 8,
            "shares": None,
            "languages": [{"name": "ar", "posts": 2}],
            "platforms": [{"name": "telegram", "posts": 1}, {"name": "x", "posts": 1}],
        },
        {
            "campaign": "harvest",
            "bucket": NOV,
            "posts": 1,
            "authors": 1,
            "views": None,
            "likes": None,
            "shares": None,
            "languages": [{"name": "en", "posts": 1}],
            "platforms": [{"name": "x", "posts": 1}],
        },
    ]


def test_campaigns_from_a_file_are_compared_in_one_table(built: Built, tmp_path: Path) -> None:
    fill(built)
    path = tmp_path / "campaigns.toml"
    path.write_text(
        '[[campaign]]\nname = "harvest"\nhashtags = ["zaytoun"]\nkeywords = ["olive harvest"]\n'
        'period = "2025-10"\n\n[[campaign]]\nname = "other"\nhashtags = ["other"]\n'
    )
    table = CampaignsAnalysis().run(
        built.context(), params("2025", options={"campaigns": str(path)})
    )
    assert [(r["campaign"], r["bucket"], r["posts"]) for r in table.to_pylist()] == [
        ("harvest", OCT, 2),
        ("other", OCT, 1),
    ]


def test_filters_apply_to_campaigns(built: Built) -> None:
    fill(built)
    options = {"hashtags": "zaytoun", "keywords": "olive harvest"}
    table = CampaignsAnalysis().run(
        built.context(), params("2025", platforms=("telegram",), options=options)
    )
    assert [(r["campaign"], r["bucket"], r["posts"]) for r in table.to_pylist()] == [
        ("campaign", OCT, 1)
    ]


def test_a_wrong_campaign_file_names_the_entry(built: Built, tmp_path: Path) -> None:
    path = tmp_path / "campaigns.toml"
    path.write_text('[[campaign]]\nname = "x"\nhashtags = "zaytoun"\n')
    with pytest.raises(AnalysisError, match=r"campaigns.toml: campaign 1: hashtags must be a list"):
        CampaignsAnalysis().run(built.context(), params("2025", options={"campaigns": str(path)}))
    with pytest.raises(AnalysisError, match="no hashtags and no keywords"):
        CampaignsAnalysis().run(built.context(), params("2025", options={"name": "empty"}))
