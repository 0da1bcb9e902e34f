"""Seeding the taxonomies (violation types, platforms, perpetrators, affected parties) from
`taxonomy.toml`, and the persona groups. Existing terms are never overwritten."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

TAXONOMY_FILE = "taxonomy.toml"


def seed_terms() -> dict[str, list[tuple[str, str, str, str]]]:
    """kind -> [(key, en, ar, he), ...] in file order."""
    text = (resources.files("marsad.web.cases") / TAXONOMY_FILE).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return {kind: [(key, *names) for key, names in terms.items()] for kind, terms in data.items()}


def seed_taxonomy(term_model: Any) -> int:
    """Create the seed terms that do not exist yet; returns how many were created."""
    created = 0
    for kind, terms in seed_terms().items():
        for position, (key, en, ar, he) in enumerate(terms):
            _, made = term_model.objects.get_or_create(
                kind=kind,
                key=key,
                defaults={"name_en": en, "name_ar": ar, "name_he": he, "position": position},
            )
            created += made
    return created


def seed_personas(group_model: Any) -> None:
    from marsad.web.cases.states import Persona

    for persona in Persona:
        group_model.objects.get_or_create(name=persona.value)
