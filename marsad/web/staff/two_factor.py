"""Two-factor sign-in of staff: a TOTP code from an authenticator app after the password.

With `web.require_2fa` on (the default), a staff session counts as verified only once a code
of the user's confirmed TOTP device (django-otp) has been entered in it; until then every staff
page sends the user to the code step (`staff:two_factor`), or, for an account without a
device, to the enrolment page (`staff:two_factor_enrol`). `marsad createstaff` makes the
confirmed device and prints its otpauth:// URI. Wrong codes slow down the next try (django-otp
throttling: 1, 2, 4... seconds) and a code is accepted only once.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from marsad.web.staff import signins

DEVICE_NAME = "authenticator app"


def required() -> bool:
    """Whether staff must pass the code step (false only in a demo project)."""
    return bool(settings.MARSAD_REQUIRE_2FA)


def is_verified(request: HttpRequest) -> bool:
    """The session has passed the code step (OTPMiddleware checks its device)."""
    verified = getattr(request.user, "is_verified", None)
    return bool(verified()) if callable(verified) else False


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def new_device(user: Any, *, confirmed: bool) -> TOTPDevice:
    """A new TOTP device with a random key; a confirmed one replaces the user's others."""
    with transaction.atomic():
        if confirmed:
            TOTPDevice.objects.filter(user=user).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=confirmed)


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device of an enrolment in progress (made on the first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or new_device(user, confirmed=False)


def check_code(request: HttpRequest, device: TOTPDevice, code: str) -> str | None:
    """Verify `code` against `device`; on success mark the session verified and return None,
    else say why (throttled after wrong codes, or wrong)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            return gettext("Too many wrong codes: wait a few seconds, then try again.")
        if not device.verify_token(code):
            signins.second_factor_failed(device.user)
            return gettext("This code is not right. Enter the code your app shows now.")
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    signins.second_factor_passed(device.user)
    return None


def step_for(user: Any, next_url: str) -> str:
    """Where an unverified user goes: the code step, or enrolment when they have no device."""
    name = "staff:two_factor" if confirmed_device(user) else "staff:two_factor_enrol"
    return reverse(name) + "?" + urlencode({"next": next_url})


def qr_svg(uri: str) -> SafeString:
    """The URI as a QR code, inline SVG (drawn here: no outside service sees the secret)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = str(image.to_string(encoding="unicode"))
    return mark_safe(svg)  # made by qrcode from the URI alone
