"""`{% manage_links user as links %}`: the staff header's links to the escalation, taxonomy and
export pages that the user's persona may open, as (URL, label) pairs."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from marsad.web.cases.personas import persona_of
from marsad.web.cases.states import Persona

register = template.Library()

P = Persona
PAGES: tuple[tuple[str, Any, frozenset[Persona]], ...] = (
    ("staff:escalations", lambda: _("Escalations"), frozenset({P.DOCUMENTER, P.VERIFIER, P.ADMIN})),
    ("staff:exports", lambda: _("Exports"), frozenset({P.ANALYST, P.ADMIN})),
    ("staff:taxonomy", lambda: _("Taxonomies"), frozenset({P.ADMIN})),
)


@register.simple_tag
def manage_links(user: Any) -> list[tuple[str, str]]:
    persona = persona_of(user)
    return [(reverse(name), label()) for name, label, who in PAGES if persona in who]
