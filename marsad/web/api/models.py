"""API tokens: a staff member's bearer token, stored only as its SHA-256.

The token itself is shown once when it is made (`marsad token create`) and never stored; a
request's `Authorization: Bearer <token>` is hashed and looked up. A revoked token, or the token
of a deactivated user, opens nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"token {self.id} {self.name!r} of {self.user}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
