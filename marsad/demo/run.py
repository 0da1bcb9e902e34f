"""`marsad demo`: a project made from the bundled sample exports."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rich.console import Console

from marsad.config import Settings, load_mapping_file, load_settings
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.project import init_project
from marsad.warehouse import Warehouse

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

    warehouse = Warehouse(settings.warehouse_dir)
    print_stats(warehouse.stats(), settings.warehouse_dir, console)
    classify_demo(warehouse, settings, console)


def classify_demo(warehouse: Warehouse, settings: Settings, console: Console) -> None:
    """Label the demo posts with the default model and print the count of each label."""
    from marsad.classify.loader import load_model
    from marsad.classify.run import classify_warehouse
    from marsad.classify.store import connect

    model = load_model("default")
    run = classify_warehouse(warehouse, model, batch_size=int(settings.get("classify.batch_size")))
    con = connect(warehouse)
    counts = con.execute(
        "SELECT label, count(*) FROM labels WHERE model = ? AND model_version = ? "
        "GROUP BY label ORDER BY count(*) DESC",
        [model.key, model.version],
    ).fetchall()
    shown = ", ".join(f"{label or 'no text'} {count:,}" for label, count in counts)
    console.print(
        f"[bold]Classified[/bold] {run.labelled:,} posts with {model.key} "
        f"(version {model.version}): {shown}",
        soft_wrap=True,
    )
