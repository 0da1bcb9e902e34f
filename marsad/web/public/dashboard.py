"""The public dashboard's numbers: verified cases by month, type, platform and outcome, as bars
ready for the page, and the latest published summaries. They are computed and rendered once a
minute per language (Django's cache), so the busiest public page costs one cache read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi

from marsad.web.cases.stats import Row, public_stats
from marsad.web.public.published import PublishedCase, latest

CACHE_SECONDS = 60
LATEST_ON_DASHBOARD = 5


@dataclass(frozen=True, slots=True)
class Bar:
    key: str
    label: str
    count: int
    width: str  # share of the largest count, in percent, as SVG wants it ("0" to "100")
    rest: str  # 100 - width: where a right-to-left bar starts
    month: date | None = None


@dataclass(frozen=True, slots=True)
class Dashboard:
    total: int
    by_month: list[Bar] = field(default_factory=list)
    by_type: list[Bar] = field(default_factory=list)
    by_platform: list[Bar] = field(default_factory=list)
    by_outcome: list[Bar] = field(default_factory=list)
    latest: list[PublishedCase] = field(default_factory=list)


def _month(key: str) -> date:
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def bars(rows: list[Row], months: bool = False) -> list[Bar]:
    """Rows as bars scaled to the largest count (the largest bar is full width)."""
    top = max((row.count for row in rows), default=0) or 1
    result = []
    for row in rows:
        width = round(100 * row.count / top, 1)
        result.append(
            Bar(
                key=row.key,
                label=row.label,
                count=row.count,
                width=f"{width:g}",
                rest=f"{100 - width:g}",
                month=_month(row.key) if months else None,
            )
        )
    return result


def build(lang: str) -> Dashboard:
    stats = public_stats(lang)
    return Dashboard(
        total=stats.total,
        by_month=bars(stats.by_month, months=True),
        by_type=bars(stats.by_type),
        by_platform=bars(stats.by_platform),
        by_outcome=bars(stats.by_outcome),
        latest=latest(lang, LATEST_ON_DASHBOARD),
    )


def cache_key(lang: str) -> str:
    return f"marsad:public:dashboard:{lang}"


def render_numbers(lang: str) -> SafeString:
    context = {
        "data": build(lang),
        "lang_code": lang,
        "text_dir": "rtl" if get_language_bidi() else "ltr",
    }
    return mark_safe(render_to_string("public/dashboard_numbers.html", context))


def numbers_html(lang: str) -> SafeString:
    """The dashboard's numbers as HTML for `lang` (call inside that language), from the cache
    when they are less than a minute old."""
    found: str | None = cache.get(cache_key(lang))
    if found is None:
        found = render_numbers(lang)
        cache.set(cache_key(lang), found, CACHE_SECONDS)
    return mark_safe(found)
