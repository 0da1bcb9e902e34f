"""The staff login and the case page: what each persona sees, and the forms on the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client

from marsad.web.cases import actions
from marsad.web.cases.models import AuditEntry, Case
from marsad.web.cases.states import State

from .conftest import PASSWORD, current_code, make_staff

ClientFor = Callable[[User | None], Client]


def in_state(case: Case, state: State, **fields: Any) -> Case:
    Case.objects.filter(pk=case.pk).update(state=state.value, **fields)
    return Case.objects.get(pk=case.pk)


def page_of(client: Client, case: Case) -> str:
    response = client.get(f"/staff/cases/{case.id}/")
    assert response.status_code == 200
    return response.content.decode()


# Login and logout


def test_staff_log_in_and_land_on_the_queue(documenter: User) -> None:
    client = Client()
    form = client.get("/staff/login/").content.decode()
    assert 'name="username"' in form and 'name="password"' in form and "csrfmiddlewaretoken" in form
    response = client.post("/staff/login/", {"username": "dina", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (
        302,
        "/staff/login/code/?next=%2Fstaff%2F",
    )
    response = client.post(
        "/staff/login/code/", {"code": current_code(documenter), "next": "/staff/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/staff/")
    assert client.get("/staff/").status_code == 200


def test_login_follows_next_to_the_page_asked_for(documenter: User, filed_case: Case) -> None:
    client = Client()
    wanted = f"/staff/cases/{filed_case.id}/"
    redirect = client.get(wanted)
    assert redirect["Location"] == f"/staff/login/?next={wanted}"
    response = client.post(
        "/staff/login/", {"username": "dina", "password": PASSWORD, "next": wanted}
    )
    assert response["Location"] == "/staff/login/code/?" + urlencode({"next": wanted})
    response = client.post("/staff/login/code/", {"code": current_code(documenter), "next": wanted})
    assert response["Location"] == wanted


def test_a_wrong_password_is_refused_with_a_message(documenter: User) -> None:
    client = Client()
    response = client.post("/staff/login/", {"username": "dina", "password": "not it at all"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert client.get("/staff/").status_code == 302


def test_a_user_without_a_role_is_told_so(outsider: User) -> None:
    client = Client()
    client.post("/staff/login/", {"username": "olaf", "password": PASSWORD})
    client.post("/staff/login/code/", {"code": current_code(outsider)})
    response = client.get("/staff/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "no role" in page and "Ask an administrator" in page


def test_log_out_is_a_post_and_ends_the_session(documenter: User, client_for: ClientFor) -> None:
    client = client_for(documenter)
    assert client.get("/staff/logout/").status_code == 405
    response = client.post("/staff/logout/")
    assert (response.status_code, response["Location"]) == (302, "/staff/login/")
    assert client.get("/staff/").status_code == 302


def test_every_staff_page_names_the_users_role(
    verifier: User, filed_case: Case, client_for: ClientFor
) -> None:
    client = client_for(verifier)
    assert "vera · Verifier" in client.get("/staff/").content.decode()
    client.cookies["django_language"] = "ar"
    assert 'dir="rtl"' in page_of(client, filed_case)


# The case page


def test_case_workers_see_the_reporters_fields_decrypted(
    filed_case: Case, documenter: User, client_for: ClientFor
) -> None:
    page = page_of(client_for(documenter), filed_case)
    for shown in (
        filed_case.receipt_code,
        "تم تعليق حسابي بعد نشر صور الهدم في القرية",
        "https://www.instagram.com/p/Cx1example/",
        "+970 59 000 0000",
        "سلمى",
        "Signal",
        "Account suspension or deletion",
    ):
        assert shown in page


def test_the_page_shows_notes_from_reporter_and_staff_and_the_history_in_words(
    filed_case: Case, documenter: User, client_for: ClientFor
) -> None:
    actions.reporter_add_information(filed_case, "they also took my second account")
    actions.add_staff_note(filed_case, "called back on Signal", documenter)
    actions.transition(filed_case, State.TRIAGED, documenter)
    actions.transition(filed_case, State.REJECTED, documenter, "not a digital-rights case")
    page = page_of(client_for(documenter), filed_case)
    assert "they also took my second account" in page and "called back on Signal" in page
    for line in (
        "Report received",
        "The reporter added information",
        "Staff note added",
        "Moved from “Received” to “Triaged”",
        "Moved from “Triaged” to “Rejected”",
        "not a digital-rights case",
    ):
        assert line in page
    assert page.index("Report received") < page.index("Moved from “Triaged” to “Rejected”")


def test_reporter_text_is_escaped(
    db: None, term: Any, documenter: User, client_for: ClientFor
) -> None:
    report = actions.NewReport(
        term("violation_type", "hacking"), "<script>alert(1)</script>", consent=True
    )
    case = actions.submit_report(report, "a passphrase here")
    page = page_of(client_for(documenter), case)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("persona", "state", "buttons"),
    [
        ("documenter", State.RECEIVED, {State.TRIAGED, State.REJECTED}),
        ("documenter", State.DOCUMENTED, set()),
        ("verifier", State.DOCUMENTED, {State.VERIFIED, State.TRIAGED, State.REJECTED}),
        ("admin", State.VERIFIED, {State.CLOSED, State.DOCUMENTED}),
        ("verifier", State.REJECTED, {State.TRIAGED}),
    ],
)
def test_the_transition_buttons_are_exactly_the_allowed_moves(
    filed_case: Case, client_for: ClientFor, persona: str, state: State, buttons: set[State]
) -> None:
    user = make_staff(f"u-{persona}", persona)
    page = page_of(client_for(user), in_state(filed_case, state))
    offered = {s for s in State if f'name="to" value="{s.value}"' in page}
    assert offered == buttons


def test_a_move_that_needs_a_reason_marks_its_field_required(
    filed_case: Case, verifier: User, client_for: ClientFor
) -> None:
    page = page_of(client_for(verifier), in_state(filed_case, State.DOCUMENTED))
    verify = page[page.index('value="verified"') :]
    assert 'required id="id_move_verified_reason"' in verify
    assert 'required id="id_move_triaged_reason"' in page
    received = page_of(client_for(verifier), in_state(filed_case, State.RECEIVED))
    assert 'required id="id_move_triaged_reason"' not in received


def test_the_public_summary_form_is_for_verifiers_and_admins(
    filed_case: Case, documenter: User, verifier: User, client_for: ClientFor
) -> None:
    assert "/summary/" not in page_of(client_for(documenter), filed_case)
    assert f"/staff/cases/{filed_case.id}/summary/" in page_of(client_for(verifier), filed_case)


def test_the_merge_form_shows_only_where_a_duplicate_can_be_marked(
    filed_case: Case, documenter: User, client_for: ClientFor
) -> None:
    assert "/merge/" in page_of(client_for(documenter), filed_case)
    assert "/merge/" not in page_of(client_for(documenter), in_state(filed_case, State.VERIFIED))


def test_escalations_are_listed_and_linked_for_recording(
    filed_case: Case, verifier: User, documenter: User, term: Any, client_for: ClientFor
) -> None:
    case = in_state(filed_case, State.VERIFIED)
    sent = actions.EscalationInput(term("platform", "instagram"), "email", date(2026, 3, 1), "R-77")
    escalation = actions.record_escalation(case, sent, verifier)
    actions.record_reply(
        escalation, verifier, reply="Restored.", replied_on=date(2026, 3, 4), outcome="restored"
    )
    page = page_of(client_for(verifier), case)
    for shown in ("R-77", "2026-03-01", "2026-03-04", "Restored", "Escalated to Instagram"):
        assert shown in page
    assert f"/staff/cases/{case.id}/escalations/new/" in page
    assert f"/staff/escalations/{escalation.id}/reply/" in page
    assert "/escalations/new/" not in page_of(client_for(documenter), case)


def test_the_evidence_list_of_the_evidence_app_is_included(
    filed_case: Case, documenter: User, client_for: ClientFor, settings: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "templates" / "evidence"
    folder.mkdir(parents=True)
    (folder / "_case_evidence.html").write_text(
        "EVIDENCE-LIST case={{ case.id }} items={{ evidence_items|length }} add={{ can_add }}"
    )
    first = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**first, "DIRS": [tmp_path / "templates", *first["DIRS"]]}]
    page = page_of(client_for(documenter), filed_case)
    assert f"EVIDENCE-LIST case={filed_case.id} items=0 add=True" in page


def test_analysts_see_an_anonymised_case(
    filed_case: Case, analyst: User, documenter: User, client_for: ClientFor
) -> None:
    actions.add_staff_note(filed_case, "the reporter lives in Silwan", documenter)
    actions.transition(filed_case, State.TRIAGED, documenter)
    actions.transition(filed_case, State.REJECTED, documenter, "Salma asked us to stop")
    page = page_of(client_for(analyst), filed_case)
    assert "Account suspension or deletion" in page and "Instagram" in page
    assert "Moved from “Triaged” to “Rejected”" in page and "Rejected" in page
    for hidden in (
        filed_case.receipt_code,
        "تم تعليق حسابي",
        "Cx1example",
        "+970",
        "سلمى",
        "Silwan",
        "Salma",
        "dina",
        '<form method="post" action="/staff/cases/',
        "EVIDENCE",
    ):
        assert hidden not in page


def test_an_unknown_case_is_404(documenter: User, client_for: ClientFor) -> None:
    assert client_for(documenter).get("/staff/cases/999999/").status_code == 404


# The forms on the case page


def posted(client: Client, case: Case, form: str, data: dict[str, Any]) -> Any:
    return client.post(f"/staff/cases/{case.id}/{form}/", data, follow=True)


def audit_count(case: Case) -> int:
    return AuditEntry.objects.filter(case_ref=case.id).count()


def test_a_move_changes_the_state_and_confirms_it(
    filed_case: Case, documenter: User, client_for: ClientFor
) -> None:
    response = posted(client_for(documenter), filed_case, "move", {"to": "triaged"})
    assert response.redirect_chain == [(f"/staff/cases/{filed_case.id}/", 302)]
    assert "Moved to “Triaged”." in response.content.decode()
    assert Case.objects.get(pk=filed_case.pk).state == State.TRIAGED


def test_a_move_without_its_reason_is_shown_as_a_message_and_changes_nothing(
    filed_case: Case, verifier: User, client_for: ClientFor
) -> None:
    case = in_state(filed_case, State.DOCUMENTED)
    before = audit_count(case)
    response = posted(client_for(verifier), case, "move", {"to": "verified", "reason": " "})
    assert response.status_code == 200
    assert "Not done: a reason is required for this decision" in response.content.decode()
    assert (Case.objects.get(pk=case.pk).state, audit_count(case)) == (State.DOCUMENTED, before)


def test_a_move_the_role_may_not_make_is_refused_with_403(
    filed_case: Case, documenter: User, client_for: ClientFor
) -> None:
    case = in_state(filed_case, State.DOCUMENTED)
    response = client_for(documenter).post(
        f"/staff/cases/{case.id}/move/", {"to": "verified", "reason": "looks fine"}
    )
    assert response.status_code == 403
    assert "Your role may not do this" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.DOCUMENTED


def test_a_move_to_an_unknown_state_is_a_bad_request(
    filed_case: Case, documenter: User, client_for: ClientFor
) -> None:
    response = client_for(documenter).post(f"/staff/cases/{filed_case.id}/move/", {"to": "gone"})
    assert response.status_code == 400
    assert "The form was not saved" in response.content.decode()


def test_moving_to_outcome_before_one_is_recorded_says_so(
    filed_case: Case, verifier: User, client_for: ClientFor
) -> None:
    case = in_state(filed_case, State.ESCALATED)
    response = posted(client_for(verifier), case, "move", {"to": "outcome"})
    assert "record the outcome first" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.ESCALATED


def test_the_move_to_outcome_is_offered_only_once_an_outcome_is_recorded(
    filed_case: Case, verifier: User, client_for: ClientFor
) -> None:
    case = in_state(filed_case, State.ESCALATED)
    offered = 'name="to" value="outcome"'
    assert offered not in client_for(verifier).get(f"/staff/cases/{case.id}/").content.decode()
    Case.objects.filter(pk=case.pk).update(outcome="restored")
    assert offered in client_for(verifier).get(f"/staff/cases/{case.id}/").content.decode()


def test_a_purged_case_offers_no_escalation_or_reply_to_record(
    filed_case: Case, verifier: User, admin: User, client_for: ClientFor
) -> None:
    from marsad.web.cases import actions
    from marsad.web.cases.models import Term
    from marsad.web.cases.purge import purge_personal_data

    case = in_state(filed_case, State.VERIFIED)
    sent = actions.EscalationInput(
        Term.objects.get(kind="platform", key="instagram"), "email", date(2026, 3, 1)
    )
    escalation = actions.record_escalation(case, sent, verifier)
    page = client_for(verifier).get(f"/staff/cases/{case.id}/").content.decode()
    new_escalation = f"/staff/cases/{case.id}/escalations/new/"
    reply = f"/staff/escalations/{escalation.id}/reply/"
    assert new_escalation in page and reply in page
    purge_personal_data(case, admin, "asked by the reporter")
    page = client_for(verifier).get(f"/staff/cases/{case.id}/").content.decode()
    assert new_escalation not in page and reply not in page


def test_assigning_to_me_to_a_colleague_and_to_nobody(
    filed_case: Case, documenter: User, verifier: User, client_for: ClientFor
) -> None:
    client = client_for(documenter)
    posted(client, filed_case, "assign", {"assignee": "me"})
    assert Case.objects.get(pk=filed_case.pk).assignee == documenter
    response = posted(client, filed_case, "assign", {"assignee": str(verifier.pk)})
    assert "Assignment saved." in response.content.decode()
    assert Case.objects.get(pk=filed_case.pk).assignee == verifier
    posted(client, filed_case, "assign", {"assignee": "none"})
    assert Case.objects.get(pk=filed_case.pk).assignee is None
    entries = AuditEntry.objects.filter(case_ref=filed_case.id, action="case.assigned")
    assert [e.details["assignee"] for e in entries] == ["dina", "vera", None]


def test_an_analyst_is_not_offered_as_assignee(
    filed_case: Case, documenter: User, analyst: User, client_for: ClientFor
) -> None:
    client = client_for(documenter)
    page = page_of(client, filed_case)
    choices = page[page.index('id="id_assignee"') :].split("</select>")[0]
    assert "adam" not in choices and f'value="{analyst.pk}"' not in choices
    assert "Me (dina)" in choices and "Nobody (unassign)" in choices
    response = client.post(f"/staff/cases/{filed_case.id}/assign/", {"assignee": str(analyst.pk)})
    assert response.status_code == 400
    assert Case.objects.get(pk=filed_case.pk).assignee is None


def test_classifying_sets_the_terms_and_offers_only_active_ones(
    filed_case: Case, documenter: User, term: Any, client_for: ClientFor
) -> None:
    retired = term("platform", "snapchat")
    retired.active = False
    retired.save()
    client = client_for(documenter)
    assert f'value="{retired.id}"' not in page_of(client, filed_case)
    data = {
        "violation_type": term("violation_type", "account_suspension").id,
        "platform": term("platform", "instagram").id,
        "perpetrator": term("perpetrator", "state_authority").id,
        "affected_party": term("affected_party", "journalist").id,
    }
    response = posted(client, filed_case, "classify", data)
    assert "Classification saved." in response.content.decode()
    case = Case.objects.get(pk=filed_case.pk)
    assert (case.perpetrator.key, case.affected_party.key) == ("state_authority", "journalist")
    entry = AuditEntry.objects.get(case_ref=case.id, action="case.classified")
    assert entry.details["changed"] == {
        "perpetrator": "state_authority",
        "affected_party": "journalist",
    }
    assert "State authority, Journalist" in response.content.decode() or (
        "Journalist, State authority" in response.content.decode()
    )
    refused = client.post(f"/staff/cases/{case.id}/classify/", data | {"platform": retired.id})
    assert refused.status_code == 400
    assert Case.objects.get(pk=case.pk).platform == term("platform", "instagram")


def test_a_staff_note_is_added_and_an_empty_one_is_shown_back_with_its_error(
    filed_case: Case, documenter: User, client_for: ClientFor
) -> None:
    client = client_for(documenter)
    response = posted(client, filed_case, "note", {"text": "Spoke to the reporter."})
    assert "Note added." in response.content.decode()
    assert filed_case.notes.get().text == "Spoke to the reporter."
    empty = client.post(f"/staff/cases/{filed_case.id}/note/", {"text": "   "})
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()
    assert filed_case.notes.count() == 1


def test_the_public_summary_is_set_by_a_verifier(
    filed_case: Case, verifier: User, client_for: ClientFor
) -> None:
    summary = "A journalist's account was suspended after posting photos of demolitions."
    response = posted(client_for(verifier), filed_case, "summary", {"summary": summary})
    assert "Public summary saved." in response.content.decode()
    assert Case.objects.get(pk=filed_case.pk).public_summary == summary


def test_merging_into_the_original_by_its_receipt_code(
    filed_case: Case, documenter: User, term: Any, client_for: ClientFor
) -> None:
    report = actions.NewReport(term("violation_type", "account_suspension"), "same", consent=True)
    copy = actions.submit_report(report, "another passphrase")
    client = client_for(documenter)
    typed = filed_case.receipt_code.lower().replace("-", " ")
    response = posted(client, copy, "merge", {"original": typed, "reason": "same account"})
    assert "Marked as a duplicate." in response.content.decode()
    copy = Case.objects.get(pk=copy.pk)
    assert (copy.state, copy.duplicate_of_id) == (State.DUPLICATE, filed_case.id)
    assert f"/staff/cases/{copy.id}/" in page_of(client, filed_case)  # listed on the original


def test_merging_into_an_unknown_code_or_into_itself_changes_nothing(
    filed_case: Case, documenter: User, client_for: ClientFor
) -> None:
    client = client_for(documenter)
    before = audit_count(filed_case)
    unknown = client.post(
        f"/staff/cases/{filed_case.id}/merge/", {"original": "AAAA-BBBB-CCCC", "reason": "x"}
    )
    assert unknown.status_code == 400
    assert "No case has this receipt code." in unknown.content.decode()
    itself = posted(
        client, filed_case, "merge", {"original": filed_case.receipt_code, "reason": "x"}
    )
    assert "a case cannot duplicate itself" in itself.content.decode()
    assert Case.objects.get(pk=filed_case.pk).state == State.RECEIVED
    assert audit_count(filed_case) == before


def test_forms_need_the_csrf_token(filed_case: Case, documenter: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(documenter)
    response = client.post(f"/staff/cases/{filed_case.id}/note/", {"text": "sneaky"})
    assert response.status_code == 403
    assert filed_case.notes.count() == 0


def test_analysts_no_longer_see_a_withdrawn_case(
    filed_case: Case, analyst: User, documenter: User, client_for: ClientFor
) -> None:
    actions.reporter_withdraw(filed_case)
    link = f"/staff/cases/{filed_case.id}/"
    analysts, documenters = client_for(analyst), client_for(documenter)
    assert analysts.get(link).status_code == 404
    assert link not in analysts.get("/staff/", {"state": "all"}).content.decode()
    assert link in documenters.get("/staff/", {"state": "all"}).content.decode()
    assert documenters.get(link).status_code == 200


@pytest.mark.parametrize("url", ["/staff/", "/staff/cases/{id}/", "/staff/escalations/"])
def test_staff_pages_are_not_kept_in_the_browsers_cache(
    url: str, filed_case: Case, documenter: User, client_for: ClientFor
) -> None:
    response = client_for(documenter).get(url.format(id=filed_case.id))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
