from __future__ import annotations

from pathlib import Path

import pytest

from marsad.warehouse import Warehouse


@pytest.fixture
def wh(tmp_path: Path) -> Warehouse:
    """An empty warehouse in a temporary folder."""
    return Warehouse.create(tmp_path / "warehouse")
