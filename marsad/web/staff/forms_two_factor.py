"""The staff login's forms: the password step, and the code of the two-factor step and of
enrolment (one six-digit code)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator, RegexValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=6,
        validators=[RegexValidator(r"^[0-9]{6}$", _("Enter the six digits the app shows."))],
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
    )


class StaffLoginForm(AuthenticationForm):
    """Django's login form, refusing a username longer than the user model allows before
    anything (the lockout's count included) looks it up."""

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        limit = self.username_field.max_length or 150
        self.fields["username"].validators.append(MaxLengthValidator(limit))
