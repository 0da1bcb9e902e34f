"""Typed access to parsed JSON: a value of the wrong type is a PostError naming the field.

Shared by every format that maps parsed JSON (API responses, JSON lines, exports). What is
specific to one platform (its id rules, its date formats) stays in the format's folder.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marsad.posts import PostError

MAX_COUNT = 2**63 - 1
_MAX_DIGITS = 19  # longer digit strings are no count (and int() of thousands of digits fails)

JsonObject = dict[str, Any]


def json_type(value: Any) -> str:
    """How a JSON value is named in reject reasons and errors."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    return names.get(type(value), "null" if value is None else "a number")


def as_id(value: Any, field: str) -> str | None:
    """An id as text: strings as they are, integers exactly (never through a float)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise PostError(f"{field}: {value!r} is not an id")


def as_str(value: Any, field: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise PostError(f"{field}: {value!r} is not text")


def as_object(value: Any, field: str) -> JsonObject:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise PostError(f"{field}: expected an object, found {json_type(value)}")


def as_list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise PostError(f"{field}: expected an array, found {json_type(value)}")


def as_count(value: Any, field: str) -> int | None:
    """A count given as a JSON integer (0 to 2**63 - 1); None when absent."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT:
        return value
    raise PostError(f"{field}: {value!r} is not a count")


def as_digits_count(value: Any, field: str) -> int | None:
    """A count given as a JSON integer or, as some APIs and exports do, a string of digits."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        if len(value) > _MAX_DIGITS:
            raise PostError(f"{field}: {value!r} is not a count")
        value = int(value)
    return as_count(value, field)


def as_iso_time(value: Any, field: str) -> datetime | None:
    """ISO 8601 ("2025-03-01T10:20:30.000Z") as UTC; a value without a zone is taken as UTC."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise PostError(f"{field}: {value!r} is not a date")
    try:
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise PostError(f"{field}: cannot parse {value!r}") from None
