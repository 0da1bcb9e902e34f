"""The Atom feed of published, anonymised case summaries (/feed.atom, `?lang=ar|he|en`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext, override

from marsad.web.public.published import PublishedCase, latest


class TextContentAtomFeed(Atom1Feed):
    """Atom entries whose body is the plain-text summary in `<content type="text">`."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        handler.addQuickElement("content", item["content"], {"type": "text"})


def feed_language(request: HttpRequest) -> str:
    asked = request.GET.get("lang", "en")
    codes = [code for code, _name in settings.LANGUAGES]
    return asked if asked in codes else "en"


class PublishedCasesFeed(Feed):  # type: ignore[type-arg]
    feed_type = TextContentAtomFeed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return feed_language(request)

    def get_feed(self, obj: str, request: HttpRequest) -> Any:
        """The feed built in its language (which also becomes the feed's `xml:lang`)."""
        with override(obj):
            return super().get_feed(obj, request)

    def title(self, lang: str) -> str:
        return gettext("%(project)s: verified cases") % {"project": settings.MARSAD_PROJECT_NAME}

    def subtitle(self, lang: str) -> str:
        return gettext("Anonymised summaries of digital-rights violations that our staff verified.")

    def link(self, lang: str) -> str:
        return reverse("public:dashboard")

    def feed_url(self, lang: str) -> str:
        return f"{reverse('public:feed')}?lang={lang}"

    def items(self, lang: str) -> list[PublishedCase]:
        return latest(lang)

    def item_title(self, item: PublishedCase) -> str:
        return item.title

    def item_link(self, item: PublishedCase) -> str:
        return f"{reverse('public:dashboard')}#case-{item.token}"

    def item_guid(self, item: PublishedCase) -> str:
        return f"urn:marsad:case:{item.token}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: PublishedCase) -> datetime:
        return item.verified_at

    def item_updateddate(self, item: PublishedCase) -> datetime:
        return item.verified_at

    def item_extra_kwargs(self, item: PublishedCase) -> dict[str, Any]:
        return {"content": item.summary}
