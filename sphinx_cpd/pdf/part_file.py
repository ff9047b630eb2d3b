"""One laid-out part of the PDF, read as bytes: where its objects are, their
text and streams, and its text rewritten with other numbers.

Typst writes classic cross-reference tables and no object streams (checked as
each part is read), so every object can be found from its tables; only the few
objects the joining needs (the roots) are parsed, by pypdf, one at a time.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from pypdf.generic import DictionaryObject, IndirectObject, PdfObject, read_object

if TYPE_CHECKING:
    from pypdf._protocols import PdfReaderProtocol

_TRAILER = re.compile(rb"trailer\s*(<<.*?>>)\s*startxref\s+(\d+)\s+%%EOF\s*$", re.S)
_PREV = re.compile(rb"/Prev (\d+)")
_REFERENCE = re.compile(rb"(?<![\d.])(\d+) 0 R\b")
_STRUCT_PARENT = re.compile(rb"(/StructParents?) (\d+)")


class MergeError(ValueError):
    """A part is not the kind of PDF this package joins (a bug, not bad input)."""


@dataclass
class Part:
    """One laid-out part: its bytes and where its objects are."""

    data: bytes
    offsets: dict[int, int] = field(default_factory=dict)
    #: Where every object and table starts, live or replaced.
    bounds: set[int] = field(default_factory=set)
    size: int = 0
    trailer: DictionaryObject = field(default_factory=DictionaryObject)
    #: The objects parsed so far (a reference is followed each time it is used).
    parsed: dict[int, PdfObject | None] = field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, data: bytes) -> Part:
        """A part, and where its live objects are: its cross-reference sections
        are read from the last back (an update, such as the evidence pages set
        in, comes after what it updates and wins)."""
        found = _TRAILER.search(data[-512:])
        if found is None:
            raise MergeError("a part does not end with a trailer")
        part = cls(data)
        last = data.rindex(b"trailer")
        trailer = read_object(io.BytesIO(data[last + 7 :].lstrip()), part.resolver)
        if not isinstance(trailer, DictionaryObject):
            raise MergeError("a part's trailer is not a dictionary")
        part.trailer = trailer
        position: int | None = int(found.group(2))
        while position is not None:
            if data[position : position + 4] != b"xref":
                raise MergeError("a part has a cross-reference stream")
            part.bounds.add(position)
            lines = data[position : data.index(b"trailer", position)].split(b"\n")
            index = 1
            while index < len(lines) and lines[index].strip():
                first, count = (int(value) for value in lines[index].split())
                for number in range(first, first + count):
                    entry = lines[index + 1 + number - first]
                    if entry[17:18] == b"n":
                        part.bounds.add(int(entry[:10]))
                        part.offsets.setdefault(number, int(entry[:10]))
                index += count + 1
            words = data[data.index(b"trailer", position) : data.index(b"startxref", position)]
            previous = _PREV.search(words)
            position = int(previous.group(1)) if previous else None
        part.size = int(str(part.trailer.get("/Size", 0)))
        return part

    def get_object(self, reference: int | IndirectObject) -> PdfObject | None:
        """One object, parsed (pypdf's reader would first read every object's
        header; a part is only looked into for its roots)."""
        number = reference.idnum if isinstance(reference, IndirectObject) else reference
        if number not in self.parsed:
            self.parsed[number] = self.parse(number)
        return self.parsed[number]

    def parse(self, number: int) -> PdfObject | None:
        start = self.offsets.get(number)
        if start is None:
            return None
        position = self.data.index(b"obj", start) + 3
        while self.data[position : position + 1] in b" \r\n\t":
            position += 1
        stream = io.BytesIO(self.data)
        stream.seek(position)
        return read_object(stream, self.resolver)

    @property
    def resolver(self) -> PdfReaderProtocol:
        # pypdf asks the "reader" of an object for the objects it refers to.
        return cast("PdfReaderProtocol", self)

    def pages(self, node: PdfObject | None = None) -> list[int]:
        """The numbers of the part's page objects, in order."""
        if node is None:
            catalog = self.trailer["/Root"]
            assert isinstance(catalog, DictionaryObject)
            node = catalog.raw_get("/Pages")
        found: list[int] = []
        target = node.get_object() if node is not None else None
        if isinstance(target, DictionaryObject):
            for kid in target.raw_get("/Kids") if "/Kids" in target else []:
                inner = kid.get_object()
                if isinstance(inner, DictionaryObject) and inner.get("/Type") == "/Pages":
                    found += self.pages(kid)
                elif isinstance(kid, IndirectObject):
                    found.append(kid.idnum)
        return found

    def number(self, key: str, of: DictionaryObject | None = None) -> int | None:
        """The object number an entry of ``of`` (the trailer) refers to."""
        holder = self.trailer if of is None else of
        value = holder.raw_get(key) if key in holder else None
        return value.idnum if isinstance(value, IndirectObject) else None

    def objects(self) -> Iterable[tuple[int, bytes, bytes]]:
        """Each live object's number, its text and its stream (the bytes from
        ``stream`` on, or none): an object ends where the next thing the tables
        point to (another object, replaced or not, or a table) starts."""
        bounds = sorted(self.bounds)
        for number, start in sorted(self.offsets.items(), key=lambda item: item[1]):
            end = bounds[bisect.bisect_right(bounds, start)]
            chunk = self.data[start:end]
            body = chunk[chunk.index(b"obj") + 3 : chunk.rindex(b"endobj")].strip(b"\r\n ")
            if body.startswith(b"<<") and b"stream" in body:
                split = body.find(b">>\nstream") + 2
                if split < 2 or b"(" in body[:split]:  # strings may hold anything
                    split = dictionary_end(body)
                yield number, body[:split], body[split:]
            else:
                yield number, body, b""


def strings(text: bytes) -> list[tuple[int, int]]:
    """Where the literal strings of a PDF object's text are: titles and
    alternative texts may hold anything, even "12 0 R", which is not a reference."""
    spans: list[tuple[int, int]] = []
    start = text.find(b"(")
    while start >= 0:
        end = literal_end(text, start)
        spans.append((start, end))
        start = text.find(b"(", end)
    return spans


def literal_end(text: bytes, start: int) -> int:
    """Where the literal string that starts at ``start`` ends (after its
    closing parenthesis; the end of ``text`` if it does not close): balanced
    parentheses need no escape (ISO 32000-1, 7.3.4.2)."""
    depth, index = 0, start
    while index < len(text):
        byte = text[index]
        if byte == 0x5C:  # a backslash: the next byte is escaped
            index += 2
            continue
        index += 1
        depth += {0x28: 1, 0x29: -1}.get(byte, 0)
        if depth == 0:
            return index
    return len(text)


def dictionary_end(text: bytes) -> int:
    """Where the dictionary ``text`` starts with ends (after its ``>>``),
    strings and nested dictionaries skipped."""
    depth, index, size = 0, 0, len(text)
    while index < size:
        byte = text[index]
        if byte == 0x28:  # "(": a literal string, to its balancing ")"
            index = literal_end(text, index)
            continue
        if text.startswith(b"<<", index):
            depth += 1
            index += 2
            continue
        if text.startswith(b">>", index):
            depth -= 1
            index += 2
            if depth == 0:
                return index
            continue
        if byte == 0x3C:  # "<": a hex string
            index = text.index(b">", index) + 1
            continue
        index += 1
    raise MergeError("a dictionary does not end")


def rewrite(text: bytes, renumber: Callable[[int], int], key_shift: int) -> bytes:
    """An object's text with its references renumbered and its parent-tree keys
    shifted, leaving strings as they are."""
    if b"(" not in text:
        # Most objects (the structure tree's elements) hold no string: split
        # at the numbers and join again, a tenth of a callback per reference.
        pieces = _REFERENCE.split(text)
        pieces[1::2] = [b"%d 0 R" % renumber(int(number)) for number in pieces[1::2]]
        text = b"".join(pieces)
        if key_shift and b"/StructParent" in text:
            pieces = _STRUCT_PARENT.split(text)
            pieces[2::3] = [b"%d" % (int(key) + key_shift) for key in pieces[2::3]]
            pieces[1::3] = [name + b" " for name in pieces[1::3]]
            text = b"".join(pieces)
        return text
    spans = strings(text)

    def outside(position: int) -> bool:
        return not any(start <= position < end for start, end in spans)

    def reference(match: re.Match[bytes]) -> bytes:
        if not outside(match.start()):
            return match.group(0)
        return b"%d 0 R" % renumber(int(match.group(1)))

    def key(match: re.Match[bytes]) -> bytes:
        if not outside(match.start()):
            return match.group(0)
        return b"%s %d" % (match.group(1), int(match.group(2)) + key_shift)

    text = _REFERENCE.sub(reference, text)
    return _STRUCT_PARENT.sub(key, text) if key_shift else text


def serialise(obj: PdfObject) -> bytes:
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


def write_section(
    out: io.BytesIO, objects: dict[int, bytes], trailer: DictionaryObject, *, update: bool
) -> None:
    """Objects, the cross-reference section that finds them, and the trailer,
    after what ``out`` holds. A whole file's section starts at object 0 and
    marks every number it does not use free; an update's lists only its own
    objects, in runs of consecutive numbers (ISO 32000-1, 7.5.4 and 7.5.6)."""
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    start = out.tell()
    out.write(b"xref\n")
    if update:
        numbers = sorted(offsets)
        runs: list[list[int]] = []
        for number in numbers:
            if runs and number == runs[-1][-1] + 1:
                runs[-1].append(number)
            else:
                runs.append([number])
        for run in runs:
            out.write(b"%d %d\n" % (run[0], len(run)))
            out.write(b"".join(b"%010d 00000 n\r\n" % offsets[n] for n in run))
    else:
        size = int(str(trailer["/Size"]))
        out.write(b"0 %d\n0000000000 65535 f\r\n" % size)
        for number in range(1, size):
            found = offsets.get(number)
            out.write(
                b"%010d 00000 n\r\n" % found if found is not None else b"0000000000 00000 f\r\n"
            )
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(b"\nstartxref\n%d\n%%%%EOF\n" % start)
