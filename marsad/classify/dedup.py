"""The test-overlap filter: no training or dev row may also be a test row, in any dataset.

Rows are matched on the letters-only key of the data README (`../shared/data/README.md`):
remove URLs and @mentions, then keep only the letters of any script, lower-cased; digits,
punctuation, emoji, marks (niqqud, harakat) and spaces all go. A plainer match misses most
overlaps: OffensiveHebrew's split CSVs had their @mentions stripped, so only the letters-only
key finds its 500 test rows inside `AllData_OffensiveHebrew.xlsx`.

A text with no letters at all (emoji, digits or a bare link) has the empty key; it matches
nothing, since it says nothing a model could learn the test answer from.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from marsad.classify.base import Example

__all__ = ["OverlapReport", "drop_test_overlap", "letters_key"]

_URL_RE = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)
_MENTION_RE = re.compile(r"@\w+")


def letters_key(text: str) -> str:
    """The README's letters-only key: URLs and @mentions removed, then letters only, lower."""
    text = _MENTION_RE.sub("", _URL_RE.sub("", text))
    return "".join(filter(str.isalpha, text)).lower()


@dataclass(frozen=True, slots=True)
class OverlapReport:
    """What the filter dropped, and which test files overlap which other files.

    - `dropped`: (dataset, file) -> train/dev rows dropped from that file;
    - `kept`: (dataset, file) -> train/dev rows kept from that file;
    - `test_keys`: test file -> its distinct non-empty keys;
    - `overlaps`: (test file, other file) -> distinct test keys of the first found among the
      train/dev rows of the second (the figures the data README quotes).
    """

    dropped: dict[tuple[str, str], int] = field(default_factory=dict)
    kept: dict[tuple[str, str], int] = field(default_factory=dict)
    test_keys: dict[str, int] = field(default_factory=dict)
    overlaps: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def total_dropped(self) -> int:
        return sum(self.dropped.values())

    def lines(self) -> list[str]:
        """One readable line per file that lost rows, for logs and the CLI."""
        return [
            f"{dataset}: {file}: dropped {n:,} of {n + self.kept.get((dataset, file), 0):,}"
            " train/dev rows that occur in a test split"
            for (dataset, file), n in sorted(self.dropped.items())
            if n
        ]


def drop_test_overlap(examples: Iterable[Example]) -> tuple[list[Example], OverlapReport]:
    """Every test example, and every train/dev example whose key is no test example's key.

    Test examples of every dataset count: a training row of one dataset that is a test row
    of another is dropped too. The order of the examples is kept.
    """
    examples = list(examples)
    tests = _test_keys(examples)
    all_test_keys = set().union(*tests.values()) if tests else set()
    kept: list[Example] = []
    dropped: Counter[tuple[str, str]] = Counter()
    kept_counts: Counter[tuple[str, str]] = Counter()
    other_keys: dict[str, set[str]] = defaultdict(set)
    for example in examples:
        if example.split == "test":
            kept.append(example)
            continue
        key = letters_key(example.text)
        other_keys[example.file].add(key)
        if key and key in all_test_keys:
            dropped[(example.dataset, example.file)] += 1
        else:
            kept_counts[(example.dataset, example.file)] += 1
            kept.append(example)
    return kept, _report(dropped, kept_counts, tests, other_keys)


def _test_keys(examples: Sequence[Example]) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = defaultdict(set)
    for example in examples:
        if example.split == "test":
            key = letters_key(example.text)
            if key:
                keys[example.file].add(key)
    return dict(keys)


def _report(
    dropped: Counter[tuple[str, str]],
    kept: Counter[tuple[str, str]],
    tests: dict[str, set[str]],
    others: dict[str, set[str]],
) -> OverlapReport:
    files = sorted(set(dropped) | set(kept))
    overlaps = {
        (test_file, other_file): len(test_keys & others[other_file])
        for test_file, test_keys in sorted(tests.items())
        for other_file in sorted(others)
        if test_keys & others[other_file]
    }
    return OverlapReport(
        dropped={f: dropped[f] for f in files},
        kept={f: kept[f] for f in files},
        test_keys={file: len(keys) for file, keys in sorted(tests.items())},
        overlaps=overlaps,
    )
