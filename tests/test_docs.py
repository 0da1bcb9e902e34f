"""The docs stay true: every command, setting, format and flag is documented."""

from pathlib import Path

import click
import pytest

from marsad.classify.datasets import DATASETS
from marsad.classify.models import CLASSIFIERS
from marsad.cli import TABULAR_FLAGS, main
from marsad.config import SETTINGS
from marsad.ingest.registry import FORMATS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def command_paths(group: click.Group, prefix: str = "marsad") -> list[str]:
    paths: list[str] = []
    for name, command in group.commands.items():
        paths.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, f"{prefix} {name}"))
    return paths


@pytest.mark.parametrize("command", command_paths(main))
def test_every_command_has_a_section_in_the_cli_docs(command: str) -> None:
    assert f"### {command}\n" in (DOCS / "cli.md").read_text()


@pytest.mark.parametrize("spec", SETTINGS, ids=lambda s: s.name)
def test_every_setting_and_its_variable_is_documented(spec: object) -> None:
    text = (DOCS / "configuration.md").read_text()
    assert f"`{spec.name}`" in text  # type: ignore[attr-defined]
    assert f"`{spec.env}`" in text  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", FORMATS)
def test_every_import_format_is_in_the_importers_table(key: str) -> None:
    assert f"`{key}`" in (DOCS / "importers.md").read_text()


@pytest.mark.parametrize("flag", [name for name, _ in TABULAR_FLAGS])
def test_every_column_option_is_documented(flag: str) -> None:
    text = (DOCS / "importers.md").read_text()
    assert f"`{flag}`" in text
    assert f"--{flag.replace('_', '-')}" in (DOCS / "cli.md").read_text()


def test_every_format_folder_has_a_readme() -> None:
    formats = Path(__file__).resolve().parent.parent / "marsad" / "ingest" / "formats"
    folders = [p for p in formats.iterdir() if p.is_dir() and not p.name.startswith("_")]
    assert folders
    for folder in folders:
        assert (folder / "README.md").is_file(), folder


@pytest.mark.parametrize("key", CLASSIFIERS)
def test_every_classifier_is_documented(key: str) -> None:
    assert f"`{key}`" in (DOCS / "adding-a-classifier.md").read_text()


@pytest.mark.parametrize("key", DATASETS)
def test_every_training_dataset_is_documented(key: str) -> None:
    assert f"`{key}`" in (DOCS / "classifier.md").read_text()


def analysis_keys() -> list[str]:
    from marsad.analyze import ANALYSES

    return list(ANALYSES)


@pytest.mark.parametrize("key", analysis_keys())
def test_every_analysis_is_documented_with_its_options(key: str) -> None:
    from marsad.analyze import get_analysis

    text = (DOCS / "analyses.md").read_text()
    assert f"`{key}`" in text and f"\n## {key}\n" in text
    for option in getattr(get_analysis(key), "option_help", {}):
        assert f"`{option}`" in text, option


def report_keys() -> list[str]:
    from marsad.reports import REPORT_SECTIONS, REPORTS

    return [*REPORTS, *REPORT_SECTIONS]


@pytest.mark.parametrize("key", report_keys())
def test_every_report_and_report_section_is_documented(key: str) -> None:
    assert f"`{key}`" in (DOCS / "reports.md").read_text()
