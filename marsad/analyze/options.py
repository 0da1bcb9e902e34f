"""Reading an analysis's `--option NAME=VALUE` values: from the command line they are text,
from Python they may already be numbers; each reader checks and names the option when wrong."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marsad.analyze.base import AnalysisError, Params

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


def parse_options(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`["k=v", ...]` as a dict (a repeated name keeps its last value)."""
    options: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise AnalysisError(f"--option {pair!r}: expected NAME=VALUE")
        options[name.strip()] = value.strip()
    return options


def check_known(params: Params, known: Mapping[str, str], analysis: str) -> None:
    """AnalysisError naming the options this analysis does not know."""
    unknown = sorted(set(params.options) - set(known))
    if unknown:
        listed = ", ".join(known) or "none"
        raise AnalysisError(
            f"{analysis}: unknown option(s) {', '.join(unknown)}; its options: {listed}"
        )


def text(params: Params, name: str, default: str | None = None) -> str | None:
    value = params.options.get(name)
    return default if value is None or value == "" else str(value)


def integer(params: Params, name: str, default: int, minimum: int = 0) -> int:
    value: Any = params.options.get(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise AnalysisError(f"--option {name}={value}: not a whole number") from None
    if number < minimum:
        raise AnalysisError(f"--option {name}={value}: must be at least {minimum}")
    return number


def number(params: Params, name: str, default: float, low: float, high: float) -> float:
    value: Any = params.options.get(name, default)
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise AnalysisError(f"--option {name}={value}: not a number") from None
    if not low <= result <= high:
        raise AnalysisError(f"--option {name}={value}: must be between {low:g} and {high:g}")
    return result


def flag(params: Params, name: str, default: bool = False) -> bool:
    value: Any = params.options.get(name, default)
    if isinstance(value, bool):
        return value
    if str(value).lower() in TRUE:
        return True
    if str(value).lower() in FALSE:
        return False
    raise AnalysisError(f"--option {name}={value}: expected true or false")


def words(params: Params, name: str) -> list[str]:
    """A comma-separated option (or a list given from Python) as a list of stripped words."""
    value: Any = params.options.get(name, "")
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]
