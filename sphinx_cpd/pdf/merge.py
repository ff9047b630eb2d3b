"""Parts of the portfolio, each laid out by Typst on its own, joined into one
tagged PDF.

Typst keeps every page it lays out in memory until the document is done, and a
single document lays its pages out twice or more (links and page references
wait for the layout to know where things are). Laying out each chapter as a
document of its own, in processes side by side, bounds the memory by the largest
chapter and uses every core; the parts' pages, fonts and structure trees are
then joined here without parsing their content:

- every object keeps its bytes, renumbered after the parts before it;
- each part's page tree root and structure root are replaced by the joined
  document's, so its pages and top-level structure elements hang from them;
- the structure trees' parent-tree keys are shifted to stay unique;
- links between parts, written by Typst as ``cpd-goto:<label>`` addresses,
  become links to the page and place of the label;
- the bookmarks are made here, from the headings the builder lists.

Typst writes classic cross-reference tables and no object streams (checked as
each part is read), so every object can be found from its table.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    TextStringObject,
    read_object,
)

_TRAILER = re.compile(rb"trailer\s*(<<.*?>>)\s*startxref\s+(\d+)\s+%%EOF\s*$", re.S)
_PREV = re.compile(rb"/Prev (\d+)")
_REFERENCE = re.compile(rb"(?<![\d.])(\d+) 0 R\b")
_STRUCT_PARENT = re.compile(rb"(/StructParents?) (\d+)")
_GOTO = re.compile(rb"/A<</Type/Action/S/URI/URI\(cpd-goto:([A-Za-z0-9_.:-]+)\)>>")
_GOTO_CONTENTS = re.compile(rb"/Contents\(cpd-goto:[A-Za-z0-9_.:-]+\)")
#: The scheme of links between parts, made into links within the PDF here.
GOTO = "cpd-goto:"


class MergeError(ValueError):
    """A part is not the kind of PDF this module joins (a bug, not bad input)."""


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


@dataclass
class Part:
    """One laid-out part: its bytes and where its objects are."""

    data: bytes
    offsets: dict[int, int] = field(default_factory=dict)
    #: Where every object and table starts, live or replaced.
    bounds: set[int] = field(default_factory=set)
    size: int = 0
    trailer: DictionaryObject = field(default_factory=DictionaryObject)

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
        trailer = read_object(io.BytesIO(data[last + 7 :].lstrip()), part)  # a few bytes
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
            trailer = data[data.index(b"trailer", position) : data.index(b"startxref", position)]
            previous = _PREV.search(trailer)
            position = int(previous.group(1)) if previous else None
        part.size = int(part.trailer["/Size"])  # type: ignore[call-overload]
        return part

    def get_object(self, reference: int | IndirectObject) -> PdfObject | None:
        """One object, parsed (pypdf's reader would first read every object's
        header; a part is only looked into for its roots)."""
        number = reference.idnum if isinstance(reference, IndirectObject) else reference
        start = self.offsets.get(number)
        if start is None:
            return None
        position = self.data.index(b"obj", start) + 3
        while self.data[position : position + 1] in b" \r\n\t":
            position += 1
        stream = io.BytesIO(self.data)
        stream.seek(position)
        return read_object(stream, self)

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
    depth, start, index = 0, 0, 0
    while True:
        index = min(
            (found for found in (text.find(b"(", index), text.find(b")", index)) if found >= 0),
            default=-1,
        )
        if index < 0:
            return spans
        escaped = 0
        while index - escaped - 1 >= 0 and text[index - escaped - 1] == 0x5C:
            escaped += 1
        if escaped % 2 == 0:
            if text[index] == 0x28:
                if depth == 0:
                    start = index
                depth += 1
            elif depth:
                depth -= 1
                if depth == 0:
                    spans.append((start, index + 1))
        index += 1


def dictionary_end(text: bytes) -> int:
    """Where the dictionary ``text`` starts with ends (after its ``>>``),
    strings and nested dictionaries skipped."""
    depth, index, size = 0, 0, len(text)
    while index < size:
        byte = text[index]
        if byte == 0x28:  # "(": a literal string, to its balancing ")"
            nested = 0
            while index < size:
                if text[index] == 0x5C:
                    index += 2
                    continue
                nested += {0x28: 1, 0x29: -1}.get(text[index], 0)
                index += 1
                if nested == 0:
                    break
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
    spans = strings(text) if b"(" in text else []

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


class Merger:
    """Joins parts into one PDF; new objects are numbered after all the parts'."""

    def __init__(self, parts: list[Part]) -> None:
        self.parts = parts
        self.offsets: list[int] = []
        total = 0
        for part in parts:
            self.offsets.append(total)
            total += part.size
        self.next = total
        self.objects: dict[int, bytes] = {}

    def allocate(self) -> int:
        self.next += 1
        return self.next - 1

    def ref(self, number: int) -> IndirectObject:
        return IndirectObject(number, 0, None)

    def join(self, places: dict[str, Place], bookmarks: list[Bookmark], height: float) -> bytes:
        """The joined PDF: ``places`` says where each label is, ``bookmarks``
        what the outline holds; ``height`` is the pages' height in points."""
        pages_root, document, structure_root = (self.allocate() for _ in range(3))
        document_kids: list[PdfObject] = []
        parent_tree: list[PdfObject] = []
        role_map = DictionaryObject()
        page_refs: list[int] = []
        plans: list[tuple[Part, Callable[[int], int], set[int], int]] = []
        key_shift = 0
        for part, offset in zip(self.parts, self.offsets, strict=True):
            catalog = part.trailer["/Root"]
            tree = catalog["/StructTreeRoot"]  # type: ignore[index]
            if not isinstance(catalog, DictionaryObject) or not isinstance(tree, DictionaryObject):
                raise MergeError("a part is not a tagged PDF")
            mapped = {part.number("/Pages", catalog): pages_root}
            mapped[part.number("/StructTreeRoot", catalog)] = document
            dropped = {part.number("/Root"), part.number("/Outlines", catalog)}
            if part is not self.parts[0]:
                dropped |= {part.number("/Info"), part.number("/Metadata", catalog)}
            top = tree.raw_get("/K")
            top_kids = list(top) if isinstance(top, ArrayObject) else [top]
            if len(top_kids) == 1:
                element = top_kids[0].get_object()
                if isinstance(element, DictionaryObject) and element.get("/S") == "/Document":
                    # The part's Document element gives way to the joined one.
                    mapped[top_kids[0].idnum] = document
                    dropped.add(top_kids[0].idnum)
                    inner = element.raw_get("/K")
                    top_kids = list(inner) if isinstance(inner, ArrayObject) else [inner]

            def renumber(number: int, offset: int = offset, mapped: dict = mapped) -> int:
                found = mapped.get(number)
                return found if found is not None else number + offset

            document_kids += [self.ref(renumber(kid.idnum)) for kid in top_kids]
            for key, value in self.number_tree(tree["/ParentTree"]):
                parent_tree += [NumberObject(key + key_shift), self.ref(renumber(value.idnum))]
            role_map.update(tree.get("/RoleMap", DictionaryObject()))
            page_refs += [renumber(number) for number in part.pages()]
            plans.append((part, renumber, {n for n in dropped if n is not None}, key_shift))
            key_shift += int(tree.get("/ParentTreeNextKey", 0))  # type: ignore[call-overload]
        for part, renumber, dropped, shift in plans:
            for number, text, stream in part.objects():
                if number in dropped or renumber(number) in (pages_root, document):
                    continue
                text = rewrite(text, renumber, shift)
                if b"cpd-goto:" in text and b"/Subtype/Link" in text:
                    text = self.link(text, places, page_refs, height)
                self.objects[renumber(number)] = text + stream
        self.put(
            pages_root,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Count"): NumberObject(len(page_refs)),
                    NameObject("/Kids"): ArrayObject(self.ref(n) for n in page_refs),
                }
            ),
        )
        self.put(
            document,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructElem"),
                    NameObject("/S"): NameObject("/Document"),
                    NameObject("/P"): self.ref(structure_root),
                    NameObject("/K"): ArrayObject(document_kids),
                }
            ),
        )
        self.put(
            structure_root,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructTreeRoot"),
                    NameObject("/RoleMap"): role_map,
                    NameObject("/K"): ArrayObject([self.ref(document)]),
                    NameObject("/ParentTree"): DictionaryObject(
                        {NameObject("/Nums"): ArrayObject(parent_tree)}
                    ),
                    NameObject("/ParentTreeNextKey"): NumberObject(key_shift),
                }
            ),
        )
        outlines = self.outline(bookmarks, places, page_refs, height)
        first = self.parts[0]
        catalog = first.trailer["/Root"]
        assert isinstance(catalog, DictionaryObject)
        root = self.allocate()
        new_catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): self.ref(pages_root),
                NameObject("/StructTreeRoot"): self.ref(structure_root),
                NameObject("/Outlines"): self.ref(outlines),
                NameObject("/PageMode"): NameObject("/UseOutlines"),
            }
        )
        for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
            if key in catalog:
                new_catalog[NameObject(key)] = catalog[key]
        metadata = first.number("/Metadata", catalog)
        if metadata is not None:
            new_catalog[NameObject("/Metadata")] = self.ref(metadata)
        self.put(root, new_catalog)
        return self.write(root, first)

    def put(self, number: int, obj: PdfObject) -> None:
        self.objects[number] = serialise(obj)

    def number_tree(self, node: PdfObject) -> Iterable[tuple[int, IndirectObject]]:
        node = node.get_object()
        assert isinstance(node, DictionaryObject)
        if "/Nums" in node:
            nums = node.raw_get("/Nums").get_object()
            for index in range(0, len(nums), 2):
                value = nums[index + 1]
                if not isinstance(value, IndirectObject):
                    raise MergeError("a parent tree holds a direct object")
                yield int(nums[index]), value
        for kid in node.get("/Kids", ArrayObject()):
            yield from self.number_tree(kid)

    def destination(self, place: Place, page_refs: list[int], height: float) -> ArrayObject:
        return ArrayObject(
            [
                self.ref(page_refs[place.page]),
                NameObject("/XYZ"),
                FloatObject(0),
                FloatObject(round(height - place.top, 3)),
                NullObject(),
            ]
        )

    def link(
        self, text: bytes, places: dict[str, Place], page_refs: list[int], height: float
    ) -> bytes:
        """A link annotation to ``cpd-goto:<label>`` made a link to the label's place."""
        found = _GOTO.search(text)
        if found is None:
            return text
        place = places.get(found.group(1).decode("ascii"))
        if place is None:  # nowhere to go: the words stay, the link goes
            return _GOTO_CONTENTS.sub(b"", _GOTO.sub(b"", text))
        target = serialise(self.destination(place, page_refs, height))
        text = _GOTO.sub(lambda _: b"/A<</Type/Action/S/GoTo/D" + target + b">>", text)
        return _GOTO_CONTENTS.sub(b"/Contents(Go to page %d)" % (place.page + 1), text)

    def outline(
        self,
        bookmarks: list[Bookmark],
        places: dict[str, Place],
        page_refs: list[int],
        height: float,
    ) -> int:
        root = self.allocate()
        items = [(b, places[b.label]) for b in bookmarks if b.label in places]
        numbers = [self.allocate() for _ in items]
        # Each bookmark's parent: the nearest earlier one of a lower level.
        parents: list[int] = []
        stack: list[tuple[int, int]] = []  # (level, index)
        for index, (bookmark, _) in enumerate(items):
            while stack and stack[-1][0] >= bookmark.level:
                stack.pop()
            parents.append(stack[-1][1] if stack else -1)
            stack.append((bookmark.level, index))
        children: dict[int, list[int]] = {}
        for index, parent in enumerate(parents):
            children.setdefault(parent, []).append(index)

        def count(index: int) -> int:
            return sum(1 + count(kid) for kid in children.get(index, []))

        for index, (bookmark, place) in enumerate(items):
            siblings = children[parents[index]]
            position = siblings.index(index)
            entry = DictionaryObject(
                {
                    NameObject("/Title"): TextStringObject(bookmark.title),
                    NameObject("/Parent"): self.ref(
                        root if parents[index] < 0 else numbers[parents[index]]
                    ),
                    NameObject("/Dest"): self.destination(place, page_refs, height),
                }
            )
            if position:
                entry[NameObject("/Prev")] = self.ref(numbers[siblings[position - 1]])
            if position + 1 < len(siblings):
                entry[NameObject("/Next")] = self.ref(numbers[siblings[position + 1]])
            kids = children.get(index, [])
            if kids:
                entry[NameObject("/First")] = self.ref(numbers[kids[0]])
                entry[NameObject("/Last")] = self.ref(numbers[kids[-1]])
                entry[NameObject("/Count")] = NumberObject(count(index))
            self.put(numbers[index], entry)
        top = children.get(-1, [])
        outline = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
        if top:
            outline[NameObject("/First")] = self.ref(numbers[top[0]])
            outline[NameObject("/Last")] = self.ref(numbers[top[-1]])
            outline[NameObject("/Count")] = NumberObject(count(-1))
        self.put(root, outline)
        return root

    def write(self, root: int, first: Part) -> bytes:
        out = io.BytesIO()
        out.write(first.data[: first.data.index(b"\n", first.data.index(b"\n") + 1) + 1])
        offsets: dict[int, int] = {}
        for number in sorted(self.objects):
            offsets[number] = out.tell()
            out.write(b"%d 0 obj\n" % number)
            out.write(self.objects[number])
            out.write(b"\nendobj\n")
        start = out.tell()
        out.write(b"xref\n0 %d\n" % self.next)
        out.write(b"0000000000 65535 f\r\n")
        for number in range(1, self.next):
            if number in offsets:
                out.write(b"%010d 00000 n\r\n" % offsets[number])
            else:
                out.write(b"0000000000 00000 f\r\n")
        trailer = DictionaryObject(
            {
                NameObject("/Size"): NumberObject(self.next),
                NameObject("/Root"): self.ref(root),
            }
        )
        info = first.number("/Info")
        if info is not None:
            trailer[NameObject("/Info")] = self.ref(info)
        if "/ID" in first.trailer:
            trailer[NameObject("/ID")] = first.trailer["/ID"]
        out.write(b"trailer\n" + serialise(trailer))
        out.write(b"\nstartxref\n%d\n%%%%EOF\n" % start)
        return out.getvalue()
