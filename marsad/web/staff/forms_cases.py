"""Forms of the staff case pages: the queue filters and the forms on a case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from marsad.web.cases.models import Case, Term, TermKind
from marsad.web.cases.receipts import normalise_receipt_code
from marsad.web.cases.states import Persona, State
from marsad.web.staff import queue

User = get_user_model()
CASE_WORKER_GROUPS = [Persona.DOCUMENTER.value, Persona.VERIFIER.value, Persona.ADMIN.value]


def _terms(kind: TermKind, keep: Term | None = None) -> QuerySet[Term]:
    """The active terms of a kind, plus `keep` (a retired term a case still carries)."""
    keep_id = keep.pk if keep is not None else None
    return Term.objects.filter(Q(active=True) | Q(pk=keep_id), kind=kind.value)


class QueueForm(forms.Form):
    """The queue's filters (a GET form: every filter is a plain query parameter)."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[(queue.OPEN, _("Open cases")), (queue.ALL, _("All cases")), *State.choices],
    )
    violation_type = forms.ModelChoiceField(
        label=_("Violation type"),
        required=False,
        queryset=Term.objects.filter(kind=TermKind.VIOLATION_TYPE),
        empty_label=_("Any type"),
    )
    platform = forms.ModelChoiceField(
        label=_("Platform"),
        required=False,
        queryset=Term.objects.filter(kind=TermKind.PLATFORM),
        empty_label=_("Any platform"),
    )
    assignee = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[
            (queue.ANYONE, _("Anyone")),
            (queue.ME, _("Me")),
            (queue.UNASSIGNED, _("Nobody")),
        ],
    )
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    receipt = forms.CharField(
        label=_("Receipt code"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    waiting = forms.BooleanField(label=_("Waiting on me"), required=False)

    def __init__(self, *args: Any, case_worker: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not case_worker:  # analysts: an anonymised list, no receipt or assignee filters
            for name in ("assignee", "receipt", "waiting"):
                del self.fields[name]

    def filters(self) -> queue.QueueFilters:
        """The filters as chosen (call after is_valid); an empty form gives the open cases."""
        data = self.cleaned_data
        return queue.QueueFilters(
            state=data.get("state") or queue.OPEN,
            violation_type=data.get("violation_type"),
            platform=data.get("platform"),
            assignee=data.get("assignee") or queue.ANYONE,
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            receipt=data.get("receipt") or "",
            waiting_on_me=bool(data.get("waiting")),
        )


class MoveForm(forms.Form):
    """One transition button; the action decides whether the persona may make the move."""

    to = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"))

    def __init__(self, *args: Any, me: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = case_workers().exclude(pk=me.pk)
        choices: list[tuple[str, str]] = [
            ("me", str(_("Me (%(name)s)")) % {"name": me.get_username()})
        ]
        choices += [(str(u.pk), u.get_username()) for u in others]
        choices += [("none", str(_("Nobody (unassign)")))]
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        self.me = me

    def chosen(self) -> Any:
        """The user to assign, or None to unassign (call after is_valid)."""
        value = self.cleaned_data["assignee"]
        if value == "none":
            return None
        if value == "me":
            return self.me
        return User.objects.get(pk=int(value))


def case_workers() -> QuerySet[Any]:
    """Active documenters, verifiers and admins (superusers count as admins)."""
    in_group = Q(groups__name__in=CASE_WORKER_GROUPS) | Q(is_superuser=True)
    return User.objects.filter(in_group, is_active=True).distinct().order_by("username")


class ClassifyForm(forms.Form):
    violation_type = forms.ModelChoiceField(label=_("Violation type"), queryset=Term.objects)
    platform = forms.ModelChoiceField(
        label=_("Platform"), queryset=Term.objects, required=False, empty_label=_("Not known")
    )
    perpetrator = forms.ModelChoiceField(
        label=_("Perpetrator type"),
        queryset=Term.objects,
        required=False,
        empty_label=_("Not known"),
    )
    affected_party = forms.ModelChoiceField(
        label=_("Affected party"), queryset=Term.objects, required=False, empty_label=_("Not known")
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs["initial"] = {name: getattr(case, f"{name}_id") for name in self.base_fields}
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = _terms(TermKind(name), getattr(case, name))

    def terms(self) -> dict[str, Term | None]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Staff note"), max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published once the case is verified: write it without names or contacts."),
    )


class MergeForm(forms.Form):
    original = forms.CharField(label=_("Receipt code of the original case"), max_length=40)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_original(self) -> Case:
        code = normalise_receipt_code(self.cleaned_data["original"])
        original = Case.objects.filter(receipt_code=code).first()
        if original is None:
            raise forms.ValidationError(_("No case has this receipt code."))
        return original
