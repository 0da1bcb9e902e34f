"""The model card of the labels an analysis reads, for its measured error (the confusion
matrices of its test sets).

Labels record their model key and version (a hash of the model folder's content), not where
the model is. The card is found by trying, in order: the folder given with
`--option card=FOLDER` (used whatever its version: the user vouches for it), the project's
`classify.model` folder, the model shipped with marsad; a folder is taken when its key and
content hash match the labels'. No match: no card, and no error correction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.analyze.base import AnalysisError
from marsad.analyze.labels import LabelSource
from marsad.classify.base import MODEL_CARD
from marsad.classify.loader import DEFAULT, DEFAULT_MODEL_DIR, ModelError, folder_version, read_card
from marsad.config import Settings


@dataclass(frozen=True, slots=True)
class Card:
    folder: Path
    data: dict[str, Any]


def given_card(path: str) -> Card:
    """The card at `path` (a model folder or its model.json); AnalysisError when unreadable."""
    folder = Path(path).expanduser()
    folder = folder.parent if folder.name == MODEL_CARD else folder
    try:
        return Card(folder, read_card(folder))
    except ModelError as error:
        raise AnalysisError(f"--option card={path}: {error}") from None


def candidate_folders(settings: Settings | None) -> list[Path]:
    folders: list[Path] = []
    if settings is not None and str(settings.get("classify.model")) != DEFAULT:
        folders.append(settings.path("classify.model"))
    folders.append(DEFAULT_MODEL_DIR)
    return folders


def find_card(source: LabelSource, settings: Settings | None, given: str | None) -> Card | None:
    """The card of the model that wrote `source`'s labels, or None when none is found."""
    if given:
        return given_card(given)
    for folder in candidate_folders(settings):
        if not (folder / MODEL_CARD).is_file():
            continue
        try:
            card = read_card(folder)
        except ModelError:
            continue
        if card["key"] == source.model and folder_version(folder) == source.version:
            return Card(folder, card)
    return None
