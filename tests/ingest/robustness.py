"""The robustness contract every import format's tests apply: any bytes, or a fixture with
bytes cut and replaced, give Items and Rejects only; map_item fails only with the errors the
pipeline reports as rejects; and whatever maps becomes a valid Arrow row."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from marsad.ingest.base import Context, Format, Reject, SourceFile
from marsad.posts import PostError, posts_to_table

COLLECTED = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
MAP_ERRORS = (PostError, KeyError, TypeError, ValueError)


def memory_source(data: bytes, name: str) -> SourceFile:
    return SourceFile(name, lambda: io.BytesIO(data), len(data), COLLECTED)


def check_robust(fmt: Format, data: bytes, name: str) -> None:
    context = Context(name, COLLECTED, None, {})
    for entry in fmt.read(memory_source(data, name), context):
        if isinstance(entry, Reject):
            assert entry.file == name
            continue
        try:
            post = fmt.map_item(entry, context)
        except MAP_ERRORS:
            continue
        posts_to_table([post])


def mutate(data: bytes, cuts: list[tuple[int, bytes]]) -> bytes:
    """`data` with each (position, replacement) written over it, positions wrapping around."""
    mutated = bytearray(data)
    for at, replacement in cuts:
        at %= len(mutated) + 1
        mutated[at : at + len(replacement)] = replacement
    return bytes(mutated)
