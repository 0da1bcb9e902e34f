"""The label mapping table (`marsad/classify/label_map.toml`) and the rule that applies it.

Each dataset maps the values of one or more label columns onto the taxonomy. A row takes the
label of highest `priority` among all its values (and all the parts of a multi-label cell);
its target is the first one its values give, else the one its `targets` column maps to, and
it is kept on hate and incitement rows only.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from marsad.classify.labels import LABELS, TARGETS

TABLE_PATH = Path(__file__).resolve().parent.parent / "label_map.toml"
TARGETED: frozenset[str] = frozenset({"incitement", "hate"})


class LabelError(ValueError):
    """A published label the table does not know; the message names where it was found."""


@dataclass(frozen=True, slots=True)
class Mapped:
    label: str
    target: str | None
    source_label: str


@dataclass(frozen=True, slots=True)
class Licence:
    name: str
    non_commercial: bool


@dataclass(frozen=True, slots=True)
class DatasetMap:
    """One dataset's part of the table."""

    key: str
    labels: dict[str, dict[str, tuple[str, str | None]]]  # column -> value -> (label, target)
    separators: dict[str, str]
    targets: dict[str, dict[str, str]]  # column -> published target -> taxonomy target
    licence: Licence
    priority: tuple[str, ...]

    def map_row(self, values: Mapping[str, str], where: str) -> Mapped:
        """The label, target and source label of a row's label `values` (column -> value).

        `where` ("dataset: file row N") goes into the error raised for an unknown value.
        """
        found: list[tuple[str, str | None]] = []
        for column, raw in values.items():
            if column in self.labels:
                found.extend(self._lookup(column, part, where) for part in self._parts(column, raw))
        if not found:
            raise LabelError(f"{where}: no label in columns {', '.join(self.labels)}")
        label = min((lab for lab, _ in found), key=self.priority.index)
        target = next((t for _, t in found if t is not None), None) or self._target(values)
        source = "+".join(
            v.strip() for c, v in values.items() if v.strip() and c not in self.targets
        )
        return Mapped(label, target if label in TARGETED else None, source)

    def has_label(self, values: Mapping[str, str]) -> bool:
        """Whether any label column of the row has a value."""
        return any(values.get(column, "").strip() for column in self.labels)

    def _parts(self, column: str, raw: str) -> list[str]:
        separator = self.separators.get(column)
        parts = raw.split(separator) if separator else [raw]
        return [p.strip() for p in parts if p.strip()]

    def _lookup(self, column: str, value: str, where: str) -> tuple[str, str | None]:
        table = self.labels[column]
        entry = table.get(value.casefold())
        if entry is None:
            raise LabelError(
                f"{where}: unknown {column} label {value!r} for dataset {self.key!r};"
                f" known: {', '.join(sorted(table))} (add it to {TABLE_PATH.name})"
            )
        return entry

    def _target(self, values: Mapping[str, str]) -> str | None:
        for column, table in self.targets.items():
            value = values.get(column, "").strip().casefold()
            if value in table:
                return table[value]
        return None


def parse_entry(text: str, where: str) -> tuple[str, str | None]:
    """ "hate/religious" -> ("hate", "religious"); checked against the taxonomy."""
    label, _, target = text.partition("/")
    if label not in LABELS or (target and target not in TARGETS):
        raise ValueError(f"{TABLE_PATH.name}: {where}: {text!r} is not a taxonomy label")
    return label, target or None


@cache
def table() -> dict[str, Any]:
    """The parsed TOML file."""
    with TABLE_PATH.open("rb") as handle:
        return tomllib.load(handle)


@cache
def dataset_map(key: str) -> DatasetMap:
    """The table's part for the dataset `key`; KeyError when it has none."""
    data = table()
    if key not in data or not isinstance(data[key], dict):
        raise KeyError(f"{TABLE_PATH.name} has no section [{key}]")
    section: dict[str, Any] = data[key]
    return DatasetMap(
        key=key,
        labels={col: _column(key, col, values) for col, values in section["labels"].items()},
        separators=dict(section.get("separators", {})),
        targets={col: _targets(key, col, t) for col, t in section.get("targets", {}).items()},
        licence=Licence(
            str(section["licence"]["name"]), bool(section["licence"]["non_commercial"])
        ),
        priority=tuple(data["priority"]),
    )


def _column(key: str, column: str, values: dict[str, str]) -> dict[str, tuple[str, str | None]]:
    return {
        str(v).casefold(): parse_entry(text, f"{key}.{column}.{v}") for v, text in values.items()
    }


def _targets(key: str, column: str, values: dict[str, str]) -> dict[str, str]:
    for value, target in values.items():
        if target not in TARGETS:
            raise ValueError(f"{TABLE_PATH.name}: {key}.targets.{column}.{value}: {target!r}")
    return {str(v).casefold(): t for v, t in values.items()}


def label_rows() -> list[tuple[str, str, str, str, str]]:
    """The label part of the table as (dataset, column, published value, label, target or "")
    rows, in file order."""
    return [
        (key, column, value, *_split(text))
        for key, section in _sections()
        for column, values in section["labels"].items()
        for value, text in values.items()
    ]


def target_rows() -> list[tuple[str, str, str, str]]:
    """The target columns as (dataset, column, published target, target) rows, in file order."""
    return [
        (key, column, value, target)
        for key, section in _sections()
        for column, values in section.get("targets", {}).items()
        for value, target in values.items()
    ]


def licences() -> dict[str, Licence]:
    """Every dataset's licence, by dataset key."""
    return {key: dataset_map(key).licence for key, _ in _sections()}


def _sections() -> list[tuple[str, dict[str, Any]]]:
    return [(key, section) for key, section in table().items() if isinstance(section, dict)]


def _split(text: str) -> tuple[str, str]:
    label, _, target = text.partition("/")
    return label, target
