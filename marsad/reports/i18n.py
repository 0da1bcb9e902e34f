"""The report languages: text catalogues, writing direction, numbers and dates.

Report text lives in one TOML catalogue per language (`marsad/reports/text/<lang>.toml`),
nested tables flattened to dotted keys (`[caption] monthly = "..."` -> `caption.monthly`), with
`{name}` placeholders. Numbers use Western digits in every language; in Arabic and Hebrew a
left-to-right mark goes before each number so that a sign (`-3.2%`, `+12%`) stays on the side
where a reader expects it.
"""

from __future__ import annotations

import string
import tomllib
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

from marsad.analyze.base import Period

Lang = Literal["en", "ar", "he"]
LANGS: tuple[Lang, ...] = get_args(Lang)
RTL_LANGS = frozenset({"ar", "he"})
LRM = "\u200e"


class TextError(KeyError):
    """A report text is missing from a catalogue, or a placeholder has no value."""

    def __str__(self) -> str:
        return str(self.args[0])


def check_lang(lang: str) -> Lang:
    if lang not in LANGS:
        raise ValueError(f"unknown report language {lang!r}; known: {', '.join(LANGS)}")
    return lang


def direction(lang: str) -> str:
    return "rtl" if lang in RTL_LANGS else "ltr"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every text of `lang`'s catalogue, by dotted key."""
    source = resources.files("marsad.reports") / "text" / f"{check_lang(lang)}.toml"
    return _flatten(tomllib.loads(source.read_text(encoding="utf-8")))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def text(lang: str, key: str, **fields: object) -> str:
    """The text `key` in `lang` with its `{placeholders}` filled in."""
    texts = catalogue(lang)
    if key not in texts:
        raise TextError(f"marsad/reports/text/{lang}.toml: no text {key!r}")
    try:
        return texts[key].format(**fields)
    except KeyError as error:
        raise TextError(
            f"marsad/reports/text/{lang}.toml: text {key!r} needs a value for {error}"
        ) from None


def has_text(lang: str, key: str) -> bool:
    return key in catalogue(lang)


@cache
def case_terms() -> dict[tuple[str, str], dict[str, str]]:
    """(kind, key) -> {lang: name} of the case taxonomy (platforms, violation types,
    perpetrators, affected parties), the same names the web app seeds."""
    from marsad.web.cases.taxonomy import seed_terms

    return {
        (kind, key): {"en": en, "ar": ar, "he": he}
        for kind, terms in seed_terms().items()
        for key, en, ar, he in terms
    }


def term(lang: str, kind: str, key: str | None) -> str:
    """The name of a term (`label`, `lang`, `platform`, `violation_type`, `outcome`, ...) in
    `lang`: from the report catalogue, else from the case taxonomy, else the key itself; the
    "unknown" text for none."""
    if key is None or key == "":
        return text(lang, "term.unknown")
    name = f"{kind}.{key}"
    if has_text(lang, name):
        return text(lang, name)
    return case_terms().get((kind, str(key)), {}).get(lang, str(key))


def isolate(text: str) -> str:
    """`text` in its own direction, set by its first letter (a hashtag in Arabic reads right
    to left inside an English sentence, as the platforms show it)."""
    return f"\u2068{text}\u2069"


def _mark(lang: str, formatted: str) -> str:
    return LRM + formatted if lang in RTL_LANGS else formatted


def fmt_int(lang: str, value: float | None) -> str:
    """A count with thousands separators: 12,345."""
    if value is None:
        return "–"
    return _mark(lang, f"{round(value):,}")


def fmt_pct(lang: str, share: float | None, digits: int = 1, signed: bool = False) -> str:
    """A share 0.125 as 12.5%; `signed` writes +/- (for changes)."""
    if share is None:
        return "–"
    sign = "+" if signed else ""
    return _mark(lang, f"{share * 100:{sign},.{digits}f}%")


def fmt_num(lang: str, value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    return _mark(lang, f"{value:,.{digits}f}")


def month_name(lang: str, month: int, short: bool = False) -> str:
    names = text(lang, "calendar.months_short" if short else "calendar.months").split(",")
    return names[month - 1].strip()


def fmt_date(lang: str, day: date) -> str:
    return text(
        lang, "calendar.date", day=day.day, month=month_name(lang, day.month), year=day.year
    )


def fmt_month(lang: str, first: date, short: bool = False) -> str:
    return text(lang, "calendar.month", month=month_name(lang, first.month, short), year=first.year)


def fmt_period(lang: str, period: Period) -> str:
    """The period in words: "2025", "March 2025", "1 March – 14 April 2025"."""
    start, last = period.start, date.fromordinal(period.end.toordinal() - 1)
    if (start.month, start.day, last.month, last.day) == (1, 1, 12, 31) and start.year == last.year:
        return str(start.year)
    whole_month = start.day == 1 and period.end.day == 1
    if whole_month and (start.year, start.month) == (last.year, last.month):
        return fmt_month(lang, start)
    if start == last:
        return fmt_date(lang, start)
    return text(lang, "calendar.range", start=fmt_date(lang, start), end=fmt_date(lang, last))
