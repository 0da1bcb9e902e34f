"""Template tags of the staff pages: `{% staff_persona_label user as persona_label %}` gives the
name of the user's persona in the active language (every staff page shows it in the header)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from marsad.web.cases.personas import persona_of

register = template.Library()


@register.simple_tag
def staff_persona_label(user: Any) -> str:
    persona = persona_of(user)
    return str(persona.label) if persona is not None else _("no role")
