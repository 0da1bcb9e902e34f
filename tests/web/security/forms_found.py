"""Every Django form of marsad's web app, found in the code (not listed by hand), and how to
build one: the forms' extra constructor arguments are given by name (`me`, `case`, `request`,
...), so a new form is fuzzed as soon as it exists, and one that needs an argument not known
here makes the tests fail by name."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from typing import Any

from django import forms
from django.test import RequestFactory

import marsad.web

SKIPPED_MODULES = (".migrations", ".wsgi", ".settings")
# Forms marsad's views use that are not defined in marsad.web (none: the staff login's form is
# marsad's own subclass of Django's).
USED_FROM_DJANGO: tuple[type[forms.BaseForm], ...] = ()


def _import_web_modules() -> None:
    prefix = marsad.web.__name__ + "."
    for info in pkgutil.walk_packages(marsad.web.__path__, prefix):
        if not any(part in info.name for part in SKIPPED_MODULES):
            importlib.import_module(info.name)


def _subclasses(cls: type[Any]) -> set[type[Any]]:
    found: set[type[Any]] = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def web_forms() -> list[type[forms.BaseForm]]:
    """Every Form / ModelForm subclass defined in a marsad.web module, plus the Django forms
    the views use, by name; bases without fields of their own (PublicForm) are left out."""
    _import_web_modules()
    ours = [
        c
        for c in _subclasses(forms.BaseForm)
        if c.__module__.startswith("marsad.web") and c.base_fields
    ]
    return sorted({*ours, *USED_FROM_DJANGO}, key=lambda c: (c.__module__, c.__qualname__))


@dataclass(frozen=True)
class FormContext:
    """What a form may need to be built: the signed-in staff member and a filed case."""

    user: Any
    case: Any

    def argument(self, name: str) -> Any:
        known = {
            "me": self.user,
            "user": self.user,
            "case": self.case,
            "request": _request(self.user),
            "complete_allowed": True,
            "case_worker": True,
        }
        if name not in known:
            raise LookupError(name)
        return known[name]


def _request(user: Any) -> Any:
    request = RequestFactory().post("/staff/login/")
    request.user = user
    request.session = {}  # type: ignore[assignment]
    return request


def extra_arguments(form_class: type[forms.BaseForm]) -> list[str]:
    """The names of the constructor's arguments beyond Django's own (data, files, ...)."""
    own = set(inspect.signature(forms.BaseForm.__init__).parameters) | {"args", "kwargs"}
    params = inspect.signature(form_class.__init__).parameters
    return [name for name in params if name not in own]


def build(form_class: type[forms.BaseForm], context: FormContext, **bound: Any) -> Any:
    """The form, bound to `bound` (data=..., files=...), with its extra arguments filled in."""
    arguments = {name: context.argument(name) for name in extra_arguments(form_class)}
    return form_class(**arguments, **bound)
