"""Mastodon's HTML `content` as the plain text a reader sees.

Paragraphs are separated by a blank line and `<br>` is a line break; a link becomes its text,
without the `<span class="invisible">` parts Mastodon hides (the `https://` and the tail of a
long URL) and with "…" after the `<span class="ellipsis">` part, as Mastodon shows it; hashtags
(`#tag`) and mentions (`@user`) stay as text; character references are unescaped. The targets
of plain links (not mentions or hashtags) are collected as the post's URLs.
"""

from __future__ import annotations

from html.parser import HTMLParser

from marsad.posts import PostError

_ENTITY_CLASSES = frozenset({"mention", "hashtag", "u-url"})


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._spans: list[tuple[bool, bool]] = []  # (invisible, ellipsis) per open <span>
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")
        elif tag == "span":
            invisible = "invisible" in classes
            self._spans.append((invisible, "ellipsis" in classes))
            self._hidden += invisible
        elif tag == "a":
            self._link(dict(attrs), classes)

    def _link(self, attrs: dict[str, str | None], classes: set[str]) -> None:
        href = attrs.get("href")
        entity = bool(classes & _ENTITY_CLASSES) or attrs.get("rel") == "tag"
        if href and not entity and href not in self.links:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag != "span" or not self._spans:
            return
        invisible, ellipsis = self._spans.pop()
        self._hidden -= invisible
        if ellipsis and not self._hidden:
            self.parts.append("…")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def to_text(content: str) -> tuple[str, list[str]]:
    """The plain text of Mastodon HTML, and the targets of its plain links."""
    parser = _TextParser()
    try:
        parser.feed(content)
        parser.close()
    except (AssertionError, ValueError) as exc:  # html.parser gives up on odd declarations
        raise PostError(f"content: cannot read the HTML: {exc}") from None
    return "".join(parser.parts).strip(), parser.links
