"""Shared helpers of the collector tests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson

from marsad.collect.store import CollectionStore
from marsad.config import Settings
from tests.collect.fakeapi import T0


def hours(n: int) -> Any:
    return T0 + timedelta(hours=n)


def store(project: Settings, name: str) -> CollectionStore:
    return CollectionStore(project.project_dir / "collect" / name)


def saved(project: Settings, name: str) -> list[dict[str, Any]]:
    """Every line of the collection's saved pages, in page order."""
    pages = sorted(store(project, name).pages_dir.glob("*.jsonl"))
    return [orjson.loads(line) for page in pages for line in page.read_bytes().splitlines()]


def page_files(project: Settings, name: str) -> list[Path]:
    return sorted(store(project, name).pages_dir.glob("*.jsonl"))


def state(project: Settings, name: str) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(store(project, name).state_path.read_bytes())
    return data
