"""Published reports: files the organisation publishes for download at /reports/.

A report's file is copied into the project's `reports/` folder (beside the evidence folder) when
it is published (`marsad.web.public.actions.publish_report`); the row keeps its SHA-256 and size
so a reader can check the copy they downloaded.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PublishedReport(models.Model):
    title = models.CharField(max_length=200)
    language = models.CharField(max_length=8)
    file_name = models.CharField(max_length=120)
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.language}, {self.file_name})"
