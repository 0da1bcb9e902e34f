"""Exports of cases to CSV or JSON: anonymised (analysts, admins) or complete (admins only).

GET shows the form; POST writes the audit entry ("cases.exported": kind, format, row count,
filters) and streams the file, so a large export never sits whole in memory. The rows are
built by `marsad.web.cases.exports`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from marsad.web.cases import audit
from marsad.web.cases.exports import (
    ExportFormat,
    ExportKind,
    Filters,
    columns_for,
    csv_stream,
    iter_rows,
    json_stream,
    matching_ids,
)
from marsad.web.cases.personas import persona_of
from marsad.web.cases.states import Persona
from marsad.web.staff.forms_manage import ExportForm
from marsad.web.staff.permissions import personas_required

CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.JSON: "application/json",
}


@personas_required(Persona.ANALYST, Persona.ADMIN)
def exports_page(request: HttpRequest) -> HttpResponse:
    complete_allowed = persona_of(request.user) == Persona.ADMIN
    if request.method == "POST":
        wanted = request.POST.get("kind")
        if wanted == ExportKind.COMPLETE and not complete_allowed:
            raise PermissionDenied(gettext("only administrators may export personal data"))
    form = ExportForm(request.POST or None, complete_allowed=complete_allowed)
    if request.method == "POST" and form.is_valid():
        kind = ExportKind(form.cleaned_data["kind"])
        fmt = ExportFormat(form.cleaned_data["format"])
        # a streamed response; `personas_required` types every view as returning HttpResponse
        return cast(HttpResponse, export_response(request, kind, fmt, form.filters()))
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "complete_allowed": complete_allowed}
    return render(request, "staff/exports.html", context, status=status)


def export_response(
    request: HttpRequest, kind: ExportKind, fmt: ExportFormat, filters: Filters
) -> StreamingHttpResponse:
    """Audit the export, then stream it."""
    ids = matching_ids(kind, filters)
    details = {"kind": kind.value, "format": fmt.value, "rows": len(ids)}
    audit.record(request.user, "cases.exported", details=details | filters.as_details())
    response = StreamingHttpResponse(_body(kind, fmt, ids), content_type=CONTENT_TYPES[fmt])
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    name = f"marsad-cases-{kind.value}-{stamp}.{fmt.value}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _body(kind: ExportKind, fmt: ExportFormat, ids: list[int]) -> Iterator[str]:
    rows = iter_rows(kind, ids)
    if fmt == ExportFormat.CSV:
        return csv_stream(rows, columns_for(kind))
    return json_stream(rows)
