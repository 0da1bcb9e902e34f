"""The forms of a case page, each a POST to its own URL that calls one action and redirects
back to the case with a confirmation (post/redirect/get).

A refused action answers 403 (the persona may not); an invalid one (wrong state, missing
reason) is shown as a message on the case page; a form with errors is shown again with them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marsad.web.cases import actions
from marsad.web.cases.actions import ActionInvalid
from marsad.web.cases.models import Case
from marsad.web.cases.states import State
from marsad.web.staff import forms_cases as f
from marsad.web.staff.permissions import CASE_WORKERS, SENIOR
from marsad.web.staff.views_cases import render_case
from marsad.web.staff.views_common import case_or_404, staff_view

FormMaker = Callable[[HttpRequest, Case], forms.Form]
Act = Callable[[Case, Any, Any], object]


def _handle(
    request: HttpRequest, case_id: int, key: str, make: FormMaker, act: Act, done: str
) -> HttpResponse:
    case = case_or_404(case_id)
    form = make(request, case)
    if not form.is_valid():
        return render_case(request, case, bound={key: form}, status=400)
    try:
        act(case, form, request.user)
    except ActionInvalid as problem:
        messages.error(request, _("Not done: %(reason)s") % {"reason": problem})
    else:
        messages.success(request, done)
    return redirect("staff:case", case_id=case.id)


@staff_view(*CASE_WORKERS)
@require_POST
def move(request: HttpRequest, case_id: int) -> HttpResponse:
    to = request.POST.get("to", "")
    key = f"move_{to}"

    def make(req: HttpRequest, case: Case) -> forms.Form:
        return f.MoveForm(req.POST, auto_id=f"id_{key}_%s")

    def act(case: Case, form: Any, user: Any) -> object:
        target = State(form.cleaned_data["to"])
        return actions.transition(case, target, user, form.cleaned_data["reason"])

    label = State(to).label if to in State.values else to
    return _handle(request, case_id, key, make, act, _("Moved to “%(state)s”.") % {"state": label})


@staff_view(*CASE_WORKERS)
@require_POST
def assign(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(case: Case, form: Any, user: Any) -> object:
        return actions.assign(case, form.chosen(), user)

    def make(req: HttpRequest, case: Case) -> forms.Form:
        return f.AssignForm(req.POST, me=req.user)

    return _handle(request, case_id, "assign_form", make, act, _("Assignment saved."))


@staff_view(*CASE_WORKERS)
@require_POST
def classify(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(case: Case, form: Any, user: Any) -> object:
        return actions.classify_case(case, user, **form.terms())

    def make(req: HttpRequest, case: Case) -> forms.Form:
        return f.ClassifyForm(req.POST, case=case)

    return _handle(request, case_id, "classify_form", make, act, _("Classification saved."))


@staff_view(*CASE_WORKERS)
@require_POST
def note(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(case: Case, form: Any, user: Any) -> object:
        return actions.add_staff_note(case, form.cleaned_data["text"], user)

    def make(req: HttpRequest, case: Case) -> forms.Form:
        return f.NoteForm(req.POST)

    return _handle(request, case_id, "note_form", make, act, _("Note added."))


@staff_view(*SENIOR)
@require_POST
def summary(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(case: Case, form: Any, user: Any) -> object:
        return actions.set_public_summary(case, form.cleaned_data["summary"], user)

    def make(req: HttpRequest, case: Case) -> forms.Form:
        return f.SummaryForm(req.POST)

    return _handle(request, case_id, "summary_form", make, act, _("Public summary saved."))


@staff_view(*CASE_WORKERS)
@require_POST
def merge(request: HttpRequest, case_id: int) -> HttpResponse:
    def act(case: Case, form: Any, user: Any) -> object:
        data = form.cleaned_data
        return actions.merge_duplicate(case, data["original"], user, data["reason"])

    def make(req: HttpRequest, case: Case) -> forms.Form:
        return f.MergeForm(req.POST)

    return _handle(request, case_id, "merge_form", make, act, _("Marked as a duplicate."))
