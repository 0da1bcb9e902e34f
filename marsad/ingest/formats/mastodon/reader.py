"""What the two Mastodon formats share beyond reading JSON (`marsad.ingest.jsonfile`) and
typed access to it (`marsad.ingest.fields`): the `user@domain` form of handles and actors.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from marsad.posts import PostError

PLATFORM = "mastodon"
_ACTOR = re.compile(r"(https?://[^/?#]+/users/[^/?#]+)(?:/statuses/[^?#]*)?")


def host(url: str | None, field: str) -> str | None:
    """The host name of a URL (or of a bare domain such as "mastodon.example")."""
    if not url:
        return None
    try:
        name = urlsplit(url if "://" in url else f"//{url}").hostname
    except ValueError:
        raise PostError(f"{field}: {url!r} is not a URL") from None
    return name or None


def full_acct(acct: str, domain: str | None) -> str:
    """`user@domain`: an acct without a domain (a local account) gets `domain`."""
    acct = acct.removeprefix("@")
    return acct if "@" in acct or not domain else f"{acct}@{domain}"


def actor_of(uri: str | None) -> str | None:
    """The actor URI in a Mastodon status or actor URI (`https://host/users/name`)."""
    match = _ACTOR.fullmatch(uri or "")
    return match.group(1) if match else None


def handle_of_actor(actor: str | None) -> str | None:
    """`name@host` of a Mastodon actor URI `https://host/users/name`."""
    match = _ACTOR.fullmatch(actor or "")
    if not match:
        return None
    base = match.group(1)
    return f"{base.rsplit('/', 1)[1]}@{host(base, 'actor')}"
