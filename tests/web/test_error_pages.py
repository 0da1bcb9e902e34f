"""A request Django refuses before the form sees it (too many files: 400) and a form refused by
the CSRF check (cookies blocked or cleared: 403) get the site's own page in the reporter's
language and direction, with a link back to the form, and nothing is filed."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.translation import gettext, override

from marsad.web.cases.models import Case
from marsad.web.public.forms import MAX_FILES

REPORT = "/report/"
ARABIC = re.compile(r"[\u0600-\u06ff]")


def arabic(english: str, **values: object) -> str:
    with override("ar"):
        text = gettext(english) % values if values else gettext(english)
    assert text != (english % values if values else english)
    return text


def shots(count: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"s{i}.gif", b"GIF89a" + b"\x01" * 30) for i in range(count)]


@pytest.mark.django_db
def test_too_many_files_get_the_sites_page_in_arabic_with_a_link_back() -> None:
    files = shots(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    page = Client(HTTP_ACCEPT_LANGUAGE="ar").post(REPORT, {"attachments": files})
    html = page.content.decode()
    assert page.status_code == 400
    assert '<html lang="ar" dir="rtl">' in html
    assert arabic("Too many files at once") in html
    message = "So many files were sent at once that nothing was read, and nothing was sent. "
    message += "Send at most %(max_files)s files at a time; you can add more files to the report "
    message += "afterwards."
    assert arabic(message, max_files=MAX_FILES) in html
    assert f'href="{REPORT}"' in html
    assert 'class="site"' in html  # the site's header
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_form_without_its_csrf_cookie_gets_the_sites_page_in_arabic() -> None:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="ar")
    page = client.post(REPORT, {"description": "ما حدث"})
    html = page.content.decode()
    assert page.status_code == 403
    assert '<html lang="ar" dir="rtl">' in html
    assert arabic("The form was not accepted") in html and ARABIC.search(html)
    assert f'href="{REPORT}"' in html
    assert "DEBUG" not in html
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_post_only_address_links_back_to_the_page_of_its_form() -> None:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="he")
    page = client.post("/report/status/add/", {"text": "x"})
    html = page.content.decode()
    assert page.status_code == 403 and 'dir="rtl"' in html
    assert 'href="/report/status/"' in html


@pytest.mark.django_db
def test_an_unreadable_request_gets_the_general_explanation_in_english() -> None:
    too_many_fields = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    page = Client(HTTP_ACCEPT_LANGUAGE="en").post(REPORT, too_many_fields)
    html = page.content.decode()
    assert page.status_code == 400
    assert '<html lang="en" dir="ltr">' in html
    assert "The request could not be read" in html
    assert f'href="{REPORT}"' in html


def test_a_staff_case_form_links_back_to_its_case(filed_case: Case, documenter: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(documenter)
    page = client.post(f"/staff/cases/{filed_case.id}/note/", {"text": "x"})
    assert page.status_code == 403
    assert f'href="/staff/cases/{filed_case.id}/"' in page.content.decode()
