"""Text, strings and labels written safely into Typst source.

Everything an author wrote reaches Typst through these: text is escaped so
that it stays text, strings are quoted, labels hold only what a label may.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Set

from docutils import nodes

from sphinx_cpd.i18n import PLACEHOLDER, _
from sphinx_cpd.pdf.marks import GOTO
from sphinx_cpd.pdf.typst_worker import NUMBERED

#: Characters Typst reads as markup; each is written with a backslash before it.
_MARKUP = str.maketrans({char: f"\\{char}" for char in "\\#*_`$<>@=-+/[]~'\""})
#: Where a long chapter may be cut into parts (:mod:`sphinx_cpd.pdf.typst_parts`):
#: these two around the heading a piece after the cut starts with (:func:`continued`).
BREAK, BREAK_END = "\ue002", "\ue003"
#: Characters no PDF text can hold.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: How a paragraph's markup ends (a link just before it ends the paragraph).
PARAGRAPH_END = "]\n"
#: The three around a link within the portfolio (:func:`link_start`).
LINK, LINK_TEXT, LINK_END = "\ue004", "\ue005", "\ue006"
#: The two that mark where a page number goes (:func:`page_of`), the two of a
#: cut and the three of a link, which no author's text may forge: left out of
#: text (no font has them), written as escapes in strings (a file's name must
#: stay exact).
_MARKS = re.compile("[\ue000-\ue006]")
#: What text leaves out: both of the above.
_DROPPED = re.compile(f"{_UNWRITABLE.pattern}|{_MARKS.pattern}")
_NUMBERED = re.compile(r"^(\d+)\.")
_PAGE_OF = re.compile("\ue000(~?[A-Za-z0-9_.:-]+)\ue001")
#: A link with no link inside it (links do not nest; innermost first if they
#: did), and whether a paragraph ends with it (a paragraph's end is "]" and a
#: new line, :meth:`~sphinx_cpd.pdf.typst_markup.TypstTranslator.depart_paragraph`).
_LINK = re.compile(
    f"{LINK}(~?)([A-Za-z0-9_.:-]+){LINK_TEXT}([^{LINK}{LINK_END}]*){LINK_END}"
    f"({re.escape(PARAGRAPH_END)})?"
)
#: What a Typst label may hold; other characters of an id are replaced.
_LABEL = re.compile(r"[^A-Za-z0-9_.:-]")


def text(value: str) -> str:
    """Plain text as Typst markup: every markup character escaped, runs of
    white space one space (docutils has already decided where lines break)."""
    value = _DROPPED.sub("", value)
    words = value.split()
    if not words:
        return " " if value else ""
    # The spaces at either end separate this text from the markup around it.
    before = " " if value[0].isspace() else ""
    after = " " if value[-1].isspace() else ""
    if max(map(len, words)) > LONG_WORD:
        words = [breakable(word) for word in words]
    escaped = " ".join(words).translate(_MARKUP)
    if escaped[0].isdigit():
        # "1. Introduction" at the start of a block would be a numbered list's item.
        escaped = _NUMBERED.sub(r"\1\\.", escaped)
    return before + escaped + after


#: A word longer than this may break (every :data:`BREAK_EVERY` characters):
#: Typst breaks lines only between words, and one so long runs off the page.
LONG_WORD = 60
BREAK_EVERY = 30


def breakable(word: str) -> str:
    """A very long word (an address, a file name) with invisible places to
    break a line at (zero-width spaces)."""
    if len(word) <= LONG_WORD:
        return word
    return "\u200b".join(word[i : i + BREAK_EVERY] for i in range(0, len(word), BREAK_EVERY))


def string(value: str) -> str:
    """A Typst string literal."""
    value = _UNWRITABLE.sub("", value)
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    escaped = _MARKS.sub(lambda mark: f"\\u{{{ord(mark.group()):x}}}", escaped)
    return f'"{escaped.replace(chr(13), "")}"'


def label(ident: str) -> str:
    """A Typst label for a docutils id (ids are already restricted; this makes sure)."""
    return "<" + _LABEL.sub("-", ident) + ">"


def page_of(name: str) -> str:
    """Where the page number of label ``name`` goes, filled in by :func:`fill`
    once the parts are laid out and it is known."""
    return f"\ue000{name}\ue001"


def link_start(name: str, left: bool = True) -> str:
    """The start of a link to label ``name`` (its text follows, then
    :data:`LINK_END`): a link with the page it goes to after it, if the
    portfolio places that label, otherwise its text alone (:func:`links`).
    Which labels are placed is known only once every part is written, and
    parts may be written in processes of their own. ``left``: its text is set
    left (not a figure's caption, which is centred), so its page number may
    have room to spare at the end of a paragraph (:data:`FIXED`)."""
    return f"{LINK}{'~' if left else ''}{name}{LINK_TEXT}"


def links(source: str, placed: Set[str]) -> str:
    """The source with each of its links (:func:`link_start`) decided: a link
    to where the label is, and the page it is on, or the link's text alone.
    ``placed``: the labels the portfolio places, as :func:`label` gives them."""

    def decided(found: re.Match[str]) -> str:
        left, name, content, after = found.groups(default="")
        if f"<{name}>" not in placed:
            return content + after
        # Translators: "page" before a page number, short, as in "see Events, p. 14".
        page = text(_("p."))
        # The last words of a paragraph set left: its number may have fewer
        # digits than it has room for, and nothing moves (FIXED).
        number = page_of(FIXED + name if left and after else name)
        # Between parts laid out on their own, a link is an address the
        # parts' joining makes a link to the place (marks.GOTO).
        return f"#link({string(GOTO + name)})[{content}];, {page}~{number}{after}"

    while True:
        source, found = _LINK.subn(decided, source)
        if not found:
            return source


def continued(chapter: str) -> str:
    """The heading a piece of a long chapter starts with: its chapter's title
    again (PDF/UA-1 wants a document's first heading at the first level, and a
    reader wants to know where they are). Not in the contents or the bookmarks."""
    # Translators: the title of a chapter again, at the top of the next part of it.
    title = text(_("%(chapter)s (continued)") % {"chapter": chapter})
    return f"\n#heading(level: 1, outlined: false, bookmarked: false)[{title}]\n"


#: What the footer's two numbers stand for (no label has a "#").
PAGE, TOTAL = "#page", "#total"
#: Before a label: its page number ends a paragraph set left, and is laid out
#: with as many digits as the last page's number (no label has a "~"): its
#: paragraph's lines break as they would with that number. Whatever its own
#: digits, nothing after it moves: a part full of them (a long portfolio's
#: listings, thousands) is not laid out again when the pages they name turn
#: out to be fewer or more than the first layout guessed.
FIXED = "~"


def number(name: str, digits: str) -> str:
    """A page number as markup: its digits in a box, so that they are a run of
    text of their own in the PDF, after a mark that records where that run
    starts and what it stands for (a label, or the page and total of the
    footer), so that :mod:`sphinx_cpd.pdf.renumber` can set other digits of
    the same width there without laying the part out again."""
    return f"#metadata({string(name)})<{NUMBERED}>#box[{digits}];"


def fill(source: str, page: Callable[[str], str]) -> str:
    """The source with each page number in place."""
    return _PAGE_OF.sub(lambda found: number(found.group(1), page(found.group(1))), source)


def sentence(message: str, **markup: str) -> str:
    """A translated sentence as Typst markup: its words escaped as text, each
    ``%(name)s`` replaced by the markup given for it (a page counter, a link)."""
    pieces = PLACEHOLDER.split(message)
    # split() alternates text and placeholder names: even pieces are text.
    return "".join(
        text(piece.replace("%%", "%")) if i % 2 == 0 else markup[piece]
        for i, piece in enumerate(pieces)
    )


def qualified(ident: str, page: str) -> str:
    """The label of an id on a page: ids are unique on a page, not across them."""
    return label(f"{page}:{ident}" if page else ident)


def with_pages(document: nodes.document, root: str) -> Iterable[tuple[nodes.Element, str]]:
    """Every element of the document, with the page it is on."""
    stack: list[tuple[nodes.Element, str]] = [(document, root)]
    while stack:
        element, page = stack.pop()
        yield element, page
        inner = str(element["docname"]) if element.tagname == "start_of_file" else page
        stack += [
            (child, inner)
            for child in reversed(element.children)
            if isinstance(child, nodes.Element)
        ]
