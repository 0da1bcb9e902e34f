"""Typed settings: one TOML file per project plus MARSAD_* environment variables.

Every setting is declared once in `SETTINGS` (name, type, default, help). Values are read in
this order, the later winning: the default, the project's `marsad.toml`, the environment
(`MARSAD_` + the dotted name upper-cased with dots as underscores, e.g. `MARSAD_DUCKDB_THREADS`).
`load_settings` returns a frozen `Settings` that commands pass explicitly to what they call,
and `Settings.sources` says where each value came from (`marsad config show`).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_FILE = "marsad.toml"
PROJECT_ENV = "MARSAD_PROJECT"


class ConfigError(ValueError):
    """A setting could not be read; the message names the file or variable and the reason."""


@dataclass(frozen=True, slots=True)
class SettingSpec:
    name: str  # dotted: "<table>.<key>" in the TOML file
    type: type
    default: Any
    help: str
    pattern: str | None = None  # a text value must match it (re.fullmatch)
    minimum: int | None = None  # a number must be at least this
    aliases: tuple[str, ...] = ()  # further environment variables, read after `env`

    @property
    def env(self) -> str:
        return "MARSAD_" + self.name.upper().replace(".", "_")

    @property
    def variables(self) -> tuple[str, ...]:
        """The environment variables that set it, the first one present winning."""
        return (self.env, *self.aliases)


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("project.name", str, "", "Name shown in reports and the web app."),
    SettingSpec(
        "project.secret_file",
        str,
        "secret.key",
        "File of the project's secret key (keyed pseudonyms); made by `marsad init`, mode 0600.",
    ),
    SettingSpec("warehouse.path", str, "warehouse", "Folder of the posts warehouse."),
    SettingSpec(
        "database.url",
        str,
        "sqlite:///marsad.sqlite3",
        "Case database: sqlite:///FILE (relative to the project) or postgres://...",
    ),
    SettingSpec(
        "web.data_key_file",
        str,
        "data.key",
        "File of the key that encrypts personal fields and evidence (AES-256-GCM); made by "
        "`marsad init`, mode 0600; MARSAD_DATA_KEY (hex) gives the key itself instead.",
    ),
    SettingSpec("web.evidence_path", str, "evidence", "Folder of the encrypted evidence files."),
    SettingSpec(
        "web.allowed_hosts",
        str,
        "127.0.0.1,localhost",
        "Host names the web app answers to, comma-separated.",
    ),
    SettingSpec("web.max_upload_mb", int, 20, "Largest evidence file accepted, in MiB.", minimum=1),
    SettingSpec(
        "web.require_2fa",
        bool,
        True,
        "Staff must enter a code from their authenticator app (TOTP) after the password; "
        "false only for a local demo.",
        aliases=("MARSAD_REQUIRE_2FA",),
    ),
    SettingSpec("ingest.rejects_path", str, "rejects", "Folder for rejected-records files."),
    SettingSpec(
        "ingest.batch_size", int, 20000, "Posts per batch written while importing.", minimum=1
    ),
    SettingSpec("ingest.dataset", str, "", "Dataset name given to imported posts by default."),
    SettingSpec(
        "ingest.pseudonymise",
        bool,
        False,
        "Replace authors' ids and handles by keyed pseudonyms in every import.",
    ),
    SettingSpec(
        "ingest.workers",
        int,
        0,
        "Processes converting a big import; 0: one per core, at most 2.",
        minimum=0,
    ),
    SettingSpec(
        "duckdb.memory_limit",
        str,
        "512MB",
        "Memory DuckDB may use per query.",
        pattern=r"\d+(\.\d+)?\s*([KMGT]i?B|B)",
    ),
    SettingSpec("duckdb.threads", int, 0, "DuckDB threads; 0 means one per core.", minimum=0),
    SettingSpec(
        "classify.model",
        str,
        "default",
        "Model of `marsad classify` and `marsad explain`: a model folder, or 'default'.",
    ),
    SettingSpec(
        "classify.batch_size", int, 10000, "Posts labelled and stored per batch.", minimum=1
    ),
    SettingSpec(
        "classify.data_dir",
        str,
        "../shared/data",
        "Folder of the labelled datasets read by `marsad train` and `marsad evaluate`.",
    ),
)
SPECS: dict[str, SettingSpec] = {spec.name: spec for spec in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    project_dir: Path
    values: Mapping[str, Any]
    sources: Mapping[str, str]
    column_mappings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        return self.values[name]

    def path(self, name: str) -> Path:
        """A path setting resolved against the project folder."""
        return self.project_dir / str(self.values[name])

    @property
    def warehouse_dir(self) -> Path:
        return self.path("warehouse.path")

    @property
    def rejects_dir(self) -> Path:
        return self.path("ingest.rejects_path")

    @property
    def database_url(self) -> str:
        url = str(self.values["database.url"])
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url[len(prefix) :].startswith("/"):
            return prefix + str(self.project_dir / url[len(prefix) :])
        return url


def resolve_project(option: str | Path | None, environ: Mapping[str, str]) -> Path:
    """The project folder: the --project option, else MARSAD_PROJECT, else the current one."""
    chosen = option or environ.get(PROJECT_ENV) or os.getcwd()
    return Path(chosen).expanduser().resolve()


def load_settings(project_dir: Path, environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    config_path = project_dir / CONFIG_FILE
    document = read_toml(config_path) if config_path.exists() else {}
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for spec in SETTINGS:
        values[spec.name], sources[spec.name] = _value_for(spec, document, environ, config_path)
    if not values["project.name"]:
        values["project.name"] = project_dir.name
    return Settings(project_dir, values, sources, _column_mappings(document, config_path))


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from error


def _value_for(
    spec: SettingSpec, document: Mapping[str, Any], environ: Mapping[str, str], path: Path
) -> tuple[Any, str]:
    for variable in spec.variables:
        if variable in environ:
            where = f"environment variable {variable}"
            return _coerce(spec, environ[variable], where), f"env:{variable}"
    table, key = spec.name.split(".", 1)
    section = document.get(table, {})
    if isinstance(section, Mapping) and key in section:
        return _coerce(spec, section[key], f"{path} [{table}] {key}"), f"file:{path}"
    return spec.default, "default"


def _coerce(spec: SettingSpec, raw: Any, where: str) -> Any:
    if spec.type is int:
        return _whole_number(spec, raw, where)
    if spec.type is bool:
        return _yes_or_no(raw, where)
    if not isinstance(raw, str):
        raise ConfigError(f"{where}: expected text, got {raw!r}")
    if spec.pattern and not re.fullmatch(spec.pattern, raw.strip(), re.IGNORECASE):
        raise ConfigError(f"{where}: {raw!r} is not a valid value (for example {spec.default!r})")
    return raw


_YES = ("true", "yes", "on", "1")
_NO = ("false", "no", "off", "0")


def _yes_or_no(raw: Any, where: str) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _YES + _NO:
        return raw.strip().lower() in _YES
    raise ConfigError(f"{where}: expected true or false, got {raw!r}")


def _whole_number(spec: SettingSpec, raw: Any, where: str) -> int:
    if isinstance(raw, bool):
        raise ConfigError(f"{where}: expected a whole number, got {raw!r}")
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: expected a whole number, got {raw!r}") from None
    if spec.minimum is not None and value < spec.minimum:
        raise ConfigError(f"{where}: must be at least {spec.minimum}, got {value}")
    return value


def _column_mappings(document: Mapping[str, Any], path: Path) -> dict[str, dict[str, str]]:
    """Column mappings for the CSV/JSONL reader: [ingest.columns] applies to every file,
    [ingest.files."NAME"] to files with that base name."""
    ingest = document.get("ingest", {})
    if not isinstance(ingest, Mapping):
        return {}
    mappings = file_mappings(ingest.get("files", {}), f"{path} [ingest.files]")
    if "columns" in ingest:
        mappings["*"] = _string_table(ingest["columns"], f"{path} [ingest.columns]")
    return mappings


def file_mappings(tables: Any, where: str) -> dict[str, dict[str, str]]:
    """{file name: {option: value}} from a TOML table of tables, checked."""
    if not isinstance(tables, Mapping):
        raise ConfigError(f'{where}: expected tables like [files."NAME"], found {tables!r}')
    return {str(name): _string_table(table, f'{where} "{name}"') for name, table in tables.items()}


def load_mapping_file(path: Path) -> dict[str, dict[str, str]]:
    """Per-file column mappings from a TOML file of [files."NAME"] tables."""
    return file_mappings(read_toml(path).get("files", {}), f"{path} [files]")


def _string_table(table: Any, where: str) -> dict[str, str]:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: expected a table of option = value, found {table!r}")
    for key, value in table.items():
        if isinstance(value, Mapping | list):
            raise ConfigError(f"{where}: {key} must be text, found {value!r}")
    return {str(key): str(value) for key, value in table.items()}


def config_text(project_name: str) -> str:
    """The config file `marsad init` writes (the name quoted as a TOML string)."""
    return DEFAULT_CONFIG.replace("{name}", json.dumps(project_name, ensure_ascii=False))


DEFAULT_CONFIG = """\
# marsad project settings. Every value can also be set from the environment:
# MARSAD_ + the name in capitals with dots as underscores (MARSAD_DUCKDB_THREADS=2).
# `marsad config show` prints the effective values and where each came from.

[project]
name = {name}

[warehouse]
path = "warehouse"

[database]
url = "sqlite:///marsad.sqlite3"

[ingest]
rejects_path = "rejects"
batch_size = 20000
workers = 0
# dataset = "monitoring-2025"
# pseudonymise = true   # authors' ids and handles become keyed pseudonyms (see docs/importers.md)

# Column mapping for CSV / JSONL files, for every file ...
# [ingest.columns]
# text_column = "message"
# id_column = "message_id"
# date_column = "date"
# platform = "telegram"
# ... or for files with a given name:
# [ingest.files."channel_sheet.csv"]
# text_column = "text"

[duckdb]
memory_limit = "512MB"
threads = 0
"""
