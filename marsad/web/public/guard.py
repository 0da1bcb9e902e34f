"""The report form's guards against automated sending: a honeypot field that people never see
and the proof-of-work challenge (`challenge`). Both refuse quietly with one generic message, so
that a robot learns nothing from which one it failed; the reporter's text is kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marsad.web.public import challenge, tuning

HONEYPOT = "website"
NOT_CHECKED = _(
    "The form could not be checked, so nothing was sent. Please send it again: what you typed "
    "is kept below."
)


class GuardFields(forms.Form):
    """The honeypot and the challenge's hidden fields, and their checks."""

    website = forms.CharField(
        required=False,
        max_length=200,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    pow_challenge = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)
    pow_solution = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._passed: challenge.Passed | None = None
        self._keep = False  # send the same challenge back (it passed, or only came too early)
        self._fresh = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get(HONEYPOT):
            self.add_error(None, NOT_CHECKED)
        elif challenge.enabled():
            self._check_challenge(data)
        return data

    def _check_challenge(self, data: dict[str, Any]) -> None:
        try:
            token, counter = data.get("pow_challenge") or "", data.get("pow_solution") or ""
            self._passed = challenge.check(token, counter)
        except challenge.Refused as refused:
            self._keep = refused.failure is challenge.Failure.EARLY
            self.add_error(None, _early(refused.wait_s) if self._keep else NOT_CHECKED)
        else:
            self._keep = True

    def use_challenge(self) -> bool:
        """Use up the valid form's challenge: False if it was used already (the same form sent
        twice at once); True when the challenge is off."""
        return self._passed is None or challenge.use(self._passed)

    def refuse_used_challenge(self) -> None:
        self.renew_challenge()
        self.add_error(None, NOT_CHECKED)

    def renew_challenge(self) -> None:
        """The page gets a new challenge (this one is used up)."""
        self._keep = False

    @property
    def challenge_token(self) -> str:
        """The challenge the page carries: the one sent, while it is still good, else a new
        one ('' when the challenge is off)."""
        if not challenge.enabled():
            return ""
        if self.is_bound and self._keep:
            return str(self.data.get("pow_challenge", ""))
        if not self._fresh:
            self._fresh = challenge.issue()
        return self._fresh

    @property
    def challenge_solution(self) -> str:
        kept = self.is_bound and self._keep and self._passed is not None
        return str(self.data.get("pow_solution", "")) if kept else ""

    @property
    def challenge_bits(self) -> int:
        return challenge.bits_of(self.challenge_token) if self.challenge_token else 0

    @property
    def nojs_seconds(self) -> int | None:
        return tuning.pow_nojs_seconds()


def _early(wait_s: int) -> str:
    return ngettext(
        "The form was sent too soon. Wait %(n)d more second, then send it again.",
        "The form was sent too soon. Wait %(n)d more seconds, then send it again.",
        wait_s,
    ) % {"n": wait_s}
