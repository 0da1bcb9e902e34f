"""API tokens: made, revoked and checked here; every change is written to the audit log.

A token is `marsad_` + 43 URL-safe characters (32 random bytes). Only its SHA-256 is stored.
`last_used_at` is refreshed at most once a minute, so reads do not turn into a write each.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from marsad.web.api.models import ApiToken
from marsad.web.cases import audit

PREFIX = "marsad_"
TOUCH_EVERY = timedelta(minutes=1)


class TokenError(ValueError):
    """A token could not be made or revoked; the message says why."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(username: str, name: str, actor: audit.Actor = None) -> tuple[ApiToken, str]:
    """A new token for an active user: (the stored row, the token to show once)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.is_active:
        raise TokenError(f"no active user named {username!r}")
    if not name.strip():
        raise TokenError("the token needs a name (what or who uses it)")
    token = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken.objects.create(user=user, name=name.strip(), token_hash=hash_token(token))
        details = {"token": row.id, "user": username, "name": row.name}
        audit.record(actor, "api.token_created", details=details)
    return row, token


def revoke_token(token_id: int, actor: audit.Actor = None) -> ApiToken:
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if row is None:
            raise TokenError(f"no token with id {token_id}")
        if row.revoked_at is None:
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
            details = {"token": row.id, "user": row.user.get_username(), "name": row.name}
            audit.record(actor, "api.token_revoked", details=details)
    return row


def user_for_token(token: str) -> Any | None:
    """The active user this token belongs to, or None (unknown, revoked, inactive user)."""
    if not token.startswith(PREFIX):
        return None
    row = ApiToken.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    if row is None or row.revoked_at is not None or not row.user.is_active:
        return None
    _touch(row)
    return row.user


def _touch(row: ApiToken) -> None:
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; ninja answers 401 when this returns None."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return user_for_token(token)
