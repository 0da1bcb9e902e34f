"""`accounts`: most active and most flagged accounts, pseudonymised unless revealed."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from marsad.analyze.accounts import AccountsAnalysis
from tests.analyze.conftest import Built, Label, params, post


def fill(built: Built) -> None:
    built.add_posts(
        [
            post("1", "2025-05-01", author="a1", handle="alice"),
            post("2", "2025-05-02", author="a1", handle="alice"),
            post("3", "2025-05-03", author="a1", handle="alice"),
            post("4", "2025-05-04", author="a1", handle="alice"),  # not classified
            post("5", "2025-05-01", author="a2", handle="bob"),
            post("6", "2025-05-02", author="a2", handle="bob"),
            post("7", "2025-05-01", author="a1", handle="alice_tg", platform="telegram"),
            post("8", "2025-05-01", author=None),
        ]
    )
    built.add_labels(
        [
            Label("1", "hate"),
            Label("2", "none"),
            Label("3", "none"),
            Label("5", "incitement"),
            Label("6", "offensive"),
            Label("7", "none", platform="telegram"),
            Label("8", "hate"),
        ]
    )


def pseudonym(platform: str, author: str) -> str:
    return "acct_" + hashlib.sha256(f"{platform}\x00id\x00{author}".encode()).hexdigest()[:16]


def summary(table: object) -> list[tuple[object, ...]]:
    names = ("ranking", "rank", "platform", "account", "posts", "classified", "flagged")
    return [tuple(r[n] for n in names) for r in table.to_pylist()]  # type: ignore[attr-defined]


def test_it_ranks_active_and_flagged_accounts_under_pseudonyms(built: Built, cached: bool) -> None:
    fill(built)
    table = AccountsAnalysis().run(built.context(cached=cached), params("2025-05", top=2))
    assert summary(table) == [
        ("active", 1, "x", pseudonym("x", "a1"), 4, 3, 1),
        ("active", 2, "x", pseudonym("x", "a2"), 2, 2, 2),
        ("flagged", 1, "x", pseudonym("x", "a2"), 2, 2, 2),
        ("flagged", 2, "x", pseudonym("x", "a1"), 4, 3, 1),
    ]
    bob = table.to_pylist()[2]
    assert (bob["incitement"], bob["hate"], bob["offensive"]) == (1, 0, 1)
    assert (bob["flagged_share"], bob["incitement_share"], bob["hate_share"]) == (1.0, 0.5, 0.0)
    alice = table.to_pylist()[3]
    assert alice["flagged_share"] == pytest.approx(1 / 3)


def test_reveal_shows_handles(built: Built) -> None:
    fill(built)
    table = AccountsAnalysis().run(built.context(), params("2025-05", options={"reveal": "true"}))
    assert [(r["ranking"], r["account"]) for r in table.to_pylist()] == [
        ("active", "alice"),
        ("active", "bob"),
        ("active", "alice_tg"),
        ("flagged", "bob"),
        ("flagged", "alice"),
    ]


def test_the_platform_filter_applies_to_accounts(built: Built) -> None:
    fill(built)
    table = AccountsAnalysis().run(built.context(), params("2025-05", platforms=("telegram",)))
    assert summary(table) == [("active", 1, "telegram", pseudonym("telegram", "a1"), 1, 1, 0)]


def test_a_post_labelled_again_counts_with_its_newest_label(built: Built, cached: bool) -> None:
    built.add_posts([post("1", "2025-05-01", author="a1")])
    built.add_labels([Label("1", "hate")])
    built.add_labels([Label("1", "none", classified_at=datetime(2026, 3, 1, tzinfo=UTC))])
    table = AccountsAnalysis().run(built.context(cached=cached), params("2025-05"))
    assert summary(table) == [("active", 1, "x", pseudonym("x", "a1"), 1, 1, 0)]
