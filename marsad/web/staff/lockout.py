"""Login lockout (django-axes), keeping nothing about the staff member's connection.

Five wrong passwords for a username lock that username for 30 minutes (settings.py). Axes
would also keep the client's address and browser with each count: `no_address` gives it no
address, and `LockoutHandler` blanks the browser's user agent and Accept header before axes
stores anything. The username typed is counted by `username_key`, a keyed hash, never as typed:
someone who types their password into the username field leaves no readable trace. So axes'
`AccessAttempt` rows hold that hash, the path, the times and the count (and the form's fields
other than the password and username, which axes masks); `unlock` lifts a username's lock."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.http import HttpRequest

KEY_PREFIX = "h-"  # stored usernames are KEY_PREFIX + 40 hex digits


def key_of(username: str) -> str:
    """The keyed hash (under the web secret key) that stands for `username` in axes' tables."""
    digest = hmac.new(settings.SECRET_KEY.encode(), username.encode(), hashlib.sha256)
    return KEY_PREFIX + digest.hexdigest()[:40]


def username_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the username of the login, as `key_of` it (None: none typed)."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username")
    return key_of(str(name)) if name else None


def unlock(username: str | None) -> int:
    """Lift the lockout of `username` (None: of everyone); the number of records removed."""
    from axes.utils import reset

    return int(reset(username=key_of(username)) if username is not None else reset())


def no_address(request: HttpRequest) -> None:
    """AXES_CLIENT_IP_CALLABLE: the client's address is never looked at or kept."""
    return None


def forget_client(request: HttpRequest | None) -> None:
    """Blank what axes read about the client's browser (it already has no address)."""
    if request is not None:
        setattr(request, "axes_ip_address", None)  # noqa: B010 - axes reads these attributes
        setattr(request, "axes_user_agent", "")  # noqa: B010
        setattr(request, "axes_http_accept", "")  # noqa: B010


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """axes' database handler, storing no address, user agent or Accept header."""

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kw: Any,
    ) -> None:
        forget_client(request)
        super().user_login_failed(sender, credentials, request, **kw)

    def user_logged_in(self, sender: Any, request: HttpRequest, user: Any, **kw: Any) -> None:
        forget_client(request)
        super().user_logged_in(sender, request, user, **kw)

    def user_logged_out(self, sender: Any, request: HttpRequest, user: Any, **kw: Any) -> None:
        forget_client(request)
        super().user_logged_out(sender, request, user, **kw)
