"""The staff evidence pages (under /staff/evidence/): a case's evidence with the forms to add a
file or capture a page, the download of an item, and its custody trail. Documenters, verifiers
and admins only; every look at an item's bytes is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from marsad.web.cases.actions import ActionInvalid
from marsad.web.cases.models import AuditEntry, Case
from marsad.web.evidence import actions
from marsad.web.evidence.capture import capture_url
from marsad.web.evidence.errors import CaptureError, EvidenceCorrupted, EvidenceRejected
from marsad.web.evidence.forms import CaptureForm, UploadForm
from marsad.web.evidence.models import Evidence
from marsad.web.evidence.sniff import extension
from marsad.web.staff.permissions import CASE_WORKERS
from marsad.web.staff.views_common import staff_view

CUSTODY_ACTIONS = {
    "evidence.added": gettext_lazy("added"),
    "evidence.captured": gettext_lazy("captured from the web"),
    "evidence.viewed": gettext_lazy("viewed or downloaded"),
    "evidence.exported": gettext_lazy("exported"),
    "evidence.check_failed": gettext_lazy("failed its integrity check"),
}


def _case_page(request: HttpRequest, case: Case, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "case": case,
        "evidence_items": case.evidence.select_related("added_by"),
        "can_add": True,
        "upload_form": forms.get("upload_form") or UploadForm(),
        "capture_form": forms.get("capture_form") or CaptureForm(),
        "case_url": _case_url(case),
    }
    return render(request, "evidence/case_evidence.html", context, status=status)


def _case_url(case: Case) -> str:
    try:
        return reverse("staff:case", args=[case.pk])
    except NoReverseMatch:
        return reverse("staff:evidence_case", args=[case.pk])


def _back(request: HttpRequest, case: Case) -> HttpResponseRedirect:
    """Back to the page the form was on (if it is on this site), else the case page."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if safe and target.startswith("/") else _case_url(case))


@staff_view(*CASE_WORKERS)
@require_GET
def case_evidence(request: HttpRequest, case_id: int) -> HttpResponse:
    return _case_page(request, get_object_or_404(Case, pk=case_id))


@staff_view(*CASE_WORKERS)
@require_POST
def add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=case_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            item = actions.add_file(
                case, form.cleaned_data["file"], request.user, description=_desc(form)
            )
        except (EvidenceRejected, ActionInvalid) as refusal:
            form.add_error("file", str(refusal))
        else:
            messages.success(request, _("Evidence #%(id)d added.") % {"id": item.pk})
            return _back(request, case)
    return _case_page(request, case, status=400, upload_form=form)


@staff_view(*CASE_WORKERS)
@require_POST
def capture(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case, pk=case_id)
    form = CaptureForm(request.POST)
    if form.is_valid():
        try:
            item = capture_url(case, form.cleaned_data["url"], request.user, _desc(form))
        except (CaptureError, ActionInvalid) as failure:
            form.add_error("url", str(failure))
        else:
            text = _("Page captured as evidence #%(id)d (HTTP %(status)s).")
            messages.success(request, text % {"id": item.pk, "status": item.http_status})
            return _back(request, case)
    return _case_page(request, case, status=400, capture_form=form)


def _desc(form: UploadForm | CaptureForm) -> str:
    return str(form.cleaned_data.get("description") or "")


def download_name(item: Evidence, data: bytes) -> str:
    """A generated name: nothing of the sender's file name, which may be personal."""
    return f"evidence-{item.pk}-{item.sha256[:12]}.{extension(item.media_type, data)}"


@never_cache
@staff_view(*CASE_WORKERS)
@require_GET
def download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    item = get_object_or_404(Evidence, pk=evidence_id)
    try:
        data = actions.read_evidence(item, request.user)
    except EvidenceCorrupted as damage:
        messages.error(request, _("This item failed its integrity check: %(r)s") % {"r": damage})
        return redirect("staff:evidence_custody", evidence_id=item.pk)
    except ActionInvalid as refusal:
        return HttpResponse(str(refusal), status=410, content_type="text/plain; charset=utf-8")
    charset = "; charset=utf-8" if item.media_type == "text/plain" else ""
    response = HttpResponse(data, content_type=item.media_type + charset)
    response["Content-Disposition"] = f'attachment; filename="{download_name(item, data)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def custody_rows(item: Evidence) -> list[dict[str, Any]]:
    return [_row(entry) for entry in actions.custody(item)]


def _row(entry: AuditEntry) -> dict[str, Any]:
    details = entry.details or {}
    return {
        "at": entry.at,
        "who": entry.actor_label,
        "what": CUSTODY_ACTIONS.get(entry.action, entry.action),
        "action": entry.action,
        "sha256": details.get("sha256", ""),
        "reason": details.get("reason", ""),
        "statuses": details.get("statuses", []),
        "entry_hash": entry.entry_hash,
    }


@staff_view(*CASE_WORKERS)
@require_GET
def custody(request: HttpRequest, evidence_id: int) -> HttpResponse:
    item = get_object_or_404(Evidence.objects.select_related("case", "added_by"), pk=evidence_id)
    context = {"item": item, "rows": custody_rows(item), "case_url": _case_url(item.case)}
    return render(request, "evidence/custody.html", context)
