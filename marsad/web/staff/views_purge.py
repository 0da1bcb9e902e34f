"""Purging a case's personal data (admins only): a confirmation page with a required reason,
then `marsad.web.cases.purge.purge_personal_data` and back to the case."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from marsad.web.cases.actions import ActionInvalid
from marsad.web.cases.purge import purge_personal_data
from marsad.web.cases.states import Persona
from marsad.web.staff.views_common import case_or_404, staff_view


class PurgeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the personal data is purged"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that the reporter's data, the notes and the evidence files are erased "
            "for good."
        )
    )


@staff_view(Persona.ADMIN)
@require_http_methods(["GET", "POST"])
def purge(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_or_404(case_id)
    form = PurgeForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "staff/purge.html", {"case": case, "form": form}, status=status)
    try:
        done = purge_personal_data(case, request.user, form.cleaned_data["reason"])
    except ActionInvalid as problem:
        messages.error(request, _("Not done: %(reason)s") % {"reason": problem})
    else:
        messages.success(request, _message(done.already))
    return redirect("staff:case", case_id=case.id)


def _message(already: bool) -> str:
    if already:
        return _("This case's personal data had already been purged.")
    return _("The case's personal data and evidence files were purged.")
