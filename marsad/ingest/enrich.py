"""Fill the text-derived fields of imported posts: normalised text, language, script and,
where the platform gave none, hashtags, mentions and URLs found in the text."""

from __future__ import annotations

from marsad.posts import Post
from marsad.text.features import TextFeatures, analyse_text, analyse_texts


def enrich_post(post: Post) -> Post:
    return _fill(post, analyse_text(post.text))


def enrich_posts(posts: list[Post]) -> list[Post]:
    """`enrich_post` of each post, with the texts analysed as one batch (`analyse_texts`)."""
    features = analyse_texts([post.text for post in posts])
    return [_fill(post, found) for post, found in zip(posts, features, strict=True)]


def _fill(post: Post, features: TextFeatures) -> Post:
    if post.text_norm is None:
        post.text_norm = features.text_norm
    if post.lang is None:
        post.lang = features.lang
    if post.script is None:
        post.script = features.script
    if not post.hashtags:
        post.hashtags = list(features.hashtags)
    if not post.mentions:
        post.mentions = list(features.mentions)
    if not post.urls:
        post.urls = list(features.urls)
    return post
