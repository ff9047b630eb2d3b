"""What the Typst markup, the layout and the joining of the parts agree on.

Kept apart from the modules that read and write PDF files, which need pypdf:
writing the markup needs none of it, and an HTML build does not import it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The scheme of links between parts, made into links within the PDF when the
#: parts are joined.
GOTO = "cpd-goto:"


@dataclass(frozen=True)
class Place:
    """Where a label is: the page (from 0, in the joined PDF) and its top, in
    points from the page's top edge."""

    page: int
    top: float


@dataclass(frozen=True)
class Bookmark:
    level: int
    title: str
    label: str


@dataclass(frozen=True)
class Area:
    """Where evidence may be drawn on a page, in points from the bottom left."""

    left: float
    bottom: float
    width: float
    height: float
