"""What the staff case views share: the persona guard with a page that says why a user was
refused, and the case lookup."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from marsad.web.cases.actions import ActionRefused
from marsad.web.cases.models import Case
from marsad.web.cases.personas import persona_of
from marsad.web.cases.states import Persona
from marsad.web.staff.permissions import personas_required

View = TypeVar("View", bound=Callable[..., HttpResponse])


def refused(request: HttpRequest, reason: str) -> HttpResponse:
    """The 403 page: a user without a persona is told they have no role."""
    context = {"reason": reason, "no_role": persona_of(request.user) is None}
    return render(request, "staff/refused.html", context, status=403)


def staff_view(*personas: Persona) -> Callable[[View], View]:
    """`personas_required`, answering refusals (of the page or of an action) with a 403 page
    that says why."""

    def decorate(view: View) -> View:
        guarded = personas_required(*personas)(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return guarded(request, *args, **kwargs)
            except (PermissionDenied, ActionRefused) as refusal:
                return refused(request, str(refusal))

        return wrapped  # type: ignore[return-value]

    return decorate


def case_or_404(case_id: int) -> Case:
    related = ("violation_type", "platform", "perpetrator", "affected_party", "assignee")
    return get_object_or_404(Case.objects.select_related(*related), pk=case_id)
