"""Auto-detection picks the right reader for every fixture of every registered format."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.ingest.registry import detect_format
from marsad.ingest.sources import iter_sources, read_sample
from tests.ingest.test_robustness import CASES

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_cases() -> list[tuple[str, Path]]:
    return [
        (key, path)
        for key, (folder, _names) in CASES.items()
        for path in sorted((FIXTURES / folder).iterdir())
        if not path.name.startswith("bad_")
    ]


@pytest.mark.parametrize(("key", "path"), fixture_cases(), ids=lambda v: getattr(v, "name", v))
def test_every_fixture_is_detected_as_its_own_format(key: str, path: Path) -> None:
    for source in iter_sources([path]):
        assert not hasattr(source, "reason"), source
        fmt = detect_format(read_sample(source), {})  # type: ignore[arg-type]
        assert fmt is not None, f"{path.name}: no format recognised it"
        assert fmt.key == key, f"{path.name}: detected as {fmt.key}, expected {key}"
