"""What the public may read about cases: verified cases with a summary written by staff.

Only the public summary, the violation type, the platform and the verification time leave this
module; the sealed personal fields are never even read from the database. Each case is named by
a keyed hash of its id (`case_token`), so the feed and the dashboard reveal neither the receipt
code nor how many cases the database holds.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext

from marsad.web.cases.models import Case
from marsad.web.cases.states import COUNTED

PERSONAL_FIELDS = ("description", "links", "contact", "reporter_name")
FEED_LIMIT = 50


@dataclass(frozen=True, slots=True)
class PublishedCase:
    token: str
    title: str
    summary: str
    verified_at: datetime


def case_token(case_id: int) -> str:
    """A stable public name for a case: HMAC-SHA-256 of its id under the site's secret key."""
    key = str(settings.SECRET_KEY).encode()
    return hmac.new(key, f"marsad-public-case:{case_id}".encode(), hashlib.sha256).hexdigest()[:20]


def published_cases() -> QuerySet[Case]:
    """Verified (counted) cases with a public summary, newest verification first."""
    return (
        Case.objects.filter(state__in=[s.value for s in COUNTED], verified_at__isnull=False)
        .exclude(public_summary="")
        .defer(*PERSONAL_FIELDS)
        .select_related("violation_type", "platform")
        .order_by("-verified_at", "-id")
    )


def case_title(case: Case, lang: str) -> str:
    kind = case.violation_type.name(lang)
    if case.platform is None:
        return kind
    return gettext("%(kind)s on %(platform)s") % {
        "kind": kind,
        "platform": case.platform.name(lang),
    }


def latest(lang: str, limit: int = FEED_LIMIT) -> list[PublishedCase]:
    """The newest published summaries, titled in `lang` (call inside that language)."""
    return [
        PublishedCase(
            token=case_token(case.id),
            title=case_title(case, lang),
            summary=case.public_summary,
            verified_at=case.verified_at or case.received_at,
        )
        for case in published_cases()[:limit]
    ]
