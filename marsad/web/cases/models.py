"""The case database: taxonomy terms, cases, notes, escalations and the hash-chained audit log.

Every change goes through `marsad.web.cases.actions`, which also writes the audit log.
Reporters' personal fields are sealed at rest (`EncryptedTextField`).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from marsad.web.cases.states import Outcome, State
from marsad.web.fields import EncryptedTextField


class TermKind(models.TextChoices):
    VIOLATION_TYPE = "violation_type", _("Violation type")
    PLATFORM = "platform", _("Platform")
    PERPETRATOR = "perpetrator", _("Perpetrator type")
    AFFECTED_PARTY = "affected_party", _("Affected party")


class Term(models.Model):
    """One entry of a taxonomy, with its name in each language; edited as data by admins."""

    kind = models.CharField(max_length=20, choices=TermKind.choices)
    key = models.SlugField(max_length=60)
    name_en = models.CharField(max_length=120)
    name_ar = models.CharField(max_length=120, blank=True)
    name_he = models.CharField(max_length=120, blank=True)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "key"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="term_kind_key")]

    def name(self, lang: str | None = None) -> str:
        """The name in `lang` (default: the active language), else English."""
        lang = (lang or get_language() or "en")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_en)

    def __str__(self) -> str:
        return self.name()


class ContactMethod(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    SIGNAL = "signal", _("Signal")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    OTHER = "other", _("Other")


def _terms(kind: TermKind) -> dict[str, str]:
    return {"kind": kind.value}


class Case(models.Model):
    """A reported violation. The reporter's fields are sealed; `public_summary` is what may be
    published once the case is verified (written by staff, anonymised)."""

    receipt_code = models.CharField(max_length=20, unique=True)
    passphrase_hash = models.CharField(max_length=200)
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    violation_type = models.ForeignKey(
        Term, models.PROTECT, related_name="+", limit_choices_to=_terms(TermKind.VIOLATION_TYPE)
    )
    platform = models.ForeignKey(
        Term,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to=_terms(TermKind.PLATFORM),
    )
    perpetrator = models.ForeignKey(
        Term,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to=_terms(TermKind.PERPETRATOR),
    )
    affected_party = models.ForeignKey(
        Term,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to=_terms(TermKind.AFFECTED_PARTY),
    )
    description = EncryptedTextField()
    links = EncryptedTextField()
    occurred_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=8, default="en")
    location = models.CharField(max_length=120, blank=True)
    wants_contact = models.BooleanField(default=False)
    contact_method = models.CharField(max_length=20, choices=ContactMethod.choices, blank=True)
    contact = EncryptedTextField()
    reporter_name = EncryptedTextField()
    consent = models.BooleanField(default=False)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    public_summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["state", "received_at"])]

    def __str__(self) -> str:
        return f"{self.receipt_code} ({self.state})"

    @property
    def state_enum(self) -> State:
        return State(self.state)


class Note(models.Model):
    """Information added to a case after it was filed: by the reporter (author null) through
    the status page, or by staff. Sealed like the report itself."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_reporter = models.BooleanField(default=False)
    text = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class Channel(models.TextChoices):
    TRUSTED_PARTNER = "trusted_partner", _("Trusted-partner channel")
    WEB_FORM = "web_form", _("Platform web form")
    EMAIL = "email", _("Email")
    LEGAL = "legal", _("Legal request")
    OTHER = "other", _("Other")


class Escalation(models.Model):
    """A case sent to a platform: when, how, the reference, the reply and the outcome."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="escalations")
    platform = models.ForeignKey(
        Term, models.PROTECT, related_name="+", limit_choices_to=_terms(TermKind.PLATFORM)
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    sent_on = models.DateField()
    reference = models.CharField(max_length=200, blank=True)
    reply = models.TextField(blank=True)
    replied_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_on", "id"]

    @property
    def days_to_answer(self) -> int | None:
        if self.replied_on is None:
            return None
        return (self.replied_on - self.sent_on).days

    def days_waiting(self, today: date | None = None) -> int:
        return ((today or timezone.now().date()) - self.sent_on).days


class AuditEntry(models.Model):
    """One line of the append-only audit and custody log, chained by SHA-256: each entry's
    hash covers its content and the previous entry's hash (`marsad.web.cases.audit`).

    Case and evidence are kept as plain ids so the log outlives a purge; `details` never holds
    personal data (ids, states, hashes, reasons written by staff)."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)  # username, "reporter" or "system"
    action = models.CharField(max_length=60, db_index=True)
    case_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    evidence_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    details = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class ChainHead(models.Model):
    """A single row holding the last audit hash; locked while an entry is appended so that
    concurrent writers extend the chain one after another."""

    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)
