"""The public forms: the report, the status login, adding information and withdrawing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marsad.web.cases.actions import NewReport
from marsad.web.cases.models import ContactMethod, Term, TermKind
from marsad.web.public.guard import GuardFields

MAX_FILES = 10
MAX_LINKS = 50
PASSPHRASE_MIN = 8


class TermChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A taxonomy term, named in the page's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name())


def active_terms(kind: TermKind) -> Any:
    return Term.objects.filter(kind=kind.value, active=True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each checked against the upload size limit."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(MultipleFileField, self).clean(item, initial) for item in items]
        files = [f for f in files if f]
        if len(files) > MAX_FILES:
            raise ValidationError(
                gettext("Send at most %(count)s files at a time.") % {"count": MAX_FILES}
            )
        for upload in files:
            _check_size(upload)
            _check_kind(upload)
        return files


def _check_size(upload: UploadedFile) -> None:
    limit = int(settings.MARSAD_MAX_UPLOAD_BYTES)
    if (upload.size or 0) > limit:
        raise ValidationError(
            gettext("The file “%(name)s” is too large: the limit is %(mb)s MB per file.")
            % {"name": upload.name, "mb": limit // (1024 * 1024)}
        )


def _check_kind(upload: UploadedFile) -> None:
    """Refuse a file the evidence store would refuse (by its content), before anything is
    filed."""
    from marsad.web.evidence.dangerous import accept
    from marsad.web.evidence.errors import EvidenceRejected

    data = upload.read()
    upload.seek(0)
    try:
        accept(data)
    except EvidenceRejected as refused:
        raise ValidationError(
            gettext("“%(name)s”: %(reason)s") % {"name": upload.name, "reason": refused}
        ) from None


def clean_links(text: str) -> str:
    """One http(s) address per line; blank lines dropped; the error names the line."""
    check = URLValidator(schemes=["http", "https"])
    links: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        link = line.strip()
        if not link:
            continue
        try:
            check(link)
        except ValidationError:
            raise ValidationError(
                gettext(
                    "Line %(line)s is not a web address: each line must start with "
                    "http:// or https://"
                )
                % {"line": number}
            ) from None
        links.append(link)
    if len(links) > MAX_LINKS:
        raise ValidationError(gettext("Give at most %(count)s links.") % {"count": MAX_LINKS})
    return "\n".join(links)


class PublicForm(forms.Form):
    """Labels are questions or phrases of their own: no colon is added after them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PassphraseFields(PublicForm):
    passphrase = forms.CharField(
        label=_("Choose a passphrase"),
        min_length=PASSPHRASE_MIN,
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 8 characters, for example a few words only you would think of. With it "
            "and your receipt code you can check your report later. We keep it only in a "
            "scrambled form: nobody can tell it to you if you forget it."
        ),
    )
    passphrase_again = forms.CharField(
        label=_("Type the passphrase again"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("passphrase"), data.get("passphrase_again")
        if first and second is not None and first != second:
            self.add_error("passphrase_again", gettext("The two passphrases are not the same."))
        return data


class ReportForm(PassphraseFields, GuardFields):
    violation_type = TermChoiceField(
        queryset=Term.objects.none(),
        label=_("What kind of violation was it?"),
        empty_label=_("Choose one"),
    )
    platform = TermChoiceField(
        queryset=Term.objects.none(),
        required=False,
        label=_("On which platform or service?"),
        empty_label=_("Not on a platform, or not sure"),
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("In your own words: what happened, to whom, and what you saw."),
    )
    occurred_on = forms.DateField(
        label=_("When did it happen?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional. An approximate date is fine."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        help_text=_(
            "Optional. One web address per line: the post, the account, the message or the "
            "platform's notice."
        ),
    )
    attachments = MultipleFileField(
        label=_("Screenshots or files"),
        help_text=_("Optional. You can choose several files."),
    )
    wants_contact = forms.BooleanField(
        label=_("I agree to be contacted about this report"), required=False
    )
    contact_method = forms.ChoiceField(
        label=_("How should we contact you?"),
        required=False,
        choices=[("", _("Choose one")), *ContactMethod.choices],
    )
    contact = forms.CharField(
        label=_("Your contact details"),
        required=False,
        max_length=200,
        help_text=_("An email address, phone number or user name for the method you chose."),
    )
    reporter_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=120,
        help_text=_("Optional. You may stay anonymous."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the observatory's staff read this report and keep it to document the "
            "violation. My name and contact details are seen only by the staff who handle it "
            "and are never published."
        ),
        error_messages={"required": _("We can only accept the report with your agreement.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["violation_type"].queryset = active_terms(TermKind.VIOLATION_TYPE)  # type: ignore[attr-defined]
        self.fields["platform"].queryset = active_terms(TermKind.PLATFORM)  # type: ignore[attr-defined]

    def clean_links(self) -> str:
        return clean_links(self.cleaned_data.get("links", ""))

    def clean_occurred_on(self) -> date | None:
        day: date | None = self.cleaned_data.get("occurred_on")
        if day is not None and day > timezone.now().date():
            raise ValidationError(gettext("This date is in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._check_contact(data)
        return data

    def _check_contact(self, data: dict[str, Any]) -> None:
        wants, method, contact = (
            data.get("wants_contact"),
            data.get("contact_method"),
            (data.get("contact") or "").strip(),
        )
        if (wants or contact) and not method and "contact_method" not in self.errors:
            self.add_error("contact_method", gettext("Choose how we should contact you."))
        if (wants or method) and not contact and "contact" not in self.errors:
            self.add_error("contact", gettext("Write how we can reach you with this method."))
        if not wants and method and contact:
            self.add_error(
                "wants_contact",
                gettext("Tick this box if we may contact you, or leave the contact fields empty."),
            )

    def new_report(self, language: str) -> NewReport:
        data = self.cleaned_data
        wants = bool(data["wants_contact"])
        return NewReport(
            violation_type=data["violation_type"],
            platform=data.get("platform"),
            description=data["description"].strip(),
            occurred_on=data.get("occurred_on"),
            links=data.get("links", ""),
            language=language,
            wants_contact=wants,
            contact_method=data["contact_method"] if wants else "",
            contact=data["contact"].strip() if wants else "",
            reporter_name=data.get("reporter_name", "").strip(),
            consent=bool(data["consent"]),
        )


class StatusLoginForm(PublicForm):
    receipt_code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr", "spellcheck": "false"}),
        help_text=_("The code you were given when you sent the report, like 7KQ2-M9XD-4TNP."),
    )
    passphrase = forms.CharField(
        label=_("Passphrase"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AddInformationForm(PublicForm):
    text = forms.CharField(
        label=_("New information"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Anything that changed or that you remembered since you sent the report."),
    )
    attachments = MultipleFileField(
        label=_("Screenshots or files"),
        help_text=_("Optional. You can choose several files."),
    )


class WithdrawForm(PublicForm):
    confirm = forms.BooleanField(
        label=_("Yes, withdraw my report. I understand this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )
