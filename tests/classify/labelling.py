"""Shared steps of the classify tests: a real project made by `marsad init` + `marsad ingest`,
and a stand-in model saved to a folder."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import orjson
from click.testing import CliRunner, Result

from marsad.cli import main
from tests.classify.standin import trained

POSTS: tuple[str, ...] = (
    "اقتلوهم جميعا الليلة",
    "صباح الخير يا اصدقائي",
    "הרגו אותם עכשיו",
    "בוקר טוב חברים",
    "kill them all tonight",
    "good morning friends",
    "you are a stupid idiot",
)


def tweet(n: int, text: str) -> dict[str, object]:
    post_id = str(1_900_000_000_000_000_000 + n)
    return {
        "id": post_id,
        "text": text,
        "author_id": "7",
        "created_at": "2025-06-01T10:00:00.000Z",
        "conversation_id": post_id,
        "edit_history_tweet_ids": [post_id],
    }


def write_export(path: Path, texts: dict[int, str], when: datetime | None = None) -> Path:
    """An X API v2 search export (one page) of the given posts, numbered by their keys."""
    page = {
        "data": [tweet(n, text) for n, text in texts.items()],
        "includes": {"users": [{"id": "7", "username": "monitor_test", "name": "رصد"}]},
        "meta": {"result_count": len(texts)},
    }
    path.write_bytes(orjson.dumps(page) + b"\n")
    if when is not None:
        os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def make_project(tmp_path: Path, texts: dict[int, str] | None = None) -> Path:
    """A project whose warehouse holds `texts` (default: POSTS), made through the CLI."""
    project = tmp_path / "project"
    assert invoke("init", str(project)).exit_code == 0
    posts = texts if texts is not None else dict(enumerate(POSTS))
    export = write_export(tmp_path / "export.jsonl", posts, datetime(2025, 6, 2, tzinfo=UTC))
    result = invoke("ingest", str(export), "--project", str(project), "--quiet")
    assert result.exit_code == 0, result.output
    return project


def save_model(folder: Path, delay: float = 0.0) -> Path:
    trained(delay).save(folder)
    return folder


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]
