"""Publishable reports: sections that render analyses in Arabic, English and Hebrew.

`REPORT_SECTIONS` maps a section key to "module:Class" (imported lazily; outside packages add
theirs through the `marsad.report_sections` entry-point group). `REPORTS` maps a report key to
its ordered sections. `marsad report KEY --period P --lang L --out DIR` writes the report as
HTML, PDF and a CSV of every table (see docs/reports.md).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from marsad.registry import import_spec, spec_of, with_plugins

ENTRY_POINT_GROUP = "marsad.report_sections"

REPORT_SECTIONS: dict[str, str] = {
    "index.headline": "marsad.reports.sections.index:Headline",
    "index.monthly": "marsad.reports.sections.index:Monthly",
    "index.platforms": "marsad.reports.sections.index:Platforms",
    "index.languages": "marsad.reports.sections.index:Languages",
    "index.spikes": "marsad.reports.sections.spikes:Spikes",
    "index.accounts": "marsad.reports.sections.accounts:Accounts",
    "hashtags.top": "marsad.reports.sections.hashtags:TopHashtags",
    "hashtags.rising": "marsad.reports.sections.hashtags:RisingHashtags",
    "hashtags.campaigns": "marsad.reports.sections.campaigns:Campaigns",
    "hashtags.topics": "marsad.reports.sections.topics:Topics",
    "observatory.summary": "marsad.reports.sections.observatory:Summary",
    "observatory.monthly": "marsad.reports.sections.observatory:Monthly",
    "observatory.types": "marsad.reports.sections.observatory:Types",
    "observatory.platforms": "marsad.reports.sections.observatory:Platforms",
    "observatory.perpetrators": "marsad.reports.sections.observatory:Perpetrators",
    "observatory.outcomes": "marsad.reports.sections.observatory:Outcomes",
    "observatory.escalation": "marsad.reports.sections.observatory:Escalation",
    "methodology": "marsad.reports.sections.methodology:Methodology",
    "methodology.cases": "marsad.reports.sections.methodology:CaseMethodology",
}

REPORTS: dict[str, tuple[str, ...]] = {
    "index": (
        "index.headline",
        "index.monthly",
        "index.platforms",
        "index.languages",
        "index.spikes",
        "index.accounts",
        "methodology",
    ),
    "hashtags": (
        "hashtags.top",
        "hashtags.rising",
        "hashtags.campaigns",
        "hashtags.topics",
        "methodology",
    ),
    "observatory": (
        "observatory.summary",
        "observatory.monthly",
        "observatory.types",
        "observatory.platforms",
        "observatory.perpetrators",
        "observatory.outcomes",
        "observatory.escalation",
        "methodology.cases",
    ),
}


@cache
def section_specs() -> dict[str, str]:
    return with_plugins(REPORT_SECTIONS, ENTRY_POINT_GROUP)


def get_section(key: str) -> Any:
    """A new instance of the section registered under `key`; KeyError naming the known ones."""
    return import_spec(spec_of(section_specs(), key, "report section", "sections"))()


def report_sections(report: str) -> tuple[str, ...]:
    if report not in REPORTS:
        raise KeyError(f"unknown report {report!r}; known reports: {', '.join(REPORTS)}")
    return REPORTS[report]
