"""Information written on the status page after it closed (30 minutes after the last page
opened) is not lost: the login page says what happened, in the reporter's language, and the
text is back in the add-information form once the same report is opened again."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape
from django.utils.translation import gettext, override

from marsad.web.cases.actions import NewReport, submit_report
from marsad.web.cases.models import Case, Note
from marsad.web.public import unsent
from marsad.web.public.session import CASE_KEY

from .conftest import PASSPHRASE

STATUS = "/report/status/"
ADD = "/report/status/add/"
TEXT = "أرسلت المنصة إشعارًا ثالثًا هذا الصباح"
KEPT = (
    "The report page closed after 30 minutes, so your information was not added yet. Open it "
    "again with your receipt code and passphrase: your text is kept and will be back in the form."
)
CUT = (
    "The report page closed after 30 minutes, so your information was not added yet. Open it "
    "again with your receipt code and passphrase: the first %(count)s characters of your text "
    "are kept and will be back in the form."
)
NOTHING = (
    "The report page closed after 30 minutes, so nothing was added. Open it again with your "
    "receipt code and passphrase."
)
FILES = "Files cannot be kept: choose them again once the report is open."
BACK = (
    "The text you wrote before the page closed is back in the form: check it, then add it to "
    "the report."
)


def said(lang: str, english: str, **values: object) -> str:
    """The message as a page in `lang` shows it."""
    with override(lang):
        text = gettext(english) % values if values else gettext(english)
    return escape(text)


def open_report(client: Client, case: Case) -> None:
    answer = client.post(STATUS, {"receipt_code": case.receipt_code, "passphrase": PASSPHRASE})
    assert answer.status_code == 302 and answer["Location"] == STATUS


def closed_page(case: Case, lang: str = "ar") -> Client:
    """A client whose status page was opened, and whose 30 minutes are over."""
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    open_report(client, case)
    session = client.session
    session[CASE_KEY] = {"id": case.id, "until": time.time() - 1}
    session.save()
    return client


def textarea(html: str) -> str:
    start = html.index('name="text"')
    content = html[html.index(">", start) + 1 : html.index("</textarea>", start)]
    return content.removeprefix("\n")  # Django writes a newline after <textarea>


def test_text_written_after_the_page_closed_is_back_once_the_report_is_opened(
    filed_case: Case,
) -> None:
    client = closed_page(filed_case)
    answer = client.post(ADD, {"text": TEXT})
    assert answer.status_code == 302 and answer["Location"] == STATUS
    assert not Note.objects.filter(case=filed_case).exists()
    login = client.get(STATUS).content.decode()
    assert said("ar", KEPT) != escape(KEPT) and said("ar", KEPT) in login
    assert 'dir="rtl"' in login and 'name="passphrase"' in login
    assert TEXT not in login  # shown only to whoever opens the report
    open_report(client, filed_case)
    page = client.get(STATUS).content.decode()
    assert textarea(page) == escape(TEXT)
    assert said("ar", BACK) in page
    assert unsent.KEY not in client.session
    assert textarea(client.get(STATUS).content.decode()) == ""  # given back once


def test_the_login_page_says_it_again_after_a_wrong_passphrase(filed_case: Case) -> None:
    client = closed_page(filed_case, "he")
    client.post(ADD, {"text": TEXT})
    client.get(STATUS)
    wrong = {"receipt_code": filed_case.receipt_code, "passphrase": "not the passphrase"}
    assert said("he", KEPT) in client.post(STATUS, wrong).content.decode()
    open_report(client, filed_case)
    assert textarea(client.get(STATUS).content.decode()) == escape(TEXT)


def test_files_sent_after_the_page_closed_must_be_chosen_again(filed_case: Case) -> None:
    client = closed_page(filed_case)
    shot = SimpleUploadedFile("shot.gif", b"GIF89a" + b"\x01" * 30, "image/gif")
    client.post(ADD, {"text": TEXT, "attachments": shot})
    login = client.get(STATUS).content.decode()
    assert said("ar", KEPT) in login and said("ar", FILES) in login


def test_when_nothing_was_written_the_page_says_nothing_was_added(filed_case: Case) -> None:
    client = closed_page(filed_case, "en")
    client.post(ADD, {"text": "  "})
    login = client.get(STATUS).content.decode()
    assert escape(NOTHING) in login and escape(KEPT) not in login
    open_report(client, filed_case)
    assert textarea(client.get(STATUS).content.decode()) == ""


def test_only_the_first_few_thousand_characters_are_kept(filed_case: Case) -> None:
    client = closed_page(filed_case, "en")
    long_text = "a" * unsent.KEPT_CHARS + "b" * 1000
    client.post(ADD, {"text": long_text})
    login = client.get(STATUS).content.decode()
    assert escape(CUT % {"count": unsent.KEPT_CHARS}) in login
    open_report(client, filed_case)
    assert textarea(client.get(STATUS).content.decode()) == "a" * unsent.KEPT_CHARS


def test_the_text_is_sealed_in_the_session_and_never_logged(
    filed_case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    client = closed_page(filed_case)
    with caplog.at_level(logging.DEBUG):
        client.post(ADD, {"text": TEXT})
        client.get(STATUS)
    entry = client.session[unsent.KEY]
    assert TEXT not in str(entry)
    assert TEXT.encode() not in base64.b64decode(entry["text"])
    assert not [r for r in caplog.records if TEXT in r.getMessage()]


def test_the_text_goes_back_only_to_the_report_it_was_written_for(
    filed_case: Case, term: Callable[[str, str], Any]
) -> None:
    kind = term("violation_type", "account_suspension")
    other = submit_report(NewReport(kind, "another report", consent=True), PASSPHRASE)
    client = closed_page(filed_case)
    client.post(ADD, {"text": TEXT})
    open_report(client, other)
    page = client.get(STATUS).content.decode()
    assert textarea(page) == "" and said("ar", BACK) not in page
    assert unsent.KEY not in client.session  # dropped: another person may hold that report


def test_kept_text_is_dropped_after_an_hour(filed_case: Case) -> None:
    client = closed_page(filed_case)
    client.post(ADD, {"text": TEXT})
    session = client.session
    session[unsent.KEY] = {**session[unsent.KEY], "until": time.time() - 1}
    session.save()
    assert said("ar", KEPT) not in client.get(STATUS).content.decode()
    open_report(client, filed_case)
    assert textarea(client.get(STATUS).content.decode()) == ""
