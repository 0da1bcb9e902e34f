"""The public form under abuse: a per-address rate limit that keeps nothing but memory, a
honeypot, a self-hosted proof-of-work challenge (with a fair way through without JavaScript),
and a request size limit checked before the body is read."""

from __future__ import annotations

import html
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marsad.web.cases.models import Case
from marsad.web.public import challenge, ratelimit

from .conftest import PASSPHRASE
from .test_public_report import REPORT, _every_stored_value, form_data

CHALLENGE = re.compile(r'name="pow_challenge" value="([^"]+)"')
SOLUTION = re.compile(r'name="pow_solution" value="([^"]*)"')
NOT_CHECKED = "The form could not be checked, so nothing was sent."
STATIC = Path(__file__).resolve().parents[2] / "marsad" / "web" / "static" / "marsad"


@pytest.fixture
def pow_on(settings: Any) -> Any:
    """The challenge at a small difficulty, the no-JavaScript path after 2 seconds."""
    settings.MARSAD_POW_BITS = 8
    settings.MARSAD_POW_NOJS_SECONDS = 2
    return settings


@pytest.fixture
def limit_on(settings: Any) -> Any:
    settings.MARSAD_PUBLIC_RATE_LIMIT = 3
    settings.MARSAD_PUBLIC_RATE_WINDOW = 600
    return settings


def page_challenge(client: Client) -> str:
    page = client.get(REPORT).content.decode()
    found = CHALLENGE.search(page)
    assert found, "the form carries no challenge"
    return html.unescape(found.group(1))


def solved(client: Client, term: Callable[[str, str], Any], **changes: Any) -> dict[str, Any]:
    token = page_challenge(client)
    return form_data(term, pow_challenge=token, pow_solution=challenge.solve(token), **changes)


# --- the rate limit -----------------------------------------------------------------------------


def test_posts_over_the_limit_get_a_429_page_that_keeps_the_typed_text(
    db: None, term: Callable[[str, str], Any], limit_on: Any
) -> None:
    client = Client(REMOTE_ADDR="198.51.100.4")
    for _ in range(3):
        assert client.post(REPORT, {"description": "x"}).status_code == 200
    data = form_data(term, description="The army raided the press office on Tuesday")
    page = client.post(REPORT, data)
    text = page.content.decode()
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 500
    assert "Wait 10 minutes, then send it again" in text
    assert "The army raided the press office on Tuesday" in text
    assert "lina.reports@example.org" in text
    assert PASSPHRASE not in text
    assert Case.objects.count() == 0


def test_each_address_has_its_own_limit(
    db: None, term: Callable[[str, str], Any], limit_on: Any
) -> None:
    for _ in range(3):
        Client(REMOTE_ADDR="198.51.100.4").post(REPORT, {})
    assert Client(REMOTE_ADDR="198.51.100.4").post(REPORT, {}).status_code == 429
    page = Client(REMOTE_ADDR="198.51.100.5").post(REPORT, form_data(term))
    assert page.status_code == 302 and Case.objects.count() == 1


def test_ipv6_addresses_of_one_network_share_a_limit(db: None, limit_on: Any) -> None:
    for host in range(3):
        Client(REMOTE_ADDR=f"2001:db8:1:2::{host + 1}").post(REPORT, {})
    assert Client(REMOTE_ADDR="2001:db8:1:2:ffff::9").post(REPORT, {}).status_code == 429
    assert Client(REMOTE_ADDR="2001:db8:1:3::1").post(REPORT, {}).status_code == 200


def test_behind_a_proxy_the_address_the_proxy_added_counts_and_forged_ones_do_not(
    db: None, limit_on: Any
) -> None:
    limit_on.MARSAD_BEHIND_PROXY = True
    for forged in range(3):
        proxy = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{forged}, 203.0.113.9")
        proxy.post(REPORT, {})
    again = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9")
    assert again.post(REPORT, {}).status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.post(REPORT, {}).status_code == 200


def test_the_window_slides_and_forgets_old_posts(db: None, limit_on: Any) -> None:
    limit_on.MARSAD_PUBLIC_RATE_WINDOW = 1
    client = Client(REMOTE_ADDR="198.51.100.4")
    for _ in range(3):
        client.post(REPORT, {})
    assert client.post(REPORT, {}).status_code == 429
    time.sleep(1.1)
    assert client.post(REPORT, {}).status_code == 200


def test_the_limiter_forgets_every_client_soon_after_its_window_even_if_nobody_posts_again(
    db: None, limit_on: Any
) -> None:
    limit_on.MARSAD_PUBLIC_RATE_WINDOW = 1
    for n in range(5):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(REPORT, {})
    assert ratelimit.tracked() == 5
    deadline = time.monotonic() + 10
    while ratelimit.tracked() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ratelimit.tracked() == 0
    assert time.monotonic() < deadline - 6  # gone within a few seconds of the 1 s window


def test_reading_pages_is_never_limited(db: None, limit_on: Any) -> None:
    client = Client(REMOTE_ADDR="198.51.100.4")
    assert all(client.get(REPORT).status_code == 200 for _ in range(10))


def test_the_status_pages_posts_share_the_limit(
    db: None, filed_case: Any, limit_on: Any, client_for: Any
) -> None:
    client = Client(REMOTE_ADDR="198.51.100.4")
    login = {"receipt_code": filed_case.receipt_code, "passphrase": PASSPHRASE}
    assert client.post("/report/status/", {**login, "passphrase": "wrong one"}).status_code == 200
    assert client.post("/report/status/", login).status_code == 302
    added = client.post("/report/status/add/", {"text": "first"})
    assert added.status_code == 302
    kept = client.post("/report/status/add/", {"text": "The officer named in the post"})
    assert kept.status_code == 429
    assert "The officer named in the post" in kept.content.decode()
    assert client.post("/report/status/withdraw/", {"confirm": "on"}).status_code == 429
    assert Client(REMOTE_ADDR="198.51.100.4").post("/report/status/", login).status_code == 429


def test_the_limit_is_off_when_set_to_none(db: None, settings: Any) -> None:
    settings.MARSAD_PUBLIC_RATE_LIMIT = None
    client = Client(REMOTE_ADDR="198.51.100.4")
    assert all(client.post(REPORT, {}).status_code == 200 for _ in range(30))


def test_the_limiter_keeps_no_address_in_the_database_the_logs_or_its_memory(
    db: None, term: Callable[[str, str], Any], limit_on: Any, caplog: pytest.LogCaptureFixture
) -> None:
    address = "203.0.113.77"
    caplog.set_level(logging.DEBUG)
    client = Client(REMOTE_ADDR=address)
    client.post(REPORT, form_data(term))
    for _ in range(3):
        client.post(REPORT, {})
    assert Case.objects.count() == 1
    assert not [value for value in _every_stored_value() if address in value]
    assert address not in caplog.text
    keys = list(ratelimit._HITS)
    assert len(keys) == 1 and len(keys[0]) == 32 and address.encode() not in keys[0]


def test_each_server_process_keys_addresses_with_its_own_random_secret() -> None:
    """The HMAC key is made at process start and never stored: two processes (or a restart)
    turn the same address into unrelated keys."""
    script = (
        "import django; django.setup()\n"
        "from django.test import RequestFactory\n"
        "from marsad.web.public.ratelimit import client_key\n"
        "print(client_key(RequestFactory().post('/', REMOTE_ADDR='203.0.113.77')).hex())\n"
    )
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "marsad.web.settings"}
    keys = {
        subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    }
    assert len(keys) == 2 and all(len(key) == 64 for key in keys)


# --- the honeypot -------------------------------------------------------------------------------


def test_the_honeypot_is_hidden_from_people_keyboards_and_screen_readers(db: None) -> None:
    page = Client().get(REPORT).content.decode()
    block = page[page.index('<div class="hp"') :]
    block = block[: block.index("</div>")]
    assert 'aria-hidden="true"' in block
    assert 'tabindex="-1"' in block and 'autocomplete="off"' in block
    assert 'name="website"' in block
    assert ".public-form .hp {" in (STATIC / "site.css").read_text()


def test_a_filled_honeypot_is_refused_quietly_and_nothing_is_stored(
    db: None, term: Callable[[str, str], Any], pow_on: Any
) -> None:
    client = Client()
    page = client.post(REPORT, solved(client, term, website="https://spam.example"))
    text = page.content.decode()
    assert page.status_code == 200 and NOT_CHECKED in text
    assert "honeypot" not in text.lower()
    assert typed_description(term) in text
    assert Case.objects.count() == 0


def typed_description(term: Callable[[str, str], Any]) -> str:
    return str(form_data(term)["description"])


# --- the proof-of-work --------------------------------------------------------------------------


def test_the_page_carries_a_signed_challenge_and_loads_the_static_script(
    db: None, pow_on: Any
) -> None:
    page = Client().get(REPORT).content.decode()
    token = html.unescape(CHALLENGE.search(page).group(1))  # type: ignore[union-attr]
    assert 'data-pow-bits="8"' in page
    assert '<script src="/static/marsad/pow.js" defer></script>' in page
    assert "<script>" not in page  # nothing inline: the Content-Security-Policy allows none
    assert "wait 2 seconds after this page opened" in page  # the <noscript> note
    payload = signing.loads(token, salt=challenge.SALT)
    assert payload["b"] == 8 and len(payload["n"]) >= 20
    assert abs(payload["t"] - time.time()) < 60
    assert (STATIC / "pow.js").is_file()


def test_a_report_with_a_solved_challenge_is_filed(
    db: None, term: Callable[[str, str], Any], pow_on: Any
) -> None:
    client = Client()
    page = client.post(REPORT, solved(client, term))
    assert page.status_code == 302 and Case.objects.count() == 1


def test_the_python_solver_does_the_default_work_of_16_bits(
    db: None, term: Callable[[str, str], Any], settings: Any
) -> None:
    del settings.MARSAD_POW_BITS  # the default
    client = Client()
    token = page_challenge(client)
    assert challenge.bits_of(token) == 16
    counter = challenge.solve(token)
    assert challenge.works(token, counter, 16)
    page = client.post(REPORT, form_data(term, pow_challenge=token, pow_solution=counter))
    assert page.status_code == 302 and Case.objects.count() == 1


def test_a_wrong_solution_is_refused_and_the_text_is_kept(
    db: None, term: Callable[[str, str], Any], pow_on: Any
) -> None:
    client = Client()
    token = page_challenge(client)
    wrong = next(str(n) for n in range(10_000) if not challenge.works(token, str(n), 8))
    page = client.post(REPORT, form_data(term, pow_challenge=token, pow_solution=wrong))
    text = page.content.decode()
    assert page.status_code == 200 and NOT_CHECKED in text
    assert typed_description(term) in text
    assert html.unescape(CHALLENGE.search(text).group(1)) != token  # type: ignore[union-attr]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("kind", ["missing", "forged", "easier", "garbage"])
def test_a_missing_or_forged_challenge_is_refused(
    db: None, term: Callable[[str, str], Any], pow_on: Any, kind: str
) -> None:
    token = {
        "missing": "",
        "forged": signing.dumps({"n": "x" * 22, "b": 8, "t": 0}, salt="another purpose"),
        "easier": signing.dumps({"n": "x" * 22, "b": 0, "t": 0}, key="not the site's key"),
        "garbage": "n0t:a:challenge",
    }[kind]
    data = form_data(term, pow_challenge=token, pow_solution="1" if token else "")
    page = Client().post(REPORT, data)
    assert page.status_code == 200 and NOT_CHECKED in page.content.decode()
    assert Case.objects.count() == 0


def test_a_challenge_is_used_once(db: None, term: Callable[[str, str], Any], pow_on: Any) -> None:
    client = Client()
    data = solved(client, term)
    assert client.post(REPORT, data).status_code == 302
    again = Client().post(REPORT, data)
    assert again.status_code == 200 and NOT_CHECKED in again.content.decode()
    assert Case.objects.count() == 1


def test_a_challenge_passed_twice_at_once_is_used_only_once(db: None, pow_on: Any) -> None:
    token = challenge.issue()
    passed = challenge.check(token, challenge.solve(token))
    assert challenge.use(passed) is True
    assert challenge.use(challenge.Passed(passed.nonce, passed.issued)) is False


def test_an_expired_challenge_is_refused(
    db: None, term: Callable[[str, str], Any], pow_on: Any
) -> None:
    pow_on.MARSAD_POW_MAX_AGE = 1
    client = Client()
    data = solved(client, term)
    time.sleep(2.1)
    page = client.post(REPORT, data)
    assert page.status_code == 200 and NOT_CHECKED in page.content.decode()
    assert Case.objects.count() == 0


def test_without_javascript_the_form_is_accepted_once_the_challenge_is_old_enough(
    db: None, term: Callable[[str, str], Any], pow_on: Any
) -> None:
    client = Client()
    token = page_challenge(client)
    data = form_data(term, pow_challenge=token, pow_solution="")
    early = client.post(REPORT, data)
    text = early.content.decode()
    assert early.status_code == 200
    assert re.search(r"The form was sent too soon\. Wait [12] more seconds?, then send", text)
    assert html.unescape(CHALLENGE.search(text).group(1)) == token  # type: ignore[union-attr]
    assert Case.objects.count() == 0
    time.sleep(2.1)
    assert client.post(REPORT, data).status_code == 302
    assert Case.objects.count() == 1


def test_without_javascript_nothing_is_accepted_when_that_way_is_turned_off(
    db: None, term: Callable[[str, str], Any], pow_on: Any
) -> None:
    pow_on.MARSAD_POW_NOJS_SECONDS = None
    client = Client()
    page_text = client.get(REPORT).content.decode()
    assert "This form needs JavaScript to be sent." in page_text
    data = form_data(term, pow_challenge=page_challenge(client), pow_solution="")
    page = client.post(REPORT, data)
    assert page.status_code == 200 and NOT_CHECKED in page.content.decode()


def test_a_passed_challenge_is_sent_back_with_other_errors_so_the_work_is_not_redone(
    db: None, term: Callable[[str, str], Any], pow_on: Any
) -> None:
    client = Client()
    data = solved(client, term, passphrase_again="something else entirely")
    page = client.post(REPORT, data).content.decode()
    assert "The two passphrases are not the same." in page
    assert html.unescape(CHALLENGE.search(page).group(1)) == data["pow_challenge"]  # type: ignore[union-attr]
    assert SOLUTION.search(page).group(1) == data["pow_solution"]  # type: ignore[union-attr]
    fixed = client.post(REPORT, {**data, "passphrase_again": PASSPHRASE})
    assert fixed.status_code == 302 and Case.objects.count() == 1


def test_difficulty_zero_turns_the_challenge_off(
    db: None, term: Callable[[str, str], Any], settings: Any
) -> None:
    settings.MARSAD_POW_BITS = 0
    page = Client().get(REPORT).content.decode()
    assert "pow_challenge" not in page and "pow.js" not in page
    assert Client().post(REPORT, form_data(term)).status_code == 302


def test_the_challenge_errors_are_translated(
    db: None, term: Callable[[str, str], Any], pow_on: Any
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    data = form_data(term, pow_challenge=page_challenge(client), pow_solution="")
    text = client.post(REPORT, data).content.decode()
    assert "The form was sent too soon" not in text
    assert "أُرسل النموذج" in text


# --- request size -------------------------------------------------------------------------------


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: Any) -> bytes:
        raise AssertionError("the body of an oversized request was read")

    readline = read


def test_a_request_over_the_size_limit_is_refused_before_its_body_is_read(
    db: None, settings: Any
) -> None:
    settings.MARSAD_MAX_REQUEST_BYTES = 5 * 1024 * 1024
    page = Client(HTTP_ACCEPT_LANGUAGE="he").generic(
        "POST",
        REPORT,
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(5 * 1024 * 1024 + 1),
        **{"wsgi.input": UnreadableBody()},
    )
    assert page.status_code == 413
    assert 'lang="he"' in page.content.decode()
    with_english = Client().generic(
        "POST", REPORT, b"x", CONTENT_LENGTH=str(10**12), **{"wsgi.input": UnreadableBody()}
    )
    assert "larger than 5 MB in all, so it was not read" in with_english.content.decode()


def test_the_request_limit_defaults_to_four_files_at_the_file_limit(settings: Any) -> None:
    from marsad.web.public import tuning

    settings.MARSAD_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    assert tuning.max_request_bytes() == 81 * 1024 * 1024


def test_more_than_ten_files_are_refused_with_a_message_and_more_than_twenty_outright(
    db: None, term: Callable[[str, str], Any]
) -> None:
    def shots(count: int) -> list[SimpleUploadedFile]:
        return [SimpleUploadedFile(f"s{n}.txt", b"a note\n") for n in range(count)]

    page = Client().post(REPORT, form_data(term, attachments=shots(11)))
    assert "Send at most 10 files at a time." in page.content.decode()
    assert Client().post(REPORT, form_data(term, attachments=shots(21))).status_code == 400
    assert Case.objects.count() == 0
