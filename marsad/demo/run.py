"""`marsad demo`: a project made from the bundled sample exports."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

from rich.console import Console

from marsad.config import CONFIG_FILE, Settings, load_mapping_file, load_settings, read_toml
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.project import init_project
from marsad.warehouse import Warehouse

MAPPINGS_FILE = "mappings.toml"


class DemoError(RuntimeError):
    """A part of the demo failed; the message says which and why."""


def demo_data_dir() -> Path:
    return Path(str(resources.files("marsad.demo") / "data"))


def demo_exports(data_dir: Path) -> list[Path]:
    """The bundled export files (everything but the README and the column mappings)."""
    skip = {"README.md", MAPPINGS_FILE}
    return sorted(p for p in data_dir.iterdir() if p.is_file() and p.name not in skip)


def run_demo(project_dir: Path, console: Console, *, serve: bool = False, port: int = 8000) -> None:
    """The demo project: posts imported and classified, then the web app's demo cases and
    logins; with `serve`, the web app served on 127.0.0.1:`port` (this process becomes it)."""
    init_project(project_dir)
    demo_without_two_factor(project_dir / CONFIG_FILE)
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
    web_demo(project_dir, console)
    from marsad.reports.run import demo_reports

    demo_reports(settings, console)
    if serve:
        from marsad.web.cli import serve_project

        console.print(
            f"[bold]Serving the demo[/bold] on http://127.0.0.1:{port}/ (Ctrl+C stops it)"
        )
        serve_project(settings, "127.0.0.1", port, None, dev=False)


DEMO_WEB_SETTINGS = """\
# Demo only: staff log in with the printed password alone, and every staff page says so.
# A real observatory keeps two-factor sign-in on (the default).
require_2fa = false
"""


def demo_without_two_factor(config_path: Path) -> None:
    """Turn two-factor sign-in off in the demo project's marsad.toml, so the printed demo
    logins work with their password alone; a value already there is kept."""
    web = read_toml(config_path).get("web", {})
    if isinstance(web, dict) and "require_2fa" in web:
        return
    text = config_path.read_text(encoding="utf-8")
    header = re.search(r"^\[web\][ \t]*$", text, re.MULTILINE)
    if header is None:
        text = text.rstrip("\n") + "\n\n[web]\n" + DEMO_WEB_SETTINGS
    else:
        text = text[: header.end()] + "\n" + DEMO_WEB_SETTINGS.rstrip("\n") + text[header.end() :]
    config_path.write_text(text, encoding="utf-8")


def web_demo(project_dir: Path, console: Console) -> None:
    """Migrate the case database and add the demo cases and logins (marsad.web.demo), in a
    process of its own: Django is set up once per process, for one project."""
    command = [sys.executable, "-m", "marsad.web.demo", str(project_dir)]
    env = os.environ | {"MARSAD_PROJECT": str(project_dir)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise DemoError(f"the web app's demo data could not be made:\n{tail}")
    for line in done.stdout.splitlines():
        console.print(line, markup=False, highlight=False, soft_wrap=True)


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
