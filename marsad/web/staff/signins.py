"""Staff sign-ins in the audit log: each password login, second-factor check, logout, failed
attempt and lockout is one entry. A failed attempt names the account only when it exists (an
unknown name may be a password typed in the wrong field, so it is never written down)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from marsad.web.cases import audit

UNKNOWN = "unknown account"


def _known(username: Any) -> str:
    """The username when such an account exists, else UNKNOWN."""
    if not isinstance(username, str) or not username:
        return UNKNOWN
    model = get_user_model()
    found = model._default_manager.filter(**{model.USERNAME_FIELD: username}).exists()
    return username if found else UNKNOWN


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit.record(user, "staff.signed_in")


def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(user, "staff.signed_out")


def sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    audit.record(_known(credentials.get("username")), "staff.sign_in_failed")


def locked_out(sender: Any, request: Any, username: Any = None, **kwargs: Any) -> None:
    """axes names the login by its keyed hash (`lockout.username_key`): the name as typed is
    the login form's."""
    typed = request.POST.get("username") if request is not None else None
    audit.record(_known(typed), "staff.locked_out")


def second_factor_passed(user: Any) -> None:
    audit.record(user, "staff.second_factor_passed")


def second_factor_failed(user: Any) -> None:
    audit.record(user, "staff.second_factor_failed")


def connect() -> None:
    """Called once, when the staff app is ready."""
    user_logged_in.connect(signed_in, dispatch_uid="marsad.staff.signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="marsad.staff.signed_out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="marsad.staff.sign_in_failed")
    user_locked_out.connect(locked_out, dispatch_uid="marsad.staff.locked_out")
