"""The snapshot: the list of Parquet files that make up the warehouse at one version.

`<root>/posts/_snapshot.json` is the single source of truth. Readers read it once and query
exactly the files it lists; a file that is not listed is invisible. Writers replace it
atomically (temp file, fsync, rename, fsync of the folder), so a reader sees either the whole
previous import or the whole new one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson

from marsad.warehouse.errors import WarehouseError
from marsad.warehouse.fsutil import write_atomically

SNAPSHOT_NAME = "_snapshot.json"
PART_PREFIX = "part-"
PART_SUFFIX = ".parquet"
TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One committed version: its number, its files (names inside the posts folder), the
    number of rows they hold and when it was written."""

    version: int
    files: tuple[str, ...]
    rows: int
    updated_at: datetime

    @classmethod
    def empty(cls) -> Snapshot:
        return cls(version=0, files=(), rows=0, updated_at=datetime.now(UTC))

    def paths(self, folder: Path) -> list[Path]:
        return [folder / name for name in self.files]

    def to_json(self) -> bytes:
        document = {
            "version": self.version,
            "files": list(self.files),
            "rows": self.rows,
            "updated_at": self.updated_at.isoformat(),
        }
        return orjson.dumps(document, option=orjson.OPT_INDENT_2)


def new_part_name() -> str:
    return f"{PART_PREFIX}{uuid.uuid4().hex}{PART_SUFFIX}"


def read_snapshot(folder: Path) -> Snapshot:
    """The snapshot stored in `folder`; WarehouseError naming the file when missing or bad."""
    path = folder / SNAPSHOT_NAME
    try:
        document = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise WarehouseError(f"no warehouse snapshot at {path}") from None
    except orjson.JSONDecodeError as exc:
        raise WarehouseError(f"damaged warehouse snapshot {path}: {exc}") from None
    return _parse_snapshot(document, path)


def _parse_snapshot(document: object, path: Path) -> Snapshot:
    problem = WarehouseError(f"damaged warehouse snapshot {path}: unexpected content")
    if not isinstance(document, dict):
        raise problem
    files, version, rows = document.get("files"), document.get("version"), document.get("rows")
    if not isinstance(files, list) or not all(_is_part_name(name) for name in files):
        raise problem
    if not isinstance(version, int) or not isinstance(rows, int):
        raise problem
    try:
        updated_at = datetime.fromisoformat(str(document.get("updated_at")))
    except ValueError:
        raise problem from None
    return Snapshot(version=version, files=tuple(files), rows=rows, updated_at=updated_at)


def _is_part_name(name: object) -> bool:
    return (
        isinstance(name, str)
        and name.startswith(PART_PREFIX)
        and name.endswith(PART_SUFFIX)
        and "/" not in name
        and "\\" not in name
    )


def write_snapshot(folder: Path, snapshot: Snapshot) -> None:
    """Replace the snapshot in `folder` atomically and durably."""
    temp_name = f"{SNAPSHOT_NAME}.{uuid.uuid4().hex}{TEMP_SUFFIX}"
    write_atomically(folder / SNAPSHOT_NAME, snapshot.to_json(), temp_name)
