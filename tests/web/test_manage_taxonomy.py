"""The taxonomy pages (admins only): terms per kind with their three names; add, edit, retire,
reorder, delete an unused term; each change an audited action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from marsad.web.cases import taxonomy_actions
from marsad.web.cases.actions import ActionInvalid, ActionRefused
from marsad.web.cases.models import AuditEntry, Case, Term
from marsad.web.cases.taxonomy_actions import TermNames

from .conftest import make_staff

Maker = Callable[[User | None], Client]
NEW = {
    "key": "doxxing",
    "name_en": "Doxxing",
    "name_ar": "كشف البيانات الشخصية",
    "name_he": "דוקסינג",
}


def platforms() -> list[str]:
    return list(Term.objects.filter(kind="platform").values_list("key", flat=True))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("documenter", 403),
        ("verifier", 403),
        ("analyst", 403),
        ("admin", 200),
        (None, 403),
    ],
)
def test_only_admins_open_the_taxonomy_pages(
    db: None, client_for: Maker, persona: str | None, status: int
) -> None:
    client = client_for(make_staff(f"user-{persona}", persona))
    term = Term.objects.get(kind="platform", key="x")
    assert client.get("/staff/taxonomy/").status_code == status
    assert client.get("/staff/taxonomy/add/violation_type/").status_code == status
    assert client.get(f"/staff/taxonomy/{term.id}/edit/").status_code == status


def test_anonymous_visitors_are_sent_to_the_login_page(db: None, client_for: Maker) -> None:
    response = client_for(None).get("/staff/taxonomy/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_the_page_lists_every_kind_with_names_in_three_languages(
    db: None, admin: User, client_for: Maker
) -> None:
    page = client_for(admin).get("/staff/taxonomy/").content.decode()
    for heading in ["Violation type", "Platform", "Perpetrator type", "Affected party"]:
        assert heading in page
    assert "Hate speech" in page and "خطاب كراهية" in page and "דברי שנאה" in page


def test_the_page_shows_how_many_cases_use_a_term_and_hides_delete_for_used_ones(
    filed_case: Case, admin: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    page = client_for(admin).get("/staff/taxonomy/").content.decode()
    used = term("platform", "instagram").id
    unused = term("platform", "mastodon").id
    assert f"/staff/taxonomy/{used}/delete/" not in page
    assert f"/staff/taxonomy/{unused}/delete/" in page
    assert taxonomy_actions.uses(term("platform", "instagram")) == 1


def test_an_admin_adds_a_term_at_the_end_of_its_kind(
    db: None, admin: User, client_for: Maker
) -> None:
    last = Term.objects.filter(kind="violation_type").order_by("-position").first()
    assert last is not None
    response = client_for(admin).post("/staff/taxonomy/add/violation_type/", NEW)
    assert response.status_code == 302
    added = Term.objects.get(kind="violation_type", key="doxxing")
    assert (added.name_ar, added.name_he, added.active) == (NEW["name_ar"], NEW["name_he"], True)
    assert added.position == last.position + 1
    entry = AuditEntry.objects.get(action="taxonomy.added")
    assert entry.actor == admin
    assert entry.details["key"] == "doxxing" and entry.details["kind"] == "violation_type"


@pytest.mark.parametrize(
    "bad",
    [
        {"key": "hate_speech"},  # exists already
        {"key": "Bad Key"},
        {"key": "trailing_"},
        {"name_en": ""},
        {"name_en": "x" * 121},
    ],
)
def test_a_bad_new_term_is_refused_with_the_reason_and_nothing_is_added(
    db: None, admin: User, client_for: Maker, bad: dict[str, str]
) -> None:
    before = Term.objects.count()
    response = client_for(admin).post("/staff/taxonomy/add/violation_type/", NEW | bad)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert Term.objects.count() == before
    assert not AuditEntry.objects.filter(action="taxonomy.added").exists()


def test_an_unknown_kind_is_404(db: None, admin: User, client_for: Maker) -> None:
    assert client_for(admin).get("/staff/taxonomy/add/colours/").status_code == 404


def test_an_admin_edits_the_names_and_the_change_is_audited(
    db: None, admin: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    threads = term("platform", "threads")
    data = {"name_en": "Threads", "name_ar": "ثريدز", "name_he": "ת'רדס"}
    response = client_for(admin).post(f"/staff/taxonomy/{threads.id}/edit/", data)
    assert response.status_code == 302
    threads.refresh_from_db()
    assert threads.name_he == "ת'רדס" and threads.key == "threads"
    entry = AuditEntry.objects.get(action="taxonomy.edited")
    assert entry.details["changed"] == {"name_he": ["Threads", "ת'רדס"]}


def test_retiring_keeps_the_term_for_old_cases_and_can_be_undone(
    filed_case: Case, admin: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    instagram = term("platform", "instagram")
    client = client_for(admin)
    assert (
        client.post(f"/staff/taxonomy/{instagram.id}/active/", {"active": "0"}).status_code == 302
    )
    instagram.refresh_from_db()
    assert not instagram.active
    assert Case.objects.get(pk=filed_case.pk).platform == instagram
    client.post(f"/staff/taxonomy/{instagram.id}/active/", {"active": "1"})
    instagram.refresh_from_db()
    assert instagram.active
    changes = [e.details["changed"] for e in AuditEntry.objects.filter(action="taxonomy.edited")]
    assert changes == [{"active": [True, False]}, {"active": [False, True]}]


def test_a_used_term_is_never_deleted(
    filed_case: Case, admin: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    instagram = term("platform", "instagram")
    response = client_for(admin).post(f"/staff/taxonomy/{instagram.id}/delete/", follow=True)
    assert "retire it instead" in response.content.decode()
    assert Term.objects.filter(pk=instagram.pk).exists()


def test_an_unused_term_can_be_deleted(
    db: None, admin: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    mastodon = term("platform", "mastodon")
    client_for(admin).post(f"/staff/taxonomy/{mastodon.id}/delete/")
    assert not Term.objects.filter(pk=mastodon.pk).exists()
    assert AuditEntry.objects.get(action="taxonomy.deleted").details["key"] == "mastodon"


def test_moving_a_term_swaps_it_with_its_neighbour(
    db: None, admin: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    order = platforms()
    second = term("platform", order[1])
    client = client_for(admin)
    client.post(f"/staff/taxonomy/{second.id}/move/", {"direction": "up"})
    assert platforms() == [order[1], order[0], *order[2:]]
    client.post(f"/staff/taxonomy/{second.id}/move/", {"direction": "up"})  # already first
    assert platforms() == [order[1], order[0], *order[2:]]
    client.post(f"/staff/taxonomy/{second.id}/move/", {"direction": "down"})
    assert platforms() == order
    client.post(f"/staff/taxonomy/{second.id}/move/", {"direction": "sideways"})
    assert platforms() == order
    assert AuditEntry.objects.filter(action="taxonomy.edited").count() == 4


@pytest.mark.parametrize("path", ["active", "move", "delete"])
def test_changes_are_post_only(
    db: None, admin: User, client_for: Maker, term: Callable[[str, str], Any], path: str
) -> None:
    mastodon = term("platform", "mastodon")
    assert client_for(admin).get(f"/staff/taxonomy/{mastodon.id}/{path}/").status_code == 405
    assert Term.objects.get(pk=mastodon.pk).active


@pytest.mark.parametrize("persona", ["documenter", "verifier", "analyst"])
def test_other_personas_change_nothing_by_posting(
    db: None, client_for: Maker, term: Callable[[str, str], Any], persona: str
) -> None:
    client = client_for(make_staff(persona, persona))
    mastodon = term("platform", "mastodon")
    assert client.post("/staff/taxonomy/add/platform/", NEW).status_code == 403
    assert client.post(f"/staff/taxonomy/{mastodon.id}/delete/").status_code == 403
    assert client.post(f"/staff/taxonomy/{mastodon.id}/active/", {"active": "0"}).status_code == 403
    assert Term.objects.get(pk=mastodon.pk).active
    assert not AuditEntry.objects.filter(action__startswith="taxonomy.").exists()


def test_the_actions_refuse_anyone_but_an_admin(
    db: None, verifier: User, term: Callable[[str, str], Any]
) -> None:
    with pytest.raises(ActionRefused):
        taxonomy_actions.add_term("platform", "myspace", TermNames("MySpace"), verifier)
    with pytest.raises(ActionRefused):
        taxonomy_actions.set_active(term("platform", "x"), False, None)
    with pytest.raises(ActionInvalid, match="unknown taxonomy"):
        taxonomy_actions.add_term("colour", "red", TermNames("Red"), make_staff("boss", "admin"))


def test_a_retired_term_leaves_the_escalation_form(
    filed_case: Case, admin: User, client_for: Maker, term: Callable[[str, str], Any]
) -> None:
    Case.objects.filter(pk=filed_case.pk).update(state="verified")
    taxonomy_actions.set_active(term("platform", "reddit"), False, admin)
    page = client_for(admin).get(f"/staff/cases/{filed_case.id}/escalations/new/")
    options = page.content.decode().split('name="platform"')[1].split("</select>")[0]
    assert "Instagram" in options and "Mastodon" in options
    assert "Reddit" not in options
