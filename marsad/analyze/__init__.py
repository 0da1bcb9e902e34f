"""Analyses of the warehouse and the case database (registry `ANALYSES`, key -> "module:Class",
imported lazily; outside packages add theirs through the `marsad.analyses` entry-point group)."""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points
from typing import Any

ENTRY_POINT_GROUP = "marsad.analyses"

ANALYSES: dict[str, str] = {
    "index": "marsad.analyze.index:IndexAnalysis",
    "spikes": "marsad.analyze.spikes:SpikesAnalysis",
    "hashtags": "marsad.analyze.hashtags:HashtagsAnalysis",
    "topics": "marsad.analyze.topics:TopicsAnalysis",
    "accounts": "marsad.analyze.accounts:AccountsAnalysis",
    "campaigns": "marsad.analyze.campaigns:CampaignsAnalysis",
    "violations": "marsad.analyze.violations:ViolationsAnalysis",
}


@cache
def analysis_specs() -> dict[str, str]:
    specs = dict(ANALYSES)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        specs.setdefault(ep.name, ep.value)
    return specs


def get_analysis(key: str) -> Any:
    """A new instance of the analysis registered under `key`; KeyError naming the known ones."""
    specs = analysis_specs()
    if key not in specs:
        raise KeyError(f"unknown analysis {key!r}; known analyses: {', '.join(specs)}")
    module_name, _, class_name = specs[key].partition(":")
    return getattr(importlib.import_module(module_name), class_name)()
