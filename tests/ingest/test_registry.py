"""The format registry: lookup, detection order, plugins, and the contract every format keeps."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from marsad.ingest import registry
from marsad.ingest.base import Context, Item, Reject, Sample, SourceFile
from marsad.ingest.registry import (
    FORMATS,
    FormatLoadError,
    all_formats,
    detect_format,
    get_format,
)
from marsad.ingest.sources import iter_sources, read_sample
from marsad.posts import POST_SCHEMA, Post, posts_to_table

FIXTURES = Path(__file__).parent / "fixtures"
FORMATS_DIR = Path(registry.__file__).parent / "formats"
COLLECTED = datetime(2025, 4, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_registry() -> Iterator[None]:
    registry.clear_cache()
    yield
    registry.clear_cache()


def fixture_dir(key: str) -> Path:
    """tests/ingest/fixtures/<the format's fixture folder> (a folder of formats may hold two
    formats, each with its own fixtures: test_robustness.CASES names the folder)."""
    from tests.ingest.test_robustness import CASES

    return FIXTURES / CASES[key][0]


def fixture_sources(key: str) -> list[SourceFile]:
    found = list(iter_sources([fixture_dir(key)]))
    assert found and all(isinstance(s, SourceFile) for s in found)
    return [s for s in found if isinstance(s, SourceFile)]


# --- lookup --------------------------------------------------------------------------------


def test_every_key_carries_a_version() -> None:
    keys = list(FORMATS)
    assert keys[0] == "x.v2" and keys[-1] == "tabular.v1"
    for key in FORMATS:
        assert key.rsplit(".", 1)[-1].startswith("v"), key


def test_get_format_loads_once_and_caches() -> None:
    fmt = get_format("x.v2")
    assert fmt.key == "x.v2"
    assert get_format("x.v2") is fmt


def test_an_unknown_key_raises_key_error_listing_known_keys() -> None:
    with pytest.raises(KeyError, match=r"unknown format 'x\.v9'.*x\.v2, .*tabular\.v1"):
        get_format("x.v9")


def test_all_formats_puts_the_generic_tabular_format_last() -> None:
    assert [f.key for f in all_formats()][-1] == "tabular.v1"


def test_a_forced_format_wins_over_detection() -> None:
    sample = Sample("p.json", (FIXTURES / "x_v2" / "search_recent_ar.json").read_bytes())
    fmt = detect_format(sample, {"format": "tabular.v1"})
    assert fmt is not None and fmt.key == "tabular.v1"


def test_forcing_an_unknown_format_raises_key_error() -> None:
    with pytest.raises(KeyError, match="known formats"):
        detect_format(Sample("a.csv", b"text\n"), {"format": "nope.v1"})


def test_nothing_is_detected_for_an_unknown_file() -> None:
    assert detect_format(Sample("photo.jpg", b"\xff\xd8\xff\xe0"), {}) is None


# (Detection of every fixture: tests/ingest/test_detection.py.)


# --- plugins ---------------------------------------------------------------------------------


class PluginFormat:
    key = "demo.v1"
    title = "Demo plugin format"
    platform = "demo"

    def sniff(self, sample: Sample) -> bool:
        return sample.name.endswith(".demo")

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]:
        yield Item(1, "demo")

    def map_item(self, item: Item, ctx: Context) -> Post:
        return Post("demo", "1", ctx.collected_at, text=str(item.raw))


def install_plugins(monkeypatch: pytest.MonkeyPatch, entries: dict[str, str]) -> None:
    module = types.ModuleType("marsad_demo_plugin")
    module.PluginFormat = PluginFormat  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "marsad_demo_plugin", module)
    points = [
        EntryPoint(name, value, registry.ENTRY_POINT_GROUP) for name, value in entries.items()
    ]

    def fake_entry_points(group: str) -> list[EntryPoint]:
        return points if group == registry.ENTRY_POINT_GROUP else []

    monkeypatch.setattr("marsad.registry.entry_points", fake_entry_points)
    registry.clear_cache()


def test_an_entry_point_adds_a_format_before_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugins(monkeypatch, {"demo.v1": "marsad_demo_plugin:PluginFormat"})
    keys = [f.key for f in all_formats()]
    assert keys[-2:] == ["demo.v1", "tabular.v1"] and keys[:-2] == list(FORMATS)[:-1]
    fmt = detect_format(Sample("a.demo", b""), {})
    assert fmt is not None and fmt.key == "demo.v1"


def test_an_entry_point_cannot_replace_a_built_in_format(monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugins(monkeypatch, {"x.v2": "marsad_demo_plugin:PluginFormat"})
    assert get_format("x.v2").title.startswith("X API v2")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("no_such_module_xyz:Thing", "could not be loaded"),
        ("marsad_demo_plugin:Missing", "could not be loaded"),
    ],
)
def test_a_broken_plugin_fails_with_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    install_plugins(monkeypatch, {"broken.v1": value})
    with pytest.raises(FormatLoadError, match=message):
        get_format("broken.v1")


def test_a_plugin_whose_key_differs_from_its_entry_name_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    install_plugins(monkeypatch, {"other.v1": "marsad_demo_plugin:PluginFormat"})
    with pytest.raises(FormatLoadError, match=r"calls itself 'demo\.v1'"):
        get_format("other.v1")


# --- the contract, for every registered format -------------------------------------------------


@pytest.mark.parametrize("key", FORMATS)
def test_format_declares_key_title_platform(key: str) -> None:
    fmt = get_format(key)
    assert fmt.key == key
    assert fmt.title and fmt.platform == fmt.platform.lower()


@pytest.mark.parametrize("key", FORMATS)
def test_format_folder_has_a_readme_and_fixtures(key: str) -> None:
    folder = FORMATS[key].split(":")[0].rsplit(".", 1)[-1]
    assert (FORMATS_DIR / folder / "README.md").is_file()
    assert fixture_sources(key)


@pytest.mark.parametrize("key", FORMATS)
def test_format_sniffs_its_own_fixtures(key: str) -> None:
    fmt = get_format(key)
    for source in fixture_sources(key):
        assert fmt.sniff(read_sample(source)), source.name


@pytest.mark.parametrize("key", FORMATS)
def test_format_reads_its_fixtures_into_valid_posts_with_the_schema(key: str) -> None:
    fmt = get_format(key)
    posts: list[Post] = []
    for source in fixture_sources(key):
        ctx = Context(source.name, COLLECTED, "contract", {})
        for entry in fmt.read(source, ctx):
            assert isinstance(entry, Item), entry
            post = fmt.map_item(entry, ctx)
            assert post.source is not None and post.source.file == source.name
            assert post.collected_at == COLLECTED
            posts.append(post)
    assert posts
    assert posts_to_table(posts).schema.equals(POST_SCHEMA)


@pytest.mark.parametrize("key", FORMATS)
def test_format_map_item_is_pure(key: str) -> None:
    fmt = get_format(key)
    for source in fixture_sources(key):
        ctx = Context(source.name, COLLECTED, None, {})
        items = [e for e in fmt.read(source, ctx) if isinstance(e, Item)]
        again = [e for e in fmt.read(source, ctx) if isinstance(e, Item)]
        assert [fmt.map_item(i, ctx) for i in items] == [fmt.map_item(i, ctx) for i in items]
        assert [fmt.map_item(i, ctx) for i in items] == [fmt.map_item(i, ctx) for i in again]
