"""Forms of the escalation, taxonomy and export pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marsad.web.cases.actions import EscalationInput
from marsad.web.cases.exports import ExportFormat, ExportKind, Filters
from marsad.web.cases.models import Channel, Term, TermKind
from marsad.web.cases.states import Outcome, State
from marsad.web.cases.taxonomy_actions import TermNames


class DateInput(forms.DateInput):
    input_type = "date"


def _not_in_future(day: date | None) -> date | None:
    if day is not None and day > timezone.now().date():
        raise forms.ValidationError(_("This date is in the future."))
    return day


class EscalationForm(forms.Form):
    platform = forms.ModelChoiceField(
        queryset=Term.objects.filter(kind=TermKind.PLATFORM, active=True), label=_("Platform")
    )
    channel = forms.ChoiceField(choices=Channel.choices, label=_("Channel"))
    sent_on = forms.DateField(label=_("Date sent"), widget=DateInput)
    reference = forms.CharField(
        max_length=200,
        required=False,
        label=_("Reference"),
        help_text=_("The platform's ticket or case number, if it gave one."),
    )

    def clean_sent_on(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("sent_on"))

    def escalation(self) -> EscalationInput:
        data = self.cleaned_data
        return EscalationInput(
            data["platform"], data["channel"], data["sent_on"], data["reference"]
        )


class ReplyForm(forms.Form):
    reply = forms.CharField(widget=forms.Textarea, required=False, label=_("The platform's reply"))
    replied_on = forms.DateField(required=False, label=_("Date of the reply"), widget=DateInput)
    outcome = forms.ChoiceField(
        choices=[("", _("No outcome yet")), *Outcome.choices],
        required=False,
        label=_("Outcome"),
    )

    def clean_replied_on(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("replied_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reply", "").strip() and data.get("replied_on") is None:
            self.add_error("replied_on", _("Give the date of the reply."))
        return data


def _text_in(lang: str, direction: str) -> forms.TextInput:
    return forms.TextInput(attrs={"lang": lang, "dir": direction})


class TermNamesForm(forms.Form):
    name_en = forms.CharField(
        max_length=120, label=_("Name in English"), widget=_text_in("en", "ltr")
    )
    name_ar = forms.CharField(
        max_length=120, required=False, label=_("Name in Arabic"), widget=_text_in("ar", "rtl")
    )
    name_he = forms.CharField(
        max_length=120, required=False, label=_("Name in Hebrew"), widget=_text_in("he", "rtl")
    )

    def names(self) -> TermNames:
        data = self.cleaned_data
        return TermNames(data["name_en"], data["name_ar"], data["name_he"])


class NewTermForm(TermNamesForm):
    key = forms.SlugField(
        max_length=60,
        label=_("Key"),
        help_text=_(
            "Lower-case letters and digits joined by underscores; it never changes once made."
        ),
    )
    field_order = ("key", "name_en", "name_ar", "name_he")


KIND_CHOICES = [
    (ExportKind.ANONYMISED.value, _("Anonymised")),
    (ExportKind.COMPLETE.value, _("Complete, with personal data")),
]


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        choices=KIND_CHOICES,
        initial=ExportKind.ANONYMISED.value,
        widget=forms.RadioSelect,
        label=_("Kind"),
    )
    format = forms.ChoiceField(
        choices=[(ExportFormat.CSV.value, "CSV"), (ExportFormat.JSON.value, "JSON")],
        initial=ExportFormat.CSV.value,
        widget=forms.RadioSelect,
        label=_("Format"),
    )
    states = forms.MultipleChoiceField(
        choices=State.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("States"),
        help_text=_("None ticked: every state."),
    )
    received_from = forms.DateField(required=False, label=_("Received from"), widget=DateInput)
    received_to = forms.DateField(required=False, label=_("Received until"), widget=DateInput)

    def __init__(self, *args: Any, complete_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not complete_allowed:
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = KIND_CHOICES[:1]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date is before the start date."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(tuple(data["states"]), data["received_from"], data["received_to"])
