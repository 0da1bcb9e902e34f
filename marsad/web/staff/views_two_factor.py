"""The staff login in two steps: the password (`StaffLoginView`), then a code from the
authenticator app (`code_step`) or, for an account without one yet, its enrolment (`enrol`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import LoginView, redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

from marsad.web.staff import two_factor
from marsad.web.staff.forms_two_factor import CodeForm, StaffLoginForm


class StaffLoginView(LoginView):
    """Django's login; with two-factor required it goes on to the code step, not the page."""

    template_name = "staff/login.html"
    authentication_form = StaffLoginForm

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if two_factor.required() and not two_factor.is_verified(self.request):
            return two_factor.step_for(self.request.user, url)
        return url


def safe_next(request: HttpRequest) -> str:
    """The `next` parameter if it points into this site, else the case queue."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = {request.get_host()}
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed, request.is_secure()):
        return wanted
    return reverse("staff:queue")


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


def _done_or_elsewhere(request: HttpRequest, *, enrolling: bool) -> HttpResponse | None:
    """The answer when this step is not the user's to take: not logged in, already verified
    (or two-factor off), or at the wrong one of the code step and enrolment."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not two_factor.required() or two_factor.is_verified(request):
        return HttpResponseRedirect(safe_next(request))
    has_device = two_factor.confirmed_device(request.user) is not None
    if has_device == enrolling:
        return HttpResponseRedirect(two_factor.step_for(request.user, safe_next(request)))
    return None


def code_step(request: HttpRequest) -> HttpResponse:
    """Second step of the login: the six-digit code of the user's authenticator app."""
    elsewhere = _done_or_elsewhere(request, enrolling=False)
    if elsewhere is not None:
        return elsewhere
    device = two_factor.confirmed_device(request.user)
    assert device is not None  # _done_or_elsewhere sends users without one to enrol
    return _code_page(request, device, "staff/two_factor.html", {})


def enrol(request: HttpRequest) -> HttpResponse:
    """First login of an account without an authenticator app: show the secret as an
    otpauth:// URI and a QR code, and confirm the new device with its first code."""
    elsewhere = _done_or_elsewhere(request, enrolling=True)
    if elsewhere is not None:
        return elsewhere
    device = two_factor.pending_device(request.user)
    uri = device.config_url
    context = {"uri": uri, "qr": two_factor.qr_svg(uri)}
    return _code_page(request, device, "staff/two_factor_enrol.html", context)


def _code_page(
    request: HttpRequest, device: Any, template: str, context: dict[str, Any]
) -> HttpResponse:
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        problem = two_factor.check_code(request, device, form.cleaned_data["code"])
        if problem is None:
            return _private(HttpResponseRedirect(safe_next(request)))
        form.add_error("code", problem)
    context |= {"form": form, "next": safe_next(request)}
    status = 400 if form.errors else 200
    return _private(render(request, template, context, status=status))
