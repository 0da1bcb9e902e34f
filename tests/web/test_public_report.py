"""The public report form: served in Arabic, Hebrew and English, files a case in the page's
language with its personal fields sealed, shows the receipt once, and files nothing on bad
input."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

from marsad.web.cases.models import AuditEntry, Case

from .conftest import PASSPHRASE

REPORT = "/report/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40

DESCRIPTIONS = {
    "ar": "حُذف منشوري عن هدم البيوت في الحي بعد ساعة من نشره",
    "he": "הפוסט שלי על הריסת בתים בשכונה נמחק שעה אחרי שפרסמתי אותו",
    "en": "My post about the demolition of homes in the neighbourhood was removed within an hour",
}


def form_data(term: Callable[[str, str], Any], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "violation_type": term("violation_type", "content_removal").pk,
        "platform": term("platform", "facebook").pk,
        "description": DESCRIPTIONS["en"],
        "occurred_on": "2026-03-14",
        "links": "https://www.facebook.com/story.php?id=1001\n\nhttps://fb.me/notice/55\n",
        "wants_contact": "on",
        "contact_method": "email",
        "contact": "lina.reports@example.org",
        "reporter_name": "Lina Haddad",
        "consent": "on",
        "passphrase": PASSPHRASE,
        "passphrase_again": PASSPHRASE,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def client_in(lang: str) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=lang)


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("he", "rtl"), ("en", "ltr")])
def test_the_form_is_served_in_each_language_and_direction(
    db: None, term: Callable[[str, str], Any], lang: str, direction: str
) -> None:
    page = client_in(lang).get(REPORT)
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in html
    suspension = term("violation_type", "account_suspension")
    assert f">{getattr(suspension, f'name_{lang}')}</option>" in html
    assert f">{term('platform', 'instagram').name(lang)}</option>" in html


def test_retired_violation_types_are_not_offered(db: None, term: Callable[[str, str], Any]) -> None:
    retired = term("violation_type", "surveillance")
    retired.active = False
    retired.save()
    html = client_in("en").get(REPORT).content.decode()
    assert retired.name_en not in html
    assert term("violation_type", "hacking").name_en in html


def test_every_field_has_a_label_and_the_form_needs_no_javascript(db: None) -> None:
    html = client_in("en").get(REPORT).content.decode()
    assert "<script" not in html
    for field in ("violation_type", "description", "links", "attachments", "consent", "contact"):
        assert f'<label for="id_{field}"' in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize("lang", ["ar", "he", "en"])
def test_a_report_is_filed_in_the_pages_language_with_sealed_fields(
    db: None, term: Callable[[str, str], Any], lang: str
) -> None:
    client = client_in(lang)
    data = form_data(term, description=DESCRIPTIONS[lang])
    answer = client.post(REPORT, data)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("public:receipt")
    case = Case.objects.get()
    assert case.language == lang
    assert case.state == "received"
    assert case.description == DESCRIPTIONS[lang]
    assert case.links == "https://www.facebook.com/story.php?id=1001\nhttps://fb.me/notice/55"
    assert (case.contact_method, case.contact) == ("email", "lina.reports@example.org")
    assert case.reporter_name == "Lina Haddad"
    assert case.occurred_on is not None and case.occurred_on.isoformat() == "2026-03-14"
    assert case.violation_type.key == "content_removal" and case.platform is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT description, contact, reporter_name FROM cases_case")
        stored = b"".join(bytes(value) for value in cursor.fetchone())
    for secret in (DESCRIPTIONS[lang], "lina.reports@example.org", "Lina Haddad"):
        assert secret.encode() not in stored
    assert AuditEntry.objects.get(action="case.submitted").actor_label == "reporter"


def test_the_receipt_is_shown_once_and_not_reachable_by_guessing(
    db: None, term: Callable[[str, str], Any]
) -> None:
    client = client_in("en")
    client.post(REPORT, form_data(term))
    code = Case.objects.get().receipt_code
    first = client.get(reverse("public:receipt"))
    assert first.status_code == 200
    assert code in first.content.decode()
    assert "nobody can recover it for you" in first.content.decode()
    again = client.get(reverse("public:receipt"))
    assert again.status_code == 302 and again["Location"] == REPORT
    stranger = client_in("en").get(reverse("public:receipt"))
    assert stranger.status_code == 302


def test_reloading_the_receipt_does_not_file_twice(
    db: None, term: Callable[[str, str], Any]
) -> None:
    client = client_in("en")
    client.post(REPORT, form_data(term), follow=True)
    client.get(reverse("public:receipt"))
    assert Case.objects.count() == 1


def test_contact_fields_are_dropped_when_no_contact_is_wanted(
    db: None, term: Callable[[str, str], Any]
) -> None:
    data = form_data(term, wants_contact=None, contact_method="", contact="", reporter_name="")
    assert client_in("en").post(REPORT, data).status_code == 302
    case = Case.objects.get()
    assert (case.wants_contact, case.contact_method, case.contact) == (False, "", "")


BAD_INPUT = [
    ("consent", {"consent": None}, "We can only accept the report with your agreement."),
    ("passphrase_again", {"passphrase_again": "olive tree by the sea"}, "are not the same"),
    ("passphrase", {"passphrase": "short", "passphrase_again": "short"}, "at least 8"),
    ("links", {"links": "https://ok.example/a\njavascript:alert(1)"}, "Line 2 is not a web"),
    ("links", {"links": "ftp://files.example/post"}, "Line 1 is not a web"),
    ("contact", {"contact": ""}, "Write how we can reach you"),
    ("contact_method", {"contact_method": ""}, "Choose how we should contact you."),
    ("wants_contact", {"wants_contact": None}, "Tick this box if we may contact you"),
    ("violation_type", {"violation_type": ""}, "This field is required."),
    ("violation_type", {"violation_type": "999999"}, "Select a valid choice."),
    ("description", {"description": "   "}, "This field is required."),
    ("occurred_on", {"occurred_on": "2999-01-01"}, "This date is in the future."),
]


@pytest.mark.parametrize(("field", "changes", "message"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_shows_the_error_next_to_its_field_and_files_nothing(
    db: None, term: Callable[[str, str], Any], field: str, changes: dict[str, Any], message: str
) -> None:
    page = client_in("en").post(REPORT, form_data(term, **changes))
    html = page.content.decode()
    assert page.status_code == 200
    errors = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert errors is not None, f"no error list for {field}"
    assert message in errors.group(1)
    widget = re.search(rf'<[^>]*id="id_{field}"[^>]*>', html)
    assert widget is not None and 'aria-invalid="true"' in widget.group(0)
    assert Case.objects.count() == 0
    assert not AuditEntry.objects.exists()


def test_errors_are_shown_in_the_pages_language(db: None, term: Callable[[str, str], Any]) -> None:
    html = client_in("ar").post(REPORT, form_data(term, consent=None)).content.decode()
    english = "We can only accept the report with your agreement."
    with override("ar"):
        arabic = gettext(english)
    assert arabic != english
    assert f'<ul class="errorlist" id="id_consent_error"><li>{arabic}</li></ul>' in html
    assert Case.objects.count() == 0


def test_files_sent_with_the_report_are_stored_as_the_reporters_evidence(
    db: None, term: Callable[[str, str], Any]
) -> None:
    from marsad.web.evidence.models import Evidence

    shots = [
        SimpleUploadedFile("notice.png", PNG, content_type="image/png"),
        SimpleUploadedFile("notes.txt", b"the post was removed at 10:02", "text/plain"),
    ]
    answer = client_in("en").post(REPORT, form_data(term, attachments=shots))
    assert answer.status_code == 302
    case = Case.objects.get()
    stored = Evidence.objects.filter(case=case).order_by("id")
    assert [e.kind for e in stored] == ["reporter_upload", "reporter_upload"]
    assert [e.media_type for e in stored] == ["image/png", "text/plain"]
    assert stored[0].added_by is None


def test_a_dangerous_file_is_refused_and_nothing_is_filed(
    db: None, term: Callable[[str, str], Any]
) -> None:
    from marsad.web.evidence.models import Evidence

    shots = [
        SimpleUploadedFile("notice.png", PNG, content_type="image/png"),
        SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script>", "image/jpeg"),
    ]
    page = client_in("en").post(REPORT, form_data(term, attachments=shots))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="id_attachments_error"' in html and "photo.jpg" in html
    assert Case.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_before_filing(
    db: None, term: Callable[[str, str], Any], settings: Any
) -> None:
    settings.MARSAD_MAX_UPLOAD_BYTES = 1024 * 1024
    big = SimpleUploadedFile("video.png", PNG + b"\x00" * (1024 * 1024), "image/png")
    page = client_in("en").post(REPORT, form_data(term, attachments=[big]))
    html = page.content.decode()
    assert 'id="id_attachments_error"' in html and "too large" in html
    assert Case.objects.count() == 0


def test_no_address_or_browser_of_the_reporter_is_stored(
    db: None, term: Callable[[str, str], Any]
) -> None:
    address, agent = "203.0.113.77", "ReporterBrowser/9.9 (unique-agent-marker)"
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    client.post(REPORT, form_data(term), follow=True)
    assert Case.objects.count() == 1
    everything = _every_stored_value()
    everything += [str(s.get_decoded()) for s in Session.objects.all()]
    for trace in (address, "unique-agent-marker"):
        assert not [value for value in everything if trace in value]


def _every_stored_value() -> list[str]:
    values: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            values += [str(cell) for row in cursor.fetchall() for cell in row]
    return values


def test_the_language_can_be_switched_with_the_language_buttons(db: None) -> None:
    client = client_in("en")
    assert 'dir="ltr"' in client.get(REPORT).content.decode()
    switched = client.post("/i18n/setlang/", {"language": "he", "next": REPORT})
    assert switched.status_code == 302 and switched["Location"] == REPORT
    assert '<html lang="he" dir="rtl">' in client.get(REPORT).content.decode()
