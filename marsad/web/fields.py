"""`EncryptedTextField`: a text column stored sealed (AES-256-GCM, `marsad.web.crypto`)."""

from __future__ import annotations

from typing import Any

from django.db import models

from marsad.web import crypto


class EncryptedTextField(models.BinaryField):  # type: ignore[type-arg]
    """Text in Python, sealed bytes in the database. Not searchable or sortable by design.

    The empty string is stored as empty bytes (nothing to protect, and "no value" stays visible
    to statistics); every other value is sealed with the field's place as associated data.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", "")
        kwargs.setdefault("blank", True)
        kwargs["editable"] = True
        super().__init__(*args, **kwargs)

    def _check_str_default_value(self) -> list[Any]:
        return []  # the default is text here: it is sealed on the way to the database

    def _aad(self) -> bytes:
        return f"{self.model._meta.label}.{self.name}".encode()

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, bytes | memoryview):
            return value
        text = str(value)
        return b"" if text == "" else crypto.seal(text.encode("utf-8"), self._aad())

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return super().get_db_prep_value(value, connection, prepared=True)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        raw = bytes(value)
        return "" if raw == b"" else crypto.open_sealed(raw, self._aad()).decode("utf-8")

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: Any) -> str:
        return str(self.value_from_object(obj))

    def formfield(
        self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any
    ) -> Any:
        from django import forms

        return forms.CharField(widget=forms.Textarea, required=not self.blank, **kwargs)
