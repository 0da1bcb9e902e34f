"""Rotating the data key: every sealed field and evidence file re-sealed under a new key.

The procedure (`rotate_key_file`) survives a crash at any point and is resumed by running it
again:

1. The new key is written to `<key file>.new` (mode 0600) unless that file exists already, in
   which case an interrupted rotation is resumed with the key it holds.
2. Every value of every `EncryptedTextField` of every model, row by row, and every evidence
   file, one by one, is opened with the old key and sealed with the new one. The key id in each
   sealed value says which key sealed it: a value already under the new key is skipped. A row
   is updated only if it still holds the value that was read; an evidence file is written to a
   temporary name and renamed over the old one.
3. A second pass checks that nothing is left under the old key.
4. The old key is copied to `<key file>.old-<UTC time>` (0600), the rotation is written to the
   audit log (`keys.rotated`: counts and key ids), and `<key file>.new` is renamed over the
   key file: from then on only the new key opens anything.

The web app and the workers must be stopped meanwhile: a process that started with the old key
keeps it in memory and would seal new values with it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marsad.web import crypto

BATCH = 500
KEY_BYTES = 32
MAX_PASSES = 3


class RotationError(RuntimeError):
    """The rotation cannot go on; the message names the row or file and the reason."""


@dataclass(frozen=True, slots=True)
class Keys:
    old: bytes
    new: bytes


@dataclass(frozen=True, slots=True)
class RotationResult:
    values: int  # field values re-sealed
    blobs: int  # evidence files re-sealed
    old_key_copy: Path
    new_key_id: str


# --- one value ------------------------------------------------------------------------------


def reseal(sealed: bytes, aad: bytes, keys: Keys, where: str) -> bytes | None:
    """`sealed` sealed again under the new key, or None when there is nothing to do (empty,
    or already under the new key)."""
    if sealed == b"":
        return None
    found = crypto.sealed_key_id(sealed)
    if found == crypto.key_id(keys.new):
        return None
    if found != crypto.key_id(keys.old):
        raise RotationError(
            f"{where}: sealed with an unknown key (key id {found.hex()}), neither the current "
            f"key ({crypto.key_id(keys.old).hex()}) nor the new one"
        )
    try:
        plaintext = crypto.open_sealed(sealed, aad, key=keys.old)
    except crypto.DecryptionError as error:
        raise RotationError(f"{where}: does not open with the current key: {error}") from None
    return crypto.seal(plaintext, aad, key=keys.new)


# --- database fields ------------------------------------------------------------------------


def sealed_fields() -> list[Any]:
    """Every `EncryptedTextField` of every installed model (its own columns, not inherited)."""
    from django.apps import apps

    from marsad.web.fields import EncryptedTextField

    return [
        field
        for model in apps.get_models()
        for field in model._meta.local_concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def field_aad(field: Any) -> bytes:
    """The associated data `EncryptedTextField` seals a value with: `<app.Model>.<field>`."""
    return f"{field.model._meta.label}.{field.name}".encode()


def _raw_rows(field: Any) -> Iterator[tuple[Any, bytes]]:
    """(primary key, sealed bytes) of every row with a value, read without decrypting, in
    batches by primary key."""
    from django.db import connection

    meta = field.model._meta
    quote = connection.ops.quote_name
    pk, column, table = quote(meta.pk.column), quote(field.column), quote(meta.db_table)
    query = f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL"
    last: Any = None
    while True:
        with connection.cursor() as cursor:
            if last is None:
                cursor.execute(f"{query} ORDER BY {pk} LIMIT {BATCH}")
            else:
                cursor.execute(f"{query} AND {pk} > %s ORDER BY {pk} LIMIT {BATCH}", [last])
            rows = cursor.fetchall()
        if not rows:
            return
        for key, raw in rows:
            yield key, bytes(raw)
        last = rows[-1][0]


def reseal_field(field: Any, keys: Keys, limit: int | None = None) -> int:
    """Re-seal the field's values still under the old key, row by row (each row its own
    update); stop after `limit` values. Returns how many were re-sealed."""
    model = field.model
    aad = field_aad(field)
    done = 0
    for pk, raw in _raw_rows(field):
        if limit is not None and done >= limit:
            break
        fresh = reseal(raw, aad, keys, f"{model._meta.label} {pk}, field {field.name}")
        if fresh is None:
            continue
        # Only if the row still holds what was read; a changed row is seen by the next pass.
        done += model._base_manager.filter(pk=pk, **{field.attname: raw}).update(
            **{field.attname: fresh}
        )
    return done


def reseal_database(keys: Keys, limit: int | None = None) -> int:
    """Re-seal every sealed field of every model; at most `limit` values in all."""
    done = 0
    for field in sealed_fields():
        left = None if limit is None else limit - done
        done += reseal_field(field, keys, left)
    return done


# --- evidence files -------------------------------------------------------------------------


def evidence_blobs() -> Iterator[Path]:
    from marsad.web.evidence.storage import BLOB_NAME, stored_files

    return (path for path in sorted(stored_files()) if BLOB_NAME.fullmatch(path.name))


def reseal_blobs(keys: Keys, limit: int | None = None) -> int:
    """Re-seal the evidence files still under the old key, each written to a temporary file
    and renamed into place; at most `limit` files."""
    from marsad.web.evidence.storage import _aad, _write_atomically

    done = 0
    for path in evidence_blobs():
        if limit is not None and done >= limit:
            break
        fresh = reseal(path.read_bytes(), _aad(path.name), keys, f"evidence file {path}")
        if fresh is not None:
            _write_atomically(path, fresh)
            done += 1
    return done


def reseal_everything(keys: Keys) -> tuple[int, int]:
    """(values, files) re-sealed; passes again until a pass finds nothing left, so a value
    written meanwhile under the old key is not missed."""
    values = blobs = 0
    for _ in range(MAX_PASSES):
        more_values, more_blobs = reseal_database(keys), reseal_blobs(keys)
        values, blobs = values + more_values, blobs + more_blobs
        if more_values == 0 and more_blobs == 0:
            return values, blobs
    raise RotationError(
        "values kept arriving under the old key: stop the web app and the workers, then run "
        "`marsad keys rotate` again (it goes on where it stopped)"
    )


# --- key files ------------------------------------------------------------------------------


def read_key_file(path: Path) -> bytes:
    try:
        return crypto.parse_key(path.read_text(encoding="ascii"), str(path))
    except FileNotFoundError:
        raise RotationError(f"{path}: the data key file is missing") from None


def write_key_file(path: Path, key: bytes) -> None:
    """Write `key` (hex) to a new file `path`, mode 0600, flushed to disk; refuses to
    overwrite. Written under a temporary name first, so `path` is never half written."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key.hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temp, path)  # fails if `path` exists
    finally:
        temp.unlink(missing_ok=True)
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def pending_key_path(key_file: Path) -> Path:
    return key_file.with_name(key_file.name + ".new")


def pending_key(key_file: Path) -> bytes:
    """The new key of a rotation: the one of an interrupted rotation, else a new one."""
    pending = pending_key_path(key_file)
    if pending.exists():
        return read_key_file(pending)
    write_key_file(pending, secrets.token_bytes(KEY_BYTES))
    return read_key_file(pending)


def keep_old_key(key_file: Path, old: bytes, now: datetime) -> Path:
    copy = key_file.with_name(f"{key_file.name}.old-{now:%Y%m%d-%H%M%S}")
    if not copy.exists():
        write_key_file(copy, old)
    return copy


def rotate_key_file(key_file: Path, now: datetime | None = None) -> RotationResult:
    """The whole procedure of the module docstring, on the key file `key_file`."""
    from marsad.web.cases import audit

    old = read_key_file(key_file)
    keys = Keys(old=old, new=pending_key(key_file))
    if keys.new == keys.old:
        raise RotationError(f"{pending_key_path(key_file)} holds the current key: delete it")
    values, blobs = reseal_everything(keys)
    copy = keep_old_key(key_file, old, now or datetime.now(UTC))
    audit.record(
        audit.SYSTEM,
        "keys.rotated",
        values=values,
        evidence_files=blobs,
        old_key_id=crypto.key_id(keys.old).hex(),
        new_key_id=crypto.key_id(keys.new).hex(),
    )
    os.replace(pending_key_path(key_file), key_file)
    _fsync_folder(key_file.parent)
    crypto.data_key.cache_clear()
    return RotationResult(values, blobs, copy, crypto.key_id(keys.new).hex())
