"""The taxonomy pages (admins only): the terms of each kind with their names in English,
Arabic and Hebrew; add, edit, retire or bring back, reorder, and delete an unused term.
Every change is an audited action of `marsad.web.cases.taxonomy_actions`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, Literal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marsad.web.cases import taxonomy_actions as actions
from marsad.web.cases.actions import ActionInvalid, ActionRefused
from marsad.web.cases.models import Case, Escalation, Term, TermKind
from marsad.web.cases.states import Persona
from marsad.web.staff.forms_manage import NewTermForm, TermNamesForm
from marsad.web.staff.permissions import personas_required

ADMIN = Persona.ADMIN


def use_counts() -> Counter[int]:
    """Term id -> how many cases and escalations name it (five grouped queries)."""
    counts: Counter[int] = Counter()
    for name in ("violation_type", "platform", "perpetrator", "affected_party"):
        for row in Case.objects.values(name).annotate(n=Count("id")):
            if row[name] is not None:
                counts[row[name]] += row["n"]
    for row in Escalation.objects.values("platform").annotate(n=Count("id")):
        counts[row["platform"]] += row["n"]
    return counts


@personas_required(ADMIN)
def taxonomy_page(request: HttpRequest) -> HttpResponse:
    counts = use_counts()
    terms = list(Term.objects.order_by("kind", "position", "key"))
    kinds = [
        {
            "kind": kind,
            "label": label,
            "terms": [(t, counts[t.id]) for t in terms if t.kind == kind],
        }
        for kind, label in TermKind.choices
    ]
    return render(request, "staff/taxonomy.html", {"kinds": kinds})


def _kind_label(kind: str) -> str:
    if kind not in TermKind.values:
        raise Http404("unknown taxonomy")
    return str(TermKind(kind).label)


def _attempt(request: HttpRequest, change: Callable[[], Any], done: str) -> bool:
    """Run an action; its refusal is a 403, its complaint a message. True when it worked."""
    try:
        change()
    except ActionRefused as error:
        raise PermissionDenied(str(error)) from error
    except ActionInvalid as error:
        messages.error(request, str(error))
        return False
    messages.success(request, done)
    return True


@personas_required(ADMIN)
def taxonomy_add(request: HttpRequest, kind: str) -> HttpResponse:
    label = _kind_label(kind)
    form = NewTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["key"]
        try:
            actions.add_term(kind, key, form.names(), request.user)
        except ActionRefused as error:
            raise PermissionDenied(str(error)) from error
        except ActionInvalid as error:
            form.add_error("key", str(error))
        else:
            messages.success(request, _("The term is added."))
            return redirect("staff:taxonomy")
    context = {"form": form, "kind_label": label}
    return render(request, "staff/taxonomy_add.html", context, status=_status(form))


@personas_required(ADMIN)
def taxonomy_edit(request: HttpRequest, term_id: int) -> HttpResponse:
    term = get_object_or_404(Term, pk=term_id)
    initial = {name: getattr(term, name) for name in actions.NAME_FIELDS}
    form = TermNamesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        names = form.names()
        if _attempt(request, lambda: actions.edit_names(term, names, request.user), _("Saved.")):
            return redirect("staff:taxonomy")
    context = {"form": form, "term": term, "kind_label": _kind_label(term.kind)}
    return render(request, "staff/taxonomy_edit.html", context, status=_status(form))


@personas_required(ADMIN)
@require_POST
def taxonomy_active(request: HttpRequest, term_id: int) -> HttpResponse:
    term = get_object_or_404(Term, pk=term_id)
    active = request.POST.get("active") == "1"
    done = _("The term is back in the forms.") if active else _("The term is retired.")
    _attempt(request, lambda: actions.set_active(term, active, request.user), done)
    return redirect("staff:taxonomy")


@personas_required(ADMIN)
@require_POST
def taxonomy_move(request: HttpRequest, term_id: int) -> HttpResponse:
    term = get_object_or_404(Term, pk=term_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Choose up or down."))
        return redirect("staff:taxonomy")
    way: Literal["up", "down"] = "up" if direction == "up" else "down"
    _attempt(request, lambda: actions.move(term, way, request.user), _("Moved."))
    return redirect("staff:taxonomy")


@personas_required(ADMIN)
@require_POST
def taxonomy_delete(request: HttpRequest, term_id: int) -> HttpResponse:
    term = get_object_or_404(Term, pk=term_id)
    _attempt(request, lambda: actions.delete_unused(term, request.user), _("The term is deleted."))
    return redirect("staff:taxonomy")


def _status(form: TermNamesForm) -> int:
    return 400 if form.is_bound and form.errors else 200
