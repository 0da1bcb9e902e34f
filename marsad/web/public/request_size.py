"""Requests larger than `MARSAD_MAX_REQUEST_BYTES` are refused from their Content-Length,
before any of the body is read: a clear 413 page, in the visitor's language.

(Each file is also held to `MARSAD_MAX_UPLOAD_BYTES` and a form to ten files; Django refuses a
request of more than `DATA_UPLOAD_MAX_NUMBER_FILES` files before it reaches a form.)
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from marsad.web.public import tuning

MIB = 1024 * 1024


def declared_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def refuse_large_requests(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        limit = tuning.max_request_bytes()
        if declared_length(request) > limit:
            return too_large(request, limit)
        return get_response(request)

    return middleware


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    context = {
        "limit_mb": max(1, limit // MIB),
        "file_mb": max(1, int(settings.MARSAD_MAX_UPLOAD_BYTES) // MIB),
    }
    return render(request, "public/too_large.html", context, status=413)
