"""Template context shared by every page: the project name, text direction, languages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_bidi


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "project_name": settings.MARSAD_PROJECT_NAME,
        "lang_code": get_language() or "en",
        "text_dir": "rtl" if get_language_bidi() else "ltr",
        "languages": settings.LANGUAGES,
    }
