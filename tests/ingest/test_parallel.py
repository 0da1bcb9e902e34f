"""Worker processes give the same import as one process, and leave nothing behind."""

import os
from pathlib import Path

import pytest

from marsad.config import Settings, load_settings
from marsad.ingest import chunks, pipeline
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.ingest.scratch import remove_stale, scratch_folder
from marsad.project import init_project
from marsad.warehouse import Warehouse

COLUMNS = "* EXCLUDE (raw), raw"


def project(root: Path, workers: int) -> Settings:
    init_project(root)
    return load_settings(root, environ={"MARSAD_INGEST_WORKERS": str(workers)})


def rows(settings: Settings) -> list[tuple[object, ...]]:
    con = Warehouse(settings.warehouse_dir).connect()
    return con.execute(f"SELECT {COLUMNS} FROM posts ORDER BY platform, post_id").fetchall()


@pytest.mark.slow
def test_workers_import_exactly_what_one_process_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.demo.synth import write_x_v2_jsonl

    export = tmp_path / "search.jsonl"
    write_x_v2_jsonl(export, 3000)
    with export.open("ab") as handle:  # a bad line deep inside one part
        handle.write(b'{"data": [\n')
    write_x_v2_jsonl(tmp_path / "more.jsonl", 500, seed=11)
    monkeypatch.setattr(chunks, "PART_BYTES", 300_000)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    one = project(tmp_path / "one", workers=1)
    two = project(tmp_path / "two", workers=2)
    planned = pipeline.Ingestor(two, IngestOptions()).plan(
        pipeline.Ingestor(two, IngestOptions()).sources([export, tmp_path / "more.jsonl"])
    )
    assert len(planned) > 4  # the big file is read in parts
    first = ingest([export, tmp_path / "more.jsonl"], one, IngestOptions())
    second = ingest([export, tmp_path / "more.jsonl"], two, IngestOptions())
    assert first.read == second.read == 3501
    assert (second.new, second.rejected) == (first.new, first.rejected) == (3500, 1)
    assert rows(one) == rows(two)
    assert first.rejects_file and second.rejects_file
    assert first.rejects_file.read_text() == second.rejects_file.read_text()
    assert not any((two.project_dir / pipeline.SCRATCH_DIR).iterdir())


def test_a_dead_imports_scratch_folder_is_removed_and_a_live_one_kept(tmp_path: Path) -> None:
    dead = tmp_path / "dead-import"
    dead.mkdir()
    (dead / "chunk-000001.arrow").write_bytes(b"left by a killed import")
    (dead / ".lock").touch()
    with scratch_folder(tmp_path, "live-import") as live:
        assert not dead.exists()
        assert remove_stale(tmp_path) == []
        assert live.exists()
    assert not live.exists()
    assert os.listdir(tmp_path) == []


def test_the_default_is_at_most_two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert pipeline.default_workers() == 2
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert pipeline.default_workers() == 1


def test_a_stale_half_made_scratch_folder_is_removed(tmp_path: Path) -> None:
    from marsad.ingest import scratch

    half_made = tmp_path / ".new-20250101T000000Z-abc"
    half_made.mkdir()
    os.utime(half_made, (0, 0))
    fresh = tmp_path / ".new-20991231T000000Z-def"
    fresh.mkdir()
    assert scratch.remove_stale(tmp_path) == [half_made]
    assert fresh.exists()
