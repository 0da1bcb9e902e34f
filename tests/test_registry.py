"""The helpers every registry shares (marsad/registry.py)."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from marsad import registry
from marsad.registry import import_spec, spec_of, with_plugins

BUILT_IN = {"a.v1": "json:dumps", "b.v1": "json:loads"}


def test_entry_points_add_keys_after_the_built_ins_and_replace_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    points = [EntryPoint("c.v1", "csv:reader", "g"), EntryPoint("a.v1", "elsewhere:Other", "g")]
    monkeypatch.setattr(registry, "entry_points", lambda group: points if group == "g" else [])
    assert with_plugins(BUILT_IN, "g") == {**BUILT_IN, "c.v1": "csv:reader"}
    assert list(with_plugins(BUILT_IN, "g")) == ["a.v1", "b.v1", "c.v1"]
    assert with_plugins(BUILT_IN, "other") == BUILT_IN


def test_an_unknown_key_is_refused_naming_the_known_ones() -> None:
    assert spec_of(BUILT_IN, "b.v1", "thing", "things") == "json:loads"
    with pytest.raises(KeyError, match=r"unknown thing 'z.v1'; known things: a.v1, b.v1"):
        spec_of(BUILT_IN, "z.v1", "thing", "things")


def test_a_spec_imports_what_it_names_or_says_why_not() -> None:
    import json

    assert import_spec("json:dumps") is json.dumps
    with pytest.raises(ModuleNotFoundError):
        import_spec("no_such_module_xyz:Thing")
    with pytest.raises(AttributeError):
        import_spec("json:NoSuchThing")
