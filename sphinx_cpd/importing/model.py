"""What an import reads: entries of a blog or an e-portfolio, in one shape
whatever they came from, and the safe reading of the XML that holds them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html import escape
from typing import Literal
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

Kind = Literal["reflection", "event", "evidence"]
FORMATS = ("wordpress", "blogger", "leap2a")
#: Blogger's and Leap2A's exports are both Atom feeds.
ATOM = "http://www.w3.org/2005/Atom"

#: Larger files are refused: an export of a blog is megabytes, not gigabytes.
MAX_XML_BYTES = 200 * 1024 * 1024


class ImportProblem(Exception):
    """The source cannot be imported at all (said in one line, nothing written)."""


@dataclass
class Entry:
    """One post or e-portfolio entry, ready to become a page."""

    #: ``wordpress``, ``blogger`` or ``leap2a``.
    source: str
    #: The source's own id of the entry (kept in the page: a second import skips it).
    key: str
    kind: Kind
    title: str
    date: dt.date | None
    html: str = ""
    end: dt.date | None = None
    tags: list[str] = field(default_factory=list)
    #: A draft, private, password-protected or (Leap2A) any entry: a private page.
    private: bool = False
    #: Where it was published, if anywhere.
    url: str = ""
    #: Also an event (a post with one of the ``--event-tag`` tags).
    event: bool = False
    #: An evidence file: its name in the source and its bytes.
    file: tuple[str, bytes] | None = None
    #: Why the entry is not imported ("" if it is).
    skipped: str = ""


def parse_xml(data: bytes, what: str) -> Element:
    """XML read without entities, DTDs or external references (a hostile file
    cannot expand to gigabytes or read other files)."""
    if len(data) > MAX_XML_BYTES:
        raise ImportProblem(f"{what} is larger than {MAX_XML_BYTES // 2**20} MB")
    try:
        root: Element = safe_xml.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise ImportProblem(
            f"{what} declares a DTD or entities, which an export does not need and "
            f"which can be used to attack the computer reading it ({type(exc).__name__}); "
            "nothing was imported"
        ) from None
    except safe_xml.ParseError as exc:
        raise ImportProblem(
            f"{what} is not well-formed XML ({exc}); nothing was imported"
        ) from None
    return root


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def children(element: Element, name: str, space: str | None = None) -> list[Element]:
    """Children called ``name`` whose namespace starts with ``space`` (any if None)."""
    return [
        child
        for child in element
        if local(child.tag) == name and (space is None or namespace(child.tag).startswith(space))
    ]


def child_text(element: Element, name: str, space: str | None = None) -> str:
    found = children(element, name, space)
    return (found[0].text or "").strip() if found else ""


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def read_date(text: str) -> dt.date | None:
    """The date a timestamp starts with (``2011-11-28 20:15:00``,
    ``2011-11-28T20:15:00Z``), or None (WordPress writes 0000-00-00 for an
    unpublished draft)."""
    found = _DATE.match(text.strip())
    if not found:
        return None
    try:
        return dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def clean_tag(text: str) -> str:
    """A category or tag as a sphinx-cpd tag: one line, no commas (they separate
    tags), no colons (``:visibility:`` in a tag would make its page private)."""
    # Letters, digits, spaces and - _ . only: the options of a directive are
    # read as YAML, where "#" starts a comment and a leading quote or "|" a
    # block ("#cpd23" is the tag cpd23).
    return " ".join(_TAG_OUT.sub(" ", text).split())[:80].lstrip("-. ")


_TAG_OUT = re.compile(r"[^\w .-]")


LINK_SCHEMES = ("http", "https", "mailto")


def checked_url(url: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """``url`` if it is one address of one of ``schemes`` (no white space or
    control character anywhere in it), else ""."""
    url = url.strip()
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return ""
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        return ""
    # In lower case: MyST takes "HTTPS:" for a reference inside the portfolio.
    return scheme.lower() + url[len(scheme) :] if scheme.lower() in schemes else ""


def content_html(entry: Element, default: str = "text") -> str:
    """An Atom entry's ``content`` as HTML, whatever its ``type``: ``html`` as
    it is; ``xhtml`` (elements in the XHTML namespace) written out as HTML;
    ``text`` (Atom's default; ``default`` for a source that always writes HTML
    but may not say so) escaped, a paragraph per blank line."""
    found = children(entry, "content", "http://www.w3.org/2005/Atom")
    if not found or found[0].get("src"):
        return ""
    content, kind = found[0], found[0].get("type", default)
    if kind == "html":
        return content.text or ""
    if kind == "xhtml":
        try:
            return "".join(_xhtml(child) for child in content) or escape(content.text or "")
        except RecursionError:  # nested beyond reason: its text, as text
            return escape(" ".join(content.itertext()))
    text = content.text or ""
    return "".join(f"<p>{escape(block)}</p>" for block in re.split(r"\n\s*\n", text) if block)


def _xhtml(element: Element) -> str:
    """An XHTML element as HTML: names without their namespace, text escaped."""
    name = local(element.tag)
    attributes = "".join(
        f' {local(key)}="{escape(value, quote=True)}"' for key, value in element.attrib.items()
    )
    inner = escape(element.text or "") + "".join(_xhtml(child) for child in element)
    return f"<{name}{attributes}>{inner}</{name}>{escape(element.tail or '')}"


@dataclass
class Summary:
    made: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    already: int = 0
    to_fill: list[str] = field(default_factory=list)
    #: Entries whose formatting could not be kept (see importing.check).
    plain: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [f"Made {len(self.made)} page(s){':' if self.made else '.'}"]
        lines += [f"  {m}" for m in self.made]
        if self.plain:
            lines.append(
                f"Imported as plain paragraphs, their formatting not kept ({len(self.plain)}):"
            )
            lines += [f"  {p}" for p in self.plain]
        if self.already:
            lines.append(f"Already imported before, left as they are: {self.already}")
        if self.skipped:
            lines += [f"Not imported ({len(self.skipped)}):", *(f"  {s}" for s in self.skipped)]
        if self.to_fill:
            lines.append(
                f"Fill in the hours of {len(self.to_fill)} event(s) (the build warns until "
                f"you do): {', '.join(self.to_fill)}"
            )
        return lines
