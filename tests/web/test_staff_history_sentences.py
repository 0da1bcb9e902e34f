"""Every audited action that names a case reads as a sentence in the case history, never as its
code: the actions are collected from the calls `audit.record(..., case_id=...)` in marsad/web's
source, so a new one without a sentence fails here."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation

import marsad.web
from marsad.web.cases import audit
from marsad.web.cases.models import AuditEntry, Case
from marsad.web.cases.purge import purge_personal_data
from marsad.web.staff.history import SENTENCES, case_history, describe

WEB = Path(marsad.web.__file__).resolve().parent
# Actions the collector must find (so that a collector finding nothing cannot pass).
KNOWN = {
    "api.case_read",
    "case.purged",
    "case.transition",
    "evidence.added",
    "evidence.captured",
    "evidence.exported",
    "evidence.purged",
    "evidence.viewed",
}


@dataclass(frozen=True)
class Module:
    path: Path
    tree: ast.Module


def modules() -> list[Module]:
    return [Module(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(WEB.rglob("*.py"))]


def _is_audit_record(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "record"
        and isinstance(func.value, ast.Name)
        and func.value.id == "audit"
    )


def _functions(tree: ast.Module) -> Iterator[ast.FunctionDef]:
    yield from (node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef))


def _own_calls(function: ast.FunctionDef) -> Iterator[ast.Call]:
    """The calls in the function's body, not in the functions defined inside it."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _constant(node: ast.expr | None, where: str) -> str:
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        raise AssertionError(f"{where}: the action is not a string the test can read")
    return node.value


def _argument_values(function: ast.FunctionDef, name: str, everything: list[Module]) -> set[str]:
    """The strings a parameter of `function` takes: its default, and what every call of the
    function by its name passes (by position or keyword)."""
    params = [a.arg for a in function.args.args]
    index = params.index(name)
    values: set[str] = set()
    defaults = function.args.defaults
    first_default = len(params) - len(defaults)
    if index >= first_default:
        values.add(_constant(defaults[index - first_default], f"default of {name}"))
    for module in everything:
        for call in (n for n in ast.walk(module.tree) if isinstance(n, ast.Call)):
            called = call.func.attr if isinstance(call.func, ast.Attribute) else None
            called = call.func.id if isinstance(call.func, ast.Name) else called
            if called != function.name:
                continue
            where = f"{module.path.name}:{call.lineno}"
            keywords = {k.arg: k.value for k in call.keywords}
            if name in keywords:
                values.add(_constant(keywords[name], where))
            elif len(call.args) > index:
                values.add(_constant(call.args[index], where))
    return values


def _actions_of(call: ast.Call, function: ast.FunctionDef, everything: list[Module]) -> set[str]:
    action = call.args[1]
    if isinstance(action, ast.Constant) and isinstance(action.value, str):
        return {action.value}
    if isinstance(action, ast.Name):
        return _argument_values(function, action.id, everything)
    if isinstance(action, ast.JoinedStr):  # f"evidence.{purpose}"
        texts = {""}
        for part in action.values:
            if isinstance(part, ast.Constant):
                texts = {t + str(part.value) for t in texts}
            else:
                assert isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Name)
                options = _argument_values(function, part.value.id, everything)
                texts = {t + option for t in texts for option in options}
        return texts
    raise AssertionError(f"line {call.lineno}: an action the test cannot read")


def case_actions() -> set[str]:
    """Every action written by `audit.record` with a `case_id`, in marsad/web's source."""
    everything = modules()
    found: set[str] = set()
    for module in everything:
        for function in _functions(module.tree):
            for call in _own_calls(function):
                if _is_audit_record(call) and any(k.arg == "case_id" for k in call.keywords):
                    found |= _actions_of(call, function, everything)
    return found


def test_the_collector_finds_the_audited_actions_of_cases() -> None:
    found = case_actions()
    assert found >= KNOWN
    assert not [a for a in found if a.startswith(("staff.", "taxonomy.", "keys."))]


def test_every_audited_action_of_a_case_has_a_sentence() -> None:
    assert sorted(case_actions() - set(SENTENCES)) == []


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_every_case_action_reads_in_arabic_and_hebrew_not_as_its_code(lang: str) -> None:
    letters = range(0x0600, 0x0700) if lang == "ar" else range(0x0590, 0x0600)
    for action in sorted(case_actions()):
        entry = AuditEntry(at=timezone.now(), actor_label="system", action=action, details={})
        with translation.override(lang):
            text = describe(entry, {}).text
        assert text != action
        assert any(ord(c) in letters for c in text), (action, text)


def test_a_purge_and_an_api_read_read_as_sentences(
    filed_case: Case, admin: User, documenter: User
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from marsad.web.evidence.actions import add_file

    add_file(filed_case, SimpleUploadedFile("shot.gif", b"GIF89a" + b"\x01" * 30), documenter)
    with translation.override("en"):
        audit.record(documenter, "api.case_read", case_id=filed_case.id)
        purge_personal_data(filed_case, admin, "the reporter asked")
        lines = case_history(filed_case.id)
    texts = [line.text for line in lines]
    assert texts[-3:] == ["Case read through the API", "Evidence purged", "Personal data purged"]
    assert lines[-1].reason == "the reporter asked"
