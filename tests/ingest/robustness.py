"""The robustness contract every import format's tests apply: any bytes, or a fixture with
bytes cut and replaced, give Items and Rejects only; map_item fails only with the errors the
pipeline reports as rejects; and whatever maps becomes a valid Arrow row."""

from __future__ import annotations

from marsad.ingest.base import Context, Format, Reject
from tests.ingest.helpers import COLLECTED, assert_maps_or_raises_record_error, memory_source


def check_robust(fmt: Format, data: bytes, name: str) -> None:
    context = Context(name, COLLECTED, None, {})
    for entry in fmt.read(memory_source(data, name), context):
        if isinstance(entry, Reject):
            assert entry.file == name
            continue
        assert_maps_or_raises_record_error(fmt, entry, context)


def mutate(data: bytes, cuts: list[tuple[int, bytes]]) -> bytes:
    """`data` with each (position, replacement) written over it, positions wrapping around."""
    mutated = bytearray(data)
    for at, replacement in cuts:
        at %= len(mutated) + 1
        mutated[at : at + len(replacement)] = replacement
    return bytes(mutated)
