"""Fixtures of the classify tests: the stand-in classifier known to the model loader, and a
small model of it saved and loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.classify import loader
from marsad.classify.loader import LoadedModel, load_model
from tests.classify.labelling import save_model
from tests.classify.standin import registry_with_standin


@pytest.fixture(autouse=True)
def standin_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader knows the stand-in beside the real classifiers (it adds, replaces none)."""
    monkeypatch.setattr(loader, "registry", registry_with_standin)


@pytest.fixture()
def model(tmp_path: Path) -> LoadedModel:
    return load_model(str(save_model(tmp_path / "model")))
