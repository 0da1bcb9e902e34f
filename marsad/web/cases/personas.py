"""Staff personas as Django groups: documenter, verifier, analyst, admin.

A staff user belongs to exactly one persona group; `persona_of` reads it. Superusers count as
admins. Users with no persona (outsiders) may log in but see no staff page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group

from marsad.web.cases.states import Persona

User = AbstractBaseUser | AnonymousUser


def persona_of(user: Any) -> Persona | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Persona.ADMIN
    if hasattr(user, "_marsad_persona"):
        cached: Persona | None = user._marsad_persona
        return cached
    names = set(user.groups.values_list("name", flat=True))
    found = next((p for p in Persona if p.value in names), None)
    user._marsad_persona = found
    return found


def set_persona(user: Any, persona: Persona) -> None:
    """Make `persona` the user's only persona group."""
    user.groups.remove(*Group.objects.filter(name__in=[p.value for p in Persona]))
    group, _ = Group.objects.get_or_create(name=persona.value)
    user.groups.add(group)
    user._marsad_persona = persona


def can_see_personal_data(persona: Persona | None) -> bool:
    """Documenters, verifiers and admins work on cases; analysts see anonymised data only."""
    return persona in (Persona.DOCUMENTER, Persona.VERIFIER, Persona.ADMIN)
