"""Hypothesis on every form of the web app (found in the code, see `forms_found`): whatever is
sent (any unicode, NULs, right-to-left marks, huge strings, numbers out of range, impossible
dates, lists for single values, hostile files), `is_valid()` answers True or False without
raising, errors are attached to named fields, a bound form renders with the input escaped, and
a valid form's cleaned data keep each field's contract."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from marsad.web.cases.models import Case

from .field_values import as_upload, check_cleaned, field_value
from .forms_found import FormContext, build, extra_arguments, web_forms

FORMS = web_forms()
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Forms known when these tests were written: the discovery must find at least these.
KNOWN = {
    "ReportForm",
    "StatusLoginForm",
    "AddInformationForm",
    "WithdrawForm",
    "UploadForm",
    "CaptureForm",
    "QueueForm",
    "MoveForm",
    "AssignForm",
    "ClassifyForm",
    "NoteForm",
    "SummaryForm",
    "MergeForm",
    "EscalationForm",
    "ReplyForm",
    "TermNamesForm",
    "NewTermForm",
    "ExportForm",
    "StaffLoginForm",
}
# The public form's honeypot and challenge fields: left empty by a person (the challenge is off
# in the tests).
GUARD_LEFT_EMPTY = {"website": "", "pow_challenge": "", "pow_solution": ""}
NOT_IN_FUTURE = {
    ("ReportForm", "occurred_on"),
    ("EscalationForm", "sent_on"),
    ("ReplyForm", "replied_on"),
}


@pytest.fixture
def context(filed_case: Case, admin: User) -> FormContext:
    return FormContext(user=admin, case=filed_case)


def test_the_fuzzed_forms_are_found_in_the_code() -> None:
    assert {form.__name__ for form in FORMS} >= KNOWN


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_every_form_can_be_built_for_the_fuzzing(
    context: FormContext, form_class: type[forms.BaseForm]
) -> None:
    unknown = []
    for name in extra_arguments(form_class):
        try:
            context.argument(name)
        except LookupError:
            unknown.append(name)
    assert not unknown, f"{form_class.__name__} needs {unknown}: teach FormContext.argument"
    assert build(form_class, context).fields


def _kinds(draw: Any, names: list[str]) -> dict[str, str]:
    """Either every field plausible but one (hostile or left out), so that whole forms are
    often valid; or each field plausible, hostile or missing on its own."""
    if draw(st.booleans()):
        spoiled = draw(st.sampled_from([None, *names]))
        bad = draw(st.sampled_from(["hostile", "missing"]))
        return {name: bad if name == spoiled else "valid" for name in names}
    kinds = st.sampled_from(["valid", "hostile", "missing"])
    return {name: draw(kinds) for name in names}


def _bound_data(draw: Any, form: forms.BaseForm, hints: dict[str, str]) -> dict[str, Any]:
    data: MultiValueDict[str, Any] = MultiValueDict()
    files: MultiValueDict[str, Any] = MultiValueDict()
    kinds = _kinds(draw, list(form.fields))
    sent: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = field_value(draw, kinds[name], name, field, hints)
        first = name.removesuffix("_again")
        if first != name and kinds[name] == kinds.get(first) == "valid":
            value = sent.get(first)  # a confirmation field repeats its field
        if value is None:
            continue
        sent[name] = value
        target = files if isinstance(field, forms.FileField) else data
        values = value if isinstance(value, list) else [value]
        target.setlist(name, [as_upload(v) for v in values] if target is files else values)
    return {"data": data, "files": files}


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
@FUZZ
@given(draw=st.data())
def test_a_form_never_raises_on_hostile_input_and_keeps_its_contract(
    context: FormContext, form_class: type[forms.BaseForm], draw: st.DataObject
) -> None:
    code = context.case.receipt_code
    hints = {"original": code, "receipt_code": code, **GUARD_LEFT_EMPTY}
    bound = _bound_data(draw.draw, build(form_class, context), hints)
    form = build(form_class, context, **bound)
    valid = form.is_valid()
    event("valid" if valid else "invalid")
    assert valid is (not form.errors)
    assert set(form.errors) <= {*form.fields, NON_FIELD_ERRORS}
    assert all(messages and all(str(m) for m in messages) for messages in form.errors.values())
    assert "<script>alert(1)</script>" not in str(form)
    if valid:
        _check_contract(form)


def _check_contract(form: Any) -> None:
    name_of_form = type(form).__name__
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name_of_form == "MergeForm" and name == "original":
            assert isinstance(value, Case)
            continue
        check_cleaned(field, value)
        if (name_of_form, name) in NOT_IN_FUTURE and isinstance(value, date):
            assert value <= timezone.now().date()
    _check_form_rules(name_of_form, form.cleaned_data)


def _check_form_rules(name: str, data: dict[str, Any]) -> None:
    """The rules a form checks across its fields."""
    if "passphrase_again" in data:
        assert data["passphrase"] == data["passphrase_again"]
    if name == "ReportForm":
        assert all(
            link.startswith(("http://", "https://")) for link in data["links"].split("\n") if link
        )
        if data["wants_contact"]:
            assert data["contact_method"] and data["contact"].strip()
    if name == "ExportForm" and data["received_from"] and data["received_to"]:
        assert data["received_from"] <= data["received_to"]
    if name == "ReplyForm" and data["reply"].strip():
        assert data["replied_on"] is not None
