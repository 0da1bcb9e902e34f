"""Every public page opens for every persona, logged in or not (the reporter is anonymous)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from .conftest import make_staff

PAGES = ["/", "/report/", "/report/status/", "/reports/", "/feed.atom"]
PERSONAS = [None, "documenter", "verifier", "analyst", "admin", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_every_public_page_opens_for_every_persona(
    db: None, client_for: Callable[[User | None], Client], persona: str | None, page: str
) -> None:
    user = None
    if persona is not None:
        user = make_staff(f"user-{persona}", None if persona == "outsider" else persona)
    assert client_for(user).get(page).status_code == 200


@pytest.mark.parametrize(
    "page", ["/report/status/add/", "/report/status/leave/", "/report/receipt/"]
)
def test_pages_for_one_method_refuse_the_other(db: None, page: str) -> None:
    method = Client().post if page == "/report/receipt/" else Client().get
    assert method(page).status_code == 405
