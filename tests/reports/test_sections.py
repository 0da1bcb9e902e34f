"""Every report section renders in every language: with data, with none, and without its
analyses (the contract test over REPORT_SECTIONS)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyarrow as pa
import pytest

from marsad.reports import REPORT_SECTIONS, get_section
from marsad.reports.base import Figure, Notice, RenderContext, Section, Table
from marsad.reports.i18n import LANGS, isolate
from marsad.reports.render import render_section
from tests.reports.sample import PERIOD, facts, results

CASES = [(key, lang) for key in REPORT_SECTIONS for lang in LANGS]
READING = [(key, lang) for key, lang in CASES if get_section(key).needs]


def context(lang: str, missing: Mapping[str, str] | None = None) -> RenderContext:
    return RenderContext(lang, PERIOD, facts(), missing or {})  # type: ignore[arg-type]


def empty(tables: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    return {key: table.slice(0, 0) for key, table in tables.items()}


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_each_section_renders_its_figures_and_tables_in_each_language(key: str, lang: str) -> None:
    section = get_section(key)
    assert isinstance(section, Section)
    assert section.key == key
    sample = results()
    assert {need.id for need in section.needs} <= set(sample), "the sample lacks a need"
    rendered = render_section(section, sample, context(lang))
    assert rendered.html.startswith(
        f'<section class="report-section" id="sec-{key.replace(".", "-")}">'
    )
    assert f"<h2>{rendered.title}</h2>" in rendered.html
    for block in rendered.blocks:
        if isinstance(block, Figure):
            assert block.chart.count("<svg") == 1, block.key
            assert block.caption and block.caption in rendered.html
            assert block.data.num_columns > 0
        if isinstance(block, Table):
            assert block.data.num_columns > 0, block.key  # the CSV may hold more than shown
            assert all(len(row) == len(block.headers) for row in block.rows), block.key
    assert not [b for b in rendered.blocks if isinstance(b, Notice)], "sample data gave a notice"
    assert "None" not in re.sub(r"<[^>]+>", "", rendered.html)


@pytest.mark.parametrize(("key", "lang"), CASES)
def test_each_section_renders_when_its_analyses_found_nothing(key: str, lang: str) -> None:
    rendered = render_section(get_section(key), empty(results()), context(lang))
    assert "<h2>" in rendered.html
    assert not [b.key for b in rendered.blocks if isinstance(b, Figure)]  # no chart of nothing
    if not key.startswith("methodology"):
        assert [b for b in rendered.blocks if isinstance(b, Notice)], "say there is no data"


@pytest.mark.parametrize(("key", "lang"), READING)
def test_each_section_says_why_when_its_analyses_could_not_run(key: str, lang: str) -> None:
    section = get_section(key)
    missing = {need.id: f"REASON-{need.id}" for need in section.needs}
    rendered = render_section(section, {}, context(lang, missing))
    assert any(f"REASON-{need.id}" in rendered.html for need in section.needs)
    assert [b for b in rendered.blocks if isinstance(b, Notice)]


def test_an_unknown_section_is_refused_with_the_known_ones_named() -> None:
    with pytest.raises(KeyError, match=r"unknown report section 'index\.nothing'.*index\.headline"):
        get_section("index.nothing")


def build(key: str, lang: str = "en", tables: Mapping[str, pa.Table] | None = None) -> tuple:  # type: ignore[type-arg]
    return get_section(key).build(results() if tables is None else tables, context(lang))


def table_of(blocks: tuple, key: str) -> Table:  # type: ignore[type-arg]
    return next(b for b in blocks if isinstance(b, Table) and b.key == key)


def test_case_breakdowns_count_the_whole_period_not_each_month_again() -> None:
    types = table_of(build("observatory.types"), "cases_type_table")
    assert types.data.to_pylist() == [
        {"key": "content_removal", "cases": 7, "share": 0.7},
        {"key": "hate_speech", "cases": 3, "share": 0.3},
    ]
    assert types.rows[0] == ("Content removal", "7", "70.0%")


def test_a_spike_is_set_beside_an_event_within_two_days_in_the_reports_language() -> None:
    spikes = table_of(build("index.spikes", "he"), "spikes")
    assert spikes.rows[0][-1] == "פשיטה על המחנה"
    assert spikes.rows[0][3] == "#غزة, #עזה"
    assert spikes.data.to_pylist()[0]["event"] == "פשיטה על המחנה"


def test_the_daily_series_rings_the_spike_days() -> None:
    figure = next(b for b in build("index.spikes") if isinstance(b, Figure))
    assert figure.chart.count('stroke="#d7191c"') == 1  # one spike, one ring
    flagged = [row["day"] for row in figure.data.to_pylist() if row["spike"]]
    assert flagged == ["2025-03-18"]


def test_rising_hashtags_list_new_ones_first_then_by_growth() -> None:
    rising = table_of(build("hashtags.rising"), "rising")
    assert [(row[1], row[-1]) for row in rising.rows] == [
        (isolate("#غزة"), "new"),  # shown in its own direction, as the platforms show it
        (isolate("#غزة"), "+100.0%"),
        (isolate("#שלום"), "+25.0%"),
    ]
    assert rising.data.column("hashtag").to_pylist() == ["#غزة", "#غزة", "#שלום"]


def test_top_hashtags_add_up_their_months() -> None:
    top = table_of(build("hashtags.top"), "hashtags")
    assert top.data.to_pylist()[0] == {"hashtag": "#غزة", "posts": 90, "authors": 20}


def test_topics_are_named_by_their_terms_in_the_reports_language() -> None:
    arabic = table_of(build("hashtags.topics", "ar"), "topics")
    english = table_of(build("hashtags.topics", "en"), "topics")
    assert arabic.rows[0][:2] == ("1", "حرب، غزة، قصف")
    assert english.rows[0][:2] == ("1", "war")


def test_campaigns_add_up_their_months_and_reach() -> None:
    table = table_of(build("hashtags.campaigns"), "campaigns_table")
    (row,) = table.data.to_pylist()
    assert row == {
        "campaign": "#SaveSheikhJarrah",
        "posts": 55,
        "authors": 14,
        "views": 14000,
        "likes": 300,
        "shares": 40,
        "platforms": "x; telegram",  # x: 30 posts, telegram 25
        "languages": "ar; en",
    }


def test_campaigns_say_how_to_give_them_when_none_was_given() -> None:
    blocks = build("hashtags.campaigns", "ar", {})
    assert Notice(context("ar").t("campaigns.none")) in blocks


def test_accounts_are_listed_by_their_flagged_rank() -> None:
    accounts = table_of(build("index.accounts"), "accounts")
    assert [row[0] for row in accounts.rows] == ["acct-1f3a", "acct-9b2c"]


def test_the_methodology_states_the_model_and_its_scores_from_the_card() -> None:
    blocks = build("methodology", "en")
    scores = table_of(blocks, "model_scores")
    assert ("osact2022", "Offensive language", "1,266", "0.75", "0.63", "0.73") in scores.rows
    assert any(
        "incitement.tfidf.v1 (version 0123456789abcdef)" in getattr(b, "text", "") for b in blocks
    )
