"""Permission checks for staff views: a view names the personas that may use it.

Anonymous visitors are sent to the login page; when two-factor sign-in is required
(`web.require_2fa`), a user who has only given the password is sent to the code step (or to
enrol an authenticator app) before anything else is checked; logged-in users without one of the
personas get 403 (and the refusal is not an audit event: nothing changed). Every page they
open is marked not to be stored by the browser: staff pages show decrypted personal data."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

from marsad.web.cases.personas import persona_of
from marsad.web.cases.states import Persona
from marsad.web.staff import two_factor

View = TypeVar("View", bound=Callable[..., HttpResponse])

CASE_WORKERS = (Persona.DOCUMENTER, Persona.VERIFIER, Persona.ADMIN)
SENIOR = (Persona.VERIFIER, Persona.ADMIN)
ALL_STAFF = (Persona.DOCUMENTER, Persona.VERIFIER, Persona.ANALYST, Persona.ADMIN)


def personas_required(*personas: Persona) -> Callable[[View], View]:
    """Only these personas may open the view."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if two_factor.required() and not two_factor.is_verified(request):
                return HttpResponseRedirect(two_factor.step_for(request.user, next_url(request)))
            if persona_of(request.user) not in personas:
                raise PermissionDenied(gettext("your role may not open this page"))
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        return wrapped  # type: ignore[return-value]

    return decorate


def next_url(request: HttpRequest) -> str:
    """Where to come back to after the code step: this page, or the queue after a POST (a
    form's data cannot be carried over)."""
    return request.get_full_path() if request.method == "GET" else reverse("staff:queue")
