"""The whole import path: files -> formats -> posts -> warehouse, with its summary."""

import gzip
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import orjson
import pytest

from marsad.config import Settings
from marsad.ingest.pipeline import IngestOptions, ingest
from marsad.warehouse import Warehouse


def tweet(n: int, text: str, likes: int | None = 1) -> dict[str, object]:
    metrics = {"retweet_count": 0, "reply_count": 0, "quote_count": 0}
    if likes is not None:
        metrics["like_count"] = likes
    return {
        "id": str(1_800_000_000_000_000_000 + n),
        "text": text,
        "author_id": "42",
        "created_at": "2025-05-14T08:30:00.000Z",
        "conversation_id": str(1_800_000_000_000_000_000 + n),
        "edit_history_tweet_ids": [str(1_800_000_000_000_000_000 + n)],
        "public_metrics": metrics,
    }


def page(*tweets: dict[str, object]) -> dict[str, object]:
    user = {"id": "42", "username": "observer_demo", "name": "مرصد تجريبي"}
    return {"data": list(tweets), "includes": {"users": [user]}, "meta": {"result_count": 1}}


TEXTS = [
    "تم حذف حسابي بعد نشر صور الهدم في القرية #حرية_التعبير",
    "החשבון שלי נחסם אחרי שפרסמתי על ההפגנה בחיפה #צנזורה",
    "My account was suspended after posting about the demolition #DigitalRights",
]


def write_jsonl(path: Path, pages: list[dict[str, object]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(p) + b"\n" for p in pages))
    return path


def test_a_mixed_folder_imports_in_one_run_with_a_correct_summary(
    project: Settings, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    write_jsonl(exports / "search.jsonl", [page(tweet(1, TEXTS[0]), tweet(2, TEXTS[1]))])
    with gzip.open(exports / "more.jsonl.gz", "wb") as handle:
        handle.write(orjson.dumps(page(tweet(3, TEXTS[2]))) + b"\n")
    with zipfile.ZipFile(exports / "archive.zip", "w") as archive:
        archive.writestr("sheet.csv", "id,text,date\n7,منشور من القناة,2025-05-01T10:00:00Z\n")
    summary = ingest([exports], project, IngestOptions())
    assert (summary.files, summary.read, summary.new, summary.rejected) == (3, 4, 4, 0)
    assert summary.formats == {"x.v2": 2, "tabular.v1": 1}
    assert Warehouse(project.warehouse_dir).count() == 4


def test_imported_posts_carry_language_script_and_normalised_text(
    project: Settings, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [page(*(tweet(i, t) for i, t in enumerate(TEXTS)))])
    ingest([path], project, IngestOptions(dataset="may-2025"))
    con = Warehouse(project.warehouse_dir).connect()
    rows = con.execute(
        "SELECT lang, script, hashtags, dataset FROM posts ORDER BY post_id"
    ).fetchall()
    assert rows == [
        ("ar", "arab", ["حرية_التعبير"], "may-2025"),
        ("he", "hebr", ["צנזורה"], "may-2025"),
        ("en", "latn", ["DigitalRights"], "may-2025"),
    ]


def test_reimporting_the_same_export_adds_nothing(project: Settings, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [page(tweet(1, TEXTS[0]), tweet(2, TEXTS[2]))])
    ingest([path], project, IngestOptions())
    again = ingest([path], project, IngestOptions())
    assert (again.read, again.new, again.updated, again.duplicate) == (2, 0, 0, 2)
    assert Warehouse(project.warehouse_dir).count() == 2


def test_a_newer_overlapping_export_updates_metrics(project: Settings, tmp_path: Path) -> None:
    old = write_jsonl(tmp_path / "old.jsonl", [page(tweet(1, TEXTS[0], likes=None))])
    os.utime(old, (1_700_000_000, 1_700_000_000))
    ingest([old], project, IngestOptions())
    new = write_jsonl(
        tmp_path / "new.jsonl", [page(tweet(1, TEXTS[0], likes=90), tweet(2, TEXTS[1]))]
    )
    summary = ingest([new], project, IngestOptions())
    assert (summary.new, summary.updated, summary.duplicate) == (1, 1, 0)
    con = Warehouse(project.warehouse_dir).connect()
    likes = con.execute("SELECT metrics.likes FROM posts ORDER BY post_id").fetchall()
    assert likes == [(90,), (1,)]


def test_bad_records_are_rejected_with_file_line_and_reason(
    project: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.jsonl"
    good = orjson.dumps(page(tweet(1, TEXTS[0]))).decode()
    no_id = dict(tweet(2, TEXTS[1]))
    del no_id["id"]
    path.write_text(
        "\n".join([good, '{"data": [', orjson.dumps(page(no_id)).decode(), good]) + "\n"
    )
    summary = ingest([path], project, IngestOptions())
    assert (summary.read, summary.new, summary.duplicate, summary.rejected) == (4, 1, 1, 2)
    assert summary.rejects_file is not None
    rejects = [orjson.loads(line) for line in summary.rejects_file.read_bytes().splitlines()]
    assert [(r["file"].endswith("mixed.jsonl"), r["record"]) for r in rejects] == [
        (True, 2),
        (True, 3),
    ]
    assert all(r["reason"] for r in rejects)


def test_a_missing_path_and_an_unknown_file_are_skipped_and_listed(
    project: Settings, tmp_path: Path
) -> None:
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    good = write_jsonl(tmp_path / "p.jsonl", [page(tweet(1, TEXTS[0]))])
    summary = ingest([tmp_path / "nowhere.json", picture, good], project, IngestOptions())
    assert (summary.files, summary.files_skipped, summary.new) == (1, 2, 1)
    assert summary.rejects_file is not None
    assert "nowhere.json" in summary.rejects_file.read_text()


def test_cli_ingest_prints_the_summary_as_json(project: Settings, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [page(tweet(1, TEXTS[0]))])
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "marsad",
            "ingest",
            str(path),
            "--project",
            str(project.project_dir),
            "--json",
        ],
        capture_output=True,
        check=True,
    )
    summary = orjson.loads(out.stdout)
    assert (summary["read"], summary["new"], summary["rejected"]) == (1, 1, 0)


def test_cli_ingest_applies_column_flags_to_csv(project: Settings, tmp_path: Path) -> None:
    sheet = tmp_path / "channel.csv"
    sheet.write_text(
        "msg,when,chan\nקריאה לפגוע בתושבי הכפר,2025-03-02 09:00:00,ערוץ_לדוגמה\n", encoding="utf-8"
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "marsad",
            "ingest",
            str(sheet),
            "--project",
            str(project.project_dir),
            "--text-column",
            "msg",
            "--date-column",
            "when",
            "--author-handle-column",
            "chan",
            "--platform",
            "telegram",
            "--quiet",
        ],
        capture_output=True,
        check=True,
    )
    con = Warehouse(project.warehouse_dir).connect()
    row = con.execute(
        "SELECT platform, author_handle, lang, created_at::VARCHAR FROM posts"
    ).fetchone()
    assert row == ("telegram", "ערוץ_לדוגמה", "he", "2025-03-02 09:00:00+00")


@pytest.mark.slow
def test_a_killed_import_leaves_the_warehouse_whole_and_a_rerun_completes(
    project: Settings, tmp_path: Path
) -> None:
    from marsad.demo.synth import write_x_v2_jsonl

    big = tmp_path / "big.jsonl"
    write_x_v2_jsonl(big, 30_000)
    small = write_jsonl(tmp_path / "small.jsonl", [page(tweet(1, TEXTS[0]))])
    ingest([small], project, IngestOptions())
    command = [
        sys.executable,
        "-m",
        "marsad",
        "ingest",
        str(big),
        str(small),
        "--project",
        str(project.project_dir),
        "--quiet",
    ]
    env = {**os.environ, "MARSAD_INGEST_BATCH_SIZE": "2000"}
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = project.warehouse_dir / "staging"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(staging.glob("*/*.parquet")):
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert Warehouse(project.warehouse_dir).count() == 1
    done = subprocess.run(command, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    con = Warehouse(project.warehouse_dir).connect()
    total, distinct = con.execute(
        "SELECT count(*), count(DISTINCT (platform, post_id)) FROM posts"
    ).fetchone() or (0, 0)
    assert total == distinct == 30_001
