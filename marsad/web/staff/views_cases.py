"""The staff case pages: the queue (/staff/) and a case on one page (/staff/cases/<id>/).

Documenters, verifiers and admins see the whole case; analysts see an anonymised queue and an
anonymised case page (no receipt code, no reporter's fields, no notes, no evidence, no names).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from marsad.web.cases.models import Case
from marsad.web.cases.personas import can_see_personal_data, persona_of
from marsad.web.cases.states import BY_ACTION, Persona, State, allowed_moves, needs_reason
from marsad.web.staff import forms_cases as f
from marsad.web.staff import queue
from marsad.web.staff.history import case_history
from marsad.web.staff.permissions import ALL_STAFF, SENIOR
from marsad.web.staff.views_common import case_or_404, staff_view

PAGE_SIZE = 50
EVIDENCE_TEMPLATE = "evidence/_case_evidence.html"


@staff_view(*ALL_STAFF)
@require_GET
def queue_page(request: HttpRequest) -> HttpResponse:
    worker = can_see_personal_data(persona_of(request.user))
    form = f.QueueForm(request.GET or None, case_worker=worker)
    cases = queue.filter_cases(_filters(form), request.user)
    page = Paginator(queue.with_row_details(cases), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "worker": worker}
    return render(request, "staff/queue.html" if worker else "staff/queue_anon.html", context)


def _filters(form: f.QueueForm) -> queue.QueueFilters:
    if not form.is_bound:
        return queue.QueueFilters()
    form.is_valid()  # errors are shown beside their fields; the valid filters still apply
    return form.filters()


@staff_view(*ALL_STAFF)
@require_GET
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return render_case(request, case_or_404(case_id))


def render_case(
    request: HttpRequest, case: Case, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    """The case page; `bound` holds a submitted form to show again with its errors."""
    persona = persona_of(request.user)
    if not can_see_personal_data(persona):
        if case.state == State.WITHDRAWN:  # as in exports and the API: gone for analysts
            raise Http404("no such case")
        return render(request, "staff/case_anon.html", _anonymised(case))
    context = _worker_context(request, case, persona, bound or {})
    return render(request, "staff/case.html", context, status=status)


def _anonymised(case: Case) -> dict[str, Any]:
    return {
        "case": case,
        "escalations": _escalations(case, senior=False),
        "history": case_history(case.id, anonymised=True),
    }


def _worker_context(
    request: HttpRequest, case: Case, persona: Persona | None, bound: dict[str, forms.Form]
) -> dict[str, Any]:
    moves = allowed_moves(State(case.state), persona)
    senior = persona in SENIOR
    context: dict[str, Any] = {
        "case": case,
        "notes": case.notes.select_related("author"),
        "duplicates": case.duplicates.only("id", "receipt_code"),
        "escalations": _escalations(case, senior),
        "escalation_new_url": _escalation_url(case) if senior else None,
        "history": case_history(case.id),
        "moves": _move_forms(case, moves, bound),
        "has_errors": bool(bound),
    }
    context |= _forms(request, case, bound, senior, State.DUPLICATE in moves)
    return context | _evidence(case)


def _forms(
    request: HttpRequest, case: Case, bound: dict[str, forms.Form], senior: bool, can_merge: bool
) -> dict[str, forms.Form | None]:
    made: dict[str, forms.Form | None] = {
        "assign_form": f.AssignForm(me=request.user),
        "classify_form": f.ClassifyForm(case=case),
        "note_form": f.NoteForm(),
        "summary_form": f.SummaryForm(initial={"summary": case.public_summary}) if senior else None,
        "merge_form": f.MergeForm() if can_merge else None,
    }
    return made | {name: form for name, form in bound.items() if name in made}


def _move_forms(case: Case, moves: list[State], bound: dict[str, forms.Form]) -> list[Any]:
    """One small form per allowed move (duplicates are made by the merge form, escalations by
    the escalation form; `outcome recorded` waits for a platform's outcome)."""
    frm = State(case.state)
    offered = [to for to in moves if to not in BY_ACTION]
    if not case.outcome:
        offered = [to for to in offered if to != State.OUTCOME]
    return [_move_form(to, needs_reason(frm, to), bound) for to in offered]


def _move_form(to: State, needs: bool, bound: dict[str, forms.Form]) -> dict[str, Any]:
    form = bound.get(f"move_{to.value}") or f.MoveForm(
        initial={"to": to.value}, auto_id=f"id_move_{to.value}_%s"
    )
    form.fields["reason"].widget.attrs["required"] = needs
    return {"to": to, "needs_reason": needs, "form": form}


def _escalations(case: Case, senior: bool) -> list[tuple[Any, str | None]]:
    """Each escalation with the link to record its reply (where that page exists)."""
    rows = case.escalations.select_related("platform")
    replies = senior and case.personal_data_purged_at is None
    return [(e, _url_or_none("staff:escalation_reply", e.id) if replies else None) for e in rows]


def _escalation_url(case: Case) -> str | None:
    """The page to record an escalation (where it exists), for cases that can be escalated
    (never a purged one: nothing can be added to it)."""
    if State(case.state) not in (State.VERIFIED, State.ESCALATED):
        return None
    if case.personal_data_purged_at is not None:
        return None
    return _url_or_none("staff:escalation_new", case.id)


def _evidence(case: Case) -> dict[str, Any]:
    """The evidence list is a template of the evidence app; shown when it is installed."""
    try:
        get_template(EVIDENCE_TEMPLATE)
    except TemplateDoesNotExist:
        return {"evidence_template": None}
    items = case.evidence.select_related("added_by")
    return {"evidence_template": EVIDENCE_TEMPLATE, "evidence_items": items, "can_add": True}


def _url_or_none(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
