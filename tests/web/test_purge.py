"""Purging a case's personal data: an admin, with a reason, erases the reporter's data, the notes'
text, the escalations' free text and the evidence files; the statistics count the case exactly
as before, the audit log records the purge without the data, and the receipt code only says
that the data was purged."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from marsad.web.cases import actions, audit
from marsad.web.cases.actions import ActionInvalid, ActionRefused
from marsad.web.cases.models import AuditEntry, Case, Escalation, Note, Term
from marsad.web.cases.purge import purge_personal_data
from marsad.web.cases.states import Outcome, State
from marsad.web.cases.stats import public_stats, response_days
from marsad.web.evidence import actions as evidence_actions
from marsad.web.evidence import storage
from marsad.web.evidence.models import Evidence, EvidenceKind
from marsad.web.public.dashboard import render_numbers
from marsad.web.public.status import PURGED

from .conftest import PASSPHRASE
from .test_evidence_sniff import png, text

STATUS = "/report/status/"
REASON = "the reporter asked by phone that their data be erased"
SECRETS = (
    "تم تعليق حسابي",  # the description
    "Cx1example",  # the link
    "+970 59 000 0000",  # the contact
    "سلمى",  # the name
    "Hebron, near the old market",  # the location
    "my cousin saw the post",  # a reporter's note
    "called her back on Signal",  # a staff note
    "TICKET-77-ZZ",  # the escalation's reference
    "we reviewed @salma_reports",  # the platform's reply
    "chat-export.txt",  # a file's name
)

Capture = Callable[..., Any]


@pytest.fixture
def full_case(
    filed_case: Case,
    documenter: User,
    verifier: User,
    term: Callable[[str, str], Term],
) -> Case:
    """The filed case with everything a purge erases: location, notes by both sides, files by
    both sides, and an answered escalation; verified, so that it counts in the statistics."""
    Case.objects.filter(pk=filed_case.pk).update(
        location="Hebron, near the old market",
        occurred_on=date(2026, 2, 17),
        received_at=datetime(2026, 3, 18, 21, 40, tzinfo=UTC),
    )
    case = Case.objects.get(pk=filed_case.pk)
    actions.reporter_add_information(case, "my cousin saw the post")
    upload = SimpleUploadedFile("chat-export.txt", text())
    evidence_actions.add_file(case, upload, None, kind=EvidenceKind.REPORTER_UPLOAD)
    evidence_actions.add_file(case, SimpleUploadedFile("shot.png", png()), documenter)
    actions.add_staff_note(case, "called her back on Signal", documenter)
    terms = {"perpetrator": term("perpetrator", "platform_company")}
    actions.classify_case(case, documenter, **terms)
    for to in (State.TRIAGED, State.DOCUMENTED):
        actions.transition(case, to, documenter)
    actions.transition(case, State.VERIFIED, verifier, "two sources confirm it")
    sent = actions.EscalationInput(
        term("platform", "instagram"), "trusted_partner", date(2026, 3, 20), "TICKET-77-ZZ"
    )
    escalation = actions.record_escalation(case, sent, verifier)
    actions.record_reply(
        escalation,
        verifier,
        reply="we reviewed @salma_reports",
        replied_on=date(2026, 3, 26),
        outcome=Outcome.RESTORED,
    )
    return Case.objects.get(pk=case.pk)


def purge(case: Case, actor: Any, capture: Capture, reason: str = REASON) -> Any:
    """Purge and run what waits for the commit (the test's transaction never commits)."""
    with capture(execute=True):
        return purge_personal_data(case, actor, reason)


def everything_stored_as_text() -> str:
    """The case tables' rows, decrypted through the models, as one text."""
    rows: list[Any] = []
    for model in (Case, Note, Escalation, Evidence, AuditEntry):
        for obj in model.objects.all():
            rows.append({f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields})
    return json.dumps(rows, default=str, ensure_ascii=False)


def test_a_purge_erases_the_reporters_data_notes_escalation_text_and_files(
    full_case: Case, admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    before = everything_stored_as_text()
    assert all(secret in before for secret in SECRETS), "the fixture stores every secret"
    blobs = [storage.blob_path(item.blob_name) for item in full_case.evidence.all()]
    assert all(path.is_file() for path in blobs)

    done = purge(full_case, admin, django_capture_on_commit_callbacks)

    assert (done.already, done.notes, done.evidence, done.escalations) == (False, 2, 2, 1)
    after = everything_stored_as_text()
    assert [secret for secret in SECRETS if secret in after] == []
    case = Case.objects.get(pk=full_case.pk)
    assert (case.reporter_name, case.contact, case.description, case.links) == ("", "", "", "")
    assert (case.location, case.contact_method, case.wants_contact) == ("", "", False)
    assert case.passphrase_hash == "" and case.personal_data_purged_at is not None
    assert not any(path.exists() for path in blobs)


def test_purged_evidence_keeps_its_hash_and_custody_trail(
    full_case: Case, admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    hashes = {item.pk: item.sha256 for item in full_case.evidence.all()}
    purge(full_case, admin, django_capture_on_commit_callbacks)
    for item in Evidence.objects.filter(case=full_case):
        assert item.purged_at is not None and item.sha256 == hashes[item.pk]
        trail = [entry.action for entry in evidence_actions.custody(item)]
        assert trail[0] == "evidence.added" and trail[-1] == "evidence.purged"
        with pytest.raises(ActionInvalid, match="purged"):
            evidence_actions.export_evidence(item, admin)


def test_the_public_statistics_are_the_same_before_and_after_a_purge(
    full_case: Case, admin: User, client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    def numbers() -> tuple[Any, ...]:
        from django.core.cache import cache

        cache.clear()
        api = {lang: client.get(f"/api/stats?lang={lang}").json() for lang in ("en", "ar", "he")}
        return public_stats("en"), response_days(), api, render_numbers("en")

    before = numbers()
    assert before[0].total == 1 and before[1] == [6]
    purge(full_case, admin, django_capture_on_commit_callbacks)
    assert numbers() == before


def test_the_reporters_dates_keep_only_their_month(
    full_case: Case, admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    added = datetime(2026, 3, 19, 8, 5, 33, tzinfo=UTC)
    Note.objects.filter(case=full_case, from_reporter=True).update(created_at=added)
    uploads = Evidence.objects.filter(case=full_case, kind=EvidenceKind.REPORTER_UPLOAD)
    uploads.update(added_at=added)
    staff_added = Evidence.objects.exclude(kind=EvidenceKind.REPORTER_UPLOAD).get().added_at
    purge(full_case, admin, django_capture_on_commit_callbacks)
    case = Case.objects.get(pk=full_case.pk)
    assert case.received_at == datetime(2026, 3, 1, tzinfo=UTC)
    assert case.occurred_on == date(2026, 2, 1)
    month = datetime(2026, 3, 1, tzinfo=UTC)
    assert [n.created_at for n in Note.objects.filter(case=case, from_reporter=True)] == [month]
    assert [e.added_at for e in uploads.all()] == [month]
    assert Evidence.objects.exclude(kind=EvidenceKind.REPORTER_UPLOAD).get().added_at == staff_added
    assert (case.state, case.outcome, case.perpetrator.key) == (
        State.ESCALATED,
        Outcome.RESTORED,
        "platform_company",
    )
    escalation = case.escalations.get()
    assert (escalation.reference, escalation.reply, escalation.days_to_answer) == ("", "", 6)


def test_the_audit_log_records_who_purged_and_why_without_the_purged_data(
    full_case: Case, admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    purge(full_case, admin, django_capture_on_commit_callbacks)
    entry = AuditEntry.objects.get(action="case.purged")
    assert (entry.actor_label, entry.case_ref) == ("amal", full_case.pk)
    assert entry.details == {"reason": REASON, "notes": 2, "evidence": 2, "escalations": 1}
    log = json.dumps([e.details for e in AuditEntry.objects.all()], ensure_ascii=False)
    assert [secret for secret in SECRETS if secret in log] == []
    assert audit.verify_chain() == []


def test_purging_twice_changes_nothing_and_writes_no_entry(
    full_case: Case, admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    purge(full_case, admin, django_capture_on_commit_callbacks)
    entries = AuditEntry.objects.count()
    again = purge(full_case, admin, django_capture_on_commit_callbacks, reason="once more")
    assert again.already and AuditEntry.objects.count() == entries


def test_nothing_personal_can_be_added_to_a_purged_case(
    full_case: Case,
    admin: User,
    documenter: User,
    verifier: User,
    term: Callable[[str, str], Term],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    purge(full_case, admin, django_capture_on_commit_callbacks)
    notes, files = Note.objects.count(), Evidence.objects.count()
    escalation = Escalation.objects.get(case=full_case)
    with pytest.raises(ActionInvalid, match="purged"):
        actions.add_staff_note(full_case, "her new number is +970 55 123", documenter)
    with pytest.raises(ActionInvalid, match="purged"):
        upload = SimpleUploadedFile("salma-id-card.png", png())
        evidence_actions.add_file(full_case, upload, documenter)
    sent = actions.EscalationInput(term("platform", "instagram"), "email", date(2026, 4, 1), "T2")
    with pytest.raises(ActionInvalid, match="purged"):
        actions.record_escalation(full_case, sent, verifier)
    with pytest.raises(ActionInvalid, match="purged"):
        actions.record_reply(
            escalation, verifier, reply="about @salma", replied_on=None, outcome=""
        )
    assert (Note.objects.count(), Evidence.objects.count()) == (notes, files)
    assert Escalation.objects.get(pk=escalation.pk).reply == ""
    assert [p for p in storage.evidence_dir().rglob("*") if p.is_file()] == []  # no blob left


def test_the_note_form_of_a_purged_case_refuses_beside_the_case(
    full_case: Case,
    admin: User,
    documenter: User,
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    purge(full_case, admin, django_capture_on_commit_callbacks)
    notes = Note.objects.count()
    url = reverse("staff:case_note", args=[full_case.pk])
    response = client_for(documenter).post(url, {"text": "her new number"}, follow=True)
    assert response.status_code == 200 and "purged" in response.content.decode()
    assert Note.objects.count() == notes


def test_purging_again_erases_what_was_left_and_says_so_in_the_log(
    full_case: Case, admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    purge(full_case, admin, django_capture_on_commit_callbacks)
    # a row written past the actions (an older process still running during the purge)
    Note.objects.create(case=full_case, from_reporter=True, text="my cousin saw it again")
    again = purge(full_case, admin, django_capture_on_commit_callbacks, reason="left over")
    assert (again.already, again.notes, again.evidence, again.escalations) == (False, 1, 0, 0)
    assert "my cousin saw it again" not in everything_stored_as_text()
    entry = AuditEntry.objects.filter(action="case.purged").order_by("-id").first()
    assert entry is not None and entry.details["reason"] == "left over"
    assert audit.verify_chain() == []


def test_a_purge_needs_a_reason(full_case: Case, admin: User) -> None:
    with pytest.raises(ActionInvalid, match="reason"):
        purge_personal_data(full_case, admin, "  ")
    assert Case.objects.get(pk=full_case.pk).personal_data_purged_at is None


@pytest.mark.parametrize("persona", ["documenter", "verifier", "analyst", "outsider", "reporter"])
def test_only_an_admin_may_purge(
    full_case: Case, persona: str, request: pytest.FixtureRequest
) -> None:
    actor = None if persona == "reporter" else request.getfixturevalue(persona)
    with pytest.raises(ActionRefused):
        purge_personal_data(full_case, actor, REASON)
    assert Case.objects.get(pk=full_case.pk).description == full_case.description


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("documenter", 403),
        ("verifier", 403),
        ("analyst", 403),
    ],
)
def test_the_purge_page_refuses_every_persona_but_admin(
    full_case: Case,
    persona: str,
    status: int,
    request: pytest.FixtureRequest,
    client_for: Callable[[User | None], Client],
) -> None:
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    url = reverse("staff:case_purge", args=[full_case.pk])
    answer = client_for(user).post(url, {"reason": REASON, "confirm": "on"})
    assert answer.status_code == status
    assert Case.objects.get(pk=full_case.pk).personal_data_purged_at is None
    assert not AuditEntry.objects.filter(action="case.purged").exists()


def test_the_case_page_links_the_purge_for_admins_only(
    full_case: Case, admin: User, verifier: User, client_for: Callable[[User | None], Client]
) -> None:
    url = reverse("staff:case_purge", args=[full_case.pk])
    case_page = reverse("staff:case", args=[full_case.pk])
    assert url in client_for(admin).get(case_page).content.decode()
    assert url not in client_for(verifier).get(case_page).content.decode()


def test_an_admin_purges_through_the_confirmation_page(
    full_case: Case,
    admin: User,
    client_for: Callable[[User | None], Client],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    client, url = client_for(admin), reverse("staff:case_purge", args=[full_case.pk])
    assert 'name="reason"' in client.get(url).content.decode()
    assert client.post(url, {"reason": REASON}).status_code == 400  # not confirmed
    assert client.post(url, {"confirm": "on"}).status_code == 400  # no reason
    assert Case.objects.get(pk=full_case.pk).personal_data_purged_at is None
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"reason": REASON, "confirm": "on"}, follow=True)
    html = answer.content.decode()
    assert "personal data and evidence files were purged" in html
    assert "s personal data was purged on" in html
    assert [secret for secret in SECRETS if secret in html] == []


@pytest.mark.parametrize("passphrase", [PASSPHRASE, "not the passphrase at all"])
def test_the_receipt_code_of_a_purged_case_shows_only_that_it_was_purged(
    full_case: Case, admin: User, passphrase: str, django_capture_on_commit_callbacks: Capture
) -> None:
    purge(full_case, admin, django_capture_on_commit_callbacks)
    client = Client()
    login = {"receipt_code": full_case.receipt_code, "passphrase": passphrase}
    assert client.post(STATUS, login)["Location"] == STATUS
    html = client.get(STATUS).content.decode()
    assert str(PURGED).replace("'", "&#x27;") in html
    assert "Account suspension" not in html and "Instagram" not in html
    assert reverse("public:status_withdraw") not in html


def test_a_purged_case_takes_no_information_and_cannot_be_withdrawn(
    filed_case: Case, admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    purge(filed_case, admin, django_capture_on_commit_callbacks)
    case = Case.objects.get(pk=filed_case.pk)
    with pytest.raises(ActionInvalid):
        actions.reporter_add_information(case, "one more thing")
    with pytest.raises(ActionInvalid):
        actions.reporter_withdraw(case)
    client = Client()
    client.post(STATUS, {"receipt_code": case.receipt_code, "passphrase": "x"})
    client.post(reverse("public:status_add"), {"text": "one more thing"})
    assert not Note.objects.filter(case=case).exclude(text="").exists()


def test_withdrawing_keeps_the_report_for_staff_until_an_admin_purges_it(
    filed_case: Case, admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    withdrawn = actions.reporter_withdraw(filed_case)
    kept = Case.objects.get(pk=withdrawn.pk)
    assert kept.state == State.WITHDRAWN and kept.contact == "+970 59 000 0000"
    purge(kept, admin, django_capture_on_commit_callbacks)
    purged = Case.objects.get(pk=withdrawn.pk)
    assert purged.state == State.WITHDRAWN and purged.contact == ""


def test_a_file_left_by_an_interrupted_purge_is_swept(
    filed_case: Case, admin: User, _evidence_dir: Path
) -> None:
    item = evidence_actions.add_file(filed_case, SimpleUploadedFile("a.png", png()), admin)
    purge_personal_data(filed_case, admin, REASON)  # the commit (and the deletion) never comes
    assert storage.blob_path(item.blob_name).is_file()
    assert evidence_actions.remove_orphan_blobs(older_than_s=0) == [item.blob_name]
    assert not storage.blob_path(item.blob_name).exists()


@pytest.mark.django_db
def test_sqlite_overwrites_what_a_purge_erases() -> None:
    """The location and the escalations' text are plain columns: with secure_delete the old
    values are zeroed in the database file instead of lingering in its free pages."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL: erased rows are reclaimed by VACUUM (docs/security.md)")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
