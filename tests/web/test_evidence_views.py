"""The staff evidence pages: every view for every persona, uploads through the real form,
downloads that are safe to open, and the custody page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from marsad.web.cases.models import AuditEntry, Case
from marsad.web.evidence import actions, storage
from marsad.web.evidence.models import Evidence

from .test_evidence_sniff import html, png, text


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


ClientFor = Callable[[User | None], Client]
CASE_WORKERS = ["documenter", "verifier", "admin"]
REFUSED = ["analyst", "outsider"]


def _user(request: pytest.FixtureRequest, persona: str | None) -> User | None:
    return None if persona is None else request.getfixturevalue(persona)


def _png_upload(name: str = "لقطة شاشة.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(), content_type="image/png")


@pytest.fixture
def item(filed_case: Case, documenter: User) -> Evidence:
    return actions.add_file(filed_case, _png_upload(), documenter)


def _requests(case: Case, item: Evidence) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("get", reverse("staff:evidence_case", args=[case.pk]), {}),
        ("post", reverse("staff:evidence_add", args=[case.pk]), {"file": _png_upload()}),
        ("post", reverse("staff:evidence_capture", args=[case.pk]), {"url": "ftp://x"}),
        ("get", reverse("staff:evidence_download", args=[item.pk]), {}),
        ("get", reverse("staff:evidence_custody", args=[item.pk]), {}),
    ]


VIEW_IDS = ["case", "add", "capture", "download", "custody"]


@pytest.mark.parametrize("index", range(len(VIEW_IDS)), ids=VIEW_IDS)
@pytest.mark.parametrize("persona", [*CASE_WORKERS, *REFUSED, None])
def test_each_view_opens_only_to_case_workers(
    filed_case: Case,
    item: Evidence,
    client_for: ClientFor,
    request: pytest.FixtureRequest,
    persona: str | None,
    index: int,
) -> None:
    method, url, data = _requests(filed_case, item)[index]
    client = client_for(_user(request, persona))  # signing in is audited too
    before = Evidence.objects.count(), AuditEntry.objects.count()
    response = getattr(client, method)(url, data)
    if persona in CASE_WORKERS:
        assert response.status_code in (200, 302, 400), response.content[:300]
    elif persona is None:
        assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
    else:
        assert response.status_code == 403
    if persona not in CASE_WORKERS:
        assert (Evidence.objects.count(), AuditEntry.objects.count()) == before


def test_a_file_uploaded_through_the_form_is_kept(
    filed_case: Case, verifier: User, client_for: ClientFor
) -> None:
    case_url = reverse("staff:case", args=[filed_case.pk])
    response = client_for(verifier).post(
        reverse("staff:evidence_add", args=[filed_case.pk]),
        {"file": _png_upload(), "description": "screenshot of the ban notice", "next": case_url},
    )
    assert response.status_code == 302 and response["Location"] == case_url
    item = Evidence.objects.get()
    assert (item.media_type, item.added_by, item.description) == (
        "image/png",
        verifier,
        "screenshot of the ban notice",
    )
    assert actions.custody(item)[0].actor_label == "vera"


def test_a_refused_file_is_explained_on_the_page(
    filed_case: Case, documenter: User, client_for: ClientFor
) -> None:
    upload = SimpleUploadedFile("photo.png", html(), content_type="image/png")
    response = client_for(documenter).post(
        reverse("staff:evidence_add", args=[filed_case.pk]), {"file": upload}
    )
    assert response.status_code == 400
    assert "not accepted" in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_oversized_file_is_explained_on_the_page(
    filed_case: Case, documenter: User, client_for: ClientFor, settings: Any
) -> None:
    settings.MARSAD_MAX_UPLOAD_BYTES = 10
    response = client_for(documenter).post(
        reverse("staff:evidence_add", args=[filed_case.pk]), {"file": _png_upload()}
    )
    assert response.status_code == 400 and "larger than the limit" in response.content.decode()


def test_an_outside_next_address_is_not_followed(
    filed_case: Case, documenter: User, client_for: ClientFor
) -> None:
    response = client_for(documenter).post(
        reverse("staff:evidence_add", args=[filed_case.pk]),
        {"file": _png_upload(), "next": "https://evil.example/phish"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:case", args=[filed_case.pk])


def test_a_download_is_the_file_under_a_safe_generated_name(
    item: Evidence, verifier: User, client_for: ClientFor
) -> None:
    response = client_for(verifier).get(reverse("staff:evidence_download", args=[item.pk]))
    assert response.status_code == 200 and response.content == png()
    assert response["Content-Type"] == "image/png"
    expected = f'attachment; filename="evidence-{item.pk}-{item.sha256[:12]}.png"'
    assert response["Content-Disposition"] == expected
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert [(e.action, e.actor_label) for e in actions.custody(item)][-1] == (
        "evidence.viewed",
        "vera",
    )


def test_a_text_download_names_its_charset(
    filed_case: Case, documenter: User, client_for: ClientFor
) -> None:
    upload = SimpleUploadedFile("note.html", text(), content_type="text/html")
    item = actions.add_file(filed_case, upload, documenter)
    response = client_for(documenter).get(reverse("staff:evidence_download", args=[item.pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].endswith('.txt"')


def test_a_damaged_item_is_not_served_and_the_failure_is_shown(
    item: Evidence, admin: User, client_for: ClientFor
) -> None:
    path = storage.blob_path(item.blob_name)
    path.write_bytes(path.read_bytes()[:-1] + b"\x00")
    client = client_for(admin)
    response = client.get(reverse("staff:evidence_download", args=[item.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("staff:evidence_custody", args=[item.pk])
    assert f"evidence {item.pk}" in page and "failed its integrity check" in page
    assert png() not in response.content


def test_the_custody_page_lists_each_look_at_the_item(
    item: Evidence, verifier: User, admin: User, client_for: ClientFor
) -> None:
    actions.read_evidence(item, verifier)
    actions.export_evidence(item, admin)
    page = client_for(admin).get(reverse("staff:evidence_custody", args=[item.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    for expected in (item.sha256, "dina", "vera", "amal", "added", "viewed", "exported"):
        assert expected in body
    assert "لقطة شاشة.png" in body  # the name as sent, shown to case workers only


def test_the_case_evidence_page_lists_items_and_forms(
    item: Evidence, documenter: User, client_for: ClientFor
) -> None:
    page = client_for(documenter).get(reverse("staff:evidence_case", args=[item.case_id]))
    body = page.content.decode()
    assert item.sha256 in body and "image/png" in body
    assert reverse("staff:evidence_download", args=[item.pk]) in body
    assert 'enctype="multipart/form-data"' in body and 'name="url"' in body


def test_the_case_page_includes_the_evidence_list(
    item: Evidence, documenter: User, client_for: ClientFor
) -> None:
    page = client_for(documenter).get(reverse("staff:case", args=[item.case_id]))
    assert page.status_code == 200
    assert reverse("staff:evidence_custody", args=[item.pk]) in page.content.decode()


def test_the_pages_read_right_to_left_in_arabic(
    item: Evidence, documenter: User, client_for: ClientFor
) -> None:
    page = client_for(documenter).get(
        reverse("staff:evidence_custody", args=[item.pk]), HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert 'dir="rtl"' in page.content.decode()


def test_unknown_items_and_cases_are_not_found(documenter: User, client_for: ClientFor) -> None:
    client = client_for(documenter)
    assert client.get(reverse("staff:evidence_download", args=[999])).status_code == 404
    assert client.get(reverse("staff:evidence_case", args=[999])).status_code == 404
