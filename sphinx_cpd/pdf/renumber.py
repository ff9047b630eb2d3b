"""Page numbers set in a laid-out part, so that Typst lays a part out once.

Each page number of a part is written as a mark and a box of digits
(:func:`sphinx_cpd.pdf.typst_text.number`): the box makes the digits a run of
text of their own, and the layout process records where each mark is (its page,
and the point where the run starts) and what it stands for. Every digit of the
fonts used is as wide as every other, so a part laid out with its numbers as
zeros of the right widths has the very pages it would have with the right
numbers: only the glyphs of those runs differ. Here they are replaced (read and
written through the font's ToUnicode map), in an incremental update of the
pages that hold them. A footer is a line of its own, centred: its numbers may
have any width, and its other words move by half the difference. A number
with room for the last page's (:data:`~sphinx_cpd.pdf.typst_text.FIXED`, the
last words of a paragraph) may have fewer digits than it was laid out with.

Anything not as expected (a run not where its mark is, a number of another
width in the text, a digit the part's font subset does not have) raises
:class:`Unexpected`: the part is then laid out with its numbers, which is
slower, never wrong.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from pypdf.generic import DecodedStreamObject, DictionaryObject, IndirectObject, StreamObject

from .part_file import literal_end
from .placing import Update
from .typst_text import FIXED, PAGE, TOTAL

#: The start of a run of text as Typst (krilla) writes it: where it starts and
#: its font; its glyphs follow (:func:`operand`).
_RUN_AT = (
    rb"q 1 0 0 -1 (?P<x>%s) (?P<y>-?[\d.]++) cm[^\n]*+\n"
    rb"BT 0 Tr/(?P<font>[^\s/]++) (?P<size>[\d.]++) Tf 1 0 0 -1 0 0 Tm"
)
_RUN = re.compile(_RUN_AT % rb"-?[\d.]++")
_NUMBER = re.compile(rb"\s*-?[\d.]+\s*")
#: Where a page's footer starts (a pagination artifact, to its ``EMC``).
_FOOTER = re.compile(rb"/Artifact<<[^>]*/Subtype/Footer[^>]*>>BDC")
_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|\r\n|(.))", re.S)
_ESCAPED = {
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"b": b"\b",
    b"f": b"\f",
    # Before a line's end: the string goes on on the next line.
    b"\n": b"",
    b"\r": b"",
}
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
#: How far a run may start from its mark, in points (both come from one
#: layout); under a tenth of a point, the width of the buckets marks are kept in.
_NEAR = 0.01
_DIGITS = frozenset("0123456789")

#: A part's page number marks: (what it stands for, page from 0, x, y from the top).
Mark = tuple[str, int, float, float]


class Unexpected(Exception):
    """The part is not as this module expects: it is laid out again instead."""


def unescape(literal: bytes) -> bytes:
    """The bytes of a PDF literal string (without its parentheses), its
    escapes read from left to right (ISO 32000-1, 7.3.4.2)."""
    return _ESCAPE.sub(_escaped, literal)


def _escaped(found: re.Match[bytes]) -> bytes:
    if found[1] is not None:
        return bytes([int(found[1], 8) & 0xFF])
    if found[2] is None:  # before "\r\n": the string goes on on the next line
        return b""
    return _ESCAPED.get(found[2], found[2])


def operand(content: bytes, start: int) -> tuple[int, bytes]:
    """The ``Tj`` or ``TJ`` operation at ``start``: where it ends, and the
    glyph codes it draws (spacing left out)."""
    codes = b""
    if content.startswith(b"(", start):
        end = literal_end(content, start)
        codes, operator = unescape(content[start + 1 : end - 1]), b"Tj"
    elif content.startswith(b"[", start):
        end = start + 1
        while not content.startswith(b"]", end):
            if content.startswith(b"(", end):
                after = literal_end(content, end)
                codes += unescape(content[end + 1 : after - 1])
                end = after
            elif found := _NUMBER.match(content, end):
                end = found.end()
            else:
                raise Unexpected("a TJ array of another form")
        end, operator = end + 1, b"TJ"
    else:
        raise Unexpected("a run of text of another form")
    if not content.startswith(operator, end):
        raise Unexpected("a run of text of another form")
    return end + len(operator), codes


def unicode_map(cmap: bytes) -> dict[bytes, str]:
    """A ToUnicode CMap's two-byte codes and the text each stands for."""
    found: dict[bytes, str] = {}
    for block in _BFCHAR.findall(cmap):
        values = _HEX.findall(block)
        for code, text in zip(values[::2], values[1::2], strict=False):
            found[bytes.fromhex(code.decode())] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in _BFRANGE.findall(cmap):
        values = _HEX.findall(block)
        for low, high, start in zip(values[::3], values[1::3], values[2::3], strict=False):
            first, last = int(low, 16), int(high, 16)
            base = int.from_bytes(bytes.fromhex(start.decode()), "big")
            if last - first > 0xFFFF:
                raise Unexpected("a ToUnicode range too long")
            for offset in range(last - first + 1):
                code = (first + offset).to_bytes(len(low) // 2, "big")
                found[code] = chr(base + offset)
    return found


@dataclass
class Font:
    """What a font of a part can show of the digits."""

    #: The code of each digit it has.
    codes: dict[str, bytes]
    #: The text of each of its codes.
    texts: dict[bytes, str]
    #: How wide a digit is, in thousandths of the font's size.
    digit: float

    def read(self, codes: bytes) -> str:
        return "".join(self.texts.get(codes[i : i + 2], "?") for i in range(0, len(codes), 2))

    def write(self, digits: str) -> bytes:
        """The glyphs of ``digits``, as the operand of a ``TJ``."""
        try:
            glyphs = b"".join(self.codes[digit] for digit in digits)
        except KeyError:
            raise Unexpected("a digit the part's font does not have") from None
        return b"[(" + b"".join(b"\\%03o" % byte for byte in glyphs) + b")]TJ"


def widths(font: DictionaryObject) -> dict[int, float]:
    """The widths of a composite font's glyphs by code (its ``/W``)."""
    descendant = cast(DictionaryObject, cast(list[Any], font["/DescendantFonts"])[0].get_object())
    found: dict[int, float] = {}
    listed = cast(list[Any], descendant.get("/W", []))
    index = 0
    while index + 1 < len(listed):
        first, following = int(listed[index]), listed[index + 1]
        if isinstance(following, list):
            found.update((first + i, float(w)) for i, w in enumerate(following))
            index += 2
        else:
            found.update(
                (code, float(listed[index + 2])) for code in range(first, int(following) + 1)
            )
            index += 3
    return found


class Fonts:
    """The fonts of a part, each read once."""

    def __init__(self) -> None:
        self.found: dict[int, Font] = {}

    def of(self, fonts: DictionaryObject, name: str) -> Font:
        """The font ``name`` of a page's ``/Font`` resources."""
        reference = fonts.raw_get("/" + name)
        if not isinstance(reference, IndirectObject):
            raise Unexpected("a font not written as an object")
        if reference.idnum not in self.found:
            font = reference.get_object()
            if not isinstance(font, DictionaryObject) or "/DescendantFonts" not in font:
                raise Unexpected("a font of another kind")  # a Type 3 font, say
            cmap = font.get("/ToUnicode")
            if cmap is None or not isinstance(cmap.get_object(), StreamObject):
                raise Unexpected("a font without a ToUnicode map")
            texts = unicode_map(cast(StreamObject, cmap.get_object()).get_data())
            found = [(text, code) for code, text in texts.items() if text in _DIGITS]
            codes = dict(found)
            if len(codes) != len(found):
                # Two glyphs for one digit (old-style figures, say): which one
                # the text uses cannot be told.
                raise Unexpected("a font with two glyphs for a digit")
            advance = widths(font)
            digit = {advance.get(int.from_bytes(code, "big")) for code in codes.values()}
            if len(digit) != 1 or None in digit:
                # Digits of other widths: a number would not fit where another was.
                raise Unexpected("a font whose digits are not all as wide")
            self.found[reference.idnum] = Font(codes, texts, float(digit.pop() or 0))
        return self.found[reference.idnum]


def renumber(
    data: bytes,
    marks: list[Mark],
    number: Callable[[str, int], str],
    laid: Callable[[str, int], str],
) -> bytes:
    """The part ``data`` with each marked page number replaced by
    ``number(what it stands for, page from 0)``, where it was laid out as
    ``laid(what, page)``, in an incremental update of the pages that hold
    them. Raises :class:`Unexpected`."""
    by_page: dict[int, list[Mark]] = {}
    for mark in marks:
        by_page.setdefault(mark[1], []).append(mark)
    update = Update(data)
    fonts = Fonts()
    for index in range(len(update.pages)):
        wanted = by_page.pop(index, [])
        _, page = update.page(index)
        reference = page.raw_get("/Contents")
        stream = reference.get_object() if isinstance(reference, IndirectObject) else None
        if not isinstance(reference, IndirectObject) or not isinstance(stream, StreamObject):
            raise Unexpected("a page's content is not one stream")
        content = stream.get_data()
        # A footer ("Page N of M") has the marks of both its numbers: without
        # them (a kept part's facts damaged), it would keep what it was laid
        # out with.
        if _FOOTER.search(content) and not {PAGE, TOTAL} <= {mark[0] for mark in wanted}:
            raise Unexpected(f"page {index + 1}'s footer has no marks")
        if not wanted:
            continue
        # Read once: each use of a reference reads its object again.
        page_fonts = cast(DictionaryObject, cast(DictionaryObject, page["/Resources"])["/Font"])
        changed = DecodedStreamObject()
        changed.set_data(
            renumbered(
                content,
                float(cast(list[Any], page["/MediaBox"])[3]),
                wanted,
                functools.partial(fonts.of, page_fonts),
                lambda what: number(what, index),  # noqa: B023 (called at once)
                lambda what: laid(what, index),  # noqa: B023
            )
        )
        # The same object, defined again by the update.
        update.objects[reference.idnum] = changed.flate_encode()
    if by_page:
        raise Unexpected("marks on pages the part does not have")
    return update.write()


def renumbered(
    content: bytes,
    height: float,
    marks: list[Mark],
    font_of: Callable[[str], Font],
    number: Callable[[str], str],
    laid: Callable[[str], str],
) -> bytes:
    """A page's ``content`` (``height`` points high) with the numbers of its
    ``marks`` replaced: in place, with as many digits as they had, or in its
    footer (a line of its own, centred) with any number of digits, the
    footer's other words moved to keep it centred."""
    footers = [(m.end(), content.find(b"EMC", m.end())) for m in _FOOTER.finditer(content)]
    # Only runs that start in the point of a mark are looked at: a page of the
    # contents has thousands (each dot of a leader is one).
    points = sorted(
        {str(int(mark[2] + shift)).encode() for mark in marks for shift in (-_NEAR, 0, _NEAR)}
    )
    candidates = re.compile(_RUN_AT % (rb"(?:%s)(?:\.\d*+)?+" % b"|".join(points)))
    # The marks by a tenth of a point across: a page of a table has dozens.
    left: dict[int, list[Mark]] = {}
    for mark in marks:
        left.setdefault(int(mark[2] * 10), []).append(mark)
    #: (start, end, what replaces it) in ``content``.
    edits: list[tuple[int, int, bytes]] = []
    #: For each footer, where each number that changed width starts, and by how much.
    wider: dict[int, list[tuple[float, float]]] = {}
    for run in candidates.finditer(content):
        x, y = float(run["x"]), height - float(run["y"])
        column = int(x * 10)
        near = [m for k in (column - 1, column, column + 1) for m in left.get(k, ())]
        found = next((m for m in near if abs(m[2] - x) < _NEAR and abs(m[3] - y) < _NEAR), None)
        if found is None:
            continue
        left[int(found[2] * 10)].remove(found)
        footer = next((k for k, (a, b) in enumerate(footers) if a <= run.start() < b), None)
        font = font_of(run["font"].decode("latin-1"))
        end, codes = operand(content, run.end())
        shown, new = font.read(codes), number(found[0])
        if shown != laid(found[0]):
            raise Unexpected(f"{shown!r} where {laid(found[0])!r} was laid out")
        # In place: as many digits, or, where a number has room for more
        # (FIXED), as many or fewer; in a footer, any number.
        room = len(new) <= len(shown) if found[0].startswith(FIXED) else len(new) == len(shown)
        if not set(new) <= _DIGITS or not (room or footer is not None):
            raise Unexpected(f"{shown!r} cannot become {new!r} in place")
        edits.append((run.end(), end, font.write(new)))
        if len(shown) != len(new) and footer is not None:
            change = (len(new) - len(shown)) * font.digit * float(run["size"]) / 1000
            wider.setdefault(footer, []).append((x, change))
    if any(left.values()):
        raise Unexpected("a page number not where its mark is")
    for footer, changes in wider.items():
        # The line is centred: all of it moves back by half the change, and
        # what follows a wider number on by that number's change.
        back = sum(change for _, change in changes) / 2
        for run in _RUN.finditer(content, *footers[footer]):
            x = float(run["x"])
            moved = x - back + sum(c for start, c in changes if start < x - _NEAR)
            edits.append((*run.span("x"), b"%.5f" % moved))
    pieces, done = [], 0
    for start, end, replacement in sorted(edits):
        pieces += [content[done:start], replacement]
        done = end
    pieces.append(content[done:])
    return b"".join(pieces)
