"""Hypothesis values for a Django form field, chosen by the field's type: half plausible (so that
whole forms are sometimes valid), half hostile. And the contract a valid form's cleaned value
must keep for its field."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db.models import Model
from django.utils import timezone
from hypothesis import strategies as st

from ..test_evidence_sniff import gif, html, png, text
from .hostile import RTL_MARKS, hostile_date, hostile_number, hostile_text

Draw = Any  # hypothesis' `data.draw`
SAMPLE_URLS = ["https://www.facebook.com/story.php?id=1", "http://x.example/مسار?q=1#a"]
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
FILE_BODIES = [png(), gif(), text(), html(), SVG, b"", b"\x00" * 64, b"PK\x03\x04" + b"\x00" * 26]
FILE_NAMES = ["shot.png", "../../etc/passwd", "a\r\nX-Evil: 1.png", "x.svg", "ملف.png", "\x00.png"]


def plain_text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    letters = st.characters(exclude_categories=("Cs", "Cc"), include_characters=RTL_MARKS)
    return st.text(alphabet=letters, min_size=max(min_size, 1), max_size=max_size).filter(
        lambda s: len(s.strip()) >= max(min_size, 1)
    )


def uploads() -> st.SearchStrategy[SimpleUploadedFile]:
    return st.builds(
        SimpleUploadedFile,
        st.sampled_from(FILE_NAMES),
        st.sampled_from(FILE_BODIES),
        st.sampled_from(["image/png", "text/html", "image/svg+xml", ""]),
    )


def choice_values(field: forms.ChoiceField) -> list[str]:
    values: list[str] = []
    choices: Any = field.choices
    for key, label in choices:
        if isinstance(label, list | tuple):  # an option group
            values += [str(k) for k, _ in label]
        else:
            values.append(str(key))
    return values


def model_pks(field: forms.ModelChoiceField) -> list[str]:  # type: ignore[type-arg]
    queryset: Any = field.queryset
    return [str(pk) for pk in queryset.values_list("pk", flat=True)[:30]]


def _valid(draw: Draw, name: str, field: forms.Field, hints: dict[str, str]) -> Any:
    """A value the field should accept (forms add checks of their own: not always valid)."""
    if name in hints:
        return hints[name]
    if isinstance(field, forms.FileField):
        return [png()] if isinstance(field.widget, forms.ClearableFileInput) else png()
    if isinstance(field, forms.ModelChoiceField):
        return draw(st.sampled_from(model_pks(field) or [""]))
    if isinstance(field, forms.MultipleChoiceField):
        return draw(st.lists(st.sampled_from(choice_values(field)), max_size=3, unique=True))
    if isinstance(field, forms.ChoiceField):
        return draw(st.sampled_from(choice_values(field) or [""]))
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.DateField):
        return draw(st.dates(date(1990, 1, 1), timezone.now().date())).isoformat()
    if isinstance(field, forms.SlugField):
        return draw(st.from_regex(r"\A[a-z][a-z0-9_]{0,59}\Z"))
    if isinstance(field, forms.URLField):
        return draw(st.sampled_from(SAMPLE_URLS))
    if name == "links":
        return "\n".join(draw(st.lists(st.sampled_from(SAMPLE_URLS), max_size=3)))
    if isinstance(field, forms.CharField):
        low, high = field.min_length or 1, min(field.max_length or 400, 400)
        return draw(plain_text(low, high))
    return draw(hostile_text())


def _hostile(draw: Draw, field: forms.Field) -> Any:
    if isinstance(field, forms.FileField):
        return draw(st.lists(uploads(), max_size=3))
    if isinstance(field, forms.MultipleChoiceField | forms.ModelChoiceField):
        return draw(st.lists(st.one_of(hostile_number(), hostile_text(40)), max_size=3))
    if isinstance(field, forms.DateField):
        return draw(hostile_date())
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return draw(hostile_number())
    return draw(st.one_of(hostile_text(), hostile_number(), st.lists(hostile_text(40), max_size=3)))


def field_value(draw: Draw, kind: str, name: str, field: forms.Field, hints: dict[str, str]) -> Any:
    """A value of this kind ("valid", "hostile" or "missing": None leaves the field out of the
    request) for the field; a list of values is sent as a multi-valued POST sends it."""
    if kind == "missing":
        return None
    return _valid(draw, name, field, hints) if kind == "valid" else _hostile(draw, field)


def as_upload(value: Any) -> Any:
    """File field values as uploaded files (the plausible value is the PNG's bytes)."""
    if isinstance(value, bytes):
        return SimpleUploadedFile("shot.png", value, content_type="image/png")
    if isinstance(value, list):
        return [as_upload(v) for v in value]
    return value


# --- the contract of a cleaned value ------------------------------------------------------------


def check_cleaned(field: forms.Field, value: Any) -> None:
    """A valid form's value for this field keeps the field's declared limits."""
    if field.required:
        assert value not in field.empty_values, "a required field was left empty"
    if value in (None, "", [], False):
        return
    if isinstance(field, forms.FileField):
        _check_files(value)
    elif isinstance(field, forms.ModelChoiceField):
        queryset: Any = field.queryset
        assert isinstance(value, Model) and queryset.filter(pk=value.pk).exists()
    elif isinstance(field, forms.MultipleChoiceField):
        assert set(value) <= set(choice_values(field))
    elif isinstance(field, forms.ChoiceField):
        assert value in choice_values(field)
    elif isinstance(field, forms.BooleanField):
        assert value is True
    elif isinstance(field, forms.DateField):
        assert isinstance(value, date)
    elif isinstance(field, forms.CharField):
        _check_text(field, value)


def _check_files(value: Any) -> None:
    from django.conf import settings

    for upload in value if isinstance(value, list) else [value]:
        assert isinstance(upload, UploadedFile)
        assert (upload.size or 0) <= settings.MARSAD_MAX_UPLOAD_BYTES


def _check_text(field: forms.CharField, value: Any) -> None:
    assert isinstance(value, str)
    assert "\x00" not in value, "a NUL character passed a text field"
    if field.max_length is not None:
        assert len(value) <= field.max_length
    if field.min_length is not None:
        assert len(value) >= field.min_length
    if field.strip:
        assert value == value.strip()
    if isinstance(field, forms.SlugField):
        assert re.fullmatch(r"[-a-zA-Z0-9_]+", value)
    if isinstance(field, forms.URLField):
        assert value.startswith(("http://", "https://"))
