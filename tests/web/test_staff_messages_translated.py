"""Why an action was refused or not done reaches staff in the page's language: the messages of
the case actions, the permission checks and the exports page are translated (Arabic, Hebrew)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.html import escape
from django.utils.translation import gettext, override

from marsad.web.cases import actions
from marsad.web.cases.actions import ActionInvalid, ActionRefused
from marsad.web.cases.models import Case
from marsad.web.cases.states import State


def in_language(user: User, lang: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    return client


def translated(lang: str, english: str, **values: object) -> str:
    """The message as the page shows it in `lang` (checked to differ from the English)."""
    with override(lang):
        text = gettext(english) % values if values else gettext(english)
    assert text != (english % values if values else english)
    return escape(text)


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_an_action_not_done_is_explained_in_the_pages_language(
    filed_case: Case, documenter: User, lang: str
) -> None:
    client = in_language(documenter, lang)
    data = {"original": filed_case.receipt_code, "reason": "same"}
    page = client.post(f"/staff/cases/{filed_case.id}/merge/", data, follow=True)
    assert translated(lang, "a case cannot duplicate itself") in page.content.decode()
    assert 'dir="rtl"' in page.content.decode()


def test_a_refused_move_names_both_states_in_the_pages_language(
    filed_case: Case, documenter: User
) -> None:
    client = in_language(documenter, "ar")
    page = client.post(f"/staff/cases/{filed_case.id}/move/", {"to": "verified", "reason": "x"})
    assert page.status_code == 403
    with override("ar"):
        states = {"from": str(State.RECEIVED.label), "to": str(State.VERIFIED.label)}
    message = "moving a case from %(from)s to %(to)s is not allowed"
    assert translated("ar", message, **states) in page.content.decode()


def test_a_page_the_role_may_not_open_says_so_in_hebrew(filed_case: Case, analyst: User) -> None:
    page = in_language(analyst, "he").post(f"/staff/cases/{filed_case.id}/note/", {"text": "x"})
    assert page.status_code == 403
    assert translated("he", "your role may not open this page") in page.content.decode()


def test_an_analyst_asking_for_personal_data_is_refused_in_arabic(analyst: User) -> None:
    client = in_language(analyst, "ar")
    page = client.post("/staff/exports/", {"kind": "complete", "format": "json"})
    assert page.status_code == 403
    message = "only administrators may export personal data"
    assert translated("ar", message) in page.content.decode()


def test_the_actions_messages_keep_their_english_wording_in_english(
    filed_case: Case, documenter: User
) -> None:
    with pytest.raises(ActionInvalid, match=r"^a reason is required for this decision$"):
        actions.transition(filed_case, State.REJECTED, documenter)
    with pytest.raises(ActionRefused, match=r"^moving a case from Received to Verified is not"):
        actions.transition(filed_case, State.VERIFIED, documenter, "checked")


def test_the_actions_messages_follow_the_active_language(
    filed_case: Case, documenter: User
) -> None:
    with override("he"), pytest.raises(ActionInvalid) as raised:
        actions.transition(filed_case, State.REJECTED, documenter)
    assert str(raised.value) == translated("he", "a reason is required for this decision")
