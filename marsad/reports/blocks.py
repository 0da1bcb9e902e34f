"""Making table blocks from rows: each column says where its value is and how to show it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from marsad.reports import i18n
from marsad.reports.base import RenderContext, Table
from marsad.reports.tables import Row, as_date, to_arrow

NUMERIC = frozenset({"int", "pct", "signed_pct", "num", "score", "growth"})


@dataclass(frozen=True, slots=True)
class Column:
    """`name`: the row's field; `header`: the catalogue key of its heading (`col.<name>` when
    empty); `kind`: text, int, pct, signed_pct, growth (a change; none: new), hashtag, num (0.1),
    score (0.01), date, month, list or term:<kind>."""

    name: str
    kind: str = "text"
    header: str = ""


def plain(value: Any) -> Any:
    """A value as written to the CSV: lists joined with "; ", dates in ISO form."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def cell(ctx: RenderContext, kind: str, value: Any) -> str:
    """One value shown in the report's language."""
    if kind.startswith("term:"):
        return ctx.term(kind[5:], value)
    if kind == "hashtag":
        return i18n.isolate(str(value))
    if kind == "growth" and value is None:
        return ctx.t("format.new")
    if kind == "growth":
        kind = "signed_pct"
    if value is None:
        return "–"
    if kind == "int":
        return i18n.fmt_int(ctx.lang, float(value))
    if kind in ("pct", "signed_pct"):
        return i18n.fmt_pct(ctx.lang, float(value), signed=kind == "signed_pct")
    if kind in ("num", "score"):
        return i18n.fmt_num(ctx.lang, float(value), 1 if kind == "num" else 2)
    if kind in ("date", "month"):
        day = as_date(value)
        if day is None:
            return "–"
        return i18n.fmt_date(ctx.lang, day) if kind == "date" else i18n.fmt_month(ctx.lang, day)
    if kind == "list" and isinstance(value, (list, tuple)):
        return (
            "، ".join(map(str, value[:6])) if ctx.lang == "ar" else ", ".join(map(str, value[:6]))
        )
    return str(value)


def make_table(
    ctx: RenderContext,
    key: str,
    caption: str,
    rows: Sequence[Row],
    columns: Sequence[Column],
    source: str,
) -> Table:
    """A table block of `rows` showing `columns`; its CSV data holds the same columns, plain."""
    headers = tuple(ctx.t(c.header or f"col.{c.name}") for c in columns)
    shown = tuple(tuple(cell(ctx, c.kind, row.get(c.name)) for c in columns) for row in rows)
    data = to_arrow(
        [{c.name: plain(row.get(c.name)) for c in columns} for row in rows],
        [c.name for c in columns],
    )
    numeric = tuple(c.kind in NUMERIC for c in columns)
    return Table(key, caption, headers, shown, data, source, numeric)
