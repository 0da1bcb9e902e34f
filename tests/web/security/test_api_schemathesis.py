"""Schemathesis against /api/openapi.json: every operation of the API, called through the real
Django application (WSGI, in this process, on the test database) with generated valid and
invalid parameters: with a case worker's token and with an analyst's token no answer is a server
error and every answer (status, content type, body) conforms to the schema; without a token
every staff endpoint is refused with 401."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from marsad.web.api.auth import create_token
from marsad.web.cases.models import Case

SCHEMA_PATH = "/api/openapi.json"
CALLS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# Loaded once, when the tests are collected: serving the schema reads no database. (A schema
# from a pytest fixture, `schemathesis.pytest.from_fixture`, does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, WSGIHandler())


# Not run with a token: the check that requests breaking the schema are refused. The token
# added to every call undoes the generated "no Authorization header" case, and the API reads
# the last of a repeated query parameter (`?platform=a&platform=b`) where the schema has one
# value. Values of the wrong type are refused with 422: test_api_inputs.py.
NOT_WITH_A_TOKEN = [negative_data_rejection]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Django closes a database connection that saw an error at the end of each request; the
    test client stops that (the connection holds the test's transaction), and so must these
    calls straight into the WSGI application."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def _bearer(user: User) -> dict[str, str]:
    _, token = create_token(user.username, "schemathesis")
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@CALLS
def test_every_operation_conforms_to_the_schema_for_a_case_worker(
    case: Any, filed_case: Case, documenter: User
) -> None:
    case.call_and_validate(headers=_bearer(documenter), excluded_checks=NOT_WITH_A_TOKEN)


@schema.parametrize()
@CALLS
def test_every_operation_conforms_to_the_schema_for_an_analyst(
    case: Any, filed_case: Case, analyst: User
) -> None:
    case.call_and_validate(headers=_bearer(analyst), excluded_checks=NOT_WITH_A_TOKEN)


@schema.parametrize()
@CALLS
def test_without_a_token_staff_operations_are_refused(case: Any, filed_case: Case) -> None:
    response = case.call()
    needs_token = bool(case.operation.definition.raw.get("security"))
    assert response.status_code < 500
    if case.method.upper() != case.operation.method.upper():
        assert response.status_code == 405  # a method the operation does not have
    elif needs_token:
        assert response.status_code == 401, (case.path, response.status_code)
    else:
        assert response.status_code in (200, 422)
