"""A broken record costs only itself: in every line-based fixture of every format, one line
replaced by junk leaves the posts of every other line exactly as they were, and the broken
line is reported, never raised."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.ingest.base import Context, Format, Reject
from marsad.ingest.registry import get_format
from tests.ingest import robustness
from tests.ingest.test_robustness import CASES

FIXTURES = Path(__file__).parent / "fixtures"
Posts = dict[int, list[tuple[str, str, str | None]]]


def line_fixtures() -> list[tuple[str, Path]]:
    """(key, fixture) for every fixture its format reads one record per line."""
    found = []
    for key, (folder, _) in CASES.items():
        fmt = get_format(key)
        for path in sorted((FIXTURES / folder).iterdir()):
            source = robustness.memory_source(path.read_bytes(), path.name)
            if path.suffix != ".zst" and fmt.splittable(source):
                found.append((key, path))
    return found


def posts_by_line(fmt: Format, data: bytes, name: str) -> tuple[Posts, list[Reject]]:
    context = Context(name, robustness.COLLECTED, None, {})
    posts: Posts = defaultdict(list)
    rejects: list[Reject] = []
    for entry in fmt.read(robustness.memory_source(data, name), context):
        if isinstance(entry, Reject):
            rejects.append(entry)
            continue
        try:
            post = fmt.map_item(entry, context)
        except robustness.MAP_ERRORS:
            rejects.append(Reject(name, entry.record, "map"))
            continue
        posts[entry.record].append((post.platform, post.post_id, post.text))
    return dict(posts), rejects


LINE_FIXTURES = line_fixtures()


def test_most_formats_have_a_line_based_fixture() -> None:
    assert len({key for key, _ in LINE_FIXTURES}) >= 10


@pytest.mark.parametrize(("key", "path"), LINE_FIXTURES, ids=lambda v: getattr(v, "name", v))
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    pick=st.integers(0, 10_000),
    junk=st.binary(max_size=60).map(lambda b: b.replace(b"\n", b" ").replace(b"\r", b" ")),
)
def test_one_broken_line_costs_only_its_own_posts(
    key: str, path: Path, pick: int, junk: bytes
) -> None:
    fmt = get_format(key)
    data = path.read_bytes()
    lines = data.split(b"\n")
    broken = pick % len(lines)
    if not lines[broken].strip():
        return
    lines[broken] = junk
    before, _ = posts_by_line(fmt, data, path.name)
    after, rejects = posts_by_line(fmt, b"\n".join(lines), path.name)
    line = broken + 1
    assert {r: p for r, p in after.items() if r != line} == {
        r: p for r, p in before.items() if r != line
    }
    if line in before and line not in after and junk.removeprefix(b"\xef\xbb\xbf").strip():
        assert any(reject.record == line for reject in rejects), "the broken line is reported"
