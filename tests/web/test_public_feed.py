"""The Atom feed: only verified cases with a published summary, newest first, titled in the
feed's language, and nothing personal anywhere in the XML."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client

from marsad.web.cases.models import Case
from marsad.web.cases.states import State

from .test_public_dashboard import make_case

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(xml: bytes) -> list[ElementTree.Element]:
    return ElementTree.fromstring(xml).findall(f"{ATOM}entry")


def text_of(entry: ElementTree.Element, tag: str) -> str:
    found = entry.find(f"{ATOM}{tag}")
    assert found is not None and found.text is not None
    return found.text


@pytest.fixture
def published(db: None, term: Callable[[str, str], Any]) -> list[Case]:
    march = datetime(2026, 3, 1, tzinfo=UTC)
    return [
        make_case(term, State.VERIFIED, public_summary="Older: a page removed.", received=march),
        make_case(
            term,
            State.OUTCOME,
            kind="account_suspension",
            platform="instagram",
            outcome="restored",
            public_summary="Newer: a journalist's account was suspended, then restored.",
            received=march + timedelta(days=3),
        ),
        make_case(term, State.VERIFIED, public_summary=""),
        make_case(term, State.RECEIVED, public_summary="Not verified yet."),
        make_case(term, State.WITHDRAWN, public_summary="Withdrawn by the reporter."),
        make_case(term, State.REJECTED, public_summary="Rejected after checking."),
    ]


def test_only_published_summaries_of_verified_cases_are_in_the_feed(
    published: list[Case],
) -> None:
    answer = Client().get("/feed.atom")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/atom+xml")
    found = entries(answer.content)
    assert [text_of(e, "content") for e in found] == [
        "Newer: a journalist's account was suspended, then restored.",
        "Older: a page removed.",
    ]
    assert text_of(found[0], "title") == "Account suspension or deletion on Instagram"
    assert text_of(found[0], "published").startswith("2026-03-04")


def test_nothing_personal_is_anywhere_in_the_xml(published: list[Case]) -> None:
    xml = Client().get("/feed.atom").content.decode()
    secrets = ["Reporter Name Rania", "rania.private@example.org", "a content_removal report"]
    secrets += [case.receipt_code for case in published]
    assert not [secret for secret in secrets if secret in xml]
    for entry in entries(xml.encode()):
        assert text_of(entry, "id").startswith("urn:marsad:case:")
        assert not any(text_of(entry, "id").endswith(f":{case.id}") for case in published)


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_the_feed_is_titled_in_the_language_asked_for(
    published: list[Case], term: Callable[[str, str], Any], lang: str
) -> None:
    root = ElementTree.fromstring(Client().get(f"/feed.atom?lang={lang}").content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    first = entries(ElementTree.tostring(root))[0]
    title = text_of(first, "title")
    assert term("violation_type", "account_suspension").name(lang) in title
    assert term("platform", "instagram").name(lang) in title


def test_an_unknown_language_gives_the_english_feed(published: list[Case]) -> None:
    root = ElementTree.fromstring(Client().get("/feed.atom?lang=xx").content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_the_feed_holds_at_most_fifty_entries(db: None, term: Callable[[str, str], Any]) -> None:
    case = make_case(term, State.VERIFIED, public_summary="one of many")
    for _ in range(54):
        case.pk = None
        case.receipt_code = f"X{_:03d}"
        case.save()
    assert len(entries(Client().get("/feed.atom").content)) == 50
