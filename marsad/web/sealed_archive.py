"""A passphrase-encrypted stream: how `marsad backup` writes its archive.

Layout: a 50-byte header, then chunks. The header is the magic `MRSDBK01`, the scrypt
parameters (log2 N, r, p: one byte each), a random 16-byte salt, a random 7-byte nonce prefix
and a 16-byte passphrase check. scrypt stretches the passphrase into 64 bytes: the first 32 are
the AES-256-GCM key, the next 16 the check (so a wrong passphrase is told apart from a damaged
archive). The plaintext is cut into 1 MiB chunks, each sealed with AES-256-GCM under the nonce
`prefix + chunk number (4 bytes) + last-chunk flag (1 byte)` and the header as associated data:
a changed, removed, reordered or appended chunk, a cut-off end or an edited header does not open.
"""

from __future__ import annotations

import hmac
import secrets
import struct
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"MRSDBK01"
CHUNK = 1 << 20
TAG = 16
SALT_BYTES = 16
PREFIX_BYTES = 7
CHECK_BYTES = 16
HEADER = struct.Struct(f">{len(MAGIC)}sBBB{SALT_BYTES}s{PREFIX_BYTES}s{CHECK_BYTES}s")
LOG2_N, R, P = 17, 8, 1  # scrypt: 128 MiB of memory per guess


class ArchiveError(ValueError):
    """The archive does not open: wrong passphrase, altered or cut-off bytes, not an archive."""


@dataclass(frozen=True, slots=True)
class Stretched:
    key: bytes
    check: bytes


def stretch(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> Stretched:
    derived = Scrypt(salt=salt, length=32 + CHECK_BYTES, n=1 << log2_n, r=r, p=p).derive(
        passphrase.encode("utf-8")
    )
    return Stretched(key=derived[:32], check=derived[32:])


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">I?", number, last)


class SealingWriter:
    """A write-only file: what is written goes out to `sink` sealed, chunk by chunk.
    `finish()` seals the last chunk; without it the archive does not open."""

    def __init__(self, sink: BinaryIO, passphrase: str) -> None:
        salt, self._prefix = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(PREFIX_BYTES)
        stretched = stretch(passphrase, salt, LOG2_N, R, P)
        self._header = HEADER.pack(MAGIC, LOG2_N, R, P, salt, self._prefix, stretched.check)
        self._aead = AESGCM(stretched.key)
        self._sink = sink
        self._buffer = bytearray()
        self._number = 0
        sink.write(self._header)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep at least one byte back for the last chunk
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plaintext: bytes, last: bool) -> None:
        nonce = _nonce(self._prefix, self._number, last)
        self._sink.write(self._aead.encrypt(nonce, plaintext, self._header))
        self._number += 1

    def finish(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()


class OpeningReader:
    """A read-only file over a sealed archive: each chunk is checked before any of its bytes is
    given out; reading past the last chunk, or an archive cut short, raises ArchiveError."""

    def __init__(self, source: BinaryIO, passphrase: str) -> None:
        self._header = source.read(HEADER.size)
        if len(self._header) != HEADER.size or not self._header.startswith(MAGIC):
            raise ArchiveError("not a marsad backup (the header is missing or different)")
        _, log2_n, r, p, salt, self._prefix, check = HEADER.unpack(self._header)
        if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
            raise ArchiveError("not a marsad backup (its key-stretching settings are invalid)")
        stretched = stretch(passphrase, salt, log2_n, r, p)
        if not hmac.compare_digest(stretched.check, check):
            raise ArchiveError("wrong passphrase")
        self._aead = AESGCM(stretched.key)
        self._source = source
        self._pending = source.read(CHUNK + TAG)
        self._plain = bytearray()
        self._number = 0
        self._ended = False

    def _next_chunk(self) -> None:
        sealed, self._pending = self._pending, self._source.read(CHUNK + TAG)
        last = not self._pending
        try:
            nonce = _nonce(self._prefix, self._number, last)
            self._plain += self._aead.decrypt(nonce, sealed, self._header)
        except (InvalidTag, ValueError):
            raise ArchiveError(
                f"the archive was altered or cut short (chunk {self._number} does not open)"
            ) from None
        self._number += 1
        self._ended = last

    def read(self, size: int = -1) -> bytes:
        while not self._ended and (size < 0 or len(self._plain) < size):
            self._next_chunk()
        size = len(self._plain) if size < 0 else min(size, len(self._plain))
        out = bytes(self._plain[:size])
        del self._plain[:size]
        return out
