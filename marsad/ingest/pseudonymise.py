"""Pseudonymisation at import: authors and mentioned accounts become keyed pseudonyms.

With `marsad ingest --pseudonymise` (or `ingest.pseudonymise = true`) every post is changed
before it is stored:
- `author_id` becomes `id_` + 16 hex digits and `author_handle` (and every mention, in the
  `mentions` list and as `@handle` in the text) becomes `anon_` + 16 hex digits: the first 64
  bits of HMAC-SHA256 under the project's secret key of the platform and the value (handles
  lower-cased, without '@'). The same account thus gets the same pseudonym in every import of
  the project, and a mention of an account matches the account's own posts, so counts per
  account and mention networks still work; without the key nobody can tell who it is.
- `author_name` (a display name), `url` (links name the account on most platforms) and `raw`
  (the original record, which holds everything) are not kept.

Post ids, dates, text and metrics are kept: a post id can still be looked up on its platform
by someone with access to it, so pseudonyms protect against a leaked warehouse, not against
an adversary who can query the platform.

The key is 32 random bytes kept in the project's `secret.key` (mode 0600, made on first use),
or given as hex in the `MARSAD_SECRET_KEY` environment variable.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from marsad.posts import Post

SECRET_ENV = "MARSAD_SECRET_KEY"
KEY_BYTES = 32
_DIGEST_HEX = 16
# A mention as written on any platform: @user, @user@server.example (Mastodon), @name.bsky.social.
_MENTION = re.compile(
    r"(?<![\w@＠])[@＠]([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)(@[A-Za-z0-9.-]+[A-Za-z0-9])?"
)


class SecretKeyError(ValueError):
    """The project's secret key could not be read or made; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Pseudonymiser:
    """Turns account ids and handles into pseudonyms with a secret key (picklable, so that
    worker processes get it; its repr never shows the key)."""

    key: bytes

    def __repr__(self) -> str:
        return "Pseudonymiser(key=<hidden>)"

    def pseudonym(self, platform: str, kind: str, value: str) -> str:
        message = f"{platform}\x00{kind}\x00{value}".encode()
        digest = hmac.new(self.key, message, hashlib.sha256).hexdigest()[:_DIGEST_HEX]
        return f"{'id' if kind == 'id' else 'anon'}_{digest}"

    def handle(self, platform: str, handle: str) -> str:
        return self.pseudonym(platform, "handle", handle.strip().lstrip("@＠").lower())

    def apply(self, post: Post) -> Post:
        """`post` with its author and mentions pseudonymised (changed in place, returned)."""
        platform = post.platform
        if post.author_id is not None:
            post.author_id = self.pseudonym(platform, "id", post.author_id)
        if post.author_handle is not None:
            post.author_handle = self.handle(platform, post.author_handle)
        post.author_name = None
        post.url = None
        post.raw = None
        post.mentions = [self.handle(platform, mention) for mention in post.mentions]
        if post.text is not None:
            post.text = self.text(platform, post.text)
        if post.text_norm is not None:
            post.text_norm = self.text(platform, post.text_norm)
        return post

    def text(self, platform: str, text: str) -> str:
        """`text` with every @mention replaced by `@` + the account's pseudonym."""
        if "@" not in text and "＠" not in text:
            return text
        return _MENTION.sub(lambda m: "@" + self.handle(platform, m.group(0)), text)


def load_pseudonymiser(
    secret_file: Path, environ: Mapping[str, str] | None = None
) -> Pseudonymiser:
    """The project's pseudonymiser: the key from MARSAD_SECRET_KEY, else from `secret_file`,
    which is made (32 random bytes as hex, mode 0600) when it does not exist yet."""
    environ = os.environ if environ is None else environ
    if environ.get(SECRET_ENV):
        return Pseudonymiser(
            _key_from_hex(environ[SECRET_ENV], f"environment variable {SECRET_ENV}")
        )
    if not secret_file.exists():
        create_secret_file(secret_file)
    try:
        text = secret_file.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise SecretKeyError(f"{secret_file}: cannot read the secret key: {error}") from error
    return Pseudonymiser(_key_from_hex(text, str(secret_file)))


def create_secret_file(path: Path) -> bool:
    """Write a new random key to `path` (mode 0600) unless the file exists; True if made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(KEY_BYTES) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return True


def _key_from_hex(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise SecretKeyError(f"{where}: the secret key must be hexadecimal") from None
    if len(key) < 16:
        raise SecretKeyError(f"{where}: the secret key must be at least 16 bytes (32 hex digits)")
    return key
