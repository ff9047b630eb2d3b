"""The assembled document as Typst markup, whole or in the parts the PDF is
laid out in (:mod:`sphinx_cpd.pdf.parts` lays each out on its own).

A part is what comes before the first chapter, a chapter, or a piece of a very
long chapter: Typst keeps every page of a part in memory while it lays it out
(the listings of 2,000 entries, 656 pages of tables, took 1.3 GB as one part),
and one long part keeps a core busy after the others are done. So a chapter
of more than :data:`LONG_PART` characters of markup is cut before one of its
sections (where the translator marked that nothing is open, :data:`BREAK`),
and each piece starts a page of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from docutils import nodes

from sphinx_cpd.pdf.marks import Bookmark
from sphinx_cpd.pdf.typst_markup import TypstTranslator
from sphinx_cpd.pdf.typst_text import BREAK, BREAK_END, links

#: Characters of markup above which a chapter is cut into pieces of about this
#: size (a million: some 250 pages of tables; the example's longest part has 26,000).
LONG_PART = 1_000_000
_CUT = re.compile(f"{BREAK}([^{BREAK_END}]*){BREAK_END}")


def to_typst(
    document: nodes.document,
    image_path: Callable[[str], str | None] | None = None,
    known: Iterable[str] = (),
) -> str:
    """The document as Typst markup; ``known`` names labels placed outside it
    (the appendices), which links may go to as well."""
    translator = TypstTranslator(document, image_path, known)
    translator.walk(document)
    return _CUT.sub("", links(translator.astext(), translator.labels))


@dataclass
class Written:
    """Parts of the document as Typst markup, their links not yet decided
    (:func:`sphinx_cpd.pdf.typst_text.links`): written a chapter at a time,
    perhaps in processes of their own, they are joined by :func:`in_parts`."""

    #: One for each part, in order, not yet cut (:func:`cut`).
    parts: list[str]
    headings: list[Bookmark]
    #: The labels these parts place.
    labels: set[str]


def groups(document: nodes.document) -> list[list[nodes.Node]]:
    """The document's top-level nodes, a list for each part: what comes
    before the first chapter, then each chapter (a ``cpd-chapter`` container)
    with anything after it up to the next."""
    found: list[list[nodes.Node]] = []
    for child in document.children:
        chapter = isinstance(child, nodes.Element) and "cpd-chapter" in child["classes"]
        if not found or chapter:
            found.append([])
        found[-1].append(child)
    return found


def write(
    document: nodes.document,
    image_path: Callable[[str], str | None] | None = None,
    known: Iterable[str] = (),
) -> Written:
    """The document, whole or some of its chapters, as Typst markup, a part
    for each of its :func:`groups`."""
    translator = TypstTranslator(document, image_path, known)
    parts: list[str] = []
    for group in groups(document):
        translator.chapter = ""  # until the chapter gives its title
        translator.body = []
        for child in group:
            translator.walk(child)
        # Labels waiting for a heading that did not come: placed at the end
        # of their chapter, not in the next one (written on its own).
        translator.flush()
        parts.append(translator.astext())
    return Written(parts, translator.headings, translator.labels)


def in_parts(written: Iterable[Written]) -> tuple[list[str], list[Bookmark]]:
    """Written parts, in order, with their links decided, long ones cut into
    pieces; and the headings of all of them, in order."""
    written = list(written)
    placed = set().union(*(each.labels for each in written))
    pieces = [
        piece for each in written for part in each.parts for piece in cut(links(part, placed))
    ]
    headings = [heading for each in written for heading in each.headings]
    return [piece for piece in pieces if piece.strip()], headings


def to_parts(
    document: nodes.document,
    image_path: Callable[[str], str | None] | None = None,
    known: Iterable[str] = (),
) -> tuple[list[str], list[Bookmark]]:
    """The document as Typst markup in parts laid out on their own: what comes
    before the first chapter, then each chapter (a ``cpd-chapter`` container),
    a long one in pieces; and the headings of all of them, in order."""
    return in_parts([write(document, image_path, known)])


def cut(part: str, limit: int | None = None) -> list[str]:
    """A part, cut at its marks into pieces of about ``limit`` characters where
    the marks allow, each piece after the first starting with its chapter's
    title again; a part within the limit is not cut. A piece is not ended while
    it is short (a title alone on a page before a long section), and a short
    last piece stays with the one before."""
    limit = LONG_PART if limit is None else limit
    # split() alternates the text between marks and the heading each holds.
    found = _CUT.split(part)
    sections, headings = found[0::2], found[1::2]
    if sum(map(len, sections)) <= limit:
        return ["".join(sections)]
    short = limit // 4
    # Each piece: the index of its first section, and its size.
    starts, sizes = [0], [len(sections[0])]
    for index, section in enumerate(sections[1:], start=1):
        if sizes[-1] >= short and sizes[-1] + len(section) > limit:
            starts.append(index)
            sizes.append(0)
        sizes[-1] += len(section)
    if len(starts) > 1 and sizes[-1] < short:
        starts.pop()
    ends = [*starts[1:], len(sections)]
    return [
        (headings[start - 1] if start else "") + "".join(sections[start:end])
        for start, end in zip(starts, ends, strict=True)
    ]
