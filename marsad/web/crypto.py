"""Encryption at rest of reporters' personal fields and of evidence files (AES-256-GCM).

The key is 32 bytes: `MARSAD_DATA_KEY` (64 hex digits) or the project's key file
(`web.data_key_file`, made by `marsad init`); it is never written to the database. A sealed
value is `b"m1" + key id (4 bytes) + nonce (12 bytes) + ciphertext-and-tag`; the key id (the first
bytes of the key's SHA-256) tells which key sealed it, so a rotation can find old values. The
associated data binds a value to its place (e.g. `b"cases.Case.contact"`): a ciphertext copied
into another field does not open.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"m1"
KEY_ENV = "MARSAD_DATA_KEY"
NONCE_BYTES = 12
KEY_ID_BYTES = 4


class DataKeyError(RuntimeError):
    """The data key is missing or malformed; the message says where it was looked for."""


class DecryptionError(ValueError):
    """A sealed value did not open: wrong key, wrong place, or altered bytes."""


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()[:KEY_ID_BYTES]


def parse_key(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise DataKeyError(f"{where}: the data key is not hexadecimal") from None
    if len(key) != 32:
        raise DataKeyError(
            f"{where}: the data key must be 32 bytes (64 hex digits), got {len(key)}"
        )
    return key


@cache
def data_key() -> bytes:
    """The project's data key (cached for the life of the process)."""
    if text := os.environ.get(KEY_ENV):
        return parse_key(text, f"environment variable {KEY_ENV}")
    from django.conf import settings

    path = Path(settings.MARSAD_DATA_KEY_FILE)
    try:
        return parse_key(path.read_text(encoding="ascii"), str(path))
    except FileNotFoundError:
        raise DataKeyError(
            f"{path}: the data key file is missing; `marsad init` makes it, or set {KEY_ENV}"
        ) from None


def seal(plaintext: bytes, aad: bytes, key: bytes | None = None) -> bytes:
    key = data_key() if key is None else key
    nonce = secrets.token_bytes(NONCE_BYTES)
    return MAGIC + key_id(key) + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(sealed: bytes, aad: bytes, key: bytes | None = None) -> bytes:
    key = data_key() if key is None else key
    head = len(MAGIC) + KEY_ID_BYTES
    if sealed[: len(MAGIC)] != MAGIC or len(sealed) < head + NONCE_BYTES + 16:
        raise DecryptionError("not a sealed value")
    if sealed[len(MAGIC) : head] != key_id(key):
        raise DecryptionError("sealed with another key")
    nonce = sealed[head : head + NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, sealed[head + NONCE_BYTES :], aad)
    except InvalidTag:
        raise DecryptionError("the sealed value was altered or belongs elsewhere") from None


def sealed_key_id(sealed: bytes) -> bytes:
    return bytes(sealed[len(MAGIC) : len(MAGIC) + KEY_ID_BYTES])
