"""Middleware of the web app."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

PUBLIC_API = ("/api/stats", "/api/openapi.json")


def no_store_for_api_reads(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Staff API answers (which may hold reporters' data) are never kept by a browser or a
    proxy cache; the public statistics and the schema may be."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.path.startswith("/api/") and not request.path.startswith(PUBLIC_API):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response

    return middleware
