"""The co-hashtag network of a period, for Gephi: GEXF or GraphML.

Nodes are the `network_size` most used hashtags (case-folded) of the posts the filters select,
with their `posts` count; an edge joins two of them used in the same post, weighted by the
number of such posts. Each node carries its `community`: Louvain communities (networkx,
weighted, seeded with `--option seed`, default 0), numbered from the largest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from marsad.analyze import options
from marsad.analyze.base import AnalysisError, Context, Params, post_filter
from marsad.analyze.sql import rows

FORMATS = (".gexf", ".graphml")


def network_sql(params: Params, size: int) -> tuple[str, list[Any]]:
    where, args = post_filter(params)
    return (
        f"""
        WITH tags AS MATERIALIZED (
            SELECT p.platform, p.post_id,
                   unnest(list_distinct(list_transform(p.hashtags, lambda t: lower(t)))) AS hashtag
            FROM posts p WHERE len(p.hashtags) > 1 AND {where}
        ),
        top AS (
            SELECT hashtag FROM (
                SELECT unnest(list_distinct(list_transform(p.hashtags, lambda t: lower(t))))
                       AS hashtag
                FROM posts p WHERE len(p.hashtags) > 0 AND {where}
            ) GROUP BY hashtag ORDER BY count(*) DESC, hashtag LIMIT {int(size)}
        ),
        kept AS (SELECT * FROM tags SEMI JOIN top USING (hashtag))
        SELECT a.hashtag AS source, b.hashtag AS target, count(*) AS weight
        FROM kept a JOIN kept b
          ON a.platform = b.platform AND a.post_id = b.post_id AND a.hashtag < b.hashtag
        GROUP BY ALL ORDER BY source, target
        """,
        args + args,
    )


def node_sql(params: Params, size: int) -> tuple[str, list[Any]]:
    where, args = post_filter(params)
    return (
        f"""
        SELECT hashtag, count(*) AS posts FROM (
            SELECT unnest(list_distinct(list_transform(p.hashtags, lambda t: lower(t)))) AS hashtag
            FROM posts p WHERE len(p.hashtags) > 0 AND {where}
        ) GROUP BY hashtag ORDER BY posts DESC, hashtag LIMIT {int(size)}
        """,
        args,
    )


def build_network(ctx: Context, params: Params) -> nx.Graph:
    size = options.integer(params, "network_size", 200, minimum=2)
    graph = nx.Graph()
    for node in rows(ctx.con, *node_sql(params, size)):
        graph.add_node(node["hashtag"], posts=int(node["posts"]))
    for edge in rows(ctx.con, *network_sql(params, size)):
        graph.add_edge(edge["source"], edge["target"], weight=int(edge["weight"]))
    add_communities(graph, options.integer(params, "seed", 0))
    return graph


def add_communities(graph: nx.Graph, seed: int) -> None:
    """Set each node's `community`: Louvain communities numbered by size (largest 0), ties
    by their first hashtag."""
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted(found, key=lambda members: (-len(members), min(members)))
    for number, members in enumerate(ordered):
        for node in members:
            graph.nodes[node]["community"] = number


def write_network(ctx: Context, params: Params, path: Path) -> nx.Graph:
    """Build the network and write it to `path` (.gexf or .graphml)."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise AnalysisError(f"--option network={path}: expected a .gexf or .graphml file")
    graph = build_network(ctx, params)
    try:
        if suffix == ".gexf":
            nx.write_gexf(graph, path)
        else:
            nx.write_graphml(graph, path)
    except OSError as error:
        raise AnalysisError(f"--option network={path}: {error}") from None
    return graph
