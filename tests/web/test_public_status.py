"""The status page: the reporter opens a case with receipt code and passphrase, reads its state
in plain words, adds information, and withdraws it after confirming."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from marsad.web.cases.models import AuditEntry, Case, Escalation, Note
from marsad.web.cases.states import State
from marsad.web.public.session import CASE_KEY
from marsad.web.public.status import SENTENCES

from .conftest import PASSPHRASE

STATUS = "/report/status/"
NO_MATCH = "No report matches this receipt code and passphrase."


def opened(case: Case, lang: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    answer = client.post(STATUS, {"receipt_code": case.receipt_code, "passphrase": PASSPHRASE})
    assert answer.status_code == 302 and answer["Location"] == STATUS
    return client


def test_the_right_pair_opens_the_case_without_putting_it_in_the_url(filed_case: Case) -> None:
    client = opened(filed_case)
    page = client.get(STATUS)
    html = page.content.decode()
    assert page.status_code == 200
    assert str(SENTENCES[State.RECEIVED]) in html
    assert filed_case.receipt_code in html
    assert "Account suspension or deletion" in html
    assert client.session[CASE_KEY]["id"] == filed_case.id
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]


def test_the_code_may_be_typed_loosely(filed_case: Case) -> None:
    typed = filed_case.receipt_code.lower().replace("-", " ")
    answer = Client().post(STATUS, {"receipt_code": typed, "passphrase": PASSPHRASE})
    assert answer.status_code == 302


@pytest.mark.parametrize("wrong", ["passphrase", "code"])
def test_a_wrong_passphrase_and_an_unknown_code_get_the_same_answer(
    filed_case: Case, wrong: str
) -> None:
    code = "2345-6789-ABCD" if wrong == "code" else filed_case.receipt_code
    passphrase = "olive tree by the sea" if wrong == "passphrase" else PASSPHRASE
    client = Client()
    page = client.post(STATUS, {"receipt_code": code, "passphrase": passphrase})
    html = page.content.decode()
    assert page.status_code == 200
    assert NO_MATCH in html
    assert filed_case.receipt_code not in html.replace(f'value="{code}"', "")
    assert CASE_KEY not in client.session
    assert str(SENTENCES[State.RECEIVED]) not in html


@pytest.mark.parametrize("state", list(State))
def test_each_state_is_told_in_a_sentence_of_its_own(filed_case: Case, state: State) -> None:
    Case.objects.filter(pk=filed_case.pk).update(state=state.value)
    html = opened(filed_case).get(STATUS).content.decode()
    assert str(SENTENCES[state]) in html
    others = [str(s) for st, s in SENTENCES.items() if st != state]
    assert not [s for s in others if s in html]


def test_the_outcome_is_told_with_the_steps_reached(
    filed_case: Case, verifier: Any, term: Callable[[str, str], Any]
) -> None:
    Case.objects.filter(pk=filed_case.pk).update(
        state=State.OUTCOME.value, verified_at=timezone.now(), outcome="restored"
    )
    Escalation.objects.create(
        case=filed_case,
        platform=term("platform", "instagram"),
        channel="trusted_partner",
        sent_on=date(2026, 4, 2),
        created_by=verifier,
    )
    html = opened(filed_case).get(STATUS).content.decode()
    assert "Verified — Escalated to the platform — Restored" in html


def test_a_verification_undone_is_no_longer_shown_to_the_reporter(
    filed_case: Case, documenter: Any, verifier: Any
) -> None:
    from marsad.web.cases import actions

    case = actions.transition(filed_case, State.TRIAGED, documenter)
    case = actions.transition(case, State.DOCUMENTED, documenter)
    case = actions.transition(case, State.VERIFIED, verifier, "two sources")
    main = opened(case).get(STATUS).content.decode().split("<main", 1)[1]
    assert "Verified" in main
    case = actions.transition(case, State.DOCUMENTED, verifier, "one source withdrew")
    case = actions.transition(case, State.REJECTED, verifier, "could not be confirmed")
    main = opened(case).get(STATUS).content.decode().split("<main", 1)[1]
    assert str(SENTENCES[State.REJECTED]) in main
    assert "Verified" not in main  # neither a step nor a date


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_the_state_is_told_in_the_reporters_language(filed_case: Case, lang: str) -> None:
    html = opened(filed_case, lang).get(STATUS).content.decode()
    with override(lang):
        sentence = str(SENTENCES[State.RECEIVED])
    with override("en"):
        assert sentence != str(SENTENCES[State.RECEIVED])
    assert sentence in html and 'dir="rtl"' in html


def test_the_case_closes_after_thirty_minutes(filed_case: Case) -> None:
    client = opened(filed_case)
    session = client.session
    session[CASE_KEY] = {"id": filed_case.id, "until": time.time() - 1}
    session.save()
    html = client.get(STATUS).content.decode()
    assert 'name="passphrase"' in html
    assert str(SENTENCES[State.RECEIVED]) not in html


def test_the_reporter_can_close_the_case_page(filed_case: Case) -> None:
    client = opened(filed_case)
    client.post(reverse("public:status_leave"))
    assert 'name="receipt_code"' in client.get(STATUS).content.decode()


def test_the_reporter_adds_information(filed_case: Case) -> None:
    client = opened(filed_case)
    text = "أرسلت المنصة إشعارًا ثانيًا اليوم"
    answer = client.post(reverse("public:status_add"), {"text": text})
    assert answer.status_code == 302
    note = Note.objects.get(case=filed_case)
    assert note.text == text and note.from_reporter and note.author is None
    entry = AuditEntry.objects.get(action="case.reporter_added")
    assert entry.actor_label == "reporter" and text not in str(entry.details)
    assert "your information was added" in client.get(STATUS).content.decode()


def test_the_reporter_adds_a_file_with_the_information(filed_case: Case) -> None:
    from marsad.web.evidence.models import Evidence

    client = opened(filed_case)
    shot = SimpleUploadedFile("second.gif", b"GIF89a" + b"\x01" * 30, "image/gif")
    client.post(reverse("public:status_add"), {"text": "a new screenshot", "attachments": shot})
    assert Evidence.objects.get(case=filed_case).kind == "reporter_upload"
    assert Note.objects.filter(case=filed_case).count() == 1


def test_a_refused_file_adds_nothing(filed_case: Case) -> None:
    from marsad.web.evidence.models import Evidence

    client = opened(filed_case)
    archive = SimpleUploadedFile("photos.zip", b"PK\x03\x04" + b"\x00" * 40, "application/zip")
    page = client.post(reverse("public:status_add"), {"text": "zip", "attachments": archive})
    assert 'id="id_attachments_error"' in page.content.decode()
    assert not Note.objects.filter(case=filed_case).exists()
    assert not Evidence.objects.exists()


def test_empty_information_is_refused(filed_case: Case) -> None:
    page = opened(filed_case).post(reverse("public:status_add"), {"text": "   "})
    assert 'id="id_text_error"' in page.content.decode()
    assert not Note.objects.exists()


def test_nothing_is_added_without_opening_the_case(filed_case: Case) -> None:
    answer = Client().post(reverse("public:status_add"), {"text": "hello"})
    assert answer.status_code == 302 and answer["Location"] == STATUS
    assert not Note.objects.exists()


def test_withdrawing_asks_for_confirmation_first(filed_case: Case) -> None:
    client = opened(filed_case)
    confirm = client.get(reverse("public:status_withdraw"))
    assert confirm.status_code == 200 and 'name="confirm"' in confirm.content.decode()
    unconfirmed = client.post(reverse("public:status_withdraw"), {})
    assert 'id="id_confirm_error"' in unconfirmed.content.decode()
    assert Case.objects.get(pk=filed_case.pk).state == State.RECEIVED


def test_after_withdrawing_the_page_says_so_and_offers_nothing_else(filed_case: Case) -> None:
    client = opened(filed_case)
    answer = client.post(reverse("public:status_withdraw"), {"confirm": "on"})
    assert answer.status_code == 302
    case = Case.objects.get(pk=filed_case.pk)
    assert case.state == State.WITHDRAWN and case.withdrawn_at is not None
    html = client.get(STATUS).content.decode()
    assert str(SENTENCES[State.WITHDRAWN]) in html
    assert reverse("public:status_add") not in html
    assert reverse("public:status_withdraw") not in html
    again = client.get(reverse("public:status_withdraw"))
    assert again.status_code == 302
    added = client.post(reverse("public:status_add"), {"text": "one more"}, follow=True)
    assert "no longer takes new information" in added.content.decode()
    assert not Note.objects.exists()


def test_a_closed_case_cannot_be_withdrawn(filed_case: Case) -> None:
    Case.objects.filter(pk=filed_case.pk).update(state=State.CLOSED.value)
    client = opened(filed_case)
    assert client.post(reverse("public:status_withdraw"), {"confirm": "on"}).status_code == 302
    assert Case.objects.get(pk=filed_case.pk).state == State.CLOSED


def test_the_login_page_is_translated(db: None) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="he").get(STATUS).content.decode()
    with override("he"):
        title = gettext("Follow your report")
    assert title != "Follow your report" and title in html
