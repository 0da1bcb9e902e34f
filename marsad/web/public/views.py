"""The public pages: the report form and its receipt, the status page, the dashboard and the
published reports. No login; nothing about the visitor (address, browser) is stored."""

from __future__ import annotations

import math
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marsad.web.cases.actions import ActionInvalid, find_by_receipt, reporter_withdraw
from marsad.web.cases.models import Case
from marsad.web.public import ratelimit, session, status, unsent
from marsad.web.public.actions import add_information, file_report, stored_path
from marsad.web.public.dashboard import numbers_html
from marsad.web.public.forms import AddInformationForm, ReportForm, StatusLoginForm, WithdrawForm
from marsad.web.public.models import PublishedReport

LATEST_REPORTS = 5
# Never sent back to the page: secrets, and the fields the page makes afresh.
NOT_KEPT = frozenset(
    {"csrfmiddlewaretoken", "passphrase", "passphrase_again", "website", "pow_challenge"}
    | {"pow_solution"}
)


def _posted(request: HttpRequest) -> tuple[Any, ...]:
    """The form data of a POST (even an empty one, so that it is validated), else nothing."""
    return (request.POST, request.FILES) if request.method == "POST" else ()


def page_language() -> str:
    return (get_language() or "en")[:2]


def _over_limit(request: HttpRequest) -> int | None:
    """For a POST over the client's limit, the seconds to wait (`ratelimit`); else None."""
    return ratelimit.hit(request) if request.method == "POST" else None


def _typed(request: HttpRequest) -> dict[str, Any]:
    """What the reporter typed, to show again (never the passphrase)."""
    return {name: request.POST.get(name) for name in request.POST if name not in NOT_KEPT}


def _too_many(
    request: HttpRequest,
    wait_s: int,
    template: str = "public/too_many.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """429: the page asks to wait so many minutes (and shows the typed form again)."""
    context = {"wait_minutes": max(1, math.ceil(wait_s / 60)), **(context or {})}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait_s)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if (wait := _over_limit(request)) is not None:
        kept = ReportForm(initial=_typed(request))
        return _too_many(request, wait, "public/report.html", {"form": kept})
    form = ReportForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        case = _file(form)
        if case is not None:
            session.keep_receipt(request.session, case.receipt_code)
            return redirect("public:receipt")
    return render(request, "public/report.html", {"form": form})


def _file(form: ReportForm) -> Case | None:
    """File the valid form's report; None (with the error on the form) if its challenge was
    used already or a file is refused."""
    if not form.use_challenge():
        form.refuse_used_challenge()
        return None
    report, files = form.new_report(page_language()), form.cleaned_data["attachments"]
    if not files:
        return file_report(report, form.cleaned_data["passphrase"])
    from marsad.web.evidence.actions import EvidenceRejected

    try:
        return file_report(report, form.cleaned_data["passphrase"], files)
    except EvidenceRejected as refused:
        form.renew_challenge()
        form.add_error("attachments", str(refused))
        return None


@never_cache
@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    code = session.take_receipt(request.session)
    if code is None:
        return redirect("public:report")
    return render(request, "public/receipt.html", {"receipt_code": code})


@never_cache
@require_http_methods(["GET", "POST"])
def status_page(request: HttpRequest) -> HttpResponse:
    case = session.opened_case(request.session)
    if case is None:
        return _status_login(request)
    return _render_status(request, case, _add_form(request, case))


def _add_form(request: HttpRequest, case: Case) -> AddInformationForm:
    """The add-information form, holding (once) the text written after the page had closed."""
    text = unsent.take(request.session, case.id) if status.is_open(case) else ""
    if not text:
        return AddInformationForm()
    messages.info(
        request,
        gettext(
            "The text you wrote before the page closed is back in the form: check it, then "
            "add it to the report."
        ),
    )
    return AddInformationForm(initial={"text": text})


def _status_login(request: HttpRequest) -> HttpResponse:
    if (wait := _over_limit(request)) is not None:
        return _too_many(request, wait)
    form = StatusLoginForm(*_posted(request)[:1])
    if request.method == "POST" and form.is_valid():
        case = find_by_receipt(form.cleaned_data["receipt_code"], form.cleaned_data["passphrase"])
        if case is not None:
            session.open_case(request.session, case)
            return redirect("public:status")
        form.add_error(
            None,
            gettext(
                "No report matches this receipt code and passphrase. Check both and try again."
            ),
        )
    _tell_unsent(request)
    return render(request, "public/status_login.html", {"form": form})


def _tell_unsent(request: HttpRequest) -> None:
    """On the login page: say that information sent after the page had closed was not added,
    and what of it is kept."""
    kept = unsent.waiting(request.session)
    if kept is None:
        return
    messages.warning(request, _unsent_sentence(kept))
    if kept.files:
        messages.warning(
            request, gettext("Files cannot be kept: choose them again once the report is open.")
        )


def _unsent_sentence(kept: unsent.Unsent) -> str:
    if kept.cut:
        return gettext(
            "The report page closed after 30 minutes, so your information was not added yet. "
            "Open it again with your receipt code and passphrase: the first %(count)s characters "
            "of your text are kept and will be back in the form."
        ) % {"count": kept.chars}
    if kept.chars:
        return gettext(
            "The report page closed after 30 minutes, so your information was not added yet. "
            "Open it again with your receipt code and passphrase: your text is kept and will be "
            "back in the form."
        )
    return gettext(
        "The report page closed after 30 minutes, so nothing was added. Open it again with "
        "your receipt code and passphrase."
    )


def _render_status(
    request: HttpRequest, case: Case, form: AddInformationForm, wait_s: int | None = None
) -> HttpResponse:
    if status.is_purged(case):
        return render(request, "public/status_purged.html", {"sentence": status.sentence(case)})
    context: dict[str, Any] = {
        "case": case,
        "sentence": status.sentence(case),
        "steps": status.steps(case),
        "milestones": status.milestones(case),
        "is_open": status.is_open(case),
        "violation_type": case.violation_type.name(),
        "platform": case.platform.name() if case.platform else "",
        "form": form,
    }
    if wait_s is not None:
        return _too_many(request, wait_s, "public/status.html", context)
    return render(request, "public/status.html", context)


@never_cache
@require_POST
def status_add(request: HttpRequest) -> HttpResponse:
    expired = unsent.case_in_session(request.session)  # `opened_case` forgets an expired case
    case = session.opened_case(request.session)
    wait = _over_limit(request)  # before anything is kept, even in the session
    if case is None:
        if wait is not None:
            return _too_many(request, wait)
        text = request.POST.get("text", "")
        unsent.keep(request.session, expired, text, files=bool(request.FILES))
        return redirect("public:status")
    if wait is not None:
        kept = AddInformationForm(initial=_typed(request))
        return _render_status(request, case, kept, wait_s=wait)
    form = AddInformationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_status(request, case, form)
    try:
        if not _add(case, form):
            return _render_status(request, case, form)
    except ActionInvalid:
        messages.error(request, gettext("This report no longer takes new information."))
        return redirect("public:status")
    messages.success(request, gettext("Thank you: your information was added to the report."))
    return redirect("public:status")


def _add(case: Case, form: AddInformationForm) -> bool:
    """Add the valid form's information; False (with the error on the form) if a file is
    refused."""
    text, files = form.cleaned_data["text"], form.cleaned_data["attachments"]
    if not files:
        add_information(case, text)
        return True
    from marsad.web.evidence.actions import EvidenceRejected

    try:
        add_information(case, text, files)
    except EvidenceRejected as refused:
        form.add_error("attachments", str(refused))
        return False
    return True


@never_cache
@require_http_methods(["GET", "POST"])
def status_withdraw(request: HttpRequest) -> HttpResponse:
    case = session.opened_case(request.session)
    if case is None or not status.is_open(case):
        return redirect("public:status")
    if (wait := _over_limit(request)) is not None:
        return _too_many(request, wait)
    form = WithdrawForm(*_posted(request)[:1])
    if request.method == "POST" and form.is_valid():
        try:
            reporter_withdraw(case)
        except ActionInvalid:
            messages.error(request, gettext("This report can no longer be withdrawn."))
        return redirect("public:status")
    return render(request, "public/withdraw.html", {"case": case, "form": form})


@require_POST
def status_leave(request: HttpRequest) -> HttpResponse:
    session.close_case(request.session)
    messages.info(request, gettext("You closed the report page."))
    return redirect("public:status")


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "numbers": numbers_html(page_language()),
        "reports": PublishedReport.objects.all()[:LATEST_REPORTS],
    }
    return render(request, "public/dashboard.html", context)


@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    return render(request, "public/reports.html", {"reports": PublishedReport.objects.all()})


@require_GET
def report_file(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    if "\x00" in filename:  # no stored name has one (and PostgreSQL refuses it in a query)
        raise Http404("no such report file")
    published = get_object_or_404(PublishedReport, pk=pk, file_name=filename)
    path = stored_path(published)
    if not path.is_file():
        raise Http404("the report's file is missing")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=published.file_name)
    response["X-Content-SHA256"] = published.sha256
    return response
