"""The security tests' fixtures: a case with script in every text a person can type. (The
public form's rate limit and proof-of-work are off here as in every web test not about them:
tests/web/conftest.py.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marsad.web.cases import actions
from marsad.web.cases.actions import EscalationInput, NewReport, submit_report
from marsad.web.cases.models import Case, Term
from marsad.web.cases.states import State
from marsad.web.evidence import actions as evidence_actions

from ..conftest import PASSPHRASE
from ..test_evidence_sniff import png
from .hostile import PAYLOAD


@pytest.fixture
def hostile_case(db: None, term: Callable[[str, str], Term], admin: User, verifier: User) -> Case:
    """A verified, escalated case with script in every text a person can type: what happened,
    links, contact, name, a staff note, the reporter's added information, the reasons of its
    moves, the public summary, the escalation reference, the evidence's description and file
    name, and its platform's name."""
    platform = term("platform", "instagram")
    platform.name_en = platform.name_ar = f"Insta{PAYLOAD}"
    platform.save()
    report = NewReport(
        violation_type=term("violation_type", "hacking"),
        platform=platform,
        description=f"what {PAYLOAD}",
        links=f"javascript:alert(1)\nhttps://x.example/{PAYLOAD}",
        wants_contact=True,
        contact_method="email",
        contact=f"c{PAYLOAD}",
        reporter_name=f"n{PAYLOAD}",
        consent=True,
    )
    case = submit_report(report, PASSPHRASE)
    actions.add_staff_note(case, f"note {PAYLOAD}", verifier)
    actions.reporter_add_information(case, f"more {PAYLOAD}")
    for state in (State.TRIAGED, State.DOCUMENTED, State.VERIFIED):
        case = actions.transition(case, state, verifier, reason=f"r{PAYLOAD}")
    actions.set_public_summary(case, f"summary {PAYLOAD}", verifier)
    sent = timezone.now().date() - timedelta(days=2)
    escalation = EscalationInput(platform, "web_form", sent, f"ref{PAYLOAD}")
    actions.record_escalation(case, escalation, verifier)
    upload = SimpleUploadedFile(f"{PAYLOAD}.png", png(), content_type="image/png")
    evidence_actions.add_file(case, upload, verifier, description=f"desc {PAYLOAD}")
    return Case.objects.get(pk=case.pk)
