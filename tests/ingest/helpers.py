"""Shared helpers of the import-format tests: a bench that reads sources through one format the
way the pipeline does, the fixture items the property tests mutate, and their JSON values."""

from __future__ import annotations

import dataclasses
import gzip
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from hypothesis import strategies as st

from marsad.ingest.base import Context, Format, Item, Reject, SourceFile
from marsad.ingest.sources import iter_sources
from marsad.posts import Post, PostError, posts_to_table

COLLECTED = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
DATASET = "test-set"
MAP_ERRORS = (PostError, KeyError, TypeError, ValueError)
"""The errors map_item may raise for a bad record: the pipeline reports them as rejects."""


def json_values(*, floats: bool = True) -> st.SearchStrategy[Any]:
    """Small nested JSON-like values (None, bools, numbers, strings, lists, objects)."""
    number = [st.floats()] if floats else []
    return st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), *number, st.text(max_size=10)),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=8,
    )


JSON_VALUES = json_values()


def file_source(path: Path) -> SourceFile:
    """The one source `iter_sources` finds for a plain file."""
    (source,) = iter_sources([path])
    assert isinstance(source, SourceFile), source
    return source


def memory_source(data: bytes, name: str, collected: datetime = COLLECTED) -> SourceFile:
    """A source named `name` whose content is `data`."""
    return SourceFile(name, lambda: io.BytesIO(data), len(data), collected)


def posts_by_id(posts: Iterable[Post]) -> dict[str, Post]:
    """The posts keyed by their post id."""
    return {p.post_id: p for p in posts}


def raw_of(post: Post) -> dict[str, Any]:
    """The record a post was mapped from, as kept in its `raw`."""
    value = orjson.loads(post.raw or "")
    assert isinstance(value, dict)
    return value


def without_raw(post: Post) -> Post:
    """The post with its `raw` left out, to compare the mapped fields apart from it."""
    return dataclasses.replace(post, raw=None)


def assert_maps_or_raises_record_error(fmt: Format, item: Item, context: Context) -> None:
    """`item` maps to a post that makes a valid Arrow row, or fails with a record error."""
    try:
        post = fmt.map_item(item, context)
    except MAP_ERRORS:
        return
    posts_to_table([post])


@dataclass(frozen=True)
class Bench:
    """One format under test and the context its tests read in.

    `map_errors_as_rejects` makes `read_all` turn record errors of map_item into rejects, as
    the pipeline does; without it they propagate and fail the test.
    """

    fmt: Format
    collected: datetime = COLLECTED
    dataset: str | None = DATASET
    name: str = "f.jsonl"
    fixtures: Path = field(default_factory=Path)
    map_errors_as_rejects: bool = False

    def using(self, fmt: Format) -> Bench:
        """The same bench for another format."""
        return dataclasses.replace(self, fmt=fmt)

    def ctx(self, name: str | None = None, options: Mapping[str, str] | None = None) -> Context:
        """The context a file `name` (the bench's default name if None) is read in."""
        return Context(name or self.name, self.collected, self.dataset, dict(options or {}))

    def memory_source(self, data: bytes, name: str | None = None) -> SourceFile:
        """A source `name` (the bench's default name if None) whose content is `data`."""
        return memory_source(data, name or self.name, self.collected)

    def read_all(
        self, source: SourceFile, options: Mapping[str, str] | None = None
    ) -> tuple[list[Post], list[Reject]]:
        """Every post and reject the format makes of `source`."""
        context = self.ctx(source.name, options)
        posts: list[Post] = []
        rejects: list[Reject] = []
        for entry in self.fmt.read(source, context):
            if isinstance(entry, Reject):
                rejects.append(entry)
            elif self.map_errors_as_rejects:
                try:
                    posts.append(self.fmt.map_item(entry, context))
                except MAP_ERRORS as exc:
                    rejects.append(Reject(source.name, entry.record, str(exc)))
            else:
                posts.append(self.fmt.map_item(entry, context))
        return posts, rejects

    def fixture_list(
        self, name: str | Path, options: Mapping[str, str] | None = None
    ) -> list[Post]:
        """The posts of a fixture (a name in the bench's folder, or a path), which has no
        rejects."""
        posts, rejects = self.read_all(file_source(self.fixtures / name), options)
        assert rejects == []
        return posts

    def fixture_posts(self, name: str | Path) -> dict[str, Post]:
        """The posts of a fixture without rejects, keyed by post id."""
        return posts_by_id(self.fixture_list(name))

    def read_all_as(self, fmt: Format, source: SourceFile) -> tuple[list[Post], list[Reject]]:
        """`read_all` through another format, for the tests of a family of formats."""
        return self.using(fmt).read_all(source)

    def fixture_posts_as(self, fmt: Format, name: str | Path) -> dict[str, Post]:
        """`fixture_posts` through another format, for the tests of a family of formats."""
        return self.using(fmt).fixture_posts(name)

    def assert_a_cut_document_is_one_reject(self, data: bytes, reason: str) -> Reject:
        """The first half of a JSON document gives no posts and one reject, which it returns,
        naming a line past the first, with `reason` in its reason."""
        posts, rejects = self.read_all(self.memory_source(data[: len(data) // 2], "cut.json"))
        assert posts == []
        (reject,) = rejects
        assert reject.file == "cut.json"
        assert reject.record is not None and reject.record > 1
        assert reason in reject.reason
        return reject

    def assert_a_cut_gz_keeps_the_lines_before_the_cut(
        self, line: bytes, copies: int, folder: Path
    ) -> None:
        """`copies` of a JSON line, gzipped and cut in half: the lines before the cut are read
        and the rest of the file is a reject."""
        compressed = gzip.compress(line * copies)
        path = folder / "cut.jsonl.gz"
        path.write_bytes(compressed[: len(compressed) // 2])
        posts, rejects = self.read_all(file_source(path))
        assert len(posts) > 100
        assert rejects and "cannot read the rest of the file" in rejects[-1].reason

    def items(self, *paths: Path, name: str | None = None) -> list[Item]:
        """The items the format reads from the files (every file of a folder, sorted), each
        read in the context of `name`."""
        files = [f for p in paths for f in (sorted(p.iterdir()) if p.is_dir() else [p])]
        return [
            entry
            for f in files
            for entry in self.fmt.read(file_source(f), self.ctx(name))
            if isinstance(entry, Item)
        ]

    def map_raw(
        self, raw: Any, name: str | None = None, options: Mapping[str, str] | None = None
    ) -> Post:
        """The post of one record read as record 1."""
        return self.fmt.map_item(Item(1, raw), self.ctx(name, options))
