"""Changes to the taxonomies (violation types, platforms, perpetrator types, affected parties),
made by admins, each written to the audit log in the same transaction.

A term's key never changes once made (exports, statistics and the API name terms by key). A
term that any case or escalation uses is never deleted: it is retired (`active=False`), which
takes it out of the forms while old cases keep it. Order within a kind is `position`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from marsad.web.cases import audit
from marsad.web.cases.actions import ActionInvalid, ActionRefused
from marsad.web.cases.models import Case, Escalation, Term, TermKind
from marsad.web.cases.personas import persona_of
from marsad.web.cases.states import Persona

KEY_PATTERN = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
NAME_FIELDS = ("name_en", "name_ar", "name_he")


@dataclass(frozen=True, slots=True)
class TermNames:
    en: str
    ar: str = ""
    he: str = ""

    def fields(self) -> dict[str, str]:
        return {"name_en": self.en.strip(), "name_ar": self.ar.strip(), "name_he": self.he.strip()}


def _require_admin(actor: Any) -> None:
    if persona_of(actor) != Persona.ADMIN:
        raise ActionRefused(_("only administrators may change the taxonomies"))


def _check_names(names: TermNames) -> None:
    if not names.en.strip():
        raise ActionInvalid(_("the English name is required"))


def add_term(kind: str, key: str, names: TermNames, actor: Any) -> Term:
    """A new term at the end of its kind."""
    _require_admin(actor)
    if kind not in TermKind.values:
        raise ActionInvalid(_("unknown taxonomy %(kind)s") % {"kind": repr(kind)})
    if not KEY_PATTERN.fullmatch(key):
        raise ActionInvalid(_("the key is lower-case letters and digits joined by underscores"))
    _check_names(names)
    with transaction.atomic():
        if Term.objects.filter(kind=kind, key=key).exists():
            raise ActionInvalid(
                _("a term with the key %(key)s exists already") % {"key": repr(key)}
            )
        last = Term.objects.filter(kind=kind).aggregate(m=Max("position"))["m"]
        position = 0 if last is None else last + 1
        term = Term.objects.create(kind=kind, key=key, position=position, **names.fields())
        details = {"term": term.id, "kind": kind, "key": key, **names.fields()}
        audit.record(actor, "taxonomy.added", details=details)
    return term


def edit_names(term: Term, names: TermNames, actor: Any) -> Term:
    _require_admin(actor)
    _check_names(names)
    with transaction.atomic():
        term = Term.objects.select_for_update().get(pk=term.pk)
        changed = {
            name: [getattr(term, name), value]
            for name, value in names.fields().items()
            if getattr(term, name) != value
        }
        for name, (_old, new) in changed.items():
            setattr(term, name, new)
        term.save()
        _record_edit(term, actor, changed)
    return term


def set_active(term: Term, active: bool, actor: Any) -> Term:
    """Retire a term (no longer offered in forms) or bring it back."""
    _require_admin(actor)
    with transaction.atomic():
        term = Term.objects.select_for_update().get(pk=term.pk)
        if term.active != active:
            changed = {"active": [term.active, active]}
            term.active = active
            term.save(update_fields=["active"])
            _record_edit(term, actor, changed)
    return term


def move(term: Term, direction: Literal["up", "down"], actor: Any) -> Term:
    """Swap the term with its neighbour in its kind's order; positions are renumbered 0..n-1."""
    _require_admin(actor)
    with transaction.atomic():
        terms = list(Term.objects.select_for_update().filter(kind=term.kind))
        index = next(i for i, t in enumerate(terms) if t.pk == term.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(terms):
            return terms[index]
        terms[index], terms[other] = terms[other], terms[index]
        for position, each in enumerate(terms):
            if each.position != position:
                old = each.position
                each.position = position
                each.save(update_fields=["position"])
                _record_edit(each, actor, {"position": [old, position]})
        return terms[other]


def uses(term: Term) -> int:
    """How many cases and escalations name this term."""
    fields = ("violation_type", "platform", "perpetrator", "affected_party")
    query = Q()
    for name in fields:
        query |= Q(**{name: term})
    return Case.objects.filter(query).count() + Escalation.objects.filter(platform=term).count()


def delete_unused(term: Term, actor: Any) -> None:
    """Delete a term that nothing uses (one added by mistake); a used term is retired instead."""
    _require_admin(actor)
    with transaction.atomic():
        term = Term.objects.select_for_update().get(pk=term.pk)
        if uses(term):
            raise ActionInvalid(_("this term is used by cases: retire it instead of deleting it"))
        details = {"term": term.id, "kind": term.kind, "key": term.key}
        term.delete()
        audit.record(actor, "taxonomy.deleted", details=details)


def _record_edit(term: Term, actor: Any, changed: dict[str, Any]) -> None:
    if changed:
        details = {"term": term.id, "kind": term.kind, "key": term.key, "changed": changed}
        audit.record(actor, "taxonomy.edited", details=details)
