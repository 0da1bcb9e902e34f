"""Template tags of the evidence lists: the upload limit and the accepted file types."""

from __future__ import annotations

from django import template
from django.conf import settings

from marsad.web.evidence.sniff import EXTENSIONS

register = template.Library()


@register.simple_tag
def evidence_max_upload_mb() -> int:
    return int(settings.MARSAD_MAX_UPLOAD_BYTES) // (1024 * 1024)


@register.simple_tag
def evidence_accept() -> str:
    """The file input's `accept` list (a hint for the browser's picker; the content decides)."""
    types = [t for t in EXTENSIONS if t != "application/warc"]
    return ",".join([*types, ".heic", ".warc.gz"])
