"""Fixtures shared by the import tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.config import Settings, load_settings
from marsad.project import init_project


@pytest.fixture()
def project(tmp_path: Path) -> Settings:
    """The settings of a fresh project under tmp_path."""
    init_project(tmp_path / "project")
    return load_settings(tmp_path / "project", environ={})
