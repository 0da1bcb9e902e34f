"""What every source's streams share: the page a fetch returns and the stream contract.

A collection is read as one or more streams (a hashtag timeline, an account's feed, a
search, a channel). A stream is driven by its state, a small JSON-able dict kept in the
collection's checkpoint: `fetch(state)` returns the records of the next page and the state
after it, so a run that stops at any moment goes on from the last saved state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

Sleep = Callable[[float], None]
State = dict[str, Any]


class CollectError(RuntimeError):
    """A collection had to stop (what was saved before stays saved and is imported)."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """One fetched page: the JSONL lines to save (none when nothing in it is kept), the
    stream's state after it, and whether this run of the stream is over."""

    lines: list[bytes]
    state: State
    finished: bool = False


class Stream(Protocol):
    @property
    def key(self) -> str:
        """Unique within its collection, stable between runs (the checkpoint's key)."""
        ...

    def start(self, saved: Mapping[str, Any] | None) -> State | None:
        """The state to begin this run from (from the saved one), or None when the stream
        has nothing more to fetch (a closed period already collected)."""
        ...

    def fetch(self, state: State) -> Fetched:
        """The next page after `state`."""
        ...
