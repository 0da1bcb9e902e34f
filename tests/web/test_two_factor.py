"""Two-factor sign-in of staff (TOTP, django-otp): after the password, a code from the
authenticator app before any staff page or action; enrolment of an account without one; the
demo's switch `web.require_2fa = false` and the warning every staff page then shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from marsad.config import CONFIG_FILE, config_text, load_settings
from marsad.demo.run import demo_without_two_factor
from marsad.web.api.auth import create_token
from marsad.web.cases.models import Case
from marsad.web.cases.personas import set_persona
from marsad.web.cases.states import Persona
from marsad.web.demo import TWO_FACTOR_OFF, DemoResult, describe

from .conftest import PASSWORD, current_code
from .test_permission_matrix import ALL_URLS, url_of
from .test_permission_matrix import ids as ids  # the fixture of real rows for the URLs

CODE_STEP = "/staff/login/code/"
ENROL = "/staff/login/enrol/"
LOGIN_STEPS = {"login", "logout", "two_factor", "two_factor_enrol"}
WARNING = "Two-factor sign-in is off"


def password_only(username: str) -> Client:
    """A client that has given the right password and nothing more."""
    client = Client()
    response = client.post("/staff/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def code_of(device: TOTPDevice, step_offset: int = 0) -> str:
    at = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + step_offset)
    return f"{at:06d}"


# The password alone


def test_the_password_alone_leads_to_the_code_step(documenter: User) -> None:
    client = Client()
    response = client.post("/staff/login/", {"username": "dina", "password": PASSWORD})
    assert response["Location"] == CODE_STEP + "?" + urlencode({"next": "/staff/"})
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert client.get("/staff/")["Location"].startswith(CODE_STEP)


def test_every_staff_page_and_action_sends_an_unverified_user_to_the_code_step(
    documenter: User, ids: dict[str, int]
) -> None:
    client = password_only("dina")
    pages = [u for u in ALL_URLS if u.name not in LOGIN_STEPS]
    assert len(pages) > 20
    for staff_url in pages:
        url = url_of(staff_url, ids)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, f"{method.__name__} {url}"
            assert response["Location"].startswith(CODE_STEP + "?next="), url


def test_an_unverified_user_changes_nothing(documenter: User, filed_case: Case) -> None:
    client = password_only("dina")
    response = client.post(f"/staff/cases/{filed_case.id}/note/", {"text": "not yet"})
    assert response["Location"] == CODE_STEP + "?next=%2Fstaff%2F"
    assert filed_case.notes.count() == 0


# The code step


def test_the_right_code_opens_the_page_asked_for(documenter: User, filed_case: Case) -> None:
    wanted = f"/staff/cases/{filed_case.id}/"
    client = Client()
    client.post("/staff/login/", {"username": "dina", "password": PASSWORD, "next": wanted})
    response = client.post(CODE_STEP, {"code": current_code(documenter), "next": wanted})
    assert (response.status_code, response["Location"]) == (302, wanted)
    assert client.get(wanted).status_code == 200


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(documenter: User) -> None:
    client = password_only("dina")
    device = TOTPDevice.objects.get(user=documenter)
    wrong = code_of(device, step_offset=5)
    response = client.post(CODE_STEP, {"code": wrong})
    assert response.status_code == 400
    assert "This code is not right" in response.content.decode()
    right_at_once = client.post(CODE_STEP, {"code": current_code(documenter)})
    assert right_at_once.status_code == 400
    assert "Too many wrong codes" in right_at_once.content.decode()
    assert client.get("/staff/")["Location"].startswith(CODE_STEP)


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 456"])
def test_a_code_that_is_not_six_digits_is_refused(documenter: User, code: str) -> None:
    client = password_only("dina")
    response = client.post(CODE_STEP, {"code": code})
    assert response.status_code == 400
    assert client.get("/staff/")["Location"].startswith(CODE_STEP)


def test_a_code_is_accepted_only_once(documenter: User) -> None:
    code = current_code(documenter)
    first, second = password_only("dina"), password_only("dina")
    assert first.post(CODE_STEP, {"code": code})["Location"] == "/staff/"
    replay = second.post(CODE_STEP, {"code": code})
    assert replay.status_code == 400
    assert second.get("/staff/")["Location"].startswith(CODE_STEP)


def test_another_users_code_does_not_verify(documenter: User, verifier: User) -> None:
    client = password_only("dina")
    response = client.post(CODE_STEP, {"code": current_code(verifier)})
    assert response.status_code == 400


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_the_code_step_never_sends_a_user_to_another_site(documenter: User, target: str) -> None:
    client = password_only("dina")
    response = client.post(CODE_STEP, {"code": current_code(documenter), "next": target})
    assert response["Location"] == "/staff/"


def test_the_code_step_sends_anonymous_visitors_to_the_login(db: None) -> None:
    response = Client().get(CODE_STEP)
    assert response["Location"].startswith("/staff/login/?next=")


def test_the_code_step_is_translated(documenter: User) -> None:
    client = password_only("dina")
    client.cookies["django_language"] = "ar"
    page = client.get(CODE_STEP).content.decode()
    assert 'dir="rtl"' in page and "أدخل الرمز" in page


# Enrolment of an account without an authenticator


@pytest.fixture
def newcomer(db: None) -> User:
    """A staff user made without a device (not through `marsad createstaff`)."""
    user = User.objects.create_user("nour", password=PASSWORD)
    set_persona(user, Persona.DOCUMENTER)
    return user


def test_an_account_without_a_device_is_sent_to_enrol(newcomer: User) -> None:
    client = Client()
    response = client.post("/staff/login/", {"username": "nour", "password": PASSWORD})
    assert response["Location"].startswith(ENROL + "?next=")
    assert client.get("/staff/")["Location"].startswith(ENROL)
    assert client.get(CODE_STEP)["Location"].startswith(ENROL)


def test_enrolment_shows_the_secret_as_a_uri_and_a_qr_code_and_confirms_it_with_a_code(
    newcomer: User,
) -> None:
    client = password_only("nour")
    page = client.get(ENROL)
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=newcomer)
    assert not device.confirmed
    uri = device.config_url
    assert uri.startswith("otpauth://totp/") and uri.replace("&", "&amp;") in html
    assert "<svg" in html and "<img" not in html  # drawn here, no outside QR service
    assert "no-store" in page["Cache-Control"]
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    assert secret in html
    response = client.post(ENROL, {"code": code_of(device)})
    assert (response.status_code, response["Location"]) == (302, "/staff/")
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    assert client.get("/staff/").status_code == 200


def test_enrolment_keeps_the_same_secret_until_it_is_confirmed(newcomer: User) -> None:
    client = password_only("nour")
    client.get(ENROL)
    client.post(ENROL, {"code": "000000"})
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1


def test_enrolment_is_not_offered_to_an_account_that_has_a_device(documenter: User) -> None:
    client = password_only("dina")
    response = client.get(ENROL)
    assert response["Location"].startswith(CODE_STEP)
    assert TOTPDevice.objects.filter(user=documenter).count() == 1


# Verified sessions, the API, the switch


def test_the_personas_fixtures_are_verified(
    documenter: User, client_for: Callable[[User | None], Client]
) -> None:
    assert client_for(documenter).get("/staff/").status_code == 200


def test_api_tokens_need_no_code(documenter: User) -> None:
    _row, token = create_token("dina", "script")
    response = Client().get("/api/cases", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_with_two_factor_off_the_password_opens_the_staff_pages_and_each_warns(
    documenter: User, filed_case: Case, settings: Any
) -> None:
    settings.MARSAD_REQUIRE_2FA = False
    client = Client()
    login_page = client.get("/staff/login/").content.decode()
    assert WARNING in login_page
    response = client.post("/staff/login/", {"username": "dina", "password": PASSWORD})
    assert response["Location"] == "/staff/"
    for url in ("/staff/", f"/staff/cases/{filed_case.id}/", "/staff/escalations/"):
        page = client.get(url)
        assert page.status_code == 200 and WARNING in page.content.decode(), url
    client.cookies["django_language"] = "he"
    assert "הכניסה בשני שלבים כבויה" in client.get("/staff/").content.decode()


def test_with_two_factor_on_no_page_warns(
    documenter: User, client_for: Callable[[User | None], Client]
) -> None:
    assert WARNING not in client_for(documenter).get("/staff/").content.decode()
    assert WARNING not in Client().get("/staff/login/").content.decode()


def test_the_setting_is_on_by_default_and_turned_off_by_file_or_environment(
    tmp_path: Path,
) -> None:
    assert load_settings(tmp_path, {}).get("web.require_2fa") is True
    for variable in ("MARSAD_REQUIRE_2FA", "MARSAD_WEB_REQUIRE_2FA"):
        settings = load_settings(tmp_path, {variable: "false"})
        assert settings.get("web.require_2fa") is False
        assert settings.sources["web.require_2fa"] == f"env:{variable}"
    (tmp_path / CONFIG_FILE).write_text("[web]\nrequire_2fa = false\n")
    assert load_settings(tmp_path, {}).get("web.require_2fa") is False


def test_the_demo_project_turns_two_factor_off_and_says_so(tmp_path: Path) -> None:
    config = tmp_path / CONFIG_FILE
    config.write_text(config_text("demo"))
    demo_without_two_factor(config)
    demo_without_two_factor(config)  # a second run adds nothing
    assert load_settings(tmp_path, {}).get("web.require_2fa") is False
    assert config.read_text().count("require_2fa") == 1
    result = DemoResult(0, 60, {}, 0, {"admin": ("demo-admin", "pw")}, "", two_factor=False)
    assert TWO_FACTOR_OFF in describe(result)


def test_the_demo_keeps_a_two_factor_choice_already_made(tmp_path: Path) -> None:
    config = tmp_path / CONFIG_FILE
    config.write_text('[web]\nrequire_2fa = true\nallowed_hosts = "demo.example"\n')
    demo_without_two_factor(config)
    assert load_settings(tmp_path, {}).get("web.require_2fa") is True
