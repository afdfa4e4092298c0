"""Web pages: the main text by trafilatura, and a refusal with the reason when a page holds no article.

A page is refused, naming why, when trafilatura finds no text (and why it could not: nesting deeper
than the HTML parser goes, or only scripts), or when what it finds is a sign-in form, a cookie or consent
wall or a paywall rather than news: short text made mostly of the phrases such pages are made of.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import Article
from .base import EMPTY, ErrorHandler, WarningHandler, path_name
from .decode import decode, normalize, read_bytes
from .meta import iso_date, make_article, sidecar

NO_TEXT = "no article text found in HTML"

#: libxml2's HTML parser (under lxml, under trafilatura) stops building the tree at this depth and drops
#: everything below it, so a page nested deeper loses its text.
PARSER_DEPTH = 255

_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.IGNORECASE)


def read_html(
    path: Path, *, on_error: ErrorHandler | None = None, on_warning: WarningHandler | None = None
) -> Iterator[Article]:
    """The main text of a web page (trafilatura, no comments or tables); sidecar values beat the page's own."""
    name = path_name(path)
    html = decode(read_bytes(path), path).text
    if not html.strip():
        raise InputError(name, EMPTY)
    fields = _extract(html, name)
    raw_text = fields.get("text")
    text = normalize(raw_text) if isinstance(raw_text, str) else ""
    if not text:
        raise InputError(name, _why_empty(html))
    wall = not_an_article(text, html)
    if wall:
        raise InputError(name, wall)
    page = {
        "title": fields.get("title"),
        "author": fields.get("author"),
        "source": fields.get("sitename"),
        "url": fields.get("url"),
        "published": fields.get("date"),
    }
    lang = _HTML_LANG.search(html[:65536])
    if lang:
        page["language"] = lang.group(1)
    meta = {k: v.strip() for k, v in page.items() if isinstance(v, str) and v.strip()}
    if "published" in meta:
        iso = iso_date(meta["published"])
        if iso is None:
            del meta["published"]
        else:
            meta["published"] = iso
    meta.update(sidecar(path, on_warning))
    yield make_article(text, name, meta)


def _extract(html: str, name: str) -> Mapping[str, Any]:
    """trafilatura's fields for the page. (An ImportError here, a dependency missing, is this file's
    failure: read_path turns it into an InputError.)"""
    import trafilatura  # slow to import; only HTML needs it

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            favor_precision=True,
        )
    except Exception as e:  # a parser failure on one page must not end the run
        raise InputError(name, f"HTML could not be parsed ({type(e).__name__}: {e})") from None
    if isinstance(doc, dict):  # older trafilatura, or as_dict
        return doc
    return {k: getattr(doc, k, None) for k in ("text", "title", "author", "sitename", "url", "date")}


def _why_empty(html: str) -> str:
    depth = nesting_depth(html)
    if depth > PARSER_DEPTH:
        return (f"HTML nested too deeply to read ({depth:,} levels of elements; the HTML parser stops at "
                f"{PARSER_DEPTH})")
    return NO_TEXT


class _Depth(HTMLParser):
    """Counts how deep elements nest, as a browser would (void elements and implied ends aside)."""

    VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        if tag == "p" and self.stack and self.stack[-1] == "p":
            self.stack.pop()  # <p> ends an open <p>
        self.stack.append(tag)
        self.deepest = max(self.deepest, len(self.stack))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass


def nesting_depth(html: str) -> int:
    """The deepest nesting of elements in ``html`` (``<html><body><p>`` is 3)."""
    parser = _Depth()
    parser.feed(html)
    parser.close()
    return parser.deepest


# --- pages that are not articles ------------------------------------------------------------------------

#: What sign-in forms, consent walls and paywalls are made of. Each pattern names the kind of page.
_WALLS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a sign-in page", re.compile(
        r"\b(?:sign(?:ing)?[ -]?in|log(?:ging)?[ -]?in|log[ -]?on|forgot(?:ten)? (?:your )?password|password|"
        r"(?:don't|do not) have an account|create (?:an|your|a free) account|register|sign[ -]?up|"
        r"remember me|e-?mail address|username)\b", re.IGNORECASE)),
    ("a cookie or consent wall", re.compile(
        r"\b(?:cookies?|consent|accept all|reject all|privacy (?:settings|policy|preferences)|"
        r"manage (?:your )?(?:preferences|settings|choices)|personali[sz]ed (?:ads|advertising|content)|"
        r"partners|more options|before you continue)\b", re.IGNORECASE)),
    ("a paywall", re.compile(
        r"\b(?:subscribe|subscription|subscribers?|already a (?:member|subscriber)|continue reading|"
        r"unlock (?:this|the) (?:article|story)|free trial|per month|cancel anytime)\b", re.IGNORECASE)),
)
#: Longer texts are articles even when they mention cookies or a subscription.
WALL_MAX_WORDS = 120
_PASSWORD_FIELD = re.compile(r"<input\b[^>]*\btype\s*=\s*[\"']?password", re.IGNORECASE)


def not_an_article(text: str, html: str = "") -> str | None:
    """Why ``text`` (a page's extracted text) is not news, or None when it may be.

    Refused: a short text (under WALL_MAX_WORDS words) holding three different phrases of one kind of wall
    that make up an eighth of its words or more, or any short text when the page asks for a password.
    A short news brief that mentions a subscription once stays an article.
    """
    words = len(text.split())
    if words >= WALL_MAX_WORDS:
        return None
    for kind, pattern in _WALLS:
        hits = [h.lower() for h in pattern.findall(text)]
        distinct = list(dict.fromkeys(hits))
        if len(distinct) >= 3 and sum(len(h.split()) for h in hits) * 8 >= words:
            return f"not an article: looks like {kind} ({', '.join(distinct[:4])})"
    if _PASSWORD_FIELD.search(html):
        return "not an article: looks like a sign-in page (the page asks for a password)"
    return None
