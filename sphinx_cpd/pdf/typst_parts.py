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

from docutils import nodes

from sphinx_cpd.pdf.marks import Bookmark
from sphinx_cpd.pdf.typst_markup import TypstTranslator
from sphinx_cpd.pdf.typst_text import BREAK, BREAK_END

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
    return _CUT.sub("", translator.astext())


def to_parts(
    document: nodes.document,
    image_path: Callable[[str], str | None] | None = None,
    known: Iterable[str] = (),
) -> tuple[list[str], list[Bookmark]]:
    """The document as Typst markup in parts laid out on their own: what comes
    before the first chapter, then each chapter (a ``cpd-chapter`` container),
    a long one in pieces; and the headings of all of them, in order."""
    translator = TypstTranslator(document, image_path, known)
    parts: list[str] = []
    for child in document.children:
        chapter = isinstance(child, nodes.Element) and "cpd-chapter" in child["classes"]
        if not parts or chapter:
            parts.append("")
            translator.chapter = ""  # until the chapter gives its title
        translator.body = []
        translator.walk(child)
        parts[-1] += translator.astext()
    pieces = [piece for part in parts for piece in cut(part)]
    return [piece for piece in pieces if piece.strip()], translator.headings


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
