"""Index rows pooled for a report: with the model's card, the corrected shares of a pooled
group come from its pooled counts, not from averaging the bounds of its small cells."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from marsad.analyze.acc import Corrector, card_confusions
from marsad.classify.labels import LABELS
from marsad.reports.sections.index import pool

# true hate / offensive / none found 8 times in 10; incitement not tested (identity row)
MATRIX = [[0, 0, 0, 0], [0, 80, 10, 10], [0, 10, 80, 10], [0, 5, 10, 85]]
CARD = {"evaluation": {"datasets": {"s": {"files": ["a"], "label_confusion": MATRIX}}}}
CELL = {"incitement": 0, "hate": 0, "offensive": 1, "none": 3}


def rows(cells: int) -> list[dict[str, object]]:
    """`cells` days of 4 posts each (1 labelled offensive), corrected with the pool of all."""
    out: list[dict[str, object]] = []
    for n in range(cells):
        for label in LABELS:
            out.append(
                {
                    "bucket": date(2025, 1, 1) + timedelta(days=n),
                    "platform": "x",
                    "lang": "ar",
                    "label": label,
                    "posts": 4,
                    "classified": 4,
                    "count": CELL[label],
                    "adjusted_share": 0.5,  # what the cell's own estimate said (ignored here)
                    "ci_low": 0.0,
                    "ci_high": 1.0,
                    "correction": "*",
                }
            )
    return out


def test_a_pooled_group_is_corrected_from_its_pooled_counts() -> None:
    fix = Corrector(card_confusions(CARD), replicates=400)
    pooled = pool(rows(50), (), fix)[()]
    expected = fix.estimate("*", [0, 0, 50, 150], "the pooled counts")
    assert expected is not None
    found = pooled.adjusted("offensive")
    assert found is not None
    assert found[0] == pytest.approx(expected.shares[2])  # the point estimate of the pooled counts
    low, high = expected.low[2], expected.high[2]
    assert found[1] == pytest.approx(low, abs=0.03) and found[2] == pytest.approx(high, abs=0.03)
    assert found[2] - found[1] < 0.25  # 200 posts, not 4


def test_without_the_card_the_cells_estimates_are_averaged() -> None:
    pooled = pool(rows(3), ())[()]
    assert pooled.adjusted("offensive") == pytest.approx((0.5, 0.0, 1.0))
