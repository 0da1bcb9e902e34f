"""The model card (`model.json`): what a trained model is, what it learnt from, how well it does.

A card holds the model's key and hyperparameters, its labels, languages and thresholds, every
training file (rows used per split, rows dropped because they also occur in a test split,
sha256, licence, and whether that licence forbids commercial use), and every evaluation figure.
Cards are plain JSON-ready dicts; `save(folder, card)` of the classifier writes them.
"""

from __future__ import annotations

import json
import platform
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marsad import __version__
from marsad.classify.base import Example
from marsad.classify.labels import LABELS


@dataclass(frozen=True, slots=True)
class Licence:
    name: str
    commercial_use: bool | None  # None: the copy states no licence
    note: str


NON_COMMERCIAL = "NOT for commercial use"
UNKNOWN = Licence("unknown", None, "Not in the label table; ask the data's authors.")


def licence_of(dataset: str) -> Licence:
    """The dataset's licence from the label table (`label_map.toml`), in plain words."""
    from marsad.classify.datasets.mapping import dataset_map

    try:
        given = dataset_map(dataset).licence
    except KeyError:
        return UNKNOWN
    if given.non_commercial:
        return Licence(given.name, False, f"{NON_COMMERCIAL}: the licence forbids it.")
    if given.name.lower().startswith("none stated"):
        return Licence(given.name, None, "No licence stated: research use only; ask the authors.")
    return Licence(given.name, True, "Commercial use allowed under the licence's conditions.")


def file_records(
    data_dir: Path, used: Iterable[Example], dropped: Mapping[str, int] | None = None
) -> list[dict[str, Any]]:
    """The data manifest (one record per file: rows per split, sha256, licence), with each
    file's rows dropped by the test-overlap filter, its languages and its licence in plain
    words. `dropped` maps a file (relative to `data_dir`) to its rows dropped."""
    from marsad.classify.datasets import manifest

    used = list(used)
    dropped = dropped or {}
    languages: dict[str, set[str]] = defaultdict(set)
    for example in used:
        languages[example.file].add(example.lang)
    records = manifest(data_dir, used)
    for record in records:
        licence = licence_of(record["dataset"])
        record["languages"] = sorted(languages[record["file"]])
        record["dropped_test_overlap"] = dropped.get(record["file"], 0)
        record["commercial_use"] = licence.commercial_use
        record["licence_note"] = licence.note
    return records


def licence_summary(files: Iterable[Mapping[str, Any]]) -> str:
    """One plain sentence on what the training data's licences allow."""
    files = list(files)
    forbidding = sorted({f["dataset"] for f in files if f["commercial_use"] is False})
    unknown = sorted({f["dataset"] for f in files if f["commercial_use"] is None})
    parts: list[str] = []
    if forbidding:
        parts.append(
            f"{NON_COMMERCIAL}: trained on {', '.join(forbidding)}, whose licence forbids "
            "commercial use."
        )
    if unknown:
        parts.append(f"No licence stated for {', '.join(unknown)}: research use only.")
    return " ".join(parts) or "Every training file's licence allows commercial use."


def build_card(
    *,
    model_key: str,
    params: Mapping[str, Any],
    thresholds: Any,
    files: list[dict[str, Any]],
    dropped: Mapping[str, int],
    evaluation: Mapping[str, Any],
    overlaps: Mapping[str, int] | None = None,
    recipe: Mapping[str, Any] | None = None,
    command: str = "",
) -> dict[str, Any]:
    """The whole model card; `dropped` maps each dataset to its rows dropped for overlap,
    `overlaps` each "test file -> other file" pair to the test texts found in the other;
    `recipe` says what the run trained on (datasets, files left out, dataset weights)."""
    languages = sorted({lang for f in files for lang in f.get("languages", [])})
    return {
        "key": model_key,
        "hyperparameters": json.loads(json.dumps(dict(params))),
        "labels": list(LABELS),
        "languages": languages,
        "thresholds": thresholds,
        "licence": licence_summary(files),
        "training": {
            **dict(recipe or {}),
            "files": files,
            "dropped_test_overlap": dict(sorted(dropped.items())),
            "test_overlaps": dict(overlaps or {}),
            "overlap_key": "letters only: URLs and @mentions removed, then letters lower-cased",
            "thresholds_tuned_on": "dev splits only",
        },
        "evaluation": dict(evaluation),
        "provenance": provenance(command),
    }


def provenance(command: str) -> dict[str, str]:
    return {
        "command": command,
        "marsad": __version__,
        "python": platform.python_version(),
        "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
