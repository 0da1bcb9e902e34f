"""`{% may_purge user as allowed %}`: whether the user may purge a case's personal data (the case
page shows the link to admins only)."""

from __future__ import annotations

from typing import Any

from django import template

from marsad.web.cases.personas import persona_of
from marsad.web.cases.states import Persona

register = template.Library()


@register.simple_tag
def may_purge(user: Any) -> bool:
    return persona_of(user) == Persona.ADMIN
