"""What every registry shares: a key maps to "module:Name", imported only when it is used, and
outside packages add entries through an entry-point group (a built-in key is never replaced)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import Any


def with_plugins(builtin: Mapping[str, str], group: str) -> dict[str, str]:
    """`builtin`, then every entry point of `group` whose name is not built in."""
    specs = dict(builtin)
    for entry in entry_points(group=group):
        specs.setdefault(entry.name, entry.value)
    return specs


def spec_of(specs: Mapping[str, str], key: str, kind: str, kinds: str) -> str:
    """The spec of `key`; KeyError naming the known keys ("unknown {kind}; known {kinds}")."""
    if key not in specs:
        raise KeyError(f"unknown {kind} {key!r}; known {kinds}: {', '.join(specs)}")
    return specs[key]


def import_spec(spec: str) -> Any:
    """The object a "module:Name" spec names (ImportError or AttributeError when it is not)."""
    module_name, _, name = spec.partition(":")
    return getattr(importlib.import_module(module_name), name)
