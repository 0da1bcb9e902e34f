"""`marsad demo`: a project made from the bundled sample exports."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rich.console import Console

from marsad.config import load_mapping_file, load_settings
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.project import init_project

MAPPINGS_FILE = "mappings.toml"


def demo_data_dir() -> Path:
    return Path(str(resources.files("marsad.demo") / "data"))


def demo_exports(data_dir: Path) -> list[Path]:
    """The bundled export files (everything but the README and the column mappings)."""
    skip = {"README.md", MAPPINGS_FILE}
    return sorted(p for p in data_dir.iterdir() if p.is_file() and p.name not in skip)


def run_demo(project_dir: Path, console: Console) -> None:
    init_project(project_dir)
    settings = load_settings(project_dir)
    data_dir = demo_data_dir()
    options = IngestOptions(dataset="demo", per_file=load_mapping_file(data_dir / MAPPINGS_FILE))
    summary = ingest(demo_exports(data_dir), settings, options)
    console.print(
        f"[bold]Demo project[/bold] {project_dir}: imported {summary.files} files, "
        f"{summary.read:,} records read, {summary.new:,} new, {summary.updated:,} updated, "
        f"{summary.duplicate:,} duplicate, {summary.rejected:,} rejected",
        soft_wrap=True,
    )
    from marsad.cli import print_stats
    from marsad.warehouse import Warehouse

    print_stats(Warehouse(settings.warehouse_dir).stats(), settings.warehouse_dir, console)
