"""A marsad project folder: its config file, posts warehouse, case database and rejects."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from marsad.config import CONFIG_FILE, Settings, config_text
from marsad.ingest.pseudonymise import create_secret_file


class ProjectError(RuntimeError):
    """The folder is not a usable marsad project; the message says what to do."""


@dataclass(frozen=True, slots=True)
class InitResult:
    project_dir: Path
    created: bool  # False when the folder already was a project (nothing overwritten)


def init_project(project_dir: Path) -> InitResult:
    """Create the project folder, its config file, warehouse, database, rejects folder and
    secret key.

    Running it on an existing project keeps its config and data and only adds what is missing.
    """
    from marsad.config import load_settings

    project_dir.mkdir(parents=True, exist_ok=True)
    config_path = project_dir / CONFIG_FILE
    created = not config_path.exists()
    if created:
        config_path.write_text(config_text(project_dir.name), encoding="utf-8")
    settings = load_settings(project_dir)
    _create_warehouse(settings.warehouse_dir)
    settings.rejects_dir.mkdir(parents=True, exist_ok=True)
    _create_sqlite(settings.database_url)
    create_secret_file(settings.path("project.secret_file"))
    create_secret_file(settings.path("web.data_key_file"))
    return InitResult(project_dir, created)


def require_project(settings: Settings) -> None:
    if not (settings.project_dir / CONFIG_FILE).exists():
        raise ProjectError(
            f"{settings.project_dir} is not a marsad project ({CONFIG_FILE} is missing); "
            f"create one with `marsad init {settings.project_dir}` or pass --project DIR"
        )


def _create_warehouse(path: Path) -> None:
    from marsad.warehouse import Warehouse

    if not (path / "posts").exists():
        Warehouse.create(path)


def _create_sqlite(url: str) -> None:
    """Create the case database file (its tables come from the web app's migrations)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return
    path = Path(url[len(prefix) :])
    path.parent.mkdir(parents=True, exist_ok=True)
    sqlite3.connect(path).close()
