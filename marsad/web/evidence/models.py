"""Evidence items. The bytes live encrypted in the evidence folder under `blob_name`; the row
keeps their SHA-256 (of the plaintext, taken on arrival), size and sniffed media type. The
custody trail (added, viewed, exported, verified) is the audit log's entries for the item."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marsad.web.cases.models import Case
from marsad.web.fields import EncryptedTextField


class EvidenceKind(models.TextChoices):
    UPLOAD = "upload", _("File added by staff")
    REPORTER_UPLOAD = "reporter_upload", _("File sent by the reporter")
    URL_CAPTURE = "url_capture", _("Web page captured (WARC)")


class Evidence(models.Model):
    case = models.ForeignKey(Case, models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=100)
    original_name = EncryptedTextField()
    source_url = EncryptedTextField()
    description = models.CharField(max_length=300, blank=True)
    blob_name = models.CharField(max_length=80, unique=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    # The final HTTP status of a captured page (a 404 or a 451 is evidence too).
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"evidence {self.id} ({self.media_type}, {self.sha256[:12]})"
