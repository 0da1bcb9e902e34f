"""`marsad backup` and `marsad restore`: a whole project in one passphrase-encrypted file.

The archive (`marsad.web.sealed_archive`: scrypt + AES-256-GCM in 1 MiB chunks) holds a
gzip'd tar of:

    marsad.toml
    warehouse/...               the posts snapshot as read once and exactly the parts it lists,
                                the labels and the rest (no staging, spill or lock files)
    database/marsad.sqlite3     SQLite: a consistent copy by SQLite's online backup API
    database/postgres.dump      PostgreSQL: `pg_dump --format=custom` (sealed fields stay sealed)
    evidence/...                the sealed evidence files (no unfinished temporary files)
    reports/...                 the published reports
    keys/data.key, keys/secret.key   only with --include-keys: the keys in use (from
                                MARSAD_DATA_KEY / MARSAD_SECRET_KEY when set, as when the
                                project runs, else the project's key files)
    manifest.json               last: every file's SHA-256 and size, the database kind

The database is copied after the warehouse and just before the evidence folder is read, so that
a purge committed meanwhile can hardly leave the copy naming files the archive lacks; on SQLite
the copy is checked against the files read, and the backup fails (run it again) if an evidence
file the copy still needs is missing. A key rotation left unfinished (`<data key file>.new`
exists) is refused: some values are then sealed under a key only that file holds.

Without `--include-keys` the data key and the secret key are not in the backup: the sealed
fields and evidence files then open only with the data key kept elsewhere. Restoring checks
every file against the manifest and refuses a non-empty project folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from marsad.config import CONFIG_FILE, Settings, load_settings
from marsad.web.sealed_archive import ArchiveError, OpeningReader, SealingWriter

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_NAME = "database/marsad.sqlite3"
POSTGRES_NAME = "database/postgres.dump"
FOLDERS = ("warehouse", "evidence", "reports")
KEY_NAMES = {"keys/data.key": "web.data_key_file", "keys/secret.key": "project.secret_file"}
KEY_ENVS = {"keys/data.key": "MARSAD_DATA_KEY", "keys/secret.key": "MARSAD_SECRET_KEY"}
EVIDENCE_TABLE = "evidence_evidence"
SKIPPED_WAREHOUSE = ("staging", ".tmp")
COPY_BYTES = 1 << 20


class BackupError(RuntimeError):
    """A backup or restore cannot be done; the message says what and why."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    path: Path
    files: int
    bytes: int
    keys_included: bool


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    project_dir: Path
    files: int
    keys_included: bool
    key_files: tuple[Path, ...]  # where the key files are (or must be copied to)


# --- what a project holds --------------------------------------------------------------------


def reports_dir(settings: Settings) -> Path:
    """The published reports: beside the evidence folder (as the web app keeps them)."""
    return settings.path("web.evidence_path").parent / "reports"


def database_kind(url: str) -> str:
    if url.startswith("sqlite:///"):
        return "sqlite"
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql"
    raise BackupError(
        f"database {url.split('://')[0]}:// cannot be backed up (SQLite or PostgreSQL)"
    )


def folder_files(root: Path, skip: tuple[str, ...] = ()) -> Iterator[Path]:
    """Files under `root`, sorted, without hidden ones (temporary and lock files) and without
    the top-level folders in `skip`."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in skip or any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and not path.name.endswith((".tmp", ".lock")):
            yield path


def warehouse_files(root: Path, work: Path) -> Iterator[tuple[str, Path]]:
    """The posts snapshot read once (copied to `work`) and the parts it lists, then the other
    files of the warehouse: a consistent copy while an import commits."""
    snapshot = root / "posts" / "_snapshot.json"
    raw = snapshot.read_bytes()
    parts = json.loads(raw).get("files", [])
    copy = work / "_snapshot.json"
    copy.write_bytes(raw)
    yield "warehouse/posts/_snapshot.json", copy
    for name in parts:
        if "/" in name or name.startswith("."):
            raise BackupError(f"{snapshot}: unexpected file name {name!r}")
        yield f"warehouse/posts/{name}", root / "posts" / name
    for path in folder_files(root, (*SKIPPED_WAREHOUSE, "posts")):
        yield f"warehouse/{path.relative_to(root).as_posix()}", path


def sqlite_copy(url: str, work: Path) -> Path:
    source_path = Path(url.removeprefix("sqlite:///"))
    if not source_path.is_file():
        raise BackupError(f"{source_path}: the case database is missing")
    copy = work / "marsad.sqlite3"
    import sqlite3

    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return copy


def run_tool(args: list[str], what: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(args[0]) is None:
        raise BackupError(f"{args[0]} is needed to {what} (Debian: apt install postgresql-client)")
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed to {what}: {done.stderr.strip()}")
    return done


def postgres_dump(url: str, work: Path) -> Path:
    dump = work / "postgres.dump"
    args = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump)]
    run_tool([*args, "--dbname", url], "copy the PostgreSQL database")
    return dump


def key_files(settings: Settings, work: Path, environ: Mapping[str, str]) -> list[tuple[str, Path]]:
    """The keys the project runs with, as (name in the archive, file): the environment
    variable's value when it is set (it wins when the project runs), else the key file. The
    data key must be found."""
    found: list[tuple[str, Path]] = []
    for name, setting in KEY_NAMES.items():
        if value := environ.get(KEY_ENVS[name], "").strip():
            path = work / PurePosixPath(name).name
            path.write_text(value + "\n", encoding="ascii")
            os.chmod(path, 0o600)
            found.append((name, path))
        elif settings.path(setting).is_file():
            found.append((name, settings.path(setting)))
    if not any(name == "keys/data.key" for name, _ in found):
        key_file = settings.path("web.data_key_file")
        raise BackupError(
            f"--include-keys: the data key is neither in {key_file} nor in MARSAD_DATA_KEY"
        )
    return found


def pending_rotation(settings: Settings) -> Path | None:
    """`<data key file>.new` when a key rotation was left unfinished."""
    key_file = settings.path("web.data_key_file")
    new = key_file.with_name(key_file.name + ".new")
    return new if new.exists() else None


def needed_blobs(sqlite_file: Path) -> set[str]:
    """The evidence files the copied SQLite database still needs (its unpurged rows)."""
    con = sqlite3.connect(f"file:{sqlite_file}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
        if EVIDENCE_TABLE not in tables:
            return set()
        rows = con.execute(f"SELECT blob_name FROM {EVIDENCE_TABLE} WHERE purged_at IS NULL")
        return {str(row[0]) for row in rows}
    finally:
        con.close()


def project_files(
    settings: Settings, work: Path, keys: list[tuple[str, Path]]
) -> Iterator[tuple[str, Path]]:
    """(name in the archive, file on disk) of everything a backup holds, but the manifest."""
    yield CONFIG_FILE, settings.project_dir / CONFIG_FILE
    yield from warehouse_files(settings.warehouse_dir, work)
    url = settings.database_url
    copy = sqlite_copy(url, work) if database_kind(url) == "sqlite" else None
    yield (SQLITE_NAME, copy) if copy else (POSTGRES_NAME, postgres_dump(url, work))
    evidence_root = settings.path("web.evidence_path")
    read: set[str] = set()
    for path in folder_files(evidence_root):
        read.add(path.name)
        yield f"evidence/{path.relative_to(evidence_root).as_posix()}", path
    if copy is not None and (missing := needed_blobs(copy) - read):
        raise BackupError(
            f"{len(missing)} evidence file(s) the database still needs are not in "
            f"{evidence_root} (a purge while the backup ran, or files lost): nothing was "
            "written; run the backup again, and if this comes back, the files are lost"
        )
    for path in folder_files(reports_dir(settings)):
        yield f"reports/{path.relative_to(reports_dir(settings)).as_posix()}", path
    yield from keys


# --- writing ---------------------------------------------------------------------------------


class HashingReader:
    """A file read once: its SHA-256 and size are taken on the way into the archive."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(datetime.now(UTC).timestamp())
    return info


def add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        reader = HashingReader(handle)
        tar.addfile(_member(name, os.fstat(handle.fileno()).st_size), reader)
    return {"sha256": reader.sha256.hexdigest(), "size": reader.size}


def write_archive(
    sink: BinaryIO, passphrase: str, entries: Iterator[tuple[str, Path]], head: dict[str, Any]
) -> dict[str, Any]:
    writer = SealingWriter(sink, passphrase)
    files: dict[str, Any] = {}
    with tarfile.open(fileobj=writer, mode="w|gz") as tar:  # type: ignore[call-overload]
        for name, path in entries:
            files[name] = add_file(tar, name, path)
        manifest = {**head, "files": files}
        body = json.dumps(manifest, indent=1, sort_keys=True).encode()
        tar.addfile(_member(MANIFEST, len(body)), io.BytesIO(body))
    writer.finish()
    return manifest


def backup_project(
    settings: Settings,
    out: Path,
    passphrase: str,
    include_keys: bool = False,
    environ: Mapping[str, str] | None = None,
) -> BackupSummary:
    """Write the project's backup to `out` (a new file: refused if it exists), all or nothing.
    `environ` (default: this process's) is where MARSAD_DATA_KEY and MARSAD_SECRET_KEY are
    looked for."""
    environ = os.environ if environ is None else environ
    if out.exists():
        raise BackupError(f"{out} exists already: choose a new file name")
    if new_key := pending_rotation(settings):
        raise BackupError(
            f"a key rotation is unfinished ({new_key} exists): run `marsad keys rotate` "
            "again to finish it, then back up"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    head = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "project": str(settings.get("project.name")),
        "database": database_kind(settings.database_url),
        "keys_included": include_keys,
    }
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as folder:
        work, partial = Path(folder), Path(folder) / "archive"
        keys = key_files(settings, work, environ) if include_keys else []
        with partial.open("wb") as sink:
            manifest = write_archive(sink, passphrase, project_files(settings, work, keys), head)
            sink.flush()
            os.fsync(sink.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, out)
    files = manifest["files"]
    total = sum(int(entry["size"]) for entry in files.values())
    return BackupSummary(out, len(files), total, include_keys)


# --- reading ---------------------------------------------------------------------------------


def safe_name(name: str) -> PurePosixPath:
    """A member name that stays inside the restore folder and is one a backup writes."""
    path = PurePosixPath(name)
    allowed = {CONFIG_FILE, MANIFEST, "database", "keys", *FOLDERS}
    if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] not in allowed:
        raise ArchiveError(f"the archive holds an unexpected file: {name!r}")
    return path


def extract_member(tar: tarfile.TarFile, member: tarfile.TarInfo, staging: Path) -> dict[str, Any]:
    source = tar.extractfile(member)
    if source is None:
        raise ArchiveError(f"{member.name}: not a regular file")
    target = staging / safe_name(member.name)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest, size = hashlib.sha256(), 0
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        while block := source.read(COPY_BYTES):
            digest.update(block)
            size += len(block)
            out.write(block)
    return {"sha256": digest.hexdigest(), "size": size}


def extract_archive(reader: OpeningReader, staging: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(files found with their hashes, the manifest) of an opened archive, unpacked to
    `staging`."""
    found: dict[str, Any] = {}
    try:
        with tarfile.open(fileobj=reader, mode="r|gz") as tar:  # type: ignore[call-overload]
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile():
                    raise ArchiveError(f"{member.name}: not a regular file")
                found[member.name] = extract_member(tar, member, staging)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise ArchiveError(f"the archive's contents are not readable: {error}") from None
    if MANIFEST not in found:
        raise ArchiveError("the archive has no manifest")
    found.pop(MANIFEST)
    return found, json.loads((staging / MANIFEST).read_text(encoding="utf-8"))


def check_manifest(found: Mapping[str, Any], manifest: Mapping[str, Any]) -> None:
    listed = manifest.get("files", {})
    for name in sorted(set(listed) | set(found)):
        if name not in found:
            raise ArchiveError(f"{name}: listed in the manifest but missing from the archive")
        if name not in listed:
            raise ArchiveError(f"{name}: in the archive but not in the manifest")
        if found[name]["sha256"] != listed[name]["sha256"]:
            raise ArchiveError(f"{name}: SHA-256 differs from the manifest's")


# --- placing a restored project --------------------------------------------------------------


def require_empty(path: Path, what: str) -> None:
    if path.is_dir() and any(path.iterdir()):
        raise BackupError(f"{path} is not empty: {what} is restored only into an empty place")
    if path.is_file() and path.stat().st_size > 0:
        raise BackupError(f"{path} exists already: {what} is restored only into an empty place")


def targets(settings: Settings, manifest: Mapping[str, Any]) -> dict[str, Path]:
    """Where each part of the staging folder goes in the restored project."""
    places = {
        "warehouse": settings.warehouse_dir,
        "evidence": settings.path("web.evidence_path"),
        "reports": reports_dir(settings),
    }
    kind = database_kind(settings.database_url)
    if kind != manifest.get("database"):
        raise BackupError(
            f"the backup holds a {manifest.get('database')} database but the project's is {kind} "
            f"({settings.database_url.split('://')[0]}://; check MARSAD_DATABASE_URL)"
        )
    if kind == "sqlite":
        places[SQLITE_NAME] = Path(settings.database_url.removeprefix("sqlite:///"))
    for name, setting in KEY_NAMES.items():
        places[name] = settings.path(setting)
    return places


def require_empty_postgres(url: str) -> None:
    query = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
    count = run_tool(["psql", "--dbname", url, "-tAc", query], "look into the PostgreSQL database")
    if count.stdout.strip() != "0":
        raise BackupError("the PostgreSQL database is not empty: restore only into an empty one")


def postgres_restore(url: str, dump: Path) -> None:
    args = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", url]
    run_tool([*args, str(dump)], "restore the PostgreSQL database")


def place(staging: Path, settings: Settings, manifest: Mapping[str, Any]) -> None:
    places = targets(settings, manifest)
    moves = [
        (staging / name, target) for name, target in places.items() if (staging / name).exists()
    ]
    for _, target in moves:
        require_empty(target, "a backup")
    if (staging / POSTGRES_NAME).exists():
        require_empty_postgres(settings.database_url)
    for source, target in moves:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            target.rmdir()
        shutil.move(source, target)
    if (staging / POSTGRES_NAME).exists():
        postgres_restore(settings.database_url, staging / POSTGRES_NAME)
    settings.rejects_dir.mkdir(parents=True, exist_ok=True)


def empty_folder(folder: Path) -> None:
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def read_into(archive: Path, passphrase: str, staging: Path) -> dict[str, Any]:
    with archive.open("rb") as source:
        found, manifest = extract_archive(OpeningReader(source, passphrase), staging)
    check_manifest(found, manifest)
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"backup format {manifest.get('format')!r} is not known to this marsad")
    return manifest


def restore_project(
    archive: Path, project_dir: Path, passphrase: str, environ: Mapping[str, str] | None = None
) -> RestoreSummary:
    """Check the backup whole, then unpack it into the empty or new `project_dir`."""
    require_empty(project_dir, "a project")
    project_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{project_dir.name}.restoring-", dir=project_dir.parent)
    )
    try:
        manifest = read_into(archive, passphrase, staging)
        shutil.move(staging / CONFIG_FILE, project_dir / CONFIG_FILE)
        settings = load_settings(project_dir, environ)
        try:
            place(staging, settings, manifest)
        except BaseException:
            empty_folder(project_dir)  # it was empty: nothing of a half restore stays
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    keys = tuple(settings.path(setting) for setting in KEY_NAMES.values())
    return RestoreSummary(
        project_dir, len(manifest["files"]), bool(manifest["keys_included"]), keys
    )
