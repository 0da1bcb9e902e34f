"""Analyses of the warehouse and the case database (registry `ANALYSES`, key -> "module:Class",
imported lazily; outside packages add theirs through the `marsad.analyses` entry-point group)."""

from __future__ import annotations

from functools import cache
from typing import Any

from marsad.registry import import_spec, spec_of, with_plugins

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
    return with_plugins(ANALYSES, ENTRY_POINT_GROUP)


def get_analysis(key: str) -> Any:
    """A new instance of the analysis registered under `key`; KeyError naming the known ones."""
    return import_spec(spec_of(analysis_specs(), key, "analysis", "analyses"))()
