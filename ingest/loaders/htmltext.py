"""Plain text from an HTML fragment (a feed entry's content): tags dropped, blocks kept apart, entities decoded."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
              "section", "article", "header", "footer", "figure", "figcaption", "pre", "hr", "table"}
SKIPPED_TAGS = {"script", "style", "noscript", "template", "iframe", "svg"}
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """`<p>Musk <b>bought</b> GPUs.</p><p>Second.</p>` → `Musk bought GPUs.\\nSecond.`"""
    collector = _TextCollector()
    try:
        collector.feed(fragment)
        collector.close()
    except AssertionError:  # html.parser asserts on a malformed marked section ("<![0"): read it as text instead
        collector = _TextCollector()
        collector.feed(fragment.replace("<![", "&lt;!["))
        collector.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(collector.parts).split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()
