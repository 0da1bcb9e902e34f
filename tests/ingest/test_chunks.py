"""Splitting big line-based files into parts that workers read on their own."""

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.ingest import chunks
from marsad.ingest.base import Context, SourceFile
from marsad.ingest.sources import iter_sources

lines_strategy = st.lists(
    st.binary(max_size=120).map(lambda b: b.replace(b"\n", b"x")), max_size=60
)


def _split(path: Path, part: int) -> list[tuple[int, int, int]]:
    old_block = chunks._BLOCK
    chunks._BLOCK = 64  # small blocks, so parts and lines cross block edges
    try:
        return list(chunks.split_lines(path, part))
    finally:
        chunks._BLOCK = old_block


@settings(max_examples=150, deadline=None)
@given(lines=lines_strategy, final_newline=st.booleans(), part=st.integers(1, 400))
def test_parts_cover_the_file_and_start_on_lines(
    lines: list[bytes], final_newline: bool, part: int
) -> None:
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.jsonl"
        path.write_bytes(data)
        parts = _split(path, part)
    position = 0
    for start, end, first_line in parts:
        assert start == position
        assert first_line == data.count(b"\n", 0, start) + 1
        assert end == len(data) or data[end - 1 : end] == b"\n"
        assert end - start >= part or end == len(data)
        position = end
    assert position == len(data)


def test_a_part_reads_exactly_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_bytes(b"".join(b'{"n": %d}\n' % i for i in range(1000)))
    source = next(iter_sources([path]))
    assert isinstance(source, SourceFile)
    ctx = Context(source.name, source.mtime)
    planned = [
        chunks.Chunk(source, "x.v2", ctx, start, end, first)
        for start, end, first in chunks.split_lines(path, 1000)
    ]
    assert len(planned) > 5
    seen = []
    for chunk in planned:
        with chunk.opened_source().open() as stream:
            seen.extend(stream.read().splitlines())
    assert seen == path.read_bytes().splitlines()
    assert sum(c.size for c in planned) == path.stat().st_size


def test_small_or_unsplittable_files_stay_whole(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_bytes(b'{"n": 1}\n' * 10)
    source = next(iter_sources([path]))
    assert isinstance(source, SourceFile)
    ctx = Context("pages.jsonl", source.mtime)
    assert len(chunks.plan(source, "x.v2", ctx, splittable=True)) == 1
    big = SourceFile(source.name, source.opener, chunks.PART_BYTES * 3, source.mtime, path)
    assert len(chunks.plan(big, "x.v2", ctx, splittable=False)) == 1
