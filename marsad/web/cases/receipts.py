"""Receipt codes for reporters: short, unambiguous, unguessable (about 60 bits)."""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U
GROUPS = 3
GROUP_LEN = 4


def new_receipt_code() -> str:
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LEN)) for _ in range(GROUPS))
    return "-".join(groups)


def normalise_receipt_code(text: str) -> str:
    """What a reporter types back, tidied: spaces dropped, upper-cased, dashes restored."""
    letters = "".join(ch for ch in text.upper() if ch.isalnum())
    chunks = [letters[i : i + GROUP_LEN] for i in range(0, len(letters), GROUP_LEN)]
    return "-".join(chunks)
