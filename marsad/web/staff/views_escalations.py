"""Escalations to the platforms: record one for a case, record the platform's reply, and the
list per platform with its median days to answer and share answered.

Verifiers and admins record; documenters may look at the list."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marsad.web.cases.actions import ActionInvalid, ActionRefused, record_escalation, record_reply
from marsad.web.cases.models import Case, Escalation, Term
from marsad.web.cases.personas import persona_of
from marsad.web.cases.states import State
from marsad.web.staff.forms_manage import EscalationForm, ReplyForm
from marsad.web.staff.permissions import CASE_WORKERS, SENIOR, personas_required

ESCALATES = (State.VERIFIED, State.ESCALATED)


@dataclass(slots=True)
class PlatformSummary:
    """One platform's escalations and how it answers."""

    platform: Term
    escalations: list[Escalation] = field(default_factory=list)
    answer_days: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.escalations)

    @property
    def answered(self) -> int:
        return len(self.answer_days)

    @property
    def share_answered(self) -> float | None:
        return self.answered / self.count if self.count else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.answer_days) if self.answer_days else None


def platform_summaries(escalations: Iterable[Escalation]) -> list[PlatformSummary]:
    """The escalations grouped by platform (in taxonomy order), with the days each answered
    one took."""
    found: dict[int, PlatformSummary] = {}
    for escalation in escalations:
        summary = found.setdefault(escalation.platform_id, PlatformSummary(escalation.platform))
        summary.escalations.append(escalation)
        if escalation.days_to_answer is not None:
            summary.answer_days.append(escalation.days_to_answer)
    return sorted(found.values(), key=lambda s: (s.platform.position, s.platform.key))


def _case_url(case: Case) -> str:
    try:
        return reverse("staff:case", args=[case.id])
    except NoReverseMatch:
        return reverse("staff:escalations")


@personas_required(*CASE_WORKERS)
def escalation_list(request: HttpRequest) -> HttpResponse:
    escalations = Escalation.objects.select_related("platform", "case").order_by("sent_on", "id")
    context = {
        "summaries": platform_summaries(escalations),
        "today": timezone.now().date(),
        "may_record": persona_of(request.user) in SENIOR,
    }
    return render(request, "staff/escalations.html", context)


@personas_required(*SENIOR)
def escalation_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("platform"), pk=case_id)
    initial = {"platform": case.platform, "sent_on": timezone.now().date()}
    form = EscalationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_escalation(case, form.escalation(), request.user)
        except ActionRefused as error:
            raise PermissionDenied(str(error)) from error
        except ActionInvalid as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The escalation is recorded."))
            return redirect(_case_url(case))
    context = {
        "case": case,
        "form": form,
        "can_escalate": case.state in ESCALATES,
        "case_url": _case_url(case),
    }
    return render(request, "staff/escalations_new.html", context, status=_status(form))


@personas_required(*SENIOR)
def escalation_reply(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = get_object_or_404(
        Escalation.objects.select_related("case", "platform"), pk=escalation_id
    )
    initial = {
        "reply": escalation.reply,
        "replied_on": escalation.replied_on or timezone.now().date(),
        "outcome": escalation.outcome,
    }
    form = ReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_reply(
                escalation,
                request.user,
                reply=data["reply"].strip(),
                replied_on=data["replied_on"],
                outcome=data["outcome"],
            )
        except ActionRefused as error:
            raise PermissionDenied(str(error)) from error
        except ActionInvalid as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The reply is recorded."))
            return redirect(_case_url(escalation.case))
    context = {"escalation": escalation, "form": form, "case_url": _case_url(escalation.case)}
    return render(request, "staff/escalations_reply.html", context, status=_status(form))


def _status(form: EscalationForm | ReplyForm) -> int:
    """400 for a form sent back with errors, else 200."""
    return 400 if form.is_bound and form.errors else 200
