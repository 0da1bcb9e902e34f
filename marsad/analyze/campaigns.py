"""`campaigns`: the volume, reach and spread of campaigns over time, side by side.

A campaign is a name, hashtags and/or keywords, and optionally its own period. A post belongs
to it when one of its hashtags is one of the campaign's (case-folded, `#` optional) or its
normalised text contains one of the keywords (normalised the same way: case, Arabic and Hebrew
spelling variants). Given either inline,

    --option name=NAME --option hashtags=tag1,tag2 --option keywords="word one,word two"

or as a TOML file, `--option campaigns=FILE.toml`, of one or more campaigns:

    [[campaign]]
    name = "Olive harvest"
    hashtags = ["olive_harvest", "zaytoun"]
    keywords = ["olive harvest"]
    period = "2025-10..2025-11"      # optional: any --period form; intersected with --period

Per campaign and time bucket: `posts`, distinct `authors`, the sums of `views`, `likes` and
`shares` over the posts that report them (empty when none does), and the posts per language
and per platform (lists of name and posts, largest first). Several campaigns make one table
with a `campaign` column, for comparing them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyarrow as pa

from marsad.analyze import options
from marsad.analyze.base import (
    NO_LANGUAGE,
    AnalysisError,
    Context,
    Params,
    Period,
    parse_period,
    post_filter,
)
from marsad.analyze.buckets import bucket_sql, check, day_sql
from marsad.analyze.sql import rows
from marsad.text.normalize import normalize

COUNT = pa.struct([("name", pa.string()), ("posts", pa.int64())])
SCHEMA = pa.schema(
    [
        ("campaign", pa.string()),
        ("bucket", pa.date32()),
        ("posts", pa.int64()),
        ("authors", pa.int64()),
        ("views", pa.int64()),
        ("likes", pa.int64()),
        ("shares", pa.int64()),
        ("languages", pa.list_(COUNT)),
        ("platforms", pa.list_(COUNT)),
    ]
)
OPTIONS = {
    "campaigns": "TOML file of [[campaign]] tables (name, hashtags, keywords, period)",
    "name": "name of the one campaign given inline (default 'campaign')",
    "hashtags": "its hashtags, comma-separated",
    "keywords": "its keywords, comma-separated",
}


@dataclass(frozen=True, slots=True)
class Campaign:
    name: str
    hashtags: tuple[str, ...]
    keywords: tuple[str, ...]
    period: Period | None = None


def make_campaign(
    name: str, hashtags: list[str], keywords: list[str], period: str | None, where: str
) -> Campaign:
    tags = tuple(dict.fromkeys(t.strip().lstrip("#＃").lower() for t in hashtags if t.strip()))
    words = tuple(dict.fromkeys(normalize(k) for k in keywords if k.strip()))
    if not tags and not words:
        raise AnalysisError(f"{where}: campaign {name!r} has no hashtags and no keywords")
    try:
        span = parse_period(period) if period else None
    except AnalysisError as error:
        raise AnalysisError(f"{where}: campaign {name!r}: {error}") from None
    return Campaign(name, tags, words, span)


def read_campaigns(path: Path) -> list[Campaign]:
    """The campaigns of a TOML file; AnalysisError naming the file and the entry when wrong."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise AnalysisError(f"{path}: {error}") from None
    entries = document.get("campaign")
    if not isinstance(entries, list) or not entries:
        raise AnalysisError(f"{path}: no [[campaign]] table")
    return [_entry(entry, f"{path}: campaign {i + 1}") for i, entry in enumerate(entries)]


def _entry(entry: Any, where: str) -> Campaign:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise AnalysisError(f"{where}: needs a name")
    lists = {}
    for field in ("hashtags", "keywords"):
        value = entry.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AnalysisError(f"{where}: {field} must be a list of strings")
        lists[field] = value
    period = entry.get("period")
    if period is not None and not isinstance(period, str):
        raise AnalysisError(f'{where}: period must be a string such as "2025-03"')
    return make_campaign(entry["name"], lists["hashtags"], lists["keywords"], period, where)


def campaigns_of(params: Params) -> list[Campaign]:
    path = options.text(params, "campaigns")
    if path:
        return read_campaigns(Path(path).expanduser())
    name = options.text(params, "name", "campaign") or "campaign"
    tags, words = options.words(params, "hashtags"), options.words(params, "keywords")
    return [make_campaign(name, tags, words, None, "--option")]


def overlap(first: Period | None, second: Period | None) -> Period | None:
    if first is None or second is None:
        return first or second
    start, end = max(first.start, second.start), min(first.end, second.end)
    return Period(start, max(start, end), f"{first.label} & {second.label}")


def match_sql(campaign: Campaign) -> tuple[str, list[Any]]:
    conditions: list[str] = []
    args: list[Any] = []
    if campaign.hashtags:
        conditions.append(
            "len(list_intersect(list_transform(p.hashtags, lambda t: lower(t)), ?)) > 0"
        )
        args.append(list(campaign.hashtags))
    for word in campaign.keywords:
        conditions.append("contains(coalesce(p.text_norm, lower(p.text), ''), ?)")
        args.append(word)
    return "(" + " OR ".join(conditions) + ")", args


def campaign_sql(campaign: Campaign, params: Params) -> tuple[str, list[Any]]:
    where, args = post_filter(replace(params, period=overlap(params.period, campaign.period)))
    match, match_args = match_sql(campaign)
    bucket = bucket_sql(check(params.granularity), day_sql("p.created_at"))
    query = f"""
        SELECT {bucket} AS bucket, count(*) AS posts, count(DISTINCT p.author_id) AS authors,
               sum(p.metrics.views) AS views, sum(p.metrics.likes) AS likes,
               sum(p.metrics.shares) AS shares,
               histogram(coalesce(p.lang, '{NO_LANGUAGE}')) AS languages,
               histogram(p.platform) AS platforms
        FROM posts p
        WHERE p.created_at IS NOT NULL AND {where} AND {match}
        GROUP BY bucket ORDER BY bucket
    """
    return query, [*args, *match_args]


def _counts(histogram: Any) -> list[dict[str, Any]]:
    pairs = histogram.items() if isinstance(histogram, dict) else histogram
    return [
        {"name": name, "posts": int(n)} for name, n in sorted(pairs, key=lambda i: (-i[1], i[0]))
    ]


class CampaignsAnalysis:
    key = "campaigns"
    title = "Campaigns"
    description = (
        "Posts, authors, reach (views, likes, shares), languages and platforms of one or more "
        "campaigns (hashtags and keywords) over time."
    )
    columns: tuple[str, ...] = tuple(SCHEMA.names)
    option_help = OPTIONS

    def run(self, ctx: Context, params: Params) -> pa.Table:
        options.check_known(params, OPTIONS, self.key)
        table = []
        for campaign in campaigns_of(params):
            for row in rows(ctx.con, *campaign_sql(campaign, params)):
                row["languages"] = _counts(row["languages"])
                row["platforms"] = _counts(row["platforms"])
                table.append({"campaign": campaign.name, **row})
        return pa.Table.from_pylist(table, schema=SCHEMA)

    def chart(self, table: pa.Table, lang: str) -> str:
        from marsad.analyze.charts import line_chart

        data = table.to_pylist()
        buckets = sorted({str(r["bucket"]) for r in data})
        series: dict[str, list[float | int | None]] = {}
        for row in data:
            values = series.setdefault(row["campaign"], [0] * len(buckets))
            values[buckets.index(str(row["bucket"]))] = row["posts"]
        return line_chart(buckets, series, self.title, lang, y_label="posts")
