"""`accounts`: the most active accounts and the most flagged ones.

An account is a platform's `author_id` (posts without one are left out). For each: `posts`,
`classified` (with a label of the model version), `flagged` (labelled incitement, hate or
offensive), each harmful label's count, and the shares of classified posts. Two rankings, one
table: `ranking` = `active` (most posts; ties by flagged, then account) and `flagged` (most
flagged posts; ties by flagged share, then posts), each `--top` long; an account can be in
both.

Accounts are pseudonymised by default (`marsad.analyze.pseudonyms`: keyed with the project's
secret key). `--option reveal=true` shows the handle (else the id) as stored: for internal
work only, never for publication.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from marsad.analyze import options
from marsad.analyze.base import Context, Params, post_filter
from marsad.analyze.labels import LabelSource, choose_labels, labels_relation
from marsad.analyze.pseudonyms import Pseudonyms
from marsad.analyze.sql import rows
from marsad.classify.labels import HARMFUL

SCHEMA = pa.schema(
    [
        ("ranking", pa.string()),
        ("rank", pa.int64()),
        ("platform", pa.string()),
        ("account", pa.string()),
        ("posts", pa.int64()),
        ("classified", pa.int64()),
        ("flagged", pa.int64()),
        ("flagged_share", pa.float64()),
        *((label, pa.int64()) for label in HARMFUL),
        *((f"{label}_share", pa.float64()) for label in HARMFUL),
        ("model", pa.string()),
        ("model_version", pa.string()),
    ]
)
OPTIONS = {"reveal": "show handles instead of pseudonyms (default false; never publish them)"}
ORDER = {
    "active": "posts DESC, flagged DESC, platform, author_id",
    "flagged": (
        "flagged DESC, flagged / greatest(classified, 1) DESC, posts DESC, platform, author_id"
    ),
}


def accounts_sql(params: Params, labels: str) -> tuple[str, list[Any]]:
    """SQL of both rankings' accounts (ranking, rank, counts); `labels` is the SQL of the
    labels read. The accounts are counted once, then ranked twice."""
    where, args = post_filter(params)
    per_label = ", ".join(
        f"count(*) FILTER (WHERE l.label = '{label}') AS \"{label}\"" for label in HARMFUL
    )
    harmful = ", ".join(f"'{label}'" for label in HARMFUL)
    ranked = " UNION ALL ".join(
        f"""SELECT * FROM (
                SELECT '{name}' AS ranking, row_number() OVER (ORDER BY {order}) AS rank, *
                FROM accounts {"WHERE flagged > 0" if name == "flagged" else ""}
            ) WHERE rank <= {int(params.top)}"""
        for name, order in ORDER.items()
    )
    query = f"""
        WITH accounts AS MATERIALIZED (
            SELECT p.platform, p.author_id, arg_max(p.author_handle, p.created_at) AS handle,
                   count(*) AS posts, count(l.label) AS classified,
                   count(*) FILTER (WHERE l.label IN ({harmful})) AS flagged, {per_label}
            FROM posts p
            LEFT JOIN (SELECT platform, post_id, label FROM {labels} WHERE label IS NOT NULL) l
              ON p.platform = l.platform AND p.post_id = l.post_id
            WHERE p.author_id IS NOT NULL AND {where}
            GROUP BY p.platform, p.author_id
        )
        {ranked}
        ORDER BY ranking, rank
    """
    return query, args


def account_row(row: dict[str, Any], name: str, source: LabelSource) -> dict[str, Any]:
    classified = int(row["classified"])

    def share(count: int) -> float | None:
        return count / classified if classified else None

    out = {key: row[key] for key in ("ranking", "rank", "platform")} | {"account": name}
    out |= {key: row[key] for key in ("posts", "classified", "flagged", *HARMFUL)}
    out["flagged_share"] = share(int(row["flagged"]))
    out |= {f"{label}_share": share(int(row[label])) for label in HARMFUL}
    return out | {"model": source.model, "model_version": source.version}


class AccountsAnalysis:
    key = "accounts"
    title = "Most active and most flagged accounts"
    description = (
        "The accounts with the most posts and those with the most posts labelled incitement, "
        "hate or offensive, pseudonymised unless asked otherwise."
    )
    columns: tuple[str, ...] = tuple(SCHEMA.names)
    option_help = OPTIONS

    def run(self, ctx: Context, params: Params) -> pa.Table:
        options.check_known(params, OPTIONS, self.key)
        reveal = options.flag(params, "reveal")
        source = choose_labels(ctx, params.model)
        names = Pseudonyms(None if reveal else ctx.settings)
        table = []
        for row in rows(ctx.con, *accounts_sql(params, labels_relation(ctx, source))):
            shown = (row["handle"] or row["author_id"]) if reveal else None
            name = shown or names.account(row["platform"], row["author_id"])
            table.append(account_row(row, name, source))
        return pa.Table.from_pylist(table, schema=SCHEMA)

    def chart(self, table: pa.Table, lang: str) -> str:
        from marsad.analyze.charts import bar_chart

        flagged = [r for r in table.to_pylist() if r["ranking"] == "flagged"][:15]
        series = {label: [r[label] for r in flagged] for label in HARMFUL}
        accounts = [r["account"] for r in flagged]
        return bar_chart(accounts, series, self.title, lang, stacked=True, y_label="posts")
