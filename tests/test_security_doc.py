"""docs/security.md stays true: every promise names the tests that prove it, and they exist."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECURITY = ROOT / "docs" / "security.md"
TEST_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def promises() -> dict[str, str]:
    """Each promise heading (`### P<n>. ...`) -> the text of its section."""
    sections = re.split(r"^### ", SECURITY.read_text(), flags=re.MULTILINE)[1:]
    found = {s.splitlines()[0]: s for s in sections if re.match(r"P\d+\. ", s)}
    assert found, "docs/security.md has no promise sections"
    return found


def functions_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    }


@pytest.mark.parametrize("heading", promises())
def test_every_promise_names_the_tests_that_prove_it(heading: str) -> None:
    assert TEST_ID.search(promises()[heading]), f"'{heading}' names no test"


@pytest.mark.parametrize("test_id", sorted(set(TEST_ID.findall(SECURITY.read_text()))))
def test_every_named_test_exists(test_id: tuple[str, str]) -> None:
    path, name = test_id
    assert (ROOT / path).is_file(), f"{path} does not exist"
    assert name in functions_in(ROOT / path), f"{path} has no test named {name}"
