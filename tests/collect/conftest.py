from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from marsad.collect.http import RetryPolicy, make_client
from marsad.config import Settings, load_settings
from marsad.project import init_project


class Sleeps(list[float]):
    """An injected sleep: records the waits asked for, waits for none."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture()
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture()
def project(tmp_path: Path) -> Settings:
    init_project(tmp_path / "project")
    return load_settings(tmp_path / "project", environ={})


@pytest.fixture()
def client() -> Iterator[httpx.Client]:
    with make_client(timeout=5.0) as http_client:
        yield http_client


NO_JITTER = RetryPolicy(jitter=0.0)
