"""The contract every import format follows.

A format is a small class registered in `marsad.ingest.registry.FORMATS`:
- `sniff(sample)` says, from the first bytes of a file and its name, whether it is this format;
- `read(source, ctx)` streams the file and yields one `Item` per record, or a `Reject` naming
  the record and the reason when a record cannot even be parsed;
- `map_item(item, ctx)` is pure: it turns one parsed record into a `Post` and raises
  `PostError` (or KeyError/TypeError/ValueError, which the pipeline reports the same way)
  when the record is unusable.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Protocol

from marsad.posts import Post

SAMPLE_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file to import, possibly inside a .zip or behind .gz (already unwrapped).

    `name` is what messages show ("exports/x.zip!pages/1.json"); `opener` returns a fresh
    binary stream of the (decompressed) content each time it is called.
    """

    name: str
    opener: Any  # Callable[[], IO[bytes]]; Any keeps frozen dataclasses simple for mypy
    size: int  # bytes on disk (compressed size for .gz / zip members), for progress
    mtime: datetime  # modification time, timezone-aware UTC
    path: Path | None = None  # the plain file on disk, when it is one (it can then be split)

    def open(self) -> IO[bytes]:
        stream: IO[bytes] = self.opener()
        return stream


@dataclass(frozen=True, slots=True)
class Sample:
    """The first SAMPLE_BYTES of a file (decompressed) and its name, for sniffing."""

    name: str
    head: bytes


@dataclass(frozen=True, slots=True)
class Context:
    """What map_item may know besides the record itself."""

    file: str
    collected_at: datetime
    dataset: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Item:
    """One parsed record. `record` is its line number in line-based files, else its 1-based
    position in the file; `raw` is whatever map_item of the same format expects."""

    record: int
    raw: Any


@dataclass(frozen=True, slots=True)
class Reject:
    """A record that was not imported: where it is and why."""

    file: str
    record: int | None
    reason: str
    excerpt: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "record": self.record,
            "reason": self.reason,
            "excerpt": self.excerpt,
        }


class Format(Protocol):
    key: str  # registry key with a version, e.g. "x.v2"
    title: str  # human name, e.g. "X API v2 responses (JSON / JSONL)"
    platform: str  # platform value of the posts it makes ("x", "telegram", ... or "other")

    def sniff(self, sample: Sample) -> bool: ...

    def read(self, source: SourceFile, ctx: Context) -> Iterator[Item | Reject]: ...

    def map_item(self, item: Item, ctx: Context) -> Post: ...

    def splittable(self, source: SourceFile) -> bool:
        """True when the file holds one record per line and no state carries from one line
        to the next, so that parts of it may be read in parallel (each part starting at a
        line); its record numbers must then be line numbers."""
        ...


def excerpt(value: bytes | str, limit: int = 200) -> str:
    """A short printable excerpt of a bad record for the rejects file."""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    text = text.replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"
