"""The staff forms of the evidence pages: add a file, capture a web page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marsad.web.evidence.actions import DESCRIPTION_MAX
from marsad.web.evidence.capture import URL_MAX


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(
        label=_("Description (optional)"), max_length=DESCRIPTION_MAX, required=False
    )


class CaptureForm(forms.Form):
    url = forms.URLField(label=_("Web address"), max_length=URL_MAX, assume_scheme="https")
    description = forms.CharField(
        label=_("Description (optional)"), max_length=DESCRIPTION_MAX, required=False
    )
