"""Sealing personal fields: round trip, tamper detection, binding to the field, at rest."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from marsad.web import crypto

KEY = bytes(range(32))


def test_a_sealed_value_opens_with_its_key_and_place() -> None:
    sealed = crypto.seal("سلمى".encode(), b"cases.Case.reporter_name", KEY)
    assert crypto.open_sealed(sealed, b"cases.Case.reporter_name", KEY).decode() == "سلمى"


def test_sealing_twice_gives_different_bytes() -> None:
    assert crypto.seal(b"same", b"p", KEY) != crypto.seal(b"same", b"p", KEY)


def test_a_value_moved_to_another_field_does_not_open() -> None:
    sealed = crypto.seal(b"+970 59", b"cases.Case.contact", KEY)
    with pytest.raises(crypto.DecryptionError, match="altered or belongs elsewhere"):
        crypto.open_sealed(sealed, b"cases.Case.description", KEY)


def test_a_flipped_bit_is_detected() -> None:
    sealed = bytearray(crypto.seal(b"evidence", b"p", KEY))
    sealed[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(bytes(sealed), b"p", KEY)


def test_a_value_sealed_with_another_key_names_the_problem() -> None:
    sealed = crypto.seal(b"x", b"p", bytes(32))
    with pytest.raises(crypto.DecryptionError, match="another key"):
        crypto.open_sealed(sealed, b"p", KEY)


@pytest.mark.parametrize(
    ("text", "reason"), [("zz" * 32, "not hexadecimal"), ("ab" * 16, "must be 32 bytes")]
)
def test_a_malformed_key_is_refused_with_where_it_came_from(text: str, reason: str) -> None:
    with pytest.raises(crypto.DataKeyError, match=f"key.txt: .*{reason}"):
        crypto.parse_key(text, "key.txt")


def test_personal_fields_are_not_stored_in_clear(filed_case: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT description, contact, reporter_name, links FROM cases_case WHERE id = %s",
            [filed_case.id],
        )
        values = [bytes(value) for value in cursor.fetchone()]
    stored = b"".join(values)
    for clear in ("سلمى", "+970 59 000 0000", "instagram.com", "الهدم"):
        assert clear.encode() not in stored
    # every field is a sealed box (the magic may also occur by chance inside the ciphertext)
    assert all(value.startswith(crypto.MAGIC) for value in values)


def test_personal_fields_read_back_as_written(filed_case: Any) -> None:
    from marsad.web.cases.models import Case

    case = Case.objects.get(pk=filed_case.pk)
    assert (case.reporter_name, case.contact) == ("سلمى", "+970 59 000 0000")
    assert case.description.startswith("تم تعليق حسابي")
