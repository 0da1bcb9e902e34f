"""Template tags of two-factor sign-in: `{% two_factor_off as off %}` (the demo's warning
banner on every staff page) and `{% two_factor_pending request as pending %}` (a logged-in user
who has not entered their code yet: the header shows only the logout button)."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from marsad.web.staff import two_factor

register = template.Library()


@register.simple_tag
def two_factor_off() -> bool:
    return not two_factor.required()


@register.simple_tag
def two_factor_pending(request: HttpRequest) -> bool:
    return two_factor.required() and not two_factor.is_verified(request)
