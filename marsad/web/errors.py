"""The pages for a request refused before any view reads it: 400 (more files or fields than
Django reads, a body it cannot read) and a form refused by the CSRF check (403: cookies blocked
or cleared, a form left open too long). Both are the site's own pages, in the visitor's
language and direction, with a link back to the form."""

from __future__ import annotations

from django.core.exceptions import TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse

from marsad.web.public.forms import MAX_FILES

# Addresses that only take a POST, and the page that shows their form.
FORM_PAGES = {
    "public:status_add": "public:status",
    "public:status_leave": "public:status",
}
CASE_FORMS = frozenset(
    f"staff:case_{form}" for form in ("move", "assign", "classify", "note", "summary", "merge")
)


def back_link(request: HttpRequest) -> str:
    """The page of the form that was sent: its own address, or for an address that only takes
    a POST, the page that shows its form."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return "/"
    if match.view_name in FORM_PAGES:
        return reverse(FORM_PAGES[match.view_name])
    if match.view_name in CASE_FORMS:
        return reverse("staff:case", kwargs={"case_id": match.kwargs["case_id"]})
    return request.path


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """`handler400`: too many files, or a request that could not be read."""
    context = {
        "too_many_files": isinstance(exception, TooManyFilesSent),
        "max_files": MAX_FILES,
        "back": back_link(request),
    }
    return render(request, "400.html", context, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """`CSRF_FAILURE_VIEW`: the form could not be checked, so nothing was done."""
    return render(request, "403_csrf.html", {"back": back_link(request)}, status=403)
