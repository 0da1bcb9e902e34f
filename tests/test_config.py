from pathlib import Path

import pytest

from marsad.config import CONFIG_FILE, SETTINGS, ConfigError, load_settings, resolve_project


def write_config(project: Path, text: str) -> None:
    project.mkdir(parents=True, exist_ok=True)
    (project / CONFIG_FILE).write_text(text, encoding="utf-8")


def test_it_uses_defaults_without_a_config_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={})
    assert settings.get("ingest.batch_size") == 20000
    assert settings.sources["ingest.batch_size"] == "default"
    assert settings.get("project.name") == tmp_path.name


def test_the_file_overrides_defaults_and_the_environment_overrides_the_file(
    tmp_path: Path,
) -> None:
    write_config(tmp_path, '[duckdb]\nthreads = 3\nmemory_limit = "1GB"\n')
    settings = load_settings(tmp_path, environ={"MARSAD_DUCKDB_THREADS": "1"})
    assert settings.get("duckdb.threads") == 1
    assert settings.sources["duckdb.threads"] == "env:MARSAD_DUCKDB_THREADS"
    assert settings.get("duckdb.memory_limit") == "1GB"
    assert settings.sources["duckdb.memory_limit"] == f"file:{tmp_path / CONFIG_FILE}"


def test_it_names_the_variable_when_a_number_is_not_a_number(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"MARSAD_INGEST_BATCH_SIZE.*whole number"):
        load_settings(tmp_path, environ={"MARSAD_INGEST_BATCH_SIZE": "many"})


def test_it_names_the_file_when_the_toml_is_broken(tmp_path: Path) -> None:
    write_config(tmp_path, "[ingest\nbatch_size = 3\n")
    with pytest.raises(ConfigError, match=f"{CONFIG_FILE}: not valid TOML"):
        load_settings(tmp_path, environ={})


def test_it_names_the_key_when_a_value_has_the_wrong_type(tmp_path: Path) -> None:
    write_config(tmp_path, "[warehouse]\npath = 5\n")
    with pytest.raises(ConfigError, match=r"\[warehouse\] path: expected text"):
        load_settings(tmp_path, environ={})


def test_paths_and_sqlite_urls_resolve_against_the_project(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={})
    assert settings.warehouse_dir == tmp_path / "warehouse"
    assert settings.database_url == f"sqlite:///{tmp_path / 'marsad.sqlite3'}"


def test_it_reads_column_mappings_for_all_files_and_named_files(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        '[ingest.columns]\ntext_column = "message"\n'
        '[ingest.files."sheet.csv"]\ntext_column = "body"\nplatform = "telegram"\n',
    )
    mappings = load_settings(tmp_path, environ={}).column_mappings
    assert mappings["*"] == {"text_column": "message"}
    assert mappings["sheet.csv"] == {"text_column": "body", "platform": "telegram"}


def test_the_project_comes_from_the_option_then_the_environment_then_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_project("elsewhere", {"MARSAD_PROJECT": "/srv/p"}) == tmp_path / "elsewhere"
    assert resolve_project(None, {"MARSAD_PROJECT": "/srv/p"}) == Path("/srv/p")
    assert resolve_project(None, {}) == tmp_path


def test_every_setting_has_help_and_a_default_of_its_type() -> None:
    for spec in SETTINGS:
        assert spec.help
        assert isinstance(spec.default, spec.type)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[ingest]\nfiles = "x"\n', r"\[ingest.files\]: expected tables"),
        ('[ingest.files]\n"a.csv" = 3\n', r'\[ingest.files\] "a.csv": expected a table'),
        ("[ingest.columns]\ntext_column = [1]\n", "text_column must be text"),
        ('[duckdb]\nmemory_limit = "lots"\n', "'lots' is not a valid value"),
        ("[ingest]\nbatch_size = 0\n", "must be at least 1"),
    ],
)
def test_it_names_the_table_when_a_config_table_has_the_wrong_shape(
    tmp_path: Path, text: str, message: str
) -> None:
    write_config(tmp_path, text)
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path, environ={})


def test_a_bad_memory_limit_from_the_environment_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="MARSAD_DUCKDB_MEMORY_LIMIT"):
        load_settings(tmp_path, environ={"MARSAD_DUCKDB_MEMORY_LIMIT": "lots"})
    ok = load_settings(tmp_path, environ={"MARSAD_DUCKDB_MEMORY_LIMIT": "1.5GiB"})
    assert ok.get("duckdb.memory_limit") == "1.5GiB"


def test_a_mapping_file_of_the_wrong_shape_is_a_clear_error(tmp_path: Path) -> None:
    from marsad.config import load_mapping_file

    path = tmp_path / "m.toml"
    path.write_text('files = "x"\n')
    with pytest.raises(ConfigError, match=r"m.toml \[files\]: expected tables"):
        load_mapping_file(path)
    path.write_text('[files."a.csv"]\ntext_column = "body"\n')
    assert load_mapping_file(path) == {"a.csv": {"text_column": "body"}}


def test_yes_or_no_settings_read_words_from_the_environment_and_booleans_from_the_file(
    tmp_path: Path,
) -> None:
    assert load_settings(tmp_path, environ={"MARSAD_INGEST_PSEUDONYMISE": "Yes"}).get(
        "ingest.pseudonymise"
    )
    (tmp_path / CONFIG_FILE).write_text("[ingest]\npseudonymise = false\n")
    assert not load_settings(tmp_path, environ={}).get("ingest.pseudonymise")
    with pytest.raises(ConfigError, match=r"MARSAD_INGEST_PSEUDONYMISE.*true or false"):
        load_settings(tmp_path, environ={"MARSAD_INGEST_PSEUDONYMISE": "maybe"})
    (tmp_path / CONFIG_FILE).write_text('[ingest]\npseudonymise = "sometimes"\n')
    with pytest.raises(ConfigError, match=r"\[ingest\] pseudonymise"):
        load_settings(tmp_path, environ={})
